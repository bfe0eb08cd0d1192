//! ECS705: DAEMON scheduling on Fargate, or a Fargate service of a task definition that is not
//! Fargate-compatible.

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::known;
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS705",
    name: "fargate-service-incompatible",
    family: Family::Deployment,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "DAEMON scheduling on Fargate, or a Fargate service whose task definition is not Fargate-compatible",
    doc: include_str!("../../../rules/ECS705.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.unit.services {
        let launch_fargate = known(&s.launch_type).is_some_and(|l| l == "FARGATE");
        let strategy_fargate = known(&s.capacity_provider_strategy).is_some_and(|items| {
            items
                .iter()
                .any(|i| known(&i.capacity_provider).is_some_and(|p| p.starts_with("FARGATE")))
        });
        if let Some(strategy) = &s.scheduling_strategy
            && strategy
                .value
                .known()
                .is_some_and(|v| v.eq_ignore_ascii_case("DAEMON"))
            && (launch_fargate || strategy_fargate)
        {
            out.push(
                ctx.diag(
                    strategy.span,
                    "Fargate does not support the DAEMON scheduling strategy",
                )
                .with_help("use `REPLICA` on Fargate, or run the daemon on EC2 capacity"),
            );
        }
        if !launch_fargate {
            continue;
        }
        let Some(td) = link::task_definition_of(ctx.unit, s) else {
            continue;
        };
        let Some(compat) = known(&td.requires_compatibilities) else {
            continue;
        };
        if compat.iter().any(|c| c.eq_ignore_ascii_case("FARGATE")) {
            continue;
        }
        let mut d = ctx.diag(
            s.launch_type
                .as_ref()
                .map(|l| l.span)
                .unwrap_or_else(|| s.span),
            format!(
                "service launches on FARGATE, but task definition `{}` is not Fargate-compatible",
                td.name
            ),
        );
        if let Some(c) = &td.requires_compatibilities {
            d = d.with_label(c.span, "requiresCompatibilities has no FARGATE");
        }
        out.push(d.with_help("add FARGATE to `requiresCompatibilities` (with awsvpc and a Fargate task size), or launch on EC2"));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    #[test]
    fn cases() {
        let tf = |compat: &str, sched: &str| {
            format!(
                "resource \"aws_ecs_task_definition\" \"t\" {{\n  family = \"t\"\n  requires_compatibilities = [\"{compat}\"]\n  container_definitions = jsonencode([])\n}}\nresource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n  launch_type = \"FARGATE\"\n  scheduling_strategy = \"{sched}\"\n  task_definition = aws_ecs_task_definition.t.arn\n}}\n"
            )
        };
        assert!(run_tf(&super::RULE, &tf("FARGATE", "REPLICA")).is_empty());
        assert_eq!(run_tf(&super::RULE, &tf("EC2", "REPLICA")).len(), 1);
        assert_eq!(run_tf(&super::RULE, &tf("FARGATE", "DAEMON")).len(), 1);
    }
}
