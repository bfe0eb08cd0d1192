//! ECS301: a container has no `logConfiguration`, so its output goes nowhere you can read.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};
use crate::source::Span;

pub static RULE: Rule = Rule {
    id: "ECS301",
    name: "container-without-logging",
    family: Family::Logging,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Container has no log configuration",
    doc: include_str!("../../../rules/ECS301.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for container in td.containers() {
            if container.log_configuration.is_some() {
                continue;
            }
            // Point at the container's name: the line a person scrolls to and edits below.
            let (span, label) = match &container.name {
                Some(name) => (
                    name.span,
                    known(&container.name)
                        .map_or_else(|| "container".to_owned(), |n| format!("container `{n}`")),
                ),
                None => (
                    Span {
                        file: container.span.file,
                        range: (container.span.range.start..container.span.range.start + 1).into(),
                    },
                    "container".to_owned(),
                ),
            };
            out.push(
                ctx.diag(span, format!("{label} has no `logConfiguration`; its output is lost"))
                    .with_help("add a `logConfiguration` with the `awslogs` driver (group, region, stream prefix) or FireLens"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn passes() {
        let ok = r#"{"containerDefinitions": [{"name": "app", "image": "a:1",
            "logConfiguration": {"logDriver": "awslogs", "options": {}}}]}"#;
        assert!(run_json(&super::RULE, ok).is_empty());
    }

    #[test]
    fn fails() {
        let bad = r#"{"containerDefinitions": [
  {"name": "app", "image": "a:1"}]}"#;
        assert_eq!(
            run_json(&super::RULE, bad),
            ["2:12 container `app` has no `logConfiguration`; its output is lost"]
        );
    }
}
