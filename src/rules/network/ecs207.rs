//! ECS207: a security group attached to a service admits `0.0.0.0/0` or `::/0` on the ports its
//! containers listen on, or on every port.

use super::SERVICE_FORMATS;
use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::{IngressRule, SecurityGroup, Service, Unit, Value, known};
use crate::rules::{Family, Rule, RuleCtx};
use crate::source::Span;

pub static RULE: Rule = Rule {
    id: "ECS207",
    name: "service-security-group-open-ingress",
    family: Family::Network,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Security group of a service admits the whole internet",
    doc: include_str!("../../../rules/ECS207.md"),
    check,
};

/// What a rule's protocol and ports admit.
enum Ports {
    All,
    Range(i64, i64),
}

fn ports(rule: &IngressRule) -> Option<Ports> {
    let protocol = known(&rule.protocol)?.to_ascii_lowercase();
    let (from, to) = (
        known(&rule.from_port).copied(),
        known(&rule.to_port).copied(),
    );
    match protocol.as_str() {
        "-1" | "all" => Some(Ports::All),
        "tcp" | "6" | "udp" | "17" => {
            let (from, to) = (from?, to?);
            if (from <= 0 && to >= 65535) || (from == -1 && to == -1) {
                Some(Ports::All)
            } else {
                Some(Ports::Range(from, to))
            }
        }
        // ICMP types, other protocols: no container port to compare.
        _ => None,
    }
}

fn is_internet(cidr: &Value<String>) -> Option<&'static str> {
    match cidr.known().map(|c| c.trim()) {
        Some("0.0.0.0/0") => Some("0.0.0.0/0"),
        Some("::/0") => Some("::/0"),
        _ => None,
    }
}

/// Does this group-valued item name `sg`?
fn names(item: &Value<String>, sg: &SecurityGroup) -> bool {
    matches!(item, Value::Ref { target, .. } if target == &sg.name)
}

/// The services of the unit whose awsvpc configuration lists `sg`, with that list item.
fn services_of<'a>(unit: &'a Unit, sg: &SecurityGroup) -> Vec<(&'a Service, Span)> {
    unit.services
        .iter()
        .filter_map(|s| {
            let items = known(&s.security_groups)?;
            items
                .iter()
                .find(|i| names(&i.value, sg))
                .map(|i| (s, i.span))
        })
        .collect()
}

/// Ingress rules of `sg`: inline ones (when the list is known) and standalone ones that name
/// it.
fn rules_of<'a>(unit: &'a Unit, sg: &'a SecurityGroup) -> Vec<&'a IngressRule> {
    let inline = known(&sg.ingress).map_or(&[][..], Vec::as_slice).iter();
    let standalone = unit.ingress_rules.iter().filter(|r| {
        r.group.as_ref().is_some_and(|g| names(&g.value, sg))
            && match &r.rule_type {
                None => true,
                Some(t) => t.value.known().is_some_and(|t| t == "ingress"),
            }
    });
    inline.chain(standalone).collect()
}

fn service_label(s: &Service) -> String {
    match known(&s.service_name) {
        Some(n) => format!("service `{n}`"),
        // The resource's own address, without the module path, so that the instances of one
        // module share one finding.
        None => {
            let parts: Vec<&str> = s.name.split('.').collect();
            format!(
                "service `{}`",
                parts[parts.len().saturating_sub(2)..].join(".")
            )
        }
    }
}

