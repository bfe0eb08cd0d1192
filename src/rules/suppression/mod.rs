//! ECS010–ECS014: findings about suppressions themselves (inline `ecslint-ignore` comments,
//! CloudFormation `Metadata`, `[[suppress]]` entries). They are reported by the suppression pass
//! (`crate::suppress`) after the other rules ran; the rule functions here find nothing.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Family, Rule, RuleCtx};

fn reported_by_suppression_pass(_: &RuleCtx, _: &mut Vec<Diagnostic>) {}

const ALL: &[&str] = &["taskdef-json", "terraform", "cloudformation"];

pub const UNUSED: &str = "ECS010";
pub const NO_REASON: &str = "ECS011";
pub const UNKNOWN_RULE: &str = "ECS012";
pub const EXPIRED: &str = "ECS013";
pub const INVALID: &str = "ECS014";

pub static ECS010: Rule = Rule {
    id: UNUSED,
    name: "unused-suppression",
    family: Family::Suppression,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL,
    summary: "A suppression matched no finding in this run",
    doc: include_str!("../../../rules/ECS010.md"),
    check: reported_by_suppression_pass,
};

pub static ECS011: Rule = Rule {
    id: NO_REASON,
    name: "suppression-without-reason",
    family: Family::Suppression,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL,
    summary: "A suppression gives no reason (or only the `TODO: justify` placeholder)",
    doc: include_str!("../../../rules/ECS011.md"),
    check: reported_by_suppression_pass,
};

pub static ECS012: Rule = Rule {
    id: UNKNOWN_RULE,
    name: "unknown-rule-in-suppression",
    family: Family::Suppression,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL,
    summary: "A suppression names a rule id or prefix that matches no ecslint rule",
    doc: include_str!("../../../rules/ECS012.md"),
    check: reported_by_suppression_pass,
};

pub static ECS013: Rule = Rule {
    id: EXPIRED,
    name: "expired-suppression",
    family: Family::Suppression,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL,
    summary: "A suppression's `expires` date has passed; it no longer applies",
    doc: include_str!("../../../rules/ECS013.md"),
    check: reported_by_suppression_pass,
};

pub static ECS014: Rule = Rule {
    id: INVALID,
    name: "invalid-suppression",
    family: Family::Suppression,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL,
    summary: "A malformed suppression directive, or `ecslint-ignore-file` after the first item",
    doc: include_str!("../../../rules/ECS014.md"),
    check: reported_by_suppression_pass,
};
