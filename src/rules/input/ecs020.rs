//! ECS020: the evaluation budget of a unit ran out (see `syntax::budget`).

use crate::diagnostic::{BUDGET_EXCEEDED, Severity};
use crate::rules::{Family, Rule};

pub static RULE: Rule = Rule {
    id: BUDGET_EXCEEDED,
    name: "evaluation-budget-exceeded",
    family: Family::Input,
    severity: Severity::Info,
    enabled_by_default: true,
    formats: &["terraform", "cloudformation"],
    summary: "An expression builds more than the evaluation budget allows; its value is unknown",
    doc: include_str!("../../../rules/ECS020.md"),
    check: super::reported_by_front_end,
};
