//! ECS707: an Auto Scaling group capacity provider with managed scaling but without managed
//! termination protection.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Value;
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS707",
    name: "capacity-provider-without-termination-protection",
    family: Family::Deployment,
    severity: Severity::Info,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Capacity provider with managed scaling but without managed termination protection",
    doc: include_str!("../../../rules/ECS707.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for cp in &ctx.unit.capacity_providers {
        let Some(asg) = &cp.auto_scaling_group_provider else {
            continue;
        };
        if !matches!(asg.value, Value::Known(())) {
            continue;
        }
        // Managed termination protection needs managed scaling: only a provider known to
        // scale is judged.
        let Some(scaling) = cp.managed_scaling_status.as_ref().filter(|s| {
            s.value
                .known()
                .is_some_and(|v| v.eq_ignore_ascii_case("ENABLED"))
        }) else {
            continue;
        };
        // Absent, the setting is DISABLED: point at what makes the rule apply, where the
        // setting belongs next to it.
        let span = match &cp.managed_termination_protection {
            None => scaling.span,
            Some(m) => match m.value.known() {
                Some(v) if v.eq_ignore_ascii_case("DISABLED") => m.span,
                _ => continue,
            },
        };
        out.push(
            ctx.diag(
                span,
                "managed scaling without managed termination protection: a scale-in can terminate instances that still run tasks",
            )
            .with_help("set `managedTerminationProtection: ENABLED` (and turn on instance scale-in protection in the Auto Scaling group)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(extra: &str, scaling: &str) -> String {
        format!(
            "resource \"aws_ecs_capacity_provider\" \"cp\" {{\n  name = \"cp\"\n  auto_scaling_group_provider {{\n    auto_scaling_group_arn = \"arn:aws:autoscaling:eu-west-1:1:autoScalingGroup:x\"\n{extra}\n    managed_scaling {{\n      status = \"{scaling}\"\n    }}\n  }}\n}}\n"
        )
    }

    #[test]
    fn cases() {
        assert_eq!(run_tf(&super::RULE, &tf("", "ENABLED")).len(), 1);
        assert_eq!(
            run_tf(
                &super::RULE,
                &tf(
                    "    managed_termination_protection = \"DISABLED\"",
                    "ENABLED"
                )
            ),
            [
                "5:38 managed scaling without managed termination protection: a scale-in can terminate instances that still run tasks"
            ]
        );
        assert!(
            run_tf(
                &super::RULE,
                &tf(
                    "    managed_termination_protection = \"ENABLED\"",
                    "ENABLED"
                )
            )
            .is_empty()
        );
        assert!(run_tf(&super::RULE, &tf("", "DISABLED")).is_empty());
    }
}
