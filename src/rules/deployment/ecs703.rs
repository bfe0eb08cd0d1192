//! ECS703: a replica service with a single task.

use super::is_replica;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known_spanned;
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS703",
    name: "single-task-service",
    family: Family::Deployment,
    severity: Severity::Info,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Replica service with a desired count below 2",
    doc: include_str!("../../../rules/ECS703.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.unit.services {
        if !is_replica(s) {
            continue;
        }
        // 0 is a deliberate "scaled to zero" (or an autoscaled placeholder): not reported.
        if let Some((1, span)) = known_spanned(&s.desired_count).map(|(n, sp)| (*n, sp)) {
            out.push(
                ctx.diag(*span, "a single task: no redundancy across Availability Zones, and any task replacement is downtime")
                    .with_help("run at least 2 tasks (spread over subnets in different AZs) for anything that must stay up"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    #[test]
    fn cases() {
        let svc = |n: u32| {
            format!(
                "resource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n  desired_count = {n}\n}}\n"
            )
        };
        assert!(run_tf(&super::RULE, &svc(2)).is_empty());
        assert!(run_tf(&super::RULE, &svc(0)).is_empty());
        assert_eq!(run_tf(&super::RULE, &svc(1)).len(), 1);
    }
}
