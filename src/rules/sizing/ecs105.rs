//! ECS105: more than 10 containers in one task definition.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::util::container_anchor;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS105",
    name: "too-many-containers",
    family: Family::Sizing,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "More than 10 containers in one task definition",
    doc: include_str!("../../../rules/ECS105.md"),
    check,
};

const MAX_CONTAINERS: usize = 10;

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let containers = td.containers();
        if containers.len() > MAX_CONTAINERS {
            out.push(
                ctx.diag(
                    container_anchor(&containers[MAX_CONTAINERS]),
                    format!(
                        "{} containers in one task definition; the limit is {MAX_CONTAINERS}",
                        containers.len()
                    ),
                )
                .with_label(
                    crate::rules::util::start_of(&td.span),
                    "in this task definition",
                )
                .with_help(
                    "split the task into several task definitions (services), or merge sidecars",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(n: usize) -> String {
        let cs: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"name": "c{i}", "image": "x:1"}}"#))
            .collect();
        format!(r#"{{"containerDefinitions": [{}]}}"#, cs.join(", "))
    }

    #[test]
    fn cases() {
        assert!(run_json(&super::RULE, &td(10)).is_empty());
        assert_eq!(run_json(&super::RULE, &td(11)).len(), 1);
    }
}
