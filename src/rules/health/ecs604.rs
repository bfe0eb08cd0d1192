//! ECS604: an essential container of a service nothing health-checks.

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::{Value, known};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::{container_anchor, container_label};
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS604",
    name: "unchecked-essential-container",
    family: Family::Health,
    severity: Severity::Info,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Essential container of a service with no load balancer and no container health check",
    doc: include_str!("../../../rules/ECS604.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.unit.services {
        let no_lb = match &s.load_balancers {
            None => true,
            Some(l) => matches!(&l.value, Value::Known(v) if v.is_empty()),
        };
        if !no_lb {
            continue;
        }
        let Some(td) = link::task_definition_of(ctx.unit, s) else {
            continue;
        };
        if known(&td.container_definitions).is_none() {
            continue;
        }
        for c in td.containers() {
            let essential = match &c.essential {
                None => true,
                Some(e) => match e.value.known() {
                    Some(v) => *v,
                    None => continue,
                },
            };
            if essential && c.health_check.is_none() {
                out.push(
                    ctx.diag(container_anchor(c), format!("essential {} has no health check, and its service has no load balancer: a hung task looks healthy", container_label(c)))
                        .with_label(crate::rules::util::start_of(&s.span), "the service")
                        .with_help("add a `healthCheck` (e.g. [\"CMD-SHELL\", \"curl -f http://localhost:8080/health || exit 1\"])"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    #[test]
    fn cases() {
        let tf = |hc: &str| {
            format!(
                "resource \"aws_ecs_task_definition\" \"t\" {{\n  family = \"t\"\n  container_definitions = jsonencode([{{ name = \"a\", image = \"a:1\"{hc} }}])\n}}\nresource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n  task_definition = aws_ecs_task_definition.t.arn\n}}\n"
            )
        };
        assert!(
            run_tf(
                &super::RULE,
                &tf(", healthCheck = { command = [\"CMD\", \"true\"] }")
            )
            .is_empty()
        );
        assert_eq!(run_tf(&super::RULE, &tf("")).len(), 1);
    }
}
