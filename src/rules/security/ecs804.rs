//! ECS804: the task shares the host's process namespace (an error on Fargate).

use super::error_on_fargate;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known_spanned;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS804",
    name: "host-pid-namespace",
    family: Family::Security,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Task shares the host's process namespace (pidMode host)",
    doc: include_str!("../../../rules/ECS804.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let Some((mode, span)) = known_spanned(&td.pid_mode) else {
            continue;
        };
        if mode != "host" {
            continue;
        }
        let d = if td.is_fargate() {
            ctx.diag(*span, "`pidMode: host` is not supported on Fargate (only `task`): registration fails")
                .with_help("remove `pidMode`, or use `task` to share processes between the task's own containers")
        } else {
            ctx.diag(*span, "`pidMode: host` lets the task's containers see and signal every process on the container instance")
                .with_help("remove `pidMode`, or use `task` to share processes between the task's own containers")
        };
        out.push(error_on_fargate(td, d));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf};

    #[test]
    fn cases() {
        let td = |compat: &str, mode: &str| {
            format!(
                r#"{{"requiresCompatibilities": ["{compat}"], "pidMode": "{mode}", "containerDefinitions": []}}"#
            )
        };
        assert!(run_json(&super::RULE, &td("EC2", "task")).is_empty());
        assert_eq!(
            run_json(&super::RULE, &td("EC2", "host")),
            [
                "1:49 `pidMode: host` lets the task's containers see and signal every process on the container instance"
            ]
        );
        assert_eq!(
            run_json(&super::RULE, &td("FARGATE", "host")),
            ["1:53 `pidMode: host` is not supported on Fargate (only `task`): registration fails"]
        );
        // The container-level key checkov reads is not an ECS field.
        let container_level =
            r#"{"containerDefinitions": [{"name": "a", "image": "x:1", "pidMode": "host"}]}"#;
        assert!(run_json(&super::RULE, container_level).is_empty());
        let tf = r#"
variable "pid" {}
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  pid_mode              = var.pid
  container_definitions = "[]"
}
"#;
        assert!(run_tf(&super::RULE, tf).is_empty());
    }
}
