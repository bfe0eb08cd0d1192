//! ECS601: a load-balanced service without a health-check grace period.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known;
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::start_of;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS601",
    name: "load-balanced-service-without-grace-period",
    family: Family::Health,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Service behind a load balancer without a health-check grace period",
    doc: include_str!("../../../rules/ECS601.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.unit.services {
        if known(&s.load_balancers).is_none_or(|l| l.is_empty()) {
            continue;
        }
        let span = match &s.health_check_grace_period_seconds {
            None => start_of(&s.span),
            Some(g) if g.value.known() == Some(&0) => g.span,
            Some(_) => continue,
        };
        out.push(
            ctx.diag(span, "service behind a load balancer has no health-check grace period: tasks can be stopped as unhealthy before they finish starting")
                .with_help("set `health_check_grace_period_seconds` / `HealthCheckGracePeriodSeconds` to more than the application's start-up time (e.g. 60)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    #[test]
    fn cases() {
        let svc = |grace: &str| {
            format!(
                "resource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n{grace}  load_balancer {{\n    target_group_arn = \"arn:tg\"\n    container_name = \"a\"\n    container_port = 80\n  }}\n}}\n"
            )
        };
        assert!(
            run_tf(
                &super::RULE,
                &svc("  health_check_grace_period_seconds = 60\n")
            )
            .is_empty()
        );
        assert_eq!(run_tf(&super::RULE, &svc("")).len(), 1);
        assert_eq!(
            run_tf(
                &super::RULE,
                &svc("  health_check_grace_period_seconds = 0\n")
            )
            .len(),
            1
        );
    }
}
