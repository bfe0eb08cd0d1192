//! One line per finding (`path:line:col: ECS101 [error] message`, what editors' error formats
//! and `grep` read), and `--statistics`: counts per rule.

use super::{Summary, locate};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::engine::Scan;
use crate::syntax::Note;
use std::collections::BTreeMap;

/// ruff's marker: `[*]` a fix `--fix` applies, `[*unsafe]` one `--unsafe-fixes` applies.
fn marker(d: &Diagnostic) -> &'static str {
    match (&d.fix, d.fix_applicability) {
        (Some(_), Applicability::Safe) => " [*]",
        (Some(_), Applicability::Unsafe) => " [*unsafe]",
        _ => "",
    }
}

/// `path:line:col: ID [severity] message` per finding (the fix marker, if any, after the
/// severity), then the notes and the summary line.
pub fn render(scan: &Scan, diagnostics: &[Diagnostic], notes: &[Note]) -> String {
    let mut out = Vec::new();
    write(scan, diagnostics, notes, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

/// [`render`] written to `out` line by line (a large tree's report is never held whole).
pub fn write(
    scan: &Scan,
    diagnostics: &[Diagnostic],
    notes: &[Note],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for d in diagnostics {
        let file = scan.db.get(d.primary.file);
        let l = locate(&file, &d.primary);
        // One line: a message never spans two.
        let message = d.message.replace(['\r', '\n'], " ");
        writeln!(
            out,
            "{}:{}:{}: {} [{}]{} {message}",
            l.file,
            l.line,
            l.column,
            d.rule_id,
            d.severity.as_str(),
            marker(d)
        )?;
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

/// One rule's line of `--statistics`.
#[derive(Debug, serde::Serialize)]
pub struct Stat {
    pub rule_id: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub count: usize,
    /// How many of them `--fix` (safe) or `--unsafe-fixes` (unsafe) would fix.
    pub fixable: usize,
    pub unsafe_fixable: usize,
}

/// Counts per rule, most frequent first (then by id).
pub fn statistics(diagnostics: &[Diagnostic]) -> Vec<Stat> {
    let mut by_rule: BTreeMap<&'static str, Stat> = BTreeMap::new();
    for d in diagnostics {
        let s = by_rule.entry(d.rule_id).or_insert_with(|| Stat {
            rule_id: d.rule_id,
            name: crate::rules::find(d.rule_id).map_or("parse-error", |r| r.name),
            severity: d.severity.as_str(),
            count: 0,
            fixable: 0,
            unsafe_fixable: 0,
        });
        s.count += 1;
        match (&d.fix, d.fix_applicability) {
            (Some(_), Applicability::Safe) => s.fixable += 1,
            (Some(_), Applicability::Unsafe) => s.unsafe_fixable += 1,
            _ => {}
        }
    }
    let mut out: Vec<Stat> = by_rule.into_values().collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule_id.cmp(b.rule_id)));
    out
}

/// `--statistics` as text: `count  ID  [severity]  name` per rule, with the fixable counts.
pub fn statistics_text(stats: &[Stat]) -> String {
    let width = stats
        .iter()
        .map(|s| s.count.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for s in stats {
        let severity = format!("[{}]", s.severity);
        let mut line = format!(
            "{:>width$}  {}  {severity:<9}  {}",
            s.count, s.rule_id, s.name
        );
        match (s.fixable, s.unsafe_fixable) {
            (0, 0) => {}
            (f, 0) => line.push_str(&format!("  ({f} fixable)")),
            (0, u) => line.push_str(&format!("  ({u} fixable with --unsafe-fixes)")),
            (f, u) => line.push_str(&format!("  ({f} fixable, {u} more with --unsafe-fixes)")),
        }
        out.push_str(&line);
        out.push('\n');
    }
    let total: usize = stats.iter().map(|s| s.count).sum();
    out.push_str(&format!(
        "{total} finding{} from {} rule{}\n",
        super::plural(total),
        stats.len(),
        super::plural(stats.len())
    ));
    out
}
