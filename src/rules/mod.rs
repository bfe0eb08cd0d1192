//! The rule registry. A rule is a pure function of a linked unit; it never parses.

pub mod cost;
pub mod deployment;
pub mod health;
pub mod iam;
pub mod image;
pub mod input;
pub mod logging;
pub mod network;
pub mod secrets;
pub mod security;
pub mod sizing;
pub mod suppression;
pub mod util;
pub mod validity;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Unit;
use crate::source::{SourceDb, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Validity,
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
    pub const ALL: [Family; 13] = [
        Family::Validity,
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
            Family::Validity => "validity",
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
    pub fn diag(&self, primary: Span, message: impl Into<std::sync::Arc<str>>) -> Diagnostic {
        Diagnostic::new(self.rule.id, self.rule.severity, primary, message)
    }
}

/// Every rule, in id order.
pub static RULES: &[&Rule] = &[
    &validity::ecs001::RULE,
    &validity::ecs002::RULE,
    &validity::ecs003::RULE,
    &suppression::ECS010,
    &suppression::ECS011,
    &suppression::ECS012,
    &suppression::ECS013,
    &suppression::ECS014,
    &input::ecs020::RULE,
    &input::ecs021::RULE,
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
    &network::ecs207::RULE,
    &network::ecs210::RULE,
    &logging::ecs301::RULE,
    &logging::ecs302::RULE,
    &logging::ecs303::RULE,
    &logging::ecs304::RULE,
    &logging::ecs305::RULE,
    &logging::ecs306::RULE,
    &logging::ecs307::RULE,
    &logging::ecs308::RULE,
    &logging::ecs309::RULE,
    &image::ecs401::RULE,
    &image::ecs402::RULE,
    &image::ecs403::RULE,
    &image::ecs404::RULE,
    &image::ecs405::RULE,
    &image::ecs406::RULE,
    &image::ecs407::RULE,
    &secrets::ecs501::RULE,
    &secrets::ecs502::RULE,
    &secrets::ecs503::RULE,
    &secrets::ecs504::RULE,
    &health::ecs601::RULE,
    &health::ecs602::RULE,
    &health::ecs603::RULE,
    &health::ecs604::RULE,
    &health::ecs605::RULE,
    &health::ecs606::RULE,
    &health::ecs607::RULE,
    &deployment::ecs701::RULE,
    &deployment::ecs702::RULE,
    &deployment::ecs703::RULE,
    &deployment::ecs704::RULE,
    &deployment::ecs705::RULE,
    &deployment::ecs706::RULE,
    &deployment::ecs707::RULE,
    &security::ecs801::RULE,
    &security::ecs802::RULE,
    &security::ecs803::RULE,
    &security::ecs804::RULE,
    &security::ecs805::RULE,
    &security::ecs806::RULE,
    &security::ecs807::RULE,
    &security::ecs808::RULE,
    &security::ecs809::RULE,
    &security::ecs810::RULE,
    &iam::ecs851::RULE,
    &iam::ecs852::RULE,
    &iam::ecs853::RULE,
    &iam::ecs854::RULE,
    &cost::ecs901::RULE,
    &cost::ecs902::RULE,
    &cost::ecs903::RULE,
    &cost::ecs905::RULE,
];

/// The page of `ECS000` (syntax errors, [`crate::diagnostic::PARSE_ERROR`]). ECS000 is not a
/// rule (always on, never selected or ignored, never suppressed inline), so it is not in
/// [`RULES`]; its findings are documented like a rule's all the same.
pub static PARSE_ERROR_DOC: &str = include_str!("../../rules/ECS000.md");

/// The documentation page of a finding id: a rule's, or ECS000's.
pub fn page(id: &str) -> Option<&'static str> {
    if id.eq_ignore_ascii_case(crate::diagnostic::PARSE_ERROR) {
        return Some(PARSE_ERROR_DOC);
    }
    find(id).map(|r| r.doc)
}

