//! ECS504: a credential in `dockerLabels`, `command`, `entryPoint` or a health-check command.

use super::ecs501::{known_credential, looks_like_reference, name_suggests_secret};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{ContainerDefinition, Item, Value, known};
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};
use crate::source::Span;

pub static RULE: Rule = Rule {
    id: "ECS504",
    name: "secret-in-labels-or-command",
    family: Family::Secrets,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Credential in docker labels, command, entry point or health-check command",
    doc: include_str!("../../../rules/ECS504.md"),
    check,
};

/// The last word of a secret-carrying flag or variable: `--password`, `--api-key`, `DB_TOKEN`.
const SECRET_ENDINGS: [&str; 7] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "PRIVATEKEY",
    "SECRETKEY",
];

/// A literal value, not a reference to one (`$PW`, `${PW}`, `$(cat …)`, `{{ … }}`, an ARN, a
/// path, a flag).
fn is_literal_secret(value: &str) -> bool {
    let v = unquote(value);
    !(v.starts_with('$') || v.starts_with('-') || v.contains("$(") || looks_like_reference(v))
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// `--password`, `--api-key`, `-token`: a flag whose value is a secret (not `--password-file`,
/// `--password-stdin`, `--no-password`).
fn secret_flag(flag: &str) -> bool {
    let Some(name) = flag.strip_prefix('-') else {
        return false;
    };
    let name = name.trim_start_matches('-');
    let joined: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_uppercase();
    !name.is_empty()
        && !joined.starts_with("NO")
        && SECRET_ENDINGS.iter().any(|w| joined.ends_with(w))
        && name_suggests_secret(name)
}

/// A URL whose user information carries a literal password: `postgres://app:pw@db:5432/app`.
fn url_with_password(text: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let after = &rest[i + 3..];
        let authority_end = after
            .find(|c: char| {
                c == '/' || c == '?' || c == '#' || c.is_whitespace() || c == '"' || c == '\''
            })
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        if let Some(at) = authority.rfind('@')
            && let Some((_, password)) = authority[..at].split_once(':')
            && !password.is_empty()
            && !password.chars().all(|c| c == '*' || c == 'x' || c == 'X')
            && !password.starts_with('$')
            && !password.starts_with('{')
            && !password.starts_with('<')
            && !password.starts_with('%')
        {
            return true;
        }
        rest = after;
    }
    false
}

/// Why one string holds a credential, if it does: a known credential format anywhere, a URL with
/// a password, a secret-named variable assignment (`DB_PASSWORD=…`) or a secret flag with its
/// value attached (`--password=…`).
fn credential_in(text: &str) -> Option<&'static str> {
    if let Some(kind) = known_credential(text) {
        return Some(kind);
    }
    if url_with_password(text) {
        return Some("a URL with a password");
    }
    for token in text.split_whitespace() {
        if let Some(kind) = known_credential(unquote(token)) {
            return Some(kind);
        }
        let Some((name, value)) = token.split_once('=') else {
            continue;
        };
        if !is_literal_secret(value) {
            continue;
        }
        if secret_flag(name) {
            return Some("a password or token argument");
        }
        if !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && name_suggests_secret(name)
            && SECRET_ENDINGS
                .iter()
                .any(|w| name.to_ascii_uppercase().replace('_', "").ends_with(w))
        {
            return Some("a secret variable assignment");
        }
    }
    None
}

/// Findings in an argument list: one per argument that holds a credential, and the value after
/// a bare secret flag (`["--token", "abc…"]` or `"--token abc…"` in one shell string).
fn scan_args(args: &[Item<String>]) -> Vec<(Span, &'static str)> {
    let mut found = Vec::new();
    let mut pending_flag = false;
    for arg in args {
        let Value::Known(text) = &arg.value else {
            pending_flag = false;
            continue;
        };
        if pending_flag && is_literal_secret(text) && !text.contains(char::is_whitespace) {
            found.push((arg.span, "a password or token argument"));
            pending_flag = false;
            continue;
        }
        if let Some(kind) = credential_in(text) {
            found.push((arg.span, kind));
            pending_flag = false;
            continue;
        }
        // A flag and its value inside one shell string.
        let tokens: Vec<&str> = text.split_whitespace().collect();
        if tokens
            .windows(2)
            .any(|w| secret_flag(w[0]) && !w[0].contains('=') && is_literal_secret(w[1]))
        {
            found.push((arg.span, "a password or token argument"));
            pending_flag = false;
            continue;
        }
        pending_flag = tokens
            .last()
            .is_some_and(|t| secret_flag(t) && !t.contains('='));
    }
    found
}

