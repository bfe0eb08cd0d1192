//! Findings: what rules and front-ends report.

use crate::source::Span;
use serde::Serialize;

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
    pub message: String,
    /// The value a person would edit (or the enclosing object for a missing field).
    pub primary: Span,
    /// Context: "task memory is declared here".
    pub labels: Vec<(Span, String)>,
    /// Most helps are fixed text: borrowed, not copied into every finding.
    pub help: Option<std::borrow::Cow<'static, str>>,
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
        message: impl Into<String>,
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

    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push((span, text.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
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

/// The id of syntax errors: always on, always an error.
pub const PARSE_ERROR: &str = "ECS000";

pub fn parse_error(primary: Span, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(PARSE_ERROR, Severity::Error, primary, message)
}

/// The evaluation budget of a unit ran out (see `syntax::budget`).
pub const BUDGET_EXCEEDED: &str = "ECS020";

/// A Terraform module call that could not be expanded (see `syntax::terraform`).
pub const MODULE_NOT_EXPANDED: &str = "ECS021";