/// Where a finding's page is published: `rules/<ID>.md` in the repository named in Cargo.toml
/// (the page `ecslint rule ID` prints), the link the human report and SARIF `helpUri` give.
pub fn page_url(id: &str) -> String {
    format!("{}/blob/main/rules/{id}.md", env!("CARGO_PKG_REPOSITORY"))
}

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Does a `--select`/`--ignore` selector (`ECS101`, `ECS1`, `sizing`, `ALL`) cover `rule`?
/// Two presets: `default` (the rules on by default, so `--select default,ECS802` adds one
/// opt-in rule to them) and `strict` (the defaults plus every opt-in rule).
pub fn selector_matches(selector: &str, rule: &Rule) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case("all")
        || s.eq_ignore_ascii_case("strict")
        || (s.eq_ignore_ascii_case("default") && rule.enabled_by_default)
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

    fn ctx<'a>(
        db: &'a SourceDb,
        roots: &'a [PathBuf],
        modules: &'a crate::syntax::terraform::ModuleCache,
    ) -> Ctx<'a> {
        Ctx {
            terraform_modules: modules,
            used_dirs: None,
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
        let modules = Default::default();
        let parsed = crate::syntax::terraform::parse_module(
            &ctx(&db, &roots, &modules),
            dir.path(),
            &[path],
        );
        findings(rule, &db, parsed)
    }

    /// An inline Terraform JSON module (`main.tf.json`).
    pub fn run_tf_json(rule: &'static Rule, json: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("main.tf.json");
        std::fs::write(&path, json).unwrap();
        let db = SourceDb::new();
        let roots = [dir.path().canonicalize().unwrap()];
        let modules = Default::default();
        let parsed = crate::syntax::terraform::parse_module(
            &ctx(&db, &roots, &modules),
            dir.path(),
            &[path],
        );
        findings(rule, &db, parsed)
    }

    /// An inline CloudFormation template (YAML).
    pub fn run_yaml(rule: &'static Rule, yaml: &str) -> Vec<String> {
        let db = SourceDb::new();
        let file = db.add("template.yaml".into(), yaml.to_owned());
        let modules = Default::default();
        let parsed = crate::syntax::cloudformation::parse(
            &ctx(&db, &[], &modules),
            &file,
            crate::model::Format::CloudFormationYaml,
        );
        findings(rule, &db, parsed)
    }

    /// An inline task definition (JSON).
    pub fn run_json(rule: &'static Rule, json: &str) -> Vec<String> {
        let db = SourceDb::new();
        let file = db.add("case.json".into(), json.to_owned());
        let modules = Default::default();
        let parsed = crate::syntax::taskdef_json::parse(&ctx(&db, &[], &modules), &file);
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
                // ECS000 (parse errors) is documented, never registered: see PARSE_ERROR_DOC.
                if id == crate::diagnostic::PARSE_ERROR {
                    continue;
                }
                assert!(find(id).is_some(), "rules/{name} has no registered rule");
            }
        }
        assert_eq!(pages, RULES.len() + 1);
    }

    #[test]
    fn the_parse_error_page() {
        let fm = front_matter(PARSE_ERROR_DOC);
        assert_eq!(
            fm,
            [
                ("id", "ECS000"),
                ("name", "parse-error"),
                ("family", "input"),
                ("severity", "error"),
                ("formats", "[taskdef-json, terraform, cloudformation]"),
            ]
        );
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## Use instead",
            "## References",
        ] {
            assert!(
                PARSE_ERROR_DOC.contains(section),
                "ECS000 page lacks {section}"
            );
        }
        assert!(find("ECS000").is_none() && !is_valid_selector("ECS000"));
        assert_eq!(page("ecs000"), Some(PARSE_ERROR_DOC));
        assert_eq!(page("ECS401"), Some(find("ECS401").unwrap().doc));
    }

    #[test]
    fn selectors() {
        let r = find("ECS101").unwrap();
        assert!(selector_matches("ECS1", r));
        assert!(selector_matches("sizing", r));
        assert!(selector_matches("ecs101", r));
        assert!(!selector_matches("ECS2", r));
        assert!(!selector_matches("EC", r));
        let opt_in = find("ECS802").unwrap();
        assert!(selector_matches("default", r) && !selector_matches("default", opt_in));
        assert!(RULES.iter().all(|r| selector_matches("strict", r)));
        assert!(is_valid_selector("strict") && is_valid_selector("default"));
    }

    /// `key: value` lines of a page's front matter.
    fn front_matter(doc: &str) -> Vec<(&str, &str)> {
        let body = doc
            .strip_prefix("---\n")
            .expect("page starts with front matter");
        let end = body.find("\n---\n").expect("front matter ends");
        body[..end]
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect()
    }

    fn severity(rule: &Rule) -> &'static str {
        match rule.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// One source of truth: each page's front matter and title, and the README's rule table,
    /// agree with the `Rule` static (id, name, family, severity, formats, summary, default).
    #[test]
    fn pages_and_readme_agree_with_the_registry() {
        let mut problems = Vec::new();
        for rule in RULES {
            let fm = front_matter(rule.doc);
            let formats = format!("[{}]", rule.formats.join(", "));
            let want = [
                ("id", rule.id),
                ("name", rule.name),
                ("family", rule.family.as_str()),
                ("severity", severity(rule)),
                ("formats", formats.as_str()),
            ];
            let keys: Vec<&str> = fm.iter().map(|(k, _)| *k).collect();
            if keys != want.iter().map(|(k, _)| *k).collect::<Vec<_>>() {
                problems.push(format!("{}: front matter keys {keys:?}", rule.id));
            }
            for (key, value) in want {
                let got = fm.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
                if got != Some(value) {
                    problems.push(format!("{}: page {key} {got:?}, rule {value:?}", rule.id));
                }
            }
            let title = format!("# {}: {}", rule.id, rule.summary);
            if !rule.doc.lines().any(|l| l == title) {
                problems.push(format!("{}: page title is not `{title}`", rule.id));
            }
        }
        let readme = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"),
        )
        .unwrap();
        let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| [ECS")).collect();
        for rule in RULES {
            let default = if rule.enabled_by_default {
                ""
            } else {
                " (off by default)"
            };
            let want = format!(
                "| [{id}](rules/{id}.md) | {} | {}{default} | {} | {} |",
                rule.name,
                severity(rule),
                rule.formats.join(", "),
                rule.summary,
                id = rule.id,
            );
            if !rows.contains(&want.as_str()) {
                problems.push(format!("README row for {} should be:\n{want}", rule.id));
            }
        }
        if rows.len() != RULES.len() {
            problems.push(format!(
                "README has {} rule rows, the registry {} rules",
                rows.len(),
                RULES.len()
            ));
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
