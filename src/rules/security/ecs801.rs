//! ECS801: a privileged container (an error on Fargate, which rejects it).

use super::error_on_fargate;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known_spanned;
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS801",
    name: "privileged-container",
    family: Family::Security,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Container runs privileged",
    doc: include_str!("../../../rules/ECS801.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            let Some((true, span)) = known_spanned(&c.privileged) else {
                continue;
            };
            let d = if td.is_fargate() {
                ctx.diag(
                    *span,
                    format!(
                        "{} is privileged, which Fargate does not support: registration fails",
                        container_label(c)
                    ),
                )
                .with_help("remove `privileged`; add only the capability the container needs with `linuxParameters.capabilities.add` (Fargate allows SYS_PTRACE)")
            } else {
                ctx.diag(
                    *span,
                    format!(
                        "{} is privileged: root on the container instance, every device and every capability",
                        container_label(c)
                    ),
                )
                .with_help("remove `privileged` and add only the capabilities the container needs with `linuxParameters.capabilities.add`")
            };
            out.push(error_on_fargate(td, d));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf};

    fn td(compat: &str, container: &str) -> String {
        format!(
            r#"{{"requiresCompatibilities": ["{compat}"], "containerDefinitions": [{{"name": "a", "image": "x:1"{container}}}]}}"#
        )
    }

    #[test]
    fn passes() {
        for c in [
            "",
            r#", "privileged": false"#,
            // The key checkov reads is not an ECS field: the API drops it.
            r#", "privilege": true"#,
        ] {
            assert!(run_json(&super::RULE, &td("EC2", c)).is_empty(), "{c}");
        }
        // Unknown: silent.
        let tf = r#"
variable "privileged" {}
resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{ name = "a", image = "x:1", privileged = var.privileged }])
}
"#;
        assert!(run_tf(&super::RULE, tf).is_empty());
    }

    #[test]
    fn fails() {
        assert_eq!(
            run_json(&super::RULE, &td("EC2", r#", "privileged": true"#)),
            [
                "1:107 container `a` is privileged: root on the container instance, every device and every capability"
            ]
        );
        assert_eq!(
            run_json(&super::RULE, &td("FARGATE", r#", "privileged": true"#)),
            [
                "1:111 container `a` is privileged, which Fargate does not support: registration fails"
            ]
        );
        let tf = r#"
resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{ name = "a", image = "x:1", privileged = true }])
}
"#;
        assert_eq!(run_tf(&super::RULE, tf).len(), 1);
    }
}
