//! ECS304: a Fargate task uses a log driver Fargate does not support.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known;
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS304",
    name: "fargate-unsupported-log-driver",
    family: Family::Logging,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Fargate task uses a log driver Fargate does not support",
    doc: include_str!("../../../rules/ECS304.md"),
    check,
};

const FARGATE_DRIVERS: [&str; 3] = ["awslogs", "splunk", "awsfirelens"];

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        if !td.is_fargate() {
            continue;
        }
        for c in td.containers() {
            let Some(log) = known(&c.log_configuration) else {
                continue;
            };
            let Some(driver) = &log.log_driver else {
                continue;
            };
            let Some(name) = driver.value.known() else {
                continue;
            };
            if !FARGATE_DRIVERS.contains(&name.as_str()) {
                out.push(
                    ctx.diag(driver.span, format!("{}: Fargate does not support the `{name}` log driver", container_label(c)))
                        .with_help("use `awslogs`, `splunk`, or `awsfirelens` (FireLens can forward to most destinations)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let td = |d: &str| {
            format!(
                r#"{{"requiresCompatibilities": ["FARGATE"], "containerDefinitions": [{{"name": "a", "logConfiguration": {{"logDriver": "{d}"}}}}]}}"#
            )
        };
        assert!(run_json(&super::RULE, &td("awsfirelens")).is_empty());
        assert_eq!(
            run_json(&super::RULE, &td("json-file")),
            ["1:115 container `a`: Fargate does not support the `json-file` log driver"]
        );
    }
}
