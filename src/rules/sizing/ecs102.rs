//! ECS102: a Fargate task definition without task-level `cpu` or `memory`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::util::start_of;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS102",
    name: "fargate-task-size-missing",
    family: Family::Sizing,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Fargate task definition without task-level cpu or memory",
    doc: include_str!("../../../rules/ECS102.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        if !td.is_fargate() {
            continue;
        }
        let missing: Vec<&str> = [("cpu", td.cpu.is_none()), ("memory", td.memory.is_none())]
            .into_iter()
            .filter_map(|(n, m)| m.then_some(n))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let what = missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        out.push(
            ctx.diag(start_of(&td.span), format!("Fargate task definition has no task-level {what}"))
                .with_help("set task-level `cpu` and `memory` to a Fargate size, e.g. cpu \"256\" / memory \"512\""),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let ok = r#"{"requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512", "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, ok).is_empty());
        let ec2 = r#"{"requiresCompatibilities": ["EC2"], "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, ec2).is_empty());
        let bad =
            r#"{"requiresCompatibilities": ["FARGATE"], "cpu": "256", "containerDefinitions": []}"#;
        assert_eq!(
            run_json(&super::RULE, bad),
            ["1:1 Fargate task definition has no task-level `memory`"]
        );
    }
}
