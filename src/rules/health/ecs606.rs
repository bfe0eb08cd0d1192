//! ECS606: a container with a dynamic host port (bridge mode, `hostPort` 0 or unset) registered
//! with a target group of the unit whose health check probes a fixed port.

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::{Value, known};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::{container_label, is_windows, network_mode, runs_on_fargate, start_of};
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS606",
    name: "dynamic-port-health-check-port",
    family: Family::Health,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Target group health-checks a fixed port while the container gets a dynamic host port",
    doc: include_str!("../../../rules/ECS606.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for s in &unit.services {
        let Some(lbs) = known(&s.load_balancers) else {
            continue;
        };
        let Some(td) = link::task_definition_of(unit, s) else {
            continue;
        };
        // Dynamic host ports exist in bridge mode only (the Linux default on EC2).
        let bridge = match &td.network_mode {
            None => !td.is_fargate() && !is_windows(td) && !runs_on_fargate(unit, s),
            Some(_) => network_mode(td) == Some("bridge"),
        };
        if !bridge {
            continue;
        }
        for lb in lbs {
            let Some(Value::Ref { target, .. }) = lb.target_group_arn.as_ref().map(|t| &t.value)
            else {
                continue;
            };
            let Some(tg) = unit.target_groups.iter().find(|g| &g.name == target) else {
                continue;
            };
            let Some((port, port_span)) = tg
                .health_check_port
                .as_ref()
                .and_then(|p| p.value.known().map(|v| (v, &p.span)))
            else {
                continue;
            };
            if port.eq_ignore_ascii_case("traffic-port") {
                continue;
            }
            let (Some(name), Some(container_port)) =
                (known(&lb.container_name), known(&lb.container_port))
            else {
                continue;
            };
            let Some(c) = td
                .containers()
                .iter()
                .find(|c| known(&c.name).is_some_and(|n| n == name))
            else {
                continue;
            };
            let Some(mapping) = known(&c.port_mappings).and_then(|ms| {
                ms.iter()
                    .find(|m| known(&m.container_port) == Some(container_port))
            }) else {
                continue;
            };
            // Dynamic: `hostPort` 0 or not set; an unknown host port is not judged.
            let host_anchor = match &mapping.host_port {
                None => start_of(&mapping.span),
                Some(h) if matches!(h.value, Value::Known(0)) => h.span,
                Some(_) => continue,
            };
            out.push(
                ctx.diag(
                    *port_span,
                    format!("the target group health-checks port {port}, but {} gets a dynamic host port: each task listens on another port, so the check never reaches it", container_label(c)),
                )
                .with_label(host_anchor, format!("dynamic host port for container port {container_port}"))
                .with_label(start_of(&lb.span), "the service registers the container with this target group")
                .with_help("use `traffic-port` (the default) for the health-check port, or map a fixed host port"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(port: &str, host: &str) -> String {
        format!(
            r#"resource "aws_lb_target_group" "tg" {{
  port = 80
  protocol = "HTTP"
  health_check {{
    port = "{port}"
  }}
}}
resource "aws_ecs_task_definition" "t" {{
  family = "t"
  container_definitions = jsonencode([{{ name = "web", image = "a:1", memory = 256, portMappings = [{{ containerPort = 8080{host} }}] }}])
}}
resource "aws_ecs_service" "s" {{
  name = "s"
  task_definition = aws_ecs_task_definition.t.arn
  load_balancer {{
    target_group_arn = aws_lb_target_group.tg.arn
    container_name = "web"
    container_port = 8080
  }}
}}
"#
        )
    }

    #[test]
    fn cases() {
        assert_eq!(run_tf(&super::RULE, &tf("8080", "")).len(), 1);
        assert_eq!(run_tf(&super::RULE, &tf("8080", ", hostPort = 0")).len(), 1);
        assert!(run_tf(&super::RULE, &tf("traffic-port", "")).is_empty());
        assert!(run_tf(&super::RULE, &tf("8080", ", hostPort = 8080")).is_empty());
    }
}
