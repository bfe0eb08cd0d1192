//! ECS607: an essential container without a container health check (opt-in).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Value;
use crate::rules::util::{container_anchor, container_label};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS607",
    name: "container-without-health-check",
    family: Family::Health,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: ALL_FORMATS,
    summary: "Essential container without a container health check",
    doc: include_str!("../../../rules/ECS607.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let Some(Value::Known(containers)) = td.container_definitions.as_ref().map(|c| &c.value)
        else {
            continue;
        };
        for c in containers {
            // Omitted `essential` is true; an unknown one is not judged.
            let essential = match &c.essential {
                None => true,
                Some(e) => matches!(e.value, Value::Known(true)),
            };
            if !essential || c.health_check.is_some() {
                continue;
            }
            out.push(
                ctx.diag(
                    container_anchor(c),
                    format!(
                        "essential {} has no `healthCheck`: ECS sees it healthy as long as its process runs",
                        container_label(c)
                    ),
                )
                .with_help("add a `healthCheck` (e.g. [\"CMD-SHELL\", \"curl -f http://localhost:8080/health || exit 1\"])"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(container: &str) -> String {
        format!(
            r#"{{"family": "a", "containerDefinitions": [{{"name": "a", "image": "a:1"{container}}}]}}"#
        )
    }

    #[test]
    fn cases() {
        assert_eq!(run_json(&super::RULE, &td("")).len(), 1);
        assert_eq!(
            run_json(&super::RULE, &td(r#", "essential": true"#)).len(),
            1
        );
        assert!(run_json(&super::RULE, &td(r#", "essential": false"#)).is_empty());
        assert!(
            run_json(
                &super::RULE,
                &td(r#", "healthCheck": {"command": ["CMD", "true"]}"#)
            )
            .is_empty()
        );
    }
}