fn report(
    ctx: &RuleCtx,
    c: &ContainerDefinition,
    span: Span,
    place: &str,
    kind: &str,
) -> Diagnostic {
    // The value never appears in a message, and reports mask the span in quoted source.
    ctx.diag(span, format!("{}: {place} holds {kind} in plain text", container_label(c)))
        .with_help("pass it through `secrets` (Secrets Manager or SSM SecureString) as an environment variable and refer to that variable; rotate it: it is in your repository's history")
        .redacted()
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            for label in known(&c.docker_labels).map_or(&[][..], Vec::as_slice) {
                let (Some(name), Some(value)) = (known(&label.name), label.value.as_ref()) else {
                    continue;
                };
                let Some(text) = value.value.known() else {
                    continue;
                };
                let kind = match credential_in(text) {
                    Some(kind) => kind,
                    None if name_suggests_secret(name) && is_literal_secret(text) => {
                        "a literal secret"
                    }
                    None => continue,
                };
                out.push(report(
                    ctx,
                    c,
                    value.span,
                    &format!("docker label `{name}`"),
                    kind,
                ));
            }
            let health = known(&c.health_check).and_then(|h| known(&h.command_args));
            for (place, args) in [
                ("`command`", known(&c.command)),
                ("`entryPoint`", known(&c.entry_point)),
                ("the health-check command", health),
            ] {
                for (span, kind) in scan_args(args.map_or(&[][..], Vec::as_slice)) {
                    out.push(report(ctx, c, span, place, kind));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{credential_in, secret_flag, url_with_password};
    use crate::rules::testing::{run_json, run_tf};

    #[test]
    fn strings() {
        assert!(url_with_password("postgres://app:s3cr3tpw@db:5432/app"));
        assert!(url_with_password(
            "curl -f http://admin:admin@localhost/health"
        ));
        for s in [
            "postgres://app@db/app",
            "postgres://${USER}:${PASSWORD}@db/app",
            "postgres://app:$DB_PASSWORD@db/app",
            "http://[::1]:8080/",
            "git+ssh://git@github.com/x/y",
            "redis://:@cache:6379",
        ] {
            assert!(!url_with_password(s), "{s}");
        }
        for f in [
            "--password",
            "-password",
            "--api-key",
            "--auth-token",
            "--client_secret",
        ] {
            assert!(secret_flag(f), "{f}");
        }
        for f in [
            "--password-file",
            "--password-stdin",
            "--no-password",
            "--token-url",
            "--secret-name",
            "password",
            "--user",
        ] {
            assert!(!secret_flag(f), "{f}");
        }
        for s in [
            "--password=hunter2hunter2",
            "DB_PASSWORD=hunter2hunter2 ./run",
            "AKIAIOSFODNN7EXAMPLE",
            "export API_TOKEN='abcd1234efgh'",
        ] {
            assert!(credential_in(s).is_some(), "{s}");
        }
        for s in [
            "--password=$DB_PASSWORD",
            "--password=${DB_PASSWORD}",
            "--password-file=/run/secrets/db",
            "DB_PASSWORD_FILE=/run/secrets/db",
            "TOKEN_TTL=3600",
            "--token=$(cat /run/secrets/token)",
            "curl -f http://localhost:8080/health || exit 1",
        ] {
            assert!(credential_in(s).is_none(), "{s}");
        }
    }

    fn td(container: &str) -> String {
        format!(r#"{{"containerDefinitions": [{{"name": "a", "image": "x:1", {container}}}]}}"#)
    }

    #[test]
    fn passes() {
        for c in [
            r#""command": ["serve", "--password-file", "/run/secrets/db"]"#,
            r#""entryPoint": ["sh", "-c", "exec app --token \"$API_TOKEN\""]"#,
            r#""dockerLabels": {"com.example.token-url": "https://auth.example.com", "version": "1.2"}"#,
            r#""healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]}"#,
            r#""command": ["docker", "login", "--password-stdin", "registry.example.com"]"#,
        ] {
            assert!(run_json(&super::RULE, &td(c)).is_empty(), "{c}");
        }
        let tf = r#"
variable "token" {}
resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{ name = "a", image = "x:1", command = ["--token", var.token] }])
}
"#;
        assert!(run_tf(&super::RULE, tf).is_empty());
    }

    #[test]
    fn fails() {
        let found = run_json(
            &super::RULE,
            &td(r#""command": ["serve", "--token", "abcd1234efgh5678"]"#),
        );
        assert_eq!(
            found,
            ["1:89 container `a`: `command` holds a password or token argument in plain text"]
        );
        assert!(!found[0].contains("abcd"));
        assert_eq!(
            run_json(
                &super::RULE,
                &td(r#""dockerLabels": {"db.password": "hunter2hunter2"}"#)
            ),
            ["1:89 container `a`: docker label `db.password` holds a literal secret in plain text"]
        );
        assert_eq!(
            run_json(
                &super::RULE,
                &td(
                    r#""healthCheck": {"command": ["CMD-SHELL", "pg_isready -d postgres://app:pw1234@localhost/app"]}"#
                )
            ),
            [
                "1:98 container `a`: the health-check command holds a URL with a password in plain text"
            ]
        );
        assert_eq!(
            run_json(
                &super::RULE,
                &td(r#""entryPoint": ["sh", "-c", "mysql --password=hunter2hunter2 -h db"]"#)
            )
            .len(),
            1
        );
    }
}
