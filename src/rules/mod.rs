//! The rule registry. A rule is a pure function of a linked unit; it never parses.

pub mod cost;
pub mod deployment;
pub mod health;
pub mod image;
pub mod input;
pub mod logging;
pub mod network;
pub mod secrets;
pub mod sizing;
pub mod suppression;
pub mod util;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Unit;
use crate::source::{SourceDb, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Input,
    Suppression,
    Sizing,
    Network,
    Logging,
    Image,
    Secrets,
    Health,
    Deployment,
    Iam,
    Security,
    Cost,
}

impl Family {
    pub const ALL: [Family; 12] = [
        Family::Input,
        Family::Suppression,
        Family::Sizing,
        Family::Network,
        Family::Logging,
        Family::Image,
        Family::Secrets,
        Family::Health,
        Family::Deployment,
        Family::Iam,
        Family::Security,
        Family::Cost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Input => "input",
            Family::Suppression => "suppression",
            Family::Sizing => "sizing",
            Family::Network => "network",
            Family::Logging => "logging",
            Family::Image => "image",
            Family::Secrets => "secrets",
            Family::Health => "health",
            Family::Deployment => "deployment",
            Family::Iam => "iam",
            Family::Security => "security",
            Family::Cost => "cost",
        }
    }
}

/// Input formats a rule applies to, as the docs' front matter names them.
pub const ALL_FORMATS: &[&str] = &["taskdef-json", "terraform", "cloudformation"];

pub struct Rule {
    /// `ECS` + three digits; never reused, never renumbered.
    pub id: &'static str,
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub enabled_by_default: bool,
    pub formats: &'static [&'static str],
    /// One line for listings and SARIF `shortDescription`.
    pub summary: &'static str,
    /// The rule's page, `rules/<ID>.md`, embedded.
    pub doc: &'static str,
    pub check: fn(&RuleCtx, &mut Vec<Diagnostic>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

pub struct RuleCtx<'a> {
    pub unit: &'a Unit,
    pub rule: &'static Rule,
    /// Source text, for fixes that must keep the user's quoting.
    pub sources: &'a SourceDb,
}

impl RuleCtx<'_> {
    /// A diagnostic of this rule at its default severity (the engine applies configuration).
    pub fn diag(&self, primary: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.rule.id, self.rule.severity, primary, message)
    }
}

/// Every rule, in id order.
pub static RULES: &[&Rule] = &[
    &suppression::ECS010,
    &suppression::ECS011,
    &suppression::ECS012,
    &suppression::ECS013,
    &suppression::ECS014,
    &input::ecs020::RULE,
    &sizing::ecs101::RULE,
    &sizing::ecs102::RULE,
    &sizing::ecs103::RULE,
    &sizing::ecs104::RULE,
    &sizing::ecs105::RULE,
    &sizing::ecs106::RULE,
    &network::ecs201::RULE,
    &network::ecs202::RULE,
    &network::ecs203::RULE,
    &network::ecs204::RULE,
    &network::ecs205::RULE,
    &network::ecs206::RULE,
    &logging::ecs301::RULE,
    &logging::ecs302::RULE,
    &logging::ecs303::RULE,
    &logging::ecs304::RULE,
    &logging::ecs305::RULE,
    &image::ecs401::RULE,
    &image::ecs402::RULE,
    &image::ecs403::RULE,
    &secrets::ecs501::RULE,
    &secrets::ecs502::RULE,
    &secrets::ecs503::RULE,
    &health::ecs601::RULE,
    &health::ecs602::RULE,
    &health::ecs603::RULE,
    &health::ecs604::RULE,
    &deployment::ecs701::RULE,
    &deployment::ecs702::RULE,
    &deployment::ecs703::RULE,
    &deployment::ecs704::RULE,
    &deployment::ecs705::RULE,
    &cost::ecs901::RULE,
    &cost::ecs902::RULE,
];

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Does a `--select`/`--ignore` selector (`ECS101`, `ECS1`, `sizing`, `ALL`) cover `rule`?
pub fn selector_matches(selector: &str, rule: &Rule) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case("all")
        || s.eq_ignore_ascii_case(rule.family.as_str())
        || (s.len() >= 3 && rule.id.len() >= s.len() && rule.id[..s.len()].eq_ignore_ascii_case(s))
}

pub fn is_valid_selector(selector: &str) -> bool {
    RULES.iter().any(|r| selector_matches(selector, r))
        || Family::ALL
            .iter()
            .any(|f| f.as_str().eq_ignore_ascii_case(selector))
}

#[cfg(test)]
pub(crate) mod testing {
    //! Run one rule over an inline input: the rule files' pass/fail cases. Findings come back
    //! as `line:column message`.
    use super::*;
    use crate::source::SourceDb;
    use crate::syntax::{Ctx, Parsed};
    use std::path::PathBuf;

    fn ctx<'a>(db: &'a SourceDb, roots: &'a [PathBuf]) -> Ctx<'a> {
        Ctx {
            db,
            roots,
            region: None,
            var_files: &[],
            max_file_size: u64::MAX,
            eval_budget: crate::syntax::budget::DEFAULT_EVAL_BUDGET,
        }
    }

    fn findings(rule: &'static Rule, db: &SourceDb, parsed: Parsed) -> Vec<String> {
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let mut out = Vec::new();
        for unit in &parsed.units {
            (rule.check)(
                &RuleCtx {
                    unit,
                    rule,
                    sources: db,
                },
                &mut out,
            );
        }
        out.iter()
            .map(|d| {
                let lc = db.get(d.primary.file).line_col(d.primary.start());
                format!("{}:{} {}", lc.line, lc.column, d.message)
            })
            .collect()
    }

    /// An inline Terraform module (services need Terraform or CloudFormation).
    pub fn run_tf(rule: &'static Rule, tf: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf");
        std::fs::write(&path, tf).unwrap();
        let db = SourceDb::new();
        let roots = [dir.path().canonicalize().unwrap()];
        let parsed = crate::syntax::terraform::parse_module(&ctx(&db, &roots), dir.path(), &[path]);
        findings(rule, &db, parsed)
    }

    /// An inline task definition (JSON).
    pub fn run_json(rule: &'static Rule, json: &str) -> Vec<String> {
        let db = SourceDb::new();
        let file = db.add("case.json".into(), json.to_owned());
        let parsed = crate::syntax::taskdef_json::parse(&ctx(&db, &[]), &file);
        findings(rule, &db, parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_sorted_and_documented() {
        let mut last = "";
        for rule in RULES {
            assert!(rule.id > last, "{} out of order or duplicated", rule.id);
            last = rule.id;
            assert!(
                rule.doc.contains(&format!("id: {}", rule.id)),
                "{} page",
                rule.id
            );
            for section in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## Use instead",
                "## References",
            ] {
                assert!(
                    rule.doc.contains(section),
                    "{} page lacks {section}",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn every_page_has_a_rule() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        let mut pages = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if let Some(id) = name.strip_suffix(".md") {
                pages += 1;
                assert!(find(id).is_some(), "rules/{name} has no registered rule");
            }
        }
        assert_eq!(pages, RULES.len());
    }

    #[test]
    fn selectors() {
        let r = find("ECS101").unwrap();
        assert!(selector_matches("ECS1", r));
        assert!(selector_matches("sizing", r));
        assert!(selector_matches("ecs101", r));
        assert!(!selector_matches("ECS2", r));
        assert!(!selector_matches("EC", r));
    }
}
