//! Every span a report can show — a finding's primary span, its labels, its fix's edits, parse
//! errors — lies inside its file and on character boundaries, with every rule selected: over our
//! own fixtures (`testdata/`) always, and over the third-party corpus when `ECSLINT_CORPUS` is set
//! (build.rs compiles that test as ignored without it). A span one byte into a multi-byte
//! character would panic a report that slices the text, or point a fix at half a character.

use ecslint::engine::{self, RuleSelection, ScanOptions};
use ecslint::rules::RULES;
use ecslint::source::Span;
use std::path::{Path, PathBuf};

/// The problems of every span of a full check of `root` (empty when all are sound), and how
/// many spans were looked at.
fn span_problems(root: &Path) -> (Vec<String>, usize) {
    let scan = engine::scan(&ScanOptions {
        paths: vec![root.to_path_buf()],
        ..ScanOptions::default()
    })
    .expect("scan");
    let every_rule = RuleSelection {
        select: RULES.iter().map(|r| r.id.to_owned()).collect(),
        ignore: Vec::new(),
    };
    let mut diagnostics = engine::check(&scan, &every_rule);
    diagnostics.extend(scan.parse_errors.iter().cloned());
    let mut problems = Vec::new();
    let mut seen = 0;
    for d in &diagnostics {
        let mut spans: Vec<(&str, &Span)> = vec![("primary", &d.primary)];
        spans.extend(d.labels.iter().map(|(s, _)| ("label", s)));
        if let Some(fix) = &d.fix {
            spans.extend(fix.edits.iter().map(|e| ("fix edit", &e.span)));
        }
        for (what, span) in spans {
            seen += 1;
            let file = scan.db.get(span.file);
            let (start, end) = (span.range.start as usize, span.range.end as usize);
            let sound = start <= end
                && end <= file.text.len()
                && file.text.is_char_boundary(start)
                && file.text.is_char_boundary(end);
            if !sound {
                problems.push(format!(
                    "{} {what} {start}..{end} of {} ({} bytes): {}",
                    d.rule_id,
                    file.path.display(),
                    file.text.len(),
                    d.message
                ));
            }
        }
    }
    eprintln!(
        "{}: {} findings, {seen} spans checked",
        root.display(),
        diagnostics.len()
    );
    (problems, seen)
}

#[test]
fn spans_of_our_fixtures_are_inside_their_files_on_char_boundaries() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let (problems, seen) = span_problems(&testdata);
    assert!(seen > 500, "only {seen} spans: the scan found too little");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
#[cfg_attr(not(ecslint_corpus), ignore = "needs ECSLINT_CORPUS (.ci/run sets it)")]
fn spans_of_the_corpus_are_inside_their_files_on_char_boundaries() {
    let corpus = PathBuf::from(std::env::var_os("ECSLINT_CORPUS").expect("ECSLINT_CORPUS"));
    assert!(corpus.is_dir(), "ECSLINT_CORPUS={}", corpus.display());
    let (problems, seen) = span_problems(&corpus);
    assert!(seen > 2_000, "only {seen} spans: the scan found too little");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
