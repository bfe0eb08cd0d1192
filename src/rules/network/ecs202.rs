//! ECS202: with `awsvpc`, `hostPort` must be absent or equal to `containerPort`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{known, known_spanned};
use crate::rules::util::network_mode;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS202",
    name: "awsvpc-host-port-mismatch",
    family: Family::Network,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "awsvpc port mapping with a hostPort different from its containerPort",
    doc: include_str!("../../../rules/ECS202.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        if network_mode(td) != Some("awsvpc") {
            continue;
        }
        for c in td.containers() {
            for pm in known(&c.port_mappings).map_or(&[][..], Vec::as_slice) {
                if let (Some((&host, span)), Some(&container)) =
                    (known_spanned(&pm.host_port), known(&pm.container_port))
                    && host != container
                {
                    out.push(
                        ctx.diag(*span, format!("with network mode `awsvpc`, hostPort {host} must equal containerPort {container}"))
                            .with_help(format!("remove `hostPort` (it defaults to the container port) or set it to {container}")),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(mode: &str) -> String {
        format!(
            r#"{{"networkMode": "{mode}", "containerDefinitions": [{{"name": "a", "portMappings": [{{"containerPort": 80, "hostPort": 8080}}]}}]}}"#
        )
    }

    #[test]
    fn cases() {
        assert!(run_json(&super::RULE, &td("bridge")).is_empty());
        assert_eq!(
            run_json(&super::RULE, &td("awsvpc")),
            ["1:117 with network mode `awsvpc`, hostPort 8080 must equal containerPort 80"]
        );
    }
}
