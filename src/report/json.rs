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
    /// Written apart (see [`write_with`]): a marker here.
    findings: &'static str,
    notes: Vec<NoteOut<'a>>,
    summary: Summary,
    /// Added sections (`suppressed`, `baseline`: see `src/adoption.rs`); absent when empty.
    #[serde(flatten)]
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// The value the report's frame holds where the findings go: no finding, note or section
/// before `findings` (there are none: `schema_version` and `tool` come first) writes it.
const FINDINGS_MARKER: &str = "\0findings";

/// Findings made at once, in parallel: about a megabyte of text at a time.
const FINDINGS_CHUNK: usize = 2048;

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

/// The report written to `out` as it is made (pretty-printed, a newline at the end). The
/// findings, most of a report, are made in parallel a chunk at a time and written in order, as
/// `to_writer_pretty` of the whole would write them: written alone on one thread after the
/// scan, they were a twentieth of a run's time. The frame around them is printed whole first
/// (its notes and added sections are in memory already, as values).
pub fn write_with(
    scan: &Scan,
    diagnostics: &[Diagnostic],
    notes: &[Note],
    extra: &serde_json::Map<String, serde_json::Value>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let report = Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "ecslint",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: FINDINGS_MARKER,
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
    let frame = serde_json::to_vec_pretty(&report).map_err(std::io::Error::from)?;
    let marker = serde_json::to_vec(FINDINGS_MARKER).map_err(std::io::Error::from)?;
    let at = frame
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("the frame holds the findings marker");
    out.write_all(&frame[..at])?;
    if diagnostics.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[")?;
        let mut first = true;
        for chunk in diagnostics.chunks(FINDINGS_CHUNK) {
            let made: Vec<Vec<u8>> = chunk
                .par_iter()
                .map(|d| finding_text(scan, d))
                .collect::<Result<_, _>>()
                .map_err(std::io::Error::from)?;
            for text in made {
                if !std::mem::take(&mut first) {
                    out.write_all(b",")?;
                }
                out.write_all(&text)?;
            }
        }
        out.write_all(b"\n  ]")?;
    }
    out.write_all(&frame[at + marker.len()..])?;
    out.write_all(b"\n")
}

/// One finding as an element of the report's `findings`: on a new line after a comma or the
/// opening bracket (the caller's), each line indented two levels (strings hold no raw newline).
fn finding_text(scan: &Scan, d: &Diagnostic) -> serde_json::Result<Vec<u8>> {
    let alone = serde_json::to_vec_pretty(&finding(scan, d))?;
    let mut text = Vec::with_capacity(alone.len() + alone.len() / 8 + 8);
    text.extend_from_slice(b"\n    ");
    for (i, line) in alone.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            text.extend_from_slice(b"\n    ");
        }
        text.extend_from_slice(line);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CliSelection, Resolver};
    use crate::pipeline::{Options, scan_and_run};

    /// The report is what `to_writer_pretty` of the whole makes (read back and printed again,
    /// byte for byte): no finding, one, and more than two chunks of them; notes (one holding
    /// the marker's own text) and added sections after them.
    #[test]
    fn written_as_the_whole_pretty_printed() {
        let testdata = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let options = crate::engine::ScanOptions {
            paths: vec![testdata.clone()],
            ..Default::default()
        };
        let opts = Options {
            cli: CliSelection {
                select: vec!["ALL".into()],
                ..CliSelection::default()
            },
            ..Options::default()
        };
        let resolver = Resolver::new(None, true).unwrap();
        let (scan, outcome) = scan_and_run(&options, &resolver, &opts, None)
            .unwrap()
            .unwrap();
        let found = &outcome.diagnostics;
        assert!(!found.is_empty());
        let many: Vec<Diagnostic> = found
            .iter()
            .cycle()
            .take(2 * FINDINGS_CHUNK + 7)
            .cloned()
            .collect();
        let notes = [
            Note {
                path: testdata.join("a.json"),
                message: format!("a note with {FINDINGS_MARKER:?} and \"quotes\"\nand a line"),
            },
            Note {
                path: testdata.join("b.json"),
                message: FINDINGS_MARKER.into(),
            },
        ];
        let mut extra = serde_json::Map::new();
        extra.insert(
            "suppressed".into(),
            serde_json::json!([{"rule_id": "ECS401", "findings": FINDINGS_MARKER}]),
        );
        let no_extra = serde_json::Map::new();
        for (diagnostics, notes, extra) in [
            (&[][..], &[][..], &no_extra),
            (&found[..1], &notes[..], &no_extra),
            (&many[..], &notes[..], &extra),
            (&[][..], &notes[..], &extra),
        ] {
            let text = render_with(&scan, diagnostics, notes, extra);
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                value["findings"].as_array().unwrap().len(),
                diagnostics.len()
            );
            let again = serde_json::to_string_pretty(&value).unwrap() + "\n";
            assert!(text == again, "{} findings", diagnostics.len());
        }
    }
}
