//! ECS210: a task definition on EC2 that does not use `awsvpc` (opt-in).

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::{TaskDefinition, Unit, Value};
use crate::rules::util::{runs_on_fargate, start_of};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS210",
    name: "non-awsvpc-network-mode",
    family: Family::Network,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: ALL_FORMATS,
    summary: "Task definition does not use the awsvpc network mode",
    doc: include_str!("../../../rules/ECS210.md"),
    check,
};

/// Fargate task definitions are ECS201's; EXTERNAL (ECS Anywhere) cannot use awsvpc; unknown
/// compatibilities may be either.
fn applies(unit: &Unit, td: &TaskDefinition) -> bool {
    let compatible = match td.requires_compatibilities.as_ref().map(|c| &c.value) {
        None => true,
        Some(Value::Known(c)) => !c
            .iter()
            .any(|c| c.eq_ignore_ascii_case("FARGATE") || c.eq_ignore_ascii_case("EXTERNAL")),
        Some(_) => false,
    };
    compatible && !link::services_of(unit, td).any(|s| runs_on_fargate(unit, s))
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        if !applies(ctx.unit, td) {
            continue;
        }
        let d = match &td.network_mode {
            None => ctx.diag(
                start_of(&td.span),
                "task definition without `networkMode` uses `bridge`: its tasks share the instance's security groups and need port mappings",
            ),
            Some(m) => match m.value.known().map(String::as_str) {
                // `host` is ECS203's finding; `none` has no network to isolate.
                Some(mode @ ("bridge" | "default")) => ctx.diag(
                    m.span,
                    format!("network mode `{mode}`: the tasks share the instance's network interface and security groups"),
                ),
                _ => continue,
            },
        };
        out.push(d.with_help(
            "use `networkMode: awsvpc`: each task gets its own network interface and the service its own security groups",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(extra: &str) -> String {
        format!(
            r#"{{"family": "a"{extra}, "containerDefinitions": [{{"name": "a", "image": "a:1"}}]}}"#
        )
    }

    #[test]
    fn cases() {
        assert_eq!(run_json(&super::RULE, &td("")).len(), 1);
        assert_eq!(
            run_json(&super::RULE, &td(r#", "networkMode": "bridge""#)).len(),
            1
        );
        for extra in [
            r#", "networkMode": "awsvpc""#,
            r#", "networkMode": "host""#,
            r#", "networkMode": "none""#,
            r#", "requiresCompatibilities": ["FARGATE"]"#,
            r#", "requiresCompatibilities": ["EXTERNAL"], "networkMode": "bridge""#,
        ] {
            assert!(run_json(&super::RULE, &td(extra)).is_empty(), "{extra}");
        }
    }
}
