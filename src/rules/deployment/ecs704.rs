//! ECS704: a rolling deployment without the deployment circuit breaker.

use super::is_rolling;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::start_of;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS704",
    name: "no-deployment-circuit-breaker",
    family: Family::Deployment,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Rolling deployment without the deployment circuit breaker",
    doc: include_str!("../../../rules/ECS704.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.unit.services {
        if !is_rolling(s) {
            continue;
        }
        let span = match &s.deployment_circuit_breaker_enable {
            None => start_of(&s.span),
            Some(e) if e.value.known() == Some(&false) => e.span,
            Some(_) => continue,
        };
        out.push(
            ctx.diag(span, "rolling deployment without the deployment circuit breaker: a revision that never becomes healthy is retried forever instead of rolled back")
                .with_help("enable it with rollback: `deployment_circuit_breaker { enable = true, rollback = true }` / `DeploymentCircuitBreaker: {Enable: true, Rollback: true}`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    #[test]
    fn cases() {
        let svc =
            |cb: &str| format!("resource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n{cb}}}\n");
        assert!(
            run_tf(
                &super::RULE,
                &svc(
                    "  deployment_circuit_breaker {\n    enable = true\n    rollback = true\n  }\n"
                )
            )
            .is_empty()
        );
        assert!(
            run_tf(
                &super::RULE,
                &svc("  deployment_controller {\n    type = \"CODE_DEPLOY\"\n  }\n")
            )
            .is_empty()
        );
        assert_eq!(run_tf(&super::RULE, &svc("")).len(), 1);
        assert_eq!(run_tf(&super::RULE, &svc("  deployment_circuit_breaker {\n    enable = false\n    rollback = false\n  }\n")).len(), 1);
    }
}
