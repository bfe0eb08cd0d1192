//! ECS602: container health-check timings outside what ECS accepts.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{known, known_spanned};
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS602",
    name: "health-check-out-of-range",
    family: Family::Health,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Container health check interval, timeout, retries or startPeriod out of range",
    doc: include_str!("../../../rules/ECS602.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            let Some(hc) = known(&c.health_check) else {
                continue;
            };
            let label = container_label(c);
            for (field, name, lo, hi) in [
                (&hc.interval, "interval", 5, 300),
                (&hc.timeout, "timeout", 2, 60),
                (&hc.retries, "retries", 1, 10),
                (&hc.start_period, "startPeriod", 0, 300),
            ] {
                if let Some((&v, span)) = known_spanned(field)
                    && !(lo..=hi).contains(&v)
                {
                    out.push(
                        ctx.diag(
                            *span,
                            format!("{label}: health check {name} {v} is outside {lo}–{hi}"),
                        )
                        .with_help(format!("ECS accepts a {name} from {lo} to {hi}")),
                    );
                }
            }
            // Defaults: interval 30, timeout 5.
            let interval = known(&hc.interval).copied().unwrap_or(30);
            if let Some((&timeout, span)) = known_spanned(&hc.timeout)
                && timeout >= interval
                && hc
                    .interval
                    .as_ref()
                    .is_none_or(|i| i.value.known().is_some())
            {
                out.push(
                    ctx.diag(*span, format!("{label}: health check timeout {timeout} s is not shorter than its interval {interval} s"))
                        .with_help("keep the timeout below the interval, so a check has finished before the next one starts"),
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
        let td = |hc: &str| {
            format!(
                r#"{{"containerDefinitions": [{{"name": "a", "healthCheck": {{"command": ["CMD", "true"], {hc}}}}}]}}"#
            )
        };
        assert!(
            run_json(
                &super::RULE,
                &td(r#""interval": 30, "timeout": 5, "retries": 3, "startPeriod": 60"#)
            )
            .is_empty()
        );
        assert_eq!(
            run_json(&super::RULE, &td(r#""interval": 2, "retries": 20"#)).len(),
            2
        );
        assert_eq!(
            run_json(&super::RULE, &td(r#""interval": 10, "timeout": 10"#)).len(),
            1
        );
    }
}
