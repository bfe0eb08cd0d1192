//! ECS802: a container whose root filesystem is writable (opt-in).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Value;
use crate::rules::util::{container_anchor, container_label, is_windows};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS802",
    name: "writable-root-filesystem",
    family: Family::Security,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: ALL_FORMATS,
    summary: "Container root filesystem is writable",
    doc: include_str!("../../../rules/ECS802.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        // Windows containers do not support `readonlyRootFilesystem`.
        if is_windows(td) {
            continue;
        }
        for c in td.containers() {
            let span = match &c.readonly_root_filesystem {
                None => container_anchor(c),
                Some(f) => match f.value {
                    Value::Known(false) => f.span,
                    _ => continue,
                },
            };
            out.push(
                ctx.diag(
                    span,
                    format!("{} has a writable root filesystem", container_label(c)),
                )
                .with_help("set `readonlyRootFilesystem: true` and mount a volume (or a bind mount on Fargate) where the application must write"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf};

    fn td(extra: &str, container: &str) -> String {
        format!(
            r#"{{"requiresCompatibilities": ["EC2"]{extra}, "containerDefinitions": [{{"name": "a", "image": "x:1"{container}}}]}}"#
        )
    }

    #[test]
    fn passes() {
        assert!(run_json(&super::RULE, &td("", r#", "readonlyRootFilesystem": true"#)).is_empty());
        let windows =
            r#", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}"#;
        assert!(run_json(&super::RULE, &td(windows, "")).is_empty());
        // Unknown value, or containers that cannot be read: silent, never a vacuous pass.
        let tf = r#"
variable "ro" {}
variable "containers" {}
resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{ name = "a", image = "x:1", readonlyRootFilesystem = var.ro }])
}
resource "aws_ecs_task_definition" "u" {
  family = "u"
  container_definitions = var.containers
}
"#;
        assert!(run_tf(&super::RULE, tf).is_empty());
    }

    #[test]
    fn fails() {
        assert_eq!(
            run_json(&super::RULE, &td("", "")),
            ["1:72 container `a` has a writable root filesystem"]
        );
        assert_eq!(
            run_json(
                &super::RULE,
                &td("", r#", "readonlyRootFilesystem": false"#)
            ),
            ["1:119 container `a` has a writable root filesystem"]
        );
    }
}
