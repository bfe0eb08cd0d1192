//! ECS701: deployment percentages with which a rolling deployment cannot make progress.

use super::{is_replica, is_rolling};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known_spanned;
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS701",
    name: "deployment-cannot-progress",
    family: Family::Deployment,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "minimumHealthyPercent above maximumPercent, or a rolling deployment that can neither start nor stop a task",
    doc: include_str!("../../../rules/ECS701.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.unit.services {
        if !is_replica(s) || !is_rolling(s) {
            continue;
        }
        // Unknown percentages: silent. Unset: the REPLICA defaults (100 / 200).
        let min = match &s.deployment_minimum_healthy_percent {
            None => (100, None),
            Some(f) => match f.value.known() {
                Some(v) => (*v, Some(&f.span)),
                None => continue,
            },
        };
        let max = match &s.deployment_maximum_percent {
            None => (200, None),
            Some(f) => match f.value.known() {
                Some(v) => (*v, Some(&f.span)),
                None => continue,
            },
        };
        let Some(at) = max.1.or(min.1) else { continue };
        if min.0 > max.0 {
            let mut d = ctx.diag(
                *at,
                format!(
                    "minimumHealthyPercent {} is above maximumPercent {}",
                    min.0, max.0
                ),
            );
            if let (Some(m), Some(_)) = (min.1, max.1) {
                d = d.with_label(*m, "minimum is declared here");
            }
            out.push(
                d.with_help("keep minimumHealthyPercent ≤ 100 ≤ maximumPercent, e.g. 100 / 200"),
            );
            continue;
        }
        // ECS can start a task when floor(N·max/100) > N and stop one when ceil(N·min/100) < N.
        let stuck =
            |n: u64| (n * u64::from(max.0)) / 100 <= n && (n * u64::from(min.0)).div_ceil(100) >= n;
        let reason = match known_spanned(&s.desired_count).map(|(n, _)| u64::from(*n)) {
            Some(0) => continue,
            Some(n) if stuck(n) => format!(
                "with {n} desired task{}, minimumHealthyPercent {} and maximumPercent {} leave no room to start or stop a task: deployments cannot progress",
                if n == 1 { "" } else { "s" },
                min.0,
                max.0
            ),
            None if max.0 <= 100 && min.0 >= 100 => format!(
                "minimumHealthyPercent {} and maximumPercent {} leave no room to start or stop a task: deployments cannot progress",
                min.0, max.0
            ),
            _ => continue,
        };
        out.push(ctx.diag(*at, reason).with_help("allow headroom: maximumPercent 200 (start new tasks first) or minimumHealthyPercent below 100 (stop old tasks first)"));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn svc(min: u32, max: u32, desired: u32) -> String {
        format!(
            "resource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n  desired_count = {desired}\n  deployment_minimum_healthy_percent = {min}\n  deployment_maximum_percent = {max}\n}}\n"
        )
    }

    #[test]
    fn cases() {
        assert!(run_tf(&super::RULE, &svc(100, 200, 2)).is_empty());
        assert!(run_tf(&super::RULE, &svc(50, 100, 2)).is_empty());
        assert_eq!(run_tf(&super::RULE, &svc(150, 100, 2)).len(), 1);
        assert_eq!(run_tf(&super::RULE, &svc(100, 100, 2)).len(), 1);
        // ecs-limits.md: desired 2 with min 75 cannot stop; with max 100 cannot start.
        assert_eq!(run_tf(&super::RULE, &svc(75, 100, 2)).len(), 1);
        // desired 3 with max 125 cannot start; min 50 can stop.
        assert!(run_tf(&super::RULE, &svc(50, 125, 3)).is_empty());
    }
}
