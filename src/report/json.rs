//! The JSON report. Its schema is documented in the README and stable: fields are only added.
//! Typed records, each made as it is written (`write_with`): a report of many findings is never
//! held in memory whole.

use super::{Summary, display_path, locate};
use crate::diagnostic::Diagnostic;
use crate::engine::Scan;
use crate::source::Span;
use crate::syntax::Note;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Position {
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Label<'a> {
    #[serde(flatten)]
    at: Position,
    message: &'a str,
}

#[derive(Serialize)]
struct Edit<'a> {
    #[serde(flatten)]
    at: Position,
    replacement: &'a str,
    /// The same edit as a byte range of the file (`path`, `start`, `end`, `content`).
    path: String,
    start: usize,
    end: usize,
    content: &'a str,
}

#[derive(Serialize)]
struct Fix<'a> {
    description: &'a str,
    /// `safe` (applied by `--fix`), `unsafe` (`--unsafe-fixes`) or `display-only`.
    applicability: &'static str,
    message: &'a str,
    edits: Vec<Edit<'a>>,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule_id: &'a str,
    rule_name: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    at: Position,
    help: Option<&'a str>,
    labels: Vec<Label<'a>>,
    fix: Option<Fix<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct NoteOut<'a> {
    file: String,
    message: &'a str,
}

#[derive(Serialize)]
struct Report<'a> {
    schema_version: u32,
    tool: Tool,
    findings: Findings<'a>,
    notes: Vec<NoteOut<'a>>,
    summary: Summary,
    /// Added sections (`suppressed`, `baseline`: see `src/adoption.rs`); absent when empty.
    #[serde(flatten)]
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// The findings, serialized one by one as they are made.
struct Findings<'a> {
    scan: &'a Scan,
    diagnostics: &'a [Diagnostic],
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.diagnostics.iter().map(|d| finding(self.scan, d)))
    }
}

fn position(scan: &Scan, span: &Span) -> Position {
    let file = scan.db.get(span.file);
    let l = locate(&file, span);
    Position {
        file: l.file,
        line: l.line,
        column: l.column,
        end_line: l.end_line,
        end_column: l.end_column,
    }
}

fn finding<'a>(scan: &Scan, d: &'a Diagnostic) -> Finding<'a> {
    Finding {
        rule_id: d.rule_id,
        rule_name: crate::rules::find(d.rule_id).map_or("parse-error", |r| r.name),
        severity: d.severity.as_str(),
        message: &d.message,
        at: position(scan, &d.primary),
        help: d.help.as_deref(),
        labels: d
            .labels
            .iter()
            .map(|(s, m)| Label {
                at: position(scan, s),
                message: m,
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| Fix {
            description: &f.description,
            applicability: d.fix_applicability.as_str(),
            message: &f.description,
            edits: f
                .edits
                .iter()
                .map(|e| Edit {
                    at: position(scan, &e.span),
                    replacement: &e.replacement,
                    path: display_path(&scan.db.get(e.span.file).path),
                    start: e.span.start(),
                    end: e.span.end(),
                    content: &e.replacement,
                })
                .collect(),
        }),
    }
}

pub fn render(scan: &Scan, diagnostics: &[Diagnostic], notes: &[Note]) -> String {
    render_with(scan, diagnostics, notes, &serde_json::Map::new())
}

/// [`render`] plus top-level sections after `summary`.
pub fn render_with(
    scan: &Scan,
    diagnostics: &[Diagnostic],
    notes: &[Note],
    extra: &serde_json::Map<String, serde_json::Value>,
) -> String {
    let mut out = Vec::new();
    write_with(scan, diagnostics, notes, extra, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The report written to `out` as it is made (pretty-printed, a newline at the end).
pub fn write_with(
    scan: &Scan,
    diagnostics: &[Diagnostic],
    notes: &[Note],
    extra: &serde_json::Map<String, serde_json::Value>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let report = Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "ecslint",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: Findings { scan, diagnostics },
        notes: notes
            .iter()
            .map(|n| NoteOut {
                file: display_path(&n.path),
                message: &n.message,
            })
            .collect(),
        summary: Summary::new(scan, diagnostics),
        extra,
    };
    serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}
