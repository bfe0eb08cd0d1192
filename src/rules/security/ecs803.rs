//! ECS803: a container that runs as root.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{ContainerDefinition, Value};
use crate::rules::util::{container_anchor, container_label, network_mode};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS803",
    name: "container-runs-as-root",
    family: Family::Security,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Container runs as root",
    doc: include_str!("../../../rules/ECS803.md"),
    check,
};

/// `root`, `0`, `root:group`, `0:gid` (Linux), or `ContainerAdministrator` (Windows).
pub fn is_root_user(user: &str) -> bool {
    let u = user.trim();
    let name = u.split(':').next().unwrap_or(u).trim();
    name == "root" || name == "0" || u.eq_ignore_ascii_case("ContainerAdministrator")
}

/// `privileged` absent or known false (unknown is neither).
fn not_privileged(c: &ContainerDefinition) -> bool {
    c.privileged
        .as_ref()
        .is_none_or(|p| matches!(p.value, Value::Known(false)))
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let host = network_mode(td) == Some("host");
        for c in td.containers() {
            match &c.user {
                Some(u) => {
                    if let Value::Known(user) = &u.value
                        && is_root_user(user)
                    {
                        out.push(
                            ctx.diag(
                                u.span,
                                format!("{} runs as `{}`", container_label(c), user.trim()),
                            )
                            .with_help("run as an unprivileged user: `user: \"1000:1000\"` (or a named user the image defines)"),
                        );
                    }
                }
                // Security Hub ECS.1: with the host's network stack, a non-privileged container
                // without a user runs as the image's user, which is root unless the image says
                // otherwise. (Privileged containers are ECS801's.)
                None if host && not_privileged(c) => {
                    out.push(
                        ctx.diag(
                            container_anchor(c),
                            format!(
                                "{} sets no `user` in the host network mode: it runs as the image's user, root unless the image sets another",
                                container_label(c)
                            ),
                        )
                        .with_help("set `user` to an unprivileged user, or use the `awsvpc` network mode"),
                    );
                }
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_root_user;
    use crate::rules::testing::{run_json, run_tf};

    fn td(net: &str, container: &str) -> String {
        format!(
            r#"{{"networkMode": "{net}", "containerDefinitions": [{{"name": "a", "image": "x:1"{container}}}]}}"#
        )
    }

    #[test]
    fn users() {
        for u in [
            "root",
            "0",
            "0:0",
            "root:root",
            " root ",
            "ContainerAdministrator",
        ] {
            assert!(is_root_user(u), "{u}");
        }
        for u in [
            "1000",
            "1000:0",
            "nginx",
            "rooted",
            "10",
            "ContainerUser",
            "app:root",
        ] {
            assert!(!is_root_user(u), "{u}");
        }
    }

    #[test]
    fn passes() {
        assert!(run_json(&super::RULE, &td("awsvpc", r#", "user": "1000:1000""#)).is_empty());
        // No user outside the host network mode: the image's USER is invisible here.
        assert!(run_json(&super::RULE, &td("awsvpc", "")).is_empty());
        assert!(run_json(&super::RULE, &td("host", r#", "user": "nginx""#)).is_empty());
        // Privileged containers in host mode are ECS801's finding.
        assert!(run_json(&super::RULE, &td("host", r#", "privileged": true"#)).is_empty());
        let tf = r#"
variable "user" {}
resource "aws_ecs_task_definition" "t" {
  family       = "t"
  network_mode = "host"
  container_definitions = jsonencode([{ name = "a", image = "x:1", user = var.user }])
}
"#;
        assert!(run_tf(&super::RULE, tf).is_empty());
    }

    #[test]
    fn fails() {
        assert_eq!(
            run_json(&super::RULE, &td("awsvpc", r#", "user": "0:0""#)),
            ["1:90 container `a` runs as `0:0`"]
        );
        assert_eq!(
            run_json(&super::RULE, &td("host", "")),
            [
                "1:59 container `a` sets no `user` in the host network mode: it runs as the image's user, root unless the image sets another"
            ]
        );
    }
}
