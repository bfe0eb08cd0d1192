//! ECS309: a log configuration that sets `mode: blocking` (opt-in).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Value, known};
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS309",
    name: "awslogs-blocking-mode",
    family: Family::Logging,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: ALL_FORMATS,
    summary: "Log configuration sets the blocking delivery mode",
    doc: include_str!("../../../rules/ECS309.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            let Some(log) = known(&c.log_configuration) else {
                continue;
            };
            let Some(mode) = log.option("mode").and_then(|kv| kv.value.as_ref()) else {
                continue;
            };
            let Value::Known(m) = &mode.value else {
                continue;
            };
            if !m.eq_ignore_ascii_case("blocking") {
                continue;
            }
            let driver = known(&log.log_driver).map_or("log", String::as_str);
            out.push(
                ctx.diag(
                    mode.span,
                    format!(
                        "{}: the {driver} driver is in blocking mode: when logs cannot be delivered, the application's writes to stdout/stderr block",
                        container_label(c)
                    ),
                )
                .with_help("set `mode` to `non-blocking` (with `max-buffer-size`), or remove it where the account default is non-blocking"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(options: &str) -> String {
        format!(
            r#"{{"family": "app", "containerDefinitions": [{{"name": "app", "image": "app:1",
  "logConfiguration": {{"logDriver": "awslogs", "options": {{{options}}}}}}}]}}"#
        )
    }

    #[test]
    fn cases() {
        assert!(run_json(&super::RULE, &td(r#""mode": "non-blocking""#)).is_empty());
        // Unset: the account default (non-blocking since June 2025) applies.
        assert!(run_json(&super::RULE, &td(r#""awslogs-group": "/ecs/app""#)).is_empty());
        assert_eq!(
            run_json(&super::RULE, &td(r#""mode": "blocking""#)),
            [
                "2:68 container `app`: the awslogs driver is in blocking mode: when logs cannot be delivered, the application's writes to stdout/stderr block"
            ]
        );
    }
}
