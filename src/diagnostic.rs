//! Findings: what rules and front-ends report.

use crate::source::Span;
use serde::Serialize;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A text replacement that fixes a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// How far a fix may be trusted (ruff's classes): `--fix` applies safe fixes, `--unsafe-fixes`
/// unsafe ones too; display-only fixes are shown, never applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    Safe,
    Unsafe,
    #[default]
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule_id: &'static str,
    pub severity: Severity,
    /// Shared, not owned: findings repeat their texts, and a run holds its findings to the end
    /// (see [`Texts`]).
    pub message: Arc<str>,
    /// The value a person would edit (or the enclosing object for a missing field).
    pub primary: Span,
    /// Context: "task memory is declared here".
    pub labels: Vec<(Span, Arc<str>)>,
    pub help: Option<Arc<str>>,
    /// Boxed: few findings have one, and every finding is held until the end of a run.
    pub fix: Option<Box<Fix>>,
    /// The applicability of `fix`, decided after the rules ran (`crate::fix::classify`), so
    /// rules keep building `Fix` as before; display-only until classified.
    pub fix_applicability: Applicability,
    /// The primary span holds a secret: reports that show source text mask it.
    pub redact: bool,
}

impl Diagnostic {
    pub fn new(
        rule_id: &'static str,
        severity: Severity,
        primary: Span,
        message: impl Into<Arc<str>>,
    ) -> Self {
        Diagnostic {
            rule_id,
            severity,
            message: message.into(),
            primary,
            labels: Vec::new(),
            help: None,
            fix: None,
            fix_applicability: Applicability::DisplayOnly,
            redact: false,
        }
    }

    pub fn with_label(mut self, span: Span, text: impl Into<Arc<str>>) -> Self {
        self.labels.push((span, text.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<Arc<str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The message, then the help on a line of its own: for clients that show one text.
    pub fn message_with_help(&self) -> String {
        match &self.help {
            Some(help) => format!("{}\nhelp: {help}", self.message),
            None => self.message.to_string(),
        }
    }

    pub fn redacted(mut self) -> Self {
        self.redact = true;
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }
}

/// One copy of each text of the findings a run holds. Findings repeat their texts (the same
/// help on every oversized task, the same label on every image): the synthetic monorepo's
/// 100,000 files gave 213,869 findings whose messages took 20.8 MB in only 14,409 distinct
/// texts (1.4 MB). A text seen once costs one more reference here, no copy.
#[derive(Debug, Default)]
pub struct Texts {
    seen: Mutex<crate::hashing::FastSet<Arc<str>>>,
}

impl Texts {
    /// Points the texts of `d` at their shared copies (remembering the new ones).
    pub fn share(&self, d: &mut Diagnostic) {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut share = |text: &mut Arc<str>| match seen.get(&**text) {
            Some(known) => *text = known.clone(),
            None => {
                seen.insert(text.clone());
            }
        };
        share(&mut d.message);
        if let Some(help) = &mut d.help {
            share(help);
        }
        for (_, text) in &mut d.labels {
            share(text);
        }
        d.labels.shrink_to_fit();
    }
}

/// The id of syntax errors: always on, always an error.
pub const PARSE_ERROR: &str = "ECS000";

pub fn parse_error(primary: Span, message: impl Into<Arc<str>>) -> Diagnostic {
    Diagnostic::new(PARSE_ERROR, Severity::Error, primary, message)
}

/// The evaluation budget of a unit ran out (see `syntax::budget`).
pub const BUDGET_EXCEEDED: &str = "ECS020";

/// A Terraform module call that could not be expanded (see `syntax::terraform`).
pub const MODULE_NOT_EXPANDED: &str = "ECS021";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{ByteRange, FileId};

    fn finding(message: &str, label: &str) -> Diagnostic {
        let span = Span {
            file: FileId(0),
            range: ByteRange::default(),
        };
        Diagnostic::new("ECS101", Severity::Info, span, message.to_string())
            .with_label(span, label.to_string())
            .with_help(format!("{message} help"))
    }

    #[test]
    fn shared_texts_are_one_copy_and_unchanged() {
        let texts = Texts::default();
        let (mut a, mut b, mut c) = (finding("m", "l"), finding("m", "l"), finding("n", "l"));
        for d in [&mut a, &mut b, &mut c] {
            texts.share(d);
        }
        assert!(Arc::ptr_eq(&a.message, &b.message));
        assert!(Arc::ptr_eq(
            a.help.as_ref().unwrap(),
            b.help.as_ref().unwrap()
        ));
        assert!(Arc::ptr_eq(&a.labels[0].1, &c.labels[0].1));
        assert!(!Arc::ptr_eq(&a.message, &c.message));
        assert_eq!((&*a.message, &*c.message), ("m", "n"));
        assert_eq!(a.help.as_deref(), Some("m help"));
    }
}
