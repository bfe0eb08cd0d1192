//! ECS702: a replica service whose deployments may stop every task.

use super::{is_replica, is_rolling};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known;
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS702",
    name: "deployment-allows-outage",
    family: Family::Deployment,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "minimumHealthyPercent of 0 on a replica service with running tasks",
    doc: include_str!("../../../rules/ECS702.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.unit.services {
        if !is_replica(s) || !is_rolling(s) || known(&s.desired_count).is_none_or(|&n| n == 0) {
            continue;
        }
        if let Some(min) = &s.deployment_minimum_healthy_percent
            && min.value.known() == Some(&0)
        {
            out.push(
                ctx.diag(min.span, "minimumHealthyPercent 0 lets a deployment stop every running task before new ones are healthy: an outage on every deploy")
                    .with_help("use 50 or 100 (with maximumPercent 200), so old tasks serve until new ones pass their health checks"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    #[test]
    fn cases() {
        let svc = |min: u32| {
            format!(
                "resource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n  desired_count = 2\n  deployment_minimum_healthy_percent = {min}\n}}\n"
            )
        };
        assert!(run_tf(&super::RULE, &svc(50)).is_empty());
        assert_eq!(run_tf(&super::RULE, &svc(0)).len(), 1);
    }
}
