//! ECS203: `host` network mode shares the host's network stack.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS203",
    name: "host-network-mode",
    family: Family::Network,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Task definition uses the host network mode",
    doc: include_str!("../../../rules/ECS203.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        if let Some(m) = &td.network_mode
            && m.value.known().is_some_and(|v| v == "host")
        {
            out.push(
                ctx.diag(m.span, "network mode `host` shares the container instance's network stack: no isolation, and port conflicts between tasks")
                    .with_help("use `awsvpc` (an ENI per task, security groups per service) or `bridge`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        assert!(
            run_json(
                &super::RULE,
                r#"{"networkMode": "awsvpc", "containerDefinitions": []}"#
            )
            .is_empty()
        );
        assert_eq!(
            run_json(
                &super::RULE,
                r#"{"networkMode": "host", "containerDefinitions": []}"#
            )
            .len(),
            1
        );
    }
}
