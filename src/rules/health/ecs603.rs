//! ECS603: a health-check command that does not start with `CMD` or `CMD-SHELL`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known;
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS603",
    name: "health-check-command-form",
    family: Family::Health,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "healthCheck.command does not start with CMD or CMD-SHELL",
    doc: include_str!("../../../rules/ECS603.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            let Some(hc) = known(&c.health_check) else {
                continue;
            };
            let Some(cmd) = &hc.command else { continue };
            let Some(parts) = cmd.value.known() else {
                continue;
            };
            if matches!(parts.first().map(String::as_str), Some("CMD" | "CMD-SHELL")) {
                continue;
            }
            let shell = parts.join(" ");
            out.push(
                ctx.diag(cmd.span, format!("{}: health check command must start with `CMD` or `CMD-SHELL`", container_label(c)))
                    .with_help(format!("write `[\"CMD-SHELL\", \"{}\"]` to run it through a shell, or `[\"CMD\", ...]` to exec it directly", shell.replace('"', "\\\""))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let td = |cmd: &str| {
            format!(
                r#"{{"containerDefinitions": [{{"name": "a", "healthCheck": {{"command": {cmd}}}}}]}}"#
            )
        };
        assert!(
            run_json(
                &super::RULE,
                &td(r#"["CMD-SHELL", "curl -f http://localhost/ || exit 1"]"#)
            )
            .is_empty()
        );
        assert_eq!(
            run_json(&super::RULE, &td(r#"["curl", "-f", "http://localhost/"]"#)).len(),
            1
        );
    }
}
