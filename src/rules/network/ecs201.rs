//! ECS201: Fargate requires the `awsvpc` network mode.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::util::start_of;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS201",
    name: "fargate-requires-awsvpc",
    family: Family::Network,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Fargate task definition does not use the awsvpc network mode",
    doc: include_str!("../../../rules/ECS201.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        if !td.is_fargate() {
            continue;
        }
        let diag = match &td.network_mode {
            None => ctx.diag(start_of(&td.span), "Fargate task definition without `networkMode`: the default is `bridge`, which Fargate does not run"),
            Some(m) => match m.value.known() {
                Some(mode) if mode != "awsvpc" => {
                    ctx.diag(m.span, format!("Fargate requires network mode `awsvpc`, not `{mode}`"))
                }
                _ => continue,
            },
        };
        out.push(diag.with_help(
            "set `networkMode` to `awsvpc` (and give the service a network configuration)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let ok = r#"{"requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, ok).is_empty());
        let ec2 = r#"{"requiresCompatibilities": ["EC2"], "networkMode": "bridge", "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, ec2).is_empty());
        let bad = r#"{"requiresCompatibilities": ["FARGATE"], "networkMode": "bridge", "containerDefinitions": []}"#;
        assert_eq!(
            run_json(&super::RULE, bad),
            ["1:57 Fargate requires network mode `awsvpc`, not `bridge`"]
        );
        let unset = r#"{"requiresCompatibilities": ["FARGATE"], "containerDefinitions": []}"#;
        assert_eq!(run_json(&super::RULE, unset).len(), 1);
    }
}
