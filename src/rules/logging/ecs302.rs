//! ECS302: the `awslogs` driver lacks a required option.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known;
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS302",
    name: "awslogs-missing-option",
    family: Family::Logging,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "awslogs log driver without awslogs-group, awslogs-region (or, on Fargate, awslogs-stream-prefix)",
    doc: include_str!("../../../rules/ECS302.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let fargate = td.is_fargate();
        for c in td.containers() {
            let Some(log) = known(&c.log_configuration) else {
                continue;
            };
            let Some(driver) = &log.log_driver else {
                continue;
            };
            if driver.value.known().is_none_or(|d| d != "awslogs") {
                continue;
            }
            // Options that cannot be known might hold anything: stay silent.
            if log
                .options
                .as_ref()
                .is_some_and(|o| o.value.known().is_none())
            {
                continue;
            }
            let mut required = vec!["awslogs-group", "awslogs-region"];
            if fargate {
                required.push("awslogs-stream-prefix");
            }
            let missing: Vec<&str> = required
                .into_iter()
                .filter(|o| log.option(o).is_none())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                ctx.diag(driver.span, format!("{}: the awslogs driver needs {list}", container_label(c)))
                    .with_help(if fargate {
                        "on Fargate the awslogs driver needs awslogs-group, awslogs-region and awslogs-stream-prefix"
                    } else {
                        "the awslogs driver needs awslogs-group and awslogs-region"
                    }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let td = |opts: &str| {
            format!(
                r#"{{"requiresCompatibilities": ["FARGATE"], "containerDefinitions": [{{"name": "a", "logConfiguration": {{"logDriver": "awslogs", "options": {{{opts}}}}}}}]}}"#
            )
        };
        assert!(
            run_json(
                &super::RULE,
                &td(r#""awslogs-group": "g", "awslogs-region": "r", "awslogs-stream-prefix": "p""#)
            )
            .is_empty()
        );
        assert_eq!(
            run_json(&super::RULE, &td(r#""awslogs-group": "g""#)),
            [
                "1:115 container `a`: the awslogs driver needs `awslogs-region`, `awslogs-stream-prefix`"
            ]
        );
    }
}
