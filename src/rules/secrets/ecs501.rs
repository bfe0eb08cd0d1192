//! ECS501: a secret in a plain `environment` variable.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Part, Unit, Value, known};
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS501",
    name: "secret-in-environment",
    family: Family::Secrets,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Secret-looking literal in a plain environment variable",
    doc: include_str!("../../../rules/ECS501.md"),
    check,
};

/// Words in a variable name that say "this is a secret".
const SECRET_WORDS: [&str; 10] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "PRIVATEKEY",
    "ACCESSKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    // ECS_ENGINE_AUTH_DATA: private registry credentials for the ECS agent (Security Hub ECS.8).
    "AUTHDATA",
];

/// A last word that makes the variable point *at* a secret, not hold one.
const POINTER_SUFFIXES: [&str; 15] = [
    "FILE", "PATH", "ARN", "URL", "URI", "ENDPOINT", "NAME", "ID", "TYPE", "LENGTH", "TTL",
    "HEADER", "ENABLED", "REGION", "KEYID",
];

pub fn name_suggests_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let Some(last) = words.last() else {
        return false;
    };
    // Joined neighbours catch API_KEY, PRIVATE_KEY, ACCESS_KEY, KEY_ID.
    let joined: Vec<String> = words
        .windows(2)
        .map(|w| format!("{}{}", w[0], w[1]))
        .collect();
    let last_pair = joined.last().map(String::as_str);
    if POINTER_SUFFIXES.contains(last) || last_pair.is_some_and(|p| POINTER_SUFFIXES.contains(&p)) {
        return false;
    }
    words.iter().any(|w| SECRET_WORDS.contains(w))
        || joined.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
}

/// A value that is a reference, a path, a flag or a placeholder rather than a secret.
pub fn looks_like_reference(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || v.len() < 4
        || lower.starts_with("arn:")
        || v.starts_with('/')
        || v.starts_with("./")
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("file:")
        || lower.starts_with("ssm:")
        || lower.starts_with("secretsmanager:")
        || v.contains("{{")
        || v.contains("${")
        || (v.starts_with('<') && v.ends_with('>'))
        || [
            "true", "false", "yes", "no", "none", "null", "enabled", "disabled",
        ]
        .contains(&lower.as_str())
        || v.chars().all(|c| c.is_ascii_digit())
}

/// Credential formats recognisable whatever the variable is called.
pub fn known_credential(value: &str) -> Option<&'static str> {
    let v = value.trim();
    let alnum_upper = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    if v.len() == 20 && (v.starts_with("AKIA") || v.starts_with("ASIA")) && alnum_upper(v) {
        return Some("an AWS access key id");
    }
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
        if let Some(rest) = v.strip_prefix(prefix)
            && rest.len() >= 36
            && rest.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Some("a GitHub token");
        }
    }
    if v.starts_with("github_pat_") && v.len() > 40 {
        return Some("a GitHub token");
    }
    if ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"]
        .iter()
        .any(|p| v.starts_with(p))
        && v.len() > 20
    {
        return Some("a Slack token");
    }
    if (v.starts_with("sk_live_") || v.starts_with("rk_live_")) && v.len() > 20 {
        return Some("a Stripe live key");
    }
    if url_password(v).is_some() {
        return Some("a URL with a password");
    }
    None
}

/// The password of `scheme://user:password@host...` (`postgres://app:s3cret@db:5432/app`,
/// `redis://:s3cret@cache:6379`), unless it is a placeholder or a template hole.
pub fn url_password(v: &str) -> Option<&str> {
    let (scheme, rest) = v.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    {
        return None;
    }
    // The authority ends at the first `/`, `?` or `#`; its last `@` ends the user information.
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, host) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    let placeholder = password.is_empty()
        || host.is_empty()
        || password.contains("${")
        || password.contains("{{")
        || password.contains('$')
        || (password.starts_with('<') && password.ends_with('>'))
        || password.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || ["password", "pass", "secret", "changeme", "pw"]
            .contains(&password.to_ascii_lowercase().as_str());
    (!placeholder).then_some(password)
}

