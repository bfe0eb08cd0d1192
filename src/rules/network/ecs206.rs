//! ECS206: port mappings in a task definition with `networkMode: none`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known;
use crate::rules::util::{container_label, network_mode};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS206",
    name: "port-mappings-without-network",
    family: Family::Network,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Port mappings in a task definition whose network mode is none",
    doc: include_str!("../../../rules/ECS206.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        if network_mode(td) != Some("none") {
            continue;
        }
        for c in td.containers() {
            if let Some(pm) = &c.port_mappings
                && known(&c.port_mappings).is_some_and(|p| !p.is_empty())
            {
                let mut d = ctx.diag(pm.span, format!("{} maps ports, but network mode `none` gives it no network to publish them on", container_label(c)));
                if let Some(m) = &td.network_mode {
                    d = d.with_label(m.span, "network mode is none");
                }
                out.push(d.with_help("remove `portMappings`, or use a network mode with networking (`awsvpc`, `bridge`)"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let td = |mode: &str| {
            format!(
                r#"{{"networkMode": "{mode}", "containerDefinitions": [{{"name": "a", "portMappings": [{{"containerPort": 80}}]}}]}}"#
            )
        };
        assert!(run_json(&super::RULE, &td("awsvpc")).is_empty());
        assert_eq!(run_json(&super::RULE, &td("none")).len(), 1);
    }
}
