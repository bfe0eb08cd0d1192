//! ECS305: a declared log group keeps its logs forever.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::util::start_of;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS305",
    name: "log-group-without-retention",
    family: Family::Logging,
    severity: Severity::Info,
    enabled_by_default: true,
    formats: &["terraform", "cloudformation"],
    summary: "Declared log group has no retention (logs kept and billed forever)",
    doc: include_str!("../../../rules/ECS305.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for g in &ctx.unit.log_groups {
        let span = match &g.retention_in_days {
            None => start_of(&g.span),
            // Terraform's 0 means "never expire".
            Some(r) if r.value.known() == Some(&0) => r.span,
            Some(_) => continue,
        };
        out.push(
            ctx.diag(
                span,
                "log group has no retention: its logs are kept, and billed, forever",
            )
            .with_help("set `retention_in_days` / `RetentionInDays` (e.g. 30, 90 or 365)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    #[test]
    fn cases() {
        assert!(run_tf(&super::RULE, "resource \"aws_cloudwatch_log_group\" \"g\" {\n  name = \"g\"\n  retention_in_days = 30\n}\n").is_empty());
        assert_eq!(
            run_tf(
                &super::RULE,
                "resource \"aws_cloudwatch_log_group\" \"g\" {\n  name = \"g\"\n}\n"
            ),
            ["1:1 log group has no retention: its logs are kept, and billed, forever"]
        );
    }
}