/// The `NoEcho` CloudFormation parameter a value holds: `!Ref P`, `!Sub "${P}"`, or a `!Sub`
/// or `!Join` with it inside (`postgres://app:${DbPassword}@db/app`). The front-end leaves a reference
/// to a NoEcho parameter unknown whatever its default, so the value is never read.
fn no_echo_parameter<'u>(value: &Value<String>, unit: &'u Unit) -> Option<&'u str> {
    if unit.no_echo_parameters.is_empty() {
        return None;
    }
    let named = |expr: &str| {
        let inner = expr
            .strip_prefix("${")
            .and_then(|e| e.strip_suffix('}'))
            .unwrap_or(expr);
        let name = inner.strip_prefix("!Ref ").unwrap_or(inner);
        unit.no_echo_parameters
            .iter()
            .find(|p| p.as_str() == name)
            .map(String::as_str)
    };
    match value {
        Value::Unresolved { expr } => named(expr),
        Value::Partial(parts) => parts.iter().find_map(|p| match p {
            Part::Hole(expr) => named(expr),
            Part::Text(_) => None,
        }),
        Value::Known(_) | Value::Ref { .. } => None,
    }
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            for var in known(&c.environment).map_or(&[][..], Vec::as_slice) {
                let (Some(name), Some(value)) = (known(&var.name), var.value.as_ref()) else {
                    continue;
                };
                if let Some(parameter) = no_echo_parameter(&value.value, ctx.unit) {
                    out.push(
                        ctx.diag(value.span, format!("{}: environment variable `{name}` holds the NoEcho parameter `{parameter}` in plain text: anyone who can describe the task definition reads it", container_label(c)))
                            .with_help("pass it as a secret: store it in Secrets Manager or an SSM SecureString parameter and reference it from `Secrets` with `ValueFrom`")
                            .redacted(),
                    );
                    continue;
                }
                let Some(text) = value.value.known() else {
                    continue;
                };
                let why = match known_credential(text) {
                    Some(kind) => format!("holds what looks like {kind}"),
                    None if name_suggests_secret(name) && !looks_like_reference(text) => {
                        "holds a literal secret".to_owned()
                    }
                    None => continue,
                };
                // The value itself never appears in a message: reports end up in CI logs.
                out.push(
                    ctx.diag(value.span, format!("{}: environment variable `{name}` {why} in plain text", container_label(c)))
                        .with_help("move it to `secrets` with `valueFrom` a Secrets Manager secret or SSM SecureString parameter, and rotate it: it is in your repository's history")
                        .redacted(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run_json;

    #[test]
    fn names() {
        for n in [
            "DB_PASSWORD",
            "api_key",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "PrivateKey",
            "SMTP_PASSWD",
            "CLIENT_SECRET",
            "ECS_ENGINE_AUTH_DATA",
        ] {
            assert!(name_suggests_secret(n), "{n}");
        }
        for n in [
            "PASSWORD_FILE",
            "SECRET_ARN",
            "TOKEN_URL",
            "DB_SECRET_NAME",
            "AWS_ACCESS_KEY_ID",
            "PORT",
            "TOKENIZER_MODE",
            "SECRETS_PATH",
        ] {
            assert!(!name_suggests_secret(n), "{n}");
        }
    }

    #[test]
    fn cases() {
        let td = |n: &str, v: &str| {
            format!(
                r#"{{"containerDefinitions": [{{"name": "a", "environment": [{{"name": "{n}", "value": "{v}"}}]}}]}}"#
            )
        };
        assert!(
            run_json(
                &super::RULE,
                &td("DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:1:secret:x")
            )
            .is_empty()
        );
        assert!(run_json(&super::RULE, &td("DB_PASSWORD", "")).is_empty());
        assert!(run_json(&super::RULE, &td("DB_PASSWORD", "{{ must_env `PW` }}")).is_empty());
        let found = run_json(&super::RULE, &td("DB_PASSWORD", "hunter2hunter2"));
        assert_eq!(
            found,
            [
                "1:90 container `a`: environment variable `DB_PASSWORD` holds a literal secret in plain text"
            ]
        );
        assert!(!found[0].contains("hunter2"));
        let key = run_json(&super::RULE, &td("SOMETHING", "AKIAIOSFODNN7EXAMPLE"));
        assert_eq!(key.len(), 1);
        assert!(!key[0].contains("AKIA"));
        // A connection string with a password, whatever the variable is called.
        let url = run_json(
            &super::RULE,
            &td(
                "DATABASE_URL",
                "postgres://app:Zk9vQ2xx1@db.internal:5432/app",
            ),
        );
        assert_eq!(url.len(), 1, "{url:?}");
        assert!(url[0].contains("a URL with a password"), "{url:?}");
        assert!(!url[0].contains("Zk9vQ2xx1"));
    }

    #[test]
    fn no_echo_parameters() {
        use crate::rules::testing::run_yaml;
        let template = |value: &str| {
            format!(
                "Parameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\n    Default: hunter2hunter2\n  DbHost:\n    Type: String\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: a\n          Environment:\n            - Name: DB\n              Value: {value}\n"
            )
        };
        for value in [
            "!Ref DbPassword",
            "!Sub \"${DbPassword}\"",
            "{Ref: DbPassword}",
            "!Sub \"postgres://app:${DbPassword}@${DbHost}/app\"",
            "!Join [\"\", [\"postgres://app:\", !Ref DbPassword, \"@db/app\"]]",
            "!Join [\"\", [!Ref DbPassword]]",
        ] {
            let found = run_yaml(&super::RULE, &template(value));
            assert_eq!(
                found,
                [
                    "16:22 container `a`: environment variable `DB` holds the NoEcho parameter `DbPassword` in plain text: anyone who can describe the task definition reads it"
                ],
                "{value}"
            );
            assert!(!found[0].contains("hunter2"));
        }
        for value in [
            "!Ref DbHost",
            "!Sub \"postgres://app@${DbHost}/app\"",
            "!Sub \"${!DbPassword}\"",
        ] {
            assert!(
                run_yaml(&super::RULE, &template(value)).is_empty(),
                "{value}"
            );
        }
    }

    #[test]
    fn url_passwords() {
        use super::url_password;
        assert_eq!(
            url_password("postgres://app:s3cr3t@db:5432/app"),
            Some("s3cr3t")
        );
        assert_eq!(url_password("redis://:s3cr3t@cache:6379/0"), Some("s3cr3t"));
        assert_eq!(url_password("amqp://u:p%40ss@mq/vhost?x=1"), Some("p%40ss"));
        for none in [
            "https://example.com/a:b@c",
            "postgres://app@db/app",
            "postgres://app:@db/app",
            "postgres://app:${DB_PASSWORD}@db/app",
            "postgres://app:{{ .pw }}@db/app",
            "postgres://app:<password>@db/app",
            "postgres://app:password@db/app",
            "postgres://app:****@db/app",
            "mysql://app:$(PW)@db/app",
            "not a url: a:b@c",
            "s3://bucket/key",
        ] {
            assert_eq!(url_password(none), None, "{none}");
        }
    }
}