/// The first container port in `from..=to` among the services' task definitions: the port, a
/// label for its container and the service.
fn listening<'a>(
    unit: &'a Unit,
    services: &[(&'a Service, Span)],
    from: i64,
    to: i64,
) -> Option<(i64, String, &'a Service)> {
    for (s, _) in services {
        let Some(td) = link::task_definition_of(unit, s) else {
            continue;
        };
        for c in td.containers() {
            for p in known(&c.port_mappings).map_or(&[][..], Vec::as_slice) {
                // In awsvpc mode the host port is the container port.
                if let Some(port) = known(&p.container_port).map(|p| i64::from(*p))
                    && (from..=to).contains(&port)
                {
                    return Some((port, crate::rules::util::container_label(c), s));
                }
            }
        }
    }
    None
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for sg in &unit.security_groups {
        let services = services_of(unit, sg);
        let Some((first, first_item)) = services.first() else {
            continue;
        };
        for rule in rules_of(unit, sg) {
            let Some(ports) = ports(rule) else {
                continue;
            };
            for cidr in &rule.cidrs {
                let Some(range) = is_internet(&cidr.value) else {
                    continue;
                };
                let mut d = match ports {
                    Ports::All => {
                        let mut d = ctx.diag(
                            cidr.span,
                            format!(
                                "security group admits {range} on every port, and {} runs in it",
                                service_label(first)
                            ),
                        );
                        d.severity = Severity::Error;
                        d.with_label(*first_item, "the service's security group")
                    }
                    Ports::Range(from, to) => {
                        let Some((port, container, s)) = listening(unit, &services, from, to)
                        else {
                            continue;
                        };
                        let item = services
                            .iter()
                            .find(|(x, _)| std::ptr::eq(*x, s))
                            .map_or(first_item, |(_, i)| i);
                        ctx.diag(
                            cidr.span,
                            format!("security group admits {range} on port {port}, where {container} of {} listens", service_label(s)),
                        )
                        .with_label(*item, "the service's security group")
                    }
                };
                d = d.with_help("admit only the load balancer's security group (`source_security_group_id`, `SourceSecurityGroupId`) or the address ranges that need access");
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(ingress: &str, sg: &str) -> String {
        format!(
            r#"variable "cidr" {{}}
resource "aws_security_group" "svc" {{
  name = "svc"
{ingress}
}}
resource "aws_ecs_task_definition" "t" {{
  family = "t"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{{ name = "a", image = "a:1", portMappings = [{{ containerPort = 8080 }}] }}])
}}
resource "aws_ecs_service" "s" {{
  name = "s"
  task_definition = aws_ecs_task_definition.t.arn
  network_configuration {{
    subnets = ["a"]
    security_groups = [{sg}]
  }}
}}
"#
        )
    }

    fn ingress(from: i64, to: i64, protocol: &str, cidr: &str) -> String {
        format!(
            "  ingress {{\n    from_port = {from}\n    to_port = {to}\n    protocol = \"{protocol}\"\n    cidr_blocks = [{cidr}]\n  }}"
        )
    }

    #[test]
    fn cases() {
        let sg = "aws_security_group.svc.id";
        let open = "\"0.0.0.0/0\"";
        assert_eq!(
            run_tf(&super::RULE, &tf(&ingress(8080, 8080, "tcp", open), sg)),
            [
                "8:20 security group admits 0.0.0.0/0 on port 8080, where container `a` of service `s` listens"
            ]
        );
        assert_eq!(
            run_tf(&super::RULE, &tf(&ingress(0, 0, "-1", open), sg)).len(),
            1
        );
        assert_eq!(
            run_tf(&super::RULE, &tf(&ingress(0, 65535, "tcp", open), sg)).len(),
            1
        );
        // Another port than the containers', a private range, an unknown range, no service.
        assert!(run_tf(&super::RULE, &tf(&ingress(443, 443, "tcp", open), sg)).is_empty());
        assert!(
            run_tf(
                &super::RULE,
                &tf(&ingress(8080, 8080, "tcp", "\"10.0.0.0/8\""), sg)
            )
            .is_empty()
        );
        assert!(
            run_tf(
                &super::RULE,
                &tf(&ingress(8080, 8080, "tcp", "var.cidr"), sg)
            )
            .is_empty()
        );
        assert!(run_tf(&super::RULE, &tf(&ingress(0, 0, "-1", open), "\"sg-1\"")).is_empty());
    }
}
