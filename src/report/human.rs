//! rustc-style diagnostics via codespan-reporting.

use super::{Files, Summary};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::engine::Scan;
use crate::syntax::Note;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::term::{
    self,
    termcolor::{Ansi, NoColor, WriteColor},
};
use std::io::Write;

/// Lines longer than this (bytes) are located, not quoted.
const MAX_QUOTED_LINE: usize = 1000;

pub fn render(scan: &Scan, diagnostics: &[Diagnostic], notes: &[Note], color: bool) -> String {
    let mut out = Vec::new();
    write(scan, diagnostics, notes, color, &mut out).expect("writing to memory");
    String::from_utf8_lossy(&out).into_owned()
}

/// [`render`] written to `out` finding by finding: the report of a large tree is never held
/// whole (at N=100,000 it is hundreds of megabytes of text).
pub fn write(
    scan: &Scan,
    diagnostics: &[Diagnostic],
    notes: &[Note],
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if color {
        write_styled(scan, diagnostics, notes, &mut Ansi::new(out))
    } else {
        write_styled(scan, diagnostics, notes, &mut NoColor::new(out))
    }
}

fn write_styled(
    scan: &Scan,
    diagnostics: &[Diagnostic],
    notes: &[Note],
    out: &mut dyn WriteColor,
) -> std::io::Result<()> {
    let sources = scan.db.all();
    let files = Files::new(&sources, diagnostics);
    let config = term::Config::default();
    for d in diagnostics {
        let file = scan.db.get(d.primary.file);
        let lc = file.line_col(d.primary.start());
        // Quoting a minified JSON line for every finding would print megabytes per finding.
        let quotable = file.line_len(lc.line - 1) <= MAX_QUOTED_LINE;
        let mut labels = vec![Label::primary(d.primary.file, files.local(&d.primary))];
        labels.extend(
            d.labels
                .iter()
                .map(|(s, m)| Label::secondary(s.file, files.local(s)).with_message(m.clone())),
        );
        let mut notes_out = Vec::new();
        if !quotable {
            labels.clear();
            notes_out.push(format!(
                "at {}:{}:{} (line too long to quote)",
                super::display_path(&file.path),
                lc.line,
                lc.column
            ));
        }
        if let Some(help) = &d.help {
            notes_out.push(format!("help: {help}"));
        }
        // The fix marker is a line of its own (ruff's `[*]`), never part of the message.
        if let Some(fix) = &d.fix {
            notes_out.push(match d.fix_applicability {
                Applicability::Safe => format!("[*] fix: {}", fix.description),
                Applicability::Unsafe => {
                    format!("[*unsafe] fix (with --unsafe-fixes): {}", fix.description)
                }
                Applicability::DisplayOnly => format!("fix available: {}", fix.description),
            });
        }
        notes_out.push(format!("docs: {}", crate::rules::page_url(d.rule_id)));
        let cs = CsDiagnostic::new(match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Info => CsSeverity::Note,
        })
        .with_code(d.rule_id)
        .with_message(d.message.clone())
        .with_labels(labels)
        .with_notes(notes_out);
        // A span into a file that is gone cannot happen (the db only grows): only a failed
        // write is an error.
        if let Err(codespan_reporting::files::Error::Io(e)) =
            term::emit_to_write_style(out, &config, &files, &cs)
        {
            return Err(e);
        }
    }
    for note in notes {
        writeln!(
            out,
            "note: {}: {}",
            super::display_path(&note.path),
            note.message
        )?;
    }
    writeln!(out, "{}", Summary::new(scan, diagnostics).line())
}
