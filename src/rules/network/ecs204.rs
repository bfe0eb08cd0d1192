//! ECS204: a service (or a task set) assigns public IP addresses to its tasks.

use super::SERVICE_FORMATS;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known_spanned;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS204",
    name: "service-public-ip",
    family: Family::Network,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Service or task set assigns public IPs to its tasks",
    doc: include_str!("../../../rules/ECS204.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for s in &ctx.unit.services {
        if let Some((true, span)) = known_spanned(&s.assign_public_ip).map(|(v, sp)| (*v, sp)) {
            out.push(
                ctx.diag(*span, "tasks of this service get public IP addresses: reachable from the internet wherever their security groups allow")
                    .with_help("run tasks in private subnets with `assign_public_ip = false` / `AssignPublicIp: DISABLED`, behind a load balancer or NAT"),
            );
        }
    }
    // Task sets (EXTERNAL deployment controller) carry their own network configuration.
    for t in &ctx.unit.task_sets {
        if let Some((true, span)) = known_spanned(&t.assign_public_ip).map(|(v, sp)| (*v, sp)) {
            out.push(
                ctx.diag(*span, "tasks of this task set get public IP addresses: reachable from the internet wherever their security groups allow")
                    .with_help("run tasks in private subnets with `assign_public_ip = false` / `AssignPublicIp: DISABLED`, behind a load balancer or NAT"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    #[test]
    fn cases() {
        let svc = |v: &str| {
            format!(
                "resource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n  network_configuration {{\n    subnets = [\"a\"]\n    assign_public_ip = {v}\n  }}\n}}\n"
            )
        };
        assert!(run_tf(&super::RULE, &svc("false")).is_empty());
        assert_eq!(run_tf(&super::RULE, &svc("true")).len(), 1);
        let task_set = |v: &str| {
            format!(
                "resource \"aws_ecs_task_set\" \"t\" {{\n  service = \"s\"\n  cluster = \"c\"\n  task_definition = \"t:1\"\n  network_configuration {{\n    subnets = [\"a\"]\n    assign_public_ip = {v}\n  }}\n}}\n"
            )
        };
        assert!(run_tf(&super::RULE, &task_set("false")).is_empty());
        assert!(run_tf(&super::RULE, &task_set("var.x")).is_empty());
        assert_eq!(run_tf(&super::RULE, &task_set("true")).len(), 1);
    }
}
