//! ECS605: a task definition in which no container is essential.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Value;
use crate::rules::util::{container_label, start_of};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS605",
    name: "no-essential-container",
    family: Family::Health,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "No container of the task definition is essential",
    doc: include_str!("../../../rules/ECS605.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let Some(Value::Known(containers)) = td.container_definitions.as_ref().map(|c| &c.value)
        else {
            continue;
        };
        // Every container must say `essential: false`; an omitted value means true, an
        // unknown one may be true.
        let mut falses = Vec::new();
        for c in containers {
            match c.essential.as_ref().map(|e| (&e.value, &e.span)) {
                Some((Value::Known(false), span)) => falses.push((c, span)),
                _ => {
                    falses.clear();
                    break;
                }
            }
        }
        let Some(((first, first_span), rest)) = falses.split_first() else {
            continue;
        };
        let mut d = ctx
            .diag(
                *(*first_span),
                if rest.is_empty() {
                    format!(
                        "no container is essential: the only one, {}, sets `essential: false`",
                        container_label(first)
                    )
                } else {
                    format!(
                        "no container is essential: {} and every other container set `essential: false`",
                        container_label(first)
                    )
                },
            )
            .with_label(start_of(&td.span), "in this task definition")
            .with_help("mark the container that does the task's work `essential: true` (or leave `essential` out: it defaults to true)");
        for (c, span) in rest {
            d = d.with_label(
                *(*span),
                format!("{} is not essential either", container_label(c)),
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(containers: &str) -> String {
        format!(r#"{{"family": "app", "containerDefinitions": [{containers}]}}"#)
    }

    #[test]
    fn cases() {
        // Omitted essential counts as true.
        assert!(
            run_json(
                &super::RULE,
                &td(r#"{"name": "a", "essential": false}, {"name": "b"}"#)
            )
            .is_empty()
        );
        assert!(run_json(&super::RULE, &td(r#"{"name": "a", "essential": true}"#)).is_empty());
        assert!(run_json(&super::RULE, &td("")).is_empty());
        assert_eq!(
            run_json(
                &super::RULE,
                &td(r#"{"name": "a", "essential": false}, {"name": "b", "essential": false}"#)
            ),
            [
                "1:71 no container is essential: container `a` and every other container set `essential: false`"
            ]
        );
    }
}
