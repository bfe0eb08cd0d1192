//! Markdown for a job summary (`$GITHUB_STEP_SUMMARY`) or a pull-request comment: counts, a table
//! per rule and per file, then the findings. GitHub refuses step summaries over 1 MiB, so the
//! findings table is cut with a note before that.

use super::{Summary, locate};
use crate::diagnostic::Diagnostic;
use crate::engine::Scan;
use std::collections::BTreeMap;

pub const MAX_BYTES: usize = 1024 * 1024;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn render(scan: &Scan, diagnostics: &[Diagnostic]) -> String {
    render_capped(scan, diagnostics, MAX_BYTES)
}

pub fn render_capped(scan: &Scan, diagnostics: &[Diagnostic], max_bytes: usize) -> String {
    let summary = Summary::new(scan, diagnostics);
    let mut out = format!(
        "### ecslint\n\n{} finding{} ({} error{}, {} warning{}, {} info) in {} file{}, {} resource{}.\n\n",
        summary.findings,
        if summary.findings == 1 { "" } else { "s" },
        summary.errors,
        if summary.errors == 1 { "" } else { "s" },
        summary.warnings,
        if summary.warnings == 1 { "" } else { "s" },
        summary.infos,
        summary.files,
        if summary.files == 1 { "" } else { "s" },
        summary.resources,
        if summary.resources == 1 { "" } else { "s" },
    );
    if diagnostics.is_empty() {
        return out;
    }
    let mut by_rule: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    let mut by_file: BTreeMap<String, usize> = BTreeMap::new();
    for d in diagnostics {
        let name = crate::rules::find(d.rule_id).map_or("parse-error", |r| r.name);
        by_rule.entry(d.rule_id).or_insert((0, name)).0 += 1;
        let path = super::display_path(&scan.db.get(d.primary.file).path);
        *by_file.entry(path).or_default() += 1;
    }
    // Made one at a time, up to the cap: not a row for every finding of a large tree.
    let row = |d: &Diagnostic| {
        let file = scan.db.get(d.primary.file);
        let l = locate(&file, &d.primary);
        format!(
            "| `{}:{}:{}` | {} | {} | {} |\n",
            cell(&l.file),
            l.line,
            l.column,
            d.severity.as_str(),
            d.rule_id,
            cell(&d.message)
        )
    };
    out.push_str("| rule | name | findings |\n|---|---|---:|\n");
    for (id, (n, name)) in &by_rule {
        out.push_str(&format!("| {id} | {name} | {n} |\n"));
    }
    out.push_str("\n| file | findings |\n|---|---:|\n");
    for (file, n) in &by_file {
        out.push_str(&format!("| `{}` | {n} |\n", cell(file)));
    }
    out.push_str("\n| location | severity | rule | message |\n|---|---|---|---|\n");
    let reserve = 200;
    for (i, d) in diagnostics.iter().enumerate() {
        let row = row(d);
        if out.len() + row.len() + reserve > max_bytes {
            let left = diagnostics.len() - i;
            out.push_str(&format!(
                "\n_{left} more finding{} not shown: the summary is limited to 1 MiB. Run `ecslint check` locally or read the SARIF report for all of them._\n",
                if left == 1 { "" } else { "s" }
            ));
            return out;
        }
        out.push_str(&row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{ScanOptions, scan};

    #[test]
    fn large_summaries_are_cut_with_a_note() {
        let s = scan(&ScanOptions {
            paths: vec![std::path::PathBuf::from("testdata/example")],
            ..ScanOptions::default()
        })
        .unwrap();
        let diagnostics = crate::engine::check(&s, &Default::default());
        let full = render_capped(&s, &diagnostics, MAX_BYTES);
        assert!(!full.contains("not shown"));
        let cut = render_capped(&s, &diagnostics, 1200);
        assert!(cut.len() <= 1200, "{}", cut.len());
        assert!(cut.contains("more findings not shown"), "{cut}");
    }
}
