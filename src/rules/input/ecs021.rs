//! ECS021: a Terraform module call whose module could not be read (see `syntax::terraform`).

use crate::diagnostic::{MODULE_NOT_EXPANDED, Severity};
use crate::rules::{Family, Rule};

pub static RULE: Rule = Rule {
    id: MODULE_NOT_EXPANDED,
    name: "module-not-expanded",
    family: Family::Input,
    severity: Severity::Info,
    enabled_by_default: true,
    formats: &["terraform"],
    summary: "A Terraform module call could not be expanded; what it declares is not checked",
    doc: include_str!("../../../rules/ECS021.md"),
    check: super::reported_by_front_end,
};
