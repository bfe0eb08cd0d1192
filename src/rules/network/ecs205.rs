//! ECS205: a service whose task definition uses `awsvpc` has no network configuration.

use super::SERVICE_FORMATS;
use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::rules::util::{network_mode, start_of};
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS205",
    name: "awsvpc-service-without-network-configuration",
    family: Family::Network,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Service of an awsvpc task definition has no network configuration",
    doc: include_str!("../../../rules/ECS205.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.unit.services {
        if s.network_configuration.is_some() {
            continue;
        }
        let Some(td) = link::task_definition_of(ctx.unit, s) else {
            continue;
        };
        if network_mode(td) != Some("awsvpc") {
            continue;
        }
        let mut d = ctx.diag(start_of(&s.span), "service runs an `awsvpc` task definition but has no network configuration (subnets, security groups)");
        if let Some(m) = &td.network_mode {
            d = d.with_label(m.span, "the task definition uses awsvpc here");
        }
        out.push(d.with_help("add `network_configuration { subnets = [...], security_groups = [...] }` / `NetworkConfiguration.AwsvpcConfiguration`"));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    #[test]
    fn cases() {
        let tf = |net: &str| {
            format!(
                "resource \"aws_ecs_task_definition\" \"t\" {{\n  family = \"t\"\n  network_mode = \"awsvpc\"\n  container_definitions = jsonencode([])\n}}\nresource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n  task_definition = aws_ecs_task_definition.t.arn\n{net}}}\n"
            )
        };
        assert!(
            run_tf(
                &super::RULE,
                &tf("  network_configuration {\n    subnets = [\"a\"]\n  }\n")
            )
            .is_empty()
        );
        assert_eq!(run_tf(&super::RULE, &tf("")).len(), 1);
    }
}
