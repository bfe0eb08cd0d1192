//! ECS303: `awslogs-group` names a log group the module or template does not declare.

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::{Value, known};
use crate::rules::util::{container_label, has_neighbours};
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS303",
    name: "undeclared-log-group",
    family: Family::Logging,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: &["terraform", "cloudformation"],
    summary: "awslogs-group names a log group that is not declared and not auto-created",
    doc: include_str!("../../../rules/ECS303.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    if !has_neighbours(ctx.unit) {
        return;
    }
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            let Some(log) = known(&c.log_configuration) else {
                continue;
            };
            if known(&log.log_driver).is_none_or(|d| d != "awslogs") {
                continue;
            }
            let Some(group) = log.option("awslogs-group").and_then(|kv| kv.value.as_ref()) else {
                continue;
            };
            let Value::Known(name) = &group.value else {
                continue;
            };
            let creates = log
                .option("awslogs-create-group")
                .and_then(|kv| known(&kv.value))
                .is_some_and(|v| v.eq_ignore_ascii_case("true"));
            if creates || link::log_group_of(ctx.unit, &group.value).is_some() {
                continue;
            }
            out.push(
                ctx.diag(group.span, format!("{}: log group `{name}` is not declared here and `awslogs-create-group` is not \"true\"", container_label(c)))
                    .with_help("declare the log group (aws_cloudwatch_log_group / AWS::Logs::LogGroup) and reference it, or set `awslogs-create-group = \"true\"` (the execution role then needs logs:CreateLogGroup)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf};

    #[test]
    fn cases() {
        let tf = |group: &str, decl: &str| {
            format!(
                "{decl}\nresource \"aws_ecs_task_definition\" \"t\" {{\n  family = \"t\"\n  container_definitions = jsonencode([{{ name = \"a\", logConfiguration = {{ logDriver = \"awslogs\", options = {{ awslogs-group = {group} }} }} }}])\n}}\n"
            )
        };
        let decl = "resource \"aws_cloudwatch_log_group\" \"g\" {\n  name = \"/ecs/a\"\n}";
        assert!(run_tf(&super::RULE, &tf("aws_cloudwatch_log_group.g.name", decl)).is_empty());
        assert!(run_tf(&super::RULE, &tf("\"/ecs/a\"", decl)).is_empty());
        assert!(run_tf(&super::RULE, &tf("var.group", "variable \"group\" {}")).is_empty());
        assert_eq!(run_tf(&super::RULE, &tf("\"/ecs/other\"", decl)).len(), 1);
        let json = r#"{"containerDefinitions": [{"name": "a", "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/x"}}}]}"#;
        assert!(
            run_json(&super::RULE, json).is_empty(),
            "raw JSON is exempt"
        );
    }
}
