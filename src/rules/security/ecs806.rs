//! ECS806: Linux capabilities added beyond Docker's default set (an error on Fargate for
//! anything but SYS_PTRACE).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Value, known};
use crate::rules::util::{container_label, is_windows};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS806",
    name: "added-linux-capabilities",
    family: Family::Security,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Container adds Linux capabilities beyond Docker's defaults",
    doc: include_str!("../../../rules/ECS806.md"),
    check,
};

/// Docker's default capability set: adding one of these changes nothing.
const DOCKER_DEFAULTS: [&str; 14] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// The debugging / APM capability: accepted on EC2, the only one Fargate lets a task add.
const PTRACE: &str = "SYS_PTRACE";

fn normalise(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    upper.strip_prefix("CAP_").unwrap_or(&upper).to_owned()
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        // `linuxParameters` is not used on Windows.
        if is_windows(td) {
            continue;
        }
        let fargate = td.is_fargate();
        for c in td.containers() {
            let Some(params) = known(&c.linux_parameters) else {
                continue;
            };
            for cap in known(&params.capabilities_add).map_or(&[][..], Vec::as_slice) {
                let Value::Known(text) = &cap.value else {
                    continue;
                };
                let name = normalise(text);
                if name == PTRACE {
                    continue;
                }
                if fargate {
                    let mut d = ctx
                        .diag(
                            cap.span,
                            format!(
                                "{} adds capability `{}`: Fargate only lets a task add SYS_PTRACE, registration fails",
                                container_label(c),
                                text.trim()
                            ),
                        )
                        .with_help("remove it from `linuxParameters.capabilities.add`, or run the task on EC2");
                    d.severity = Severity::Error;
                    out.push(d);
                    continue;
                }
                if DOCKER_DEFAULTS.contains(&name.as_str()) {
                    continue;
                }
                let why = match name.as_str() {
                    "ALL" => ": every capability, nearly the same as privileged",
                    "SYS_ADMIN" => ": mounts, namespaces and most of what root can do on the host",
                    "SYS_MODULE" => ": loads kernel modules on the container instance",
                    "NET_ADMIN" => ": reconfigures networking, firewalls and routes",
                    _ => "",
                };
                out.push(
                    ctx.diag(
                        cap.span,
                        format!(
                            "{} adds capability `{}` beyond Docker's default set{why}",
                            container_label(c),
                            text.trim()
                        ),
                    )
                    .with_help("remove it if the workload can do without; otherwise keep it to this one container and drop the defaults it does not need with `capabilities.drop`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf};

    fn td(compat: &str, add: &str) -> String {
        format!(
            r#"{{"requiresCompatibilities": ["{compat}"], "containerDefinitions": [{{"name": "a", "image": "x:1", "linuxParameters": {{"capabilities": {{"add": [{add}]}}}}}}]}}"#
        )
    }

    #[test]
    fn passes() {
        for add in [r#""SYS_PTRACE""#, r#""NET_BIND_SERVICE", "CHOWN""#, ""] {
            assert!(run_json(&super::RULE, &td("EC2", add)).is_empty(), "{add}");
        }
        assert!(run_json(&super::RULE, &td("FARGATE", r#""SYS_PTRACE""#)).is_empty());
        // Dropping is the safe direction.
        let drop = r#"{"containerDefinitions": [{"name": "a", "image": "x:1", "linuxParameters": {"capabilities": {"drop": ["ALL"]}}}]}"#;
        assert!(run_json(&super::RULE, drop).is_empty());
        let tf = r#"
variable "caps" {}
resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{ name = "a", image = "x:1",
    linuxParameters = { capabilities = { add = var.caps } } }])
}
"#;
        assert!(run_tf(&super::RULE, tf).is_empty());
    }

    #[test]
    fn fails() {
        assert_eq!(
            run_json(&super::RULE, &td("EC2", r#""SYS_PTRACE", "SYS_ADMIN""#)),
            [
                "1:152 container `a` adds capability `SYS_ADMIN` beyond Docker's default set: mounts, namespaces and most of what root can do on the host"
            ]
        );
        assert_eq!(
            run_json(&super::RULE, &td("FARGATE", r#""NET_BIND_SERVICE""#)),
            [
                "1:142 container `a` adds capability `NET_BIND_SERVICE`: Fargate only lets a task add SYS_PTRACE, registration fails"
            ]
        );
        // One unknown element does not hide a known one.
        let tf = r#"
variable "cap" {}
resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{ name = "a", image = "x:1",
    linuxParameters = { capabilities = { add = [var.cap, "NET_ADMIN"] } } }])
}
"#;
        assert_eq!(run_tf(&super::RULE, tf).len(), 1);
    }
}
