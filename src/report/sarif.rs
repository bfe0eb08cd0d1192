//! SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer), built with serde-sarif
//! and written result by result (see [`write_with`]).
//! Columns are UTF-16 code units (SARIF's default `columnKind`), paths are relative to the
//! working directory under the `%SRCROOT%` base id.

use crate::diagnostic::{Diagnostic, PARSE_ERROR, Severity};
use crate::engine::Scan;
use crate::rules::{Family, RULES, Rule};
use crate::source::{SourceFile, Span};
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactChange, ArtifactLocation, Fix, Invocation, Location, Message, MultiformatMessageString,
    Notification, PhysicalLocation, PropertyBag, Region, Replacement, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn level_str(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's score for security rules (a numeric string in (0, 10]); `None` for rules about
/// reliability or cost, which code scanning then shows as plain errors/warnings.
fn security_severity(rule: &Rule) -> Option<&'static str> {
    match (rule.family, rule.id) {
        (Family::Secrets, "ECS501") => Some("8.5"),
        (Family::Secrets, _) => Some("5.0"),
        (Family::Network, "ECS203") | (Family::Network, "ECS204") => Some("5.3"),
        (Family::Iam | Family::Security, _) => Some(match rule.severity {
            Severity::Error => "7.5",
            Severity::Warning => "5.0",
            Severity::Info => "3.0",
        }),
        _ => None,
    }
}

/// The page body without its front matter, and the first paragraph of "What it checks".
fn page_parts(doc: &str) -> (&str, String) {
    let body = doc
        .strip_prefix("---")
        .and_then(|rest| rest.find("\n---").map(|i| rest[i + 4..].trim_start()))
        .unwrap_or(doc);
    let what = body
        .split("## What it checks")
        .nth(1)
        .map(|s| {
            s.trim_start()
                .split("\n\n")
                .next()
                .unwrap_or("")
                .replace('\n', " ")
        })
        .unwrap_or_default();
    (body, what)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let (body, what) = page_parts(rule.doc);
    let mut extra = BTreeMap::new();
    extra.insert("precision".to_owned(), json!("very-high"));
    if let Some(score) = security_severity(rule) {
        extra.insert("security-severity".to_owned(), json!(score));
    }
    let mut tags = vec!["ecs".to_owned(), rule.family.as_str().to_owned()];
    // SARIF tags are a set (the schema says unique items): the security family is one tag.
    if security_severity(rule).is_some() && rule.family.as_str() != "security" {
        tags.push("security".to_owned());
    }
    ReportingDescriptor::builder()
        .id(rule.id)
        .name(rule.name)
        .short_description(
            MultiformatMessageString::builder()
                .text(rule.summary)
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(truncate(
                    if what.is_empty() { rule.summary } else { &what },
                    1024,
                ))
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(body)
                .markdown(body)
                .build(),
        )
        .help_uri(crate::rules::page_url(rule.id))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_str(rule.severity)))
                .enabled(rule.enabled_by_default)
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(extra)
                .build(),
        )
        .build()
}

fn parse_error_descriptor() -> ReportingDescriptor {
    let text = "An input file is not valid JSON, YAML or HCL; it was not checked.";
    ReportingDescriptor::builder()
        .id(PARSE_ERROR)
        .name("parse-error")
        .short_description(
            MultiformatMessageString::builder()
                .text("Input does not parse")
                .build(),
        )
        .full_description(MultiformatMessageString::builder().text(text).build())
        .help(
            MultiformatMessageString::builder()
                .text(text)
                .markdown(format!(
                    "{text} Fix the syntax error at the reported position."
                ))
                .build(),
        )
        .help_uri(crate::rules::page_url(PARSE_ERROR))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!("error"))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec!["ecs".to_owned(), "syntax".to_owned()])
                .additional_properties(BTreeMap::from([(
                    "precision".to_owned(),
                    json!("very-high"),
                )]))
                .build(),
        )
        .build()
}

/// A relative path becomes a `%SRCROOT%`-relative URI; an absolute one inside the working
/// directory is made relative; anything else stays an absolute `file://` URI.
fn artifact(path: &Path, cwd: &Path) -> ArtifactLocation {
    let relative = if path.is_absolute() {
        path.strip_prefix(cwd).ok().map(Path::to_path_buf)
    } else {
        Some(path.to_path_buf())
    };
    match relative {
        Some(rel) => ArtifactLocation::builder()
            .uri(encode_uri_path(&super::display_path(&rel)))
            .uri_base_id(SRCROOT)
            .build(),
        None => ArtifactLocation::builder()
            .uri(format!(
                "file://{}",
                encode_uri_path(&path.to_string_lossy())
            ))
            .build(),
    }
}

fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(file: &SourceFile, span: &Span) -> Region {
    let (l0, c0) = file.line_col_utf16(span.start());
    let (l1, c1) = file.line_col_utf16(span.end());
    Region::builder()
        .start_line(l0 as i64 + 1)
        .start_column(c0 as i64 + 1)
        .end_line(l1 as i64 + 1)
        .end_column(c1 as i64 + 1)
        .build()
}

fn location(scan: &Scan, cwd: &Path, span: &Span, message: Option<&str>) -> Location {
    let file = scan.db.get(span.file);
    let physical = PhysicalLocation::builder()
        .artifact_location(artifact(&file.path, cwd))
        .region(region(&file, span))
        .build();
    match message {
        Some(m) => Location::builder()
            .physical_location(physical)
            .message(Message::builder().text(m).build())
            .build(),
        None => Location::builder().physical_location(physical).build(),
    }
}

/// The text a fingerprint hashes: the finding's line, trimmed; on a very long line (minified
/// JSON) a window around the finding, so hashing stays linear in the number of findings.
fn fingerprint_text(text: &str, line: std::ops::Range<usize>, at: usize) -> &str {
    const WINDOW: usize = 256;
    let line_text = &text[line.clone()];
    if line_text.len() <= 2 * WINDOW {
        return line_text.trim();
    }
    let boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = boundary(at.saturating_sub(WINDOW).max(line.start));
    let end = boundary((at + WINDOW).min(line.end));
    &text[start..end]
}

/// FNV-1a: a stable, dependency-free hash (fingerprints must not change between releases).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

pub fn render(scan: &Scan, diagnostics: &[Diagnostic]) -> String {
    render_with(scan, diagnostics, &Extra::default())
}

/// GitHub code scanning accepts at most this many results per run (and rejects the upload
/// beyond it), so this is the default cap.
pub const GITHUB_MAX_RESULTS: usize = 25_000;

/// A suppressed finding, its SARIF `suppression.kind`, justification, and baseline state and
/// fingerprint if any.
pub type SuppressedResult = (
    Diagnostic,
    &'static str,
    Option<String>,
    Option<(&'static str, String)>,
);

/// Baseline states and suppressed findings (see `src/adoption.rs`), and the result cap.
#[derive(Debug)]
pub struct Extra {
    /// Per reported finding, in order: `baselineState` and the `ecslint/v1` fingerprint.
    pub baseline: Option<Vec<(&'static str, String)>>,
    /// Suppressed findings to include (`--report-suppressed`): the finding, SARIF
    /// `suppression.kind`, the justification, and baseline state and fingerprint if any.
    pub suppressed: Vec<SuppressedResult>,
    /// At most this many results in the run (`None`: no cap). Beyond it the least severe are
    /// dropped (suppressed ones first) and the run carries a notification saying so.
    pub max_results: Option<usize>,
}

impl Default for Extra {
    fn default() -> Self {
        Extra {
            baseline: None,
            suppressed: Vec::new(),
            max_results: Some(GITHUB_MAX_RESULTS),
        }
    }
}

/// What the cap left out of a run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub results: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub suppressed: usize,
}

impl Dropped {
    /// The sentence the run's notification and the CLI's warning both use.
    pub fn message(&self, kept: usize) -> String {
        format!(
            "SARIF result limit: {} of {} results were left out of this run ({} error{}, {} \
             warning{}, {} note{}; {} of them suppressed) to keep it within {kept} results \
             (GitHub code scanning accepts at most {GITHUB_MAX_RESULTS} per run). The most \
             severe results were kept; `--format json` lists them all, and \
             `--sarif-max-results` changes the limit.",
            self.results,
            self.results + kept,
            self.errors,
            super::plural(self.errors),
            self.warnings,
            super::plural(self.warnings),
            self.notes,
            super::plural(self.notes),
            self.suppressed,
        )
    }
}

/// [`render`] with baseline states and suppressed results.
pub fn render_with(scan: &Scan, reported: &[Diagnostic], extra: &Extra) -> String {
    let mut out = Vec::new();
    write_with(scan, reported, extra, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("SARIF is UTF-8")
}

/// Which results a run keeps under `max`: all of them if they fit, otherwise the `max` most
/// important (reported before suppressed, then by severity, then in report order).
fn keep(diagnostics: &[&Diagnostic], reported: usize, max: Option<usize>) -> Option<Vec<bool>> {
    let max = max?;
    if diagnostics.len() <= max {
        return None;
    }
    let rank = |s: Severity| match s {
        Severity::Error => 0u8,
        Severity::Warning => 1,
        Severity::Info => 2,
    };
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_key(|&i| (i >= reported, rank(diagnostics[i].severity), i));
    let mut keep = vec![false; diagnostics.len()];
    for &i in &order[..max] {
        keep[i] = true;
    }
    Some(keep)
}

/// Writes the SARIF log as it goes: the run's fixed part (tool, rules) is serialised once, then
/// each result on its own, so memory does not grow with the number of results. The bytes are
/// those of pretty-printing the whole log at once. Returns what the result cap left out.
pub fn write_with(
    scan: &Scan,
    reported: &[Diagnostic],
    extra: &Extra,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Dropped> {
    let diagnostics: Vec<&Diagnostic> = reported
        .iter()
        .chain(extra.suppressed.iter().map(|s| &s.0))
        .collect();
    let n = reported.len();
    let kept = keep(&diagnostics, n, extra.max_results);
    let mut dropped = Dropped::default();
    if let Some(kept) = &kept {
        for (i, d) in diagnostics.iter().enumerate().filter(|(i, _)| !kept[*i]) {
            dropped.results += 1;
            match d.severity {
                Severity::Error => dropped.errors += 1,
                Severity::Warning => dropped.warnings += 1,
                Severity::Info => dropped.notes += 1,
            }
            if i >= n {
                dropped.suppressed += 1;
            }
        }
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let index: HashMap<&str, usize> = RULES
        .iter()
        .map(|r| r.id)
        .chain([PARSE_ERROR])
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();

    let (head, tail) = skeleton(&cwd, &dropped, diagnostics.len() - dropped.results);
    out.write_all(head.as_bytes())?;
    // Fingerprints hash the rule, the file and the primary line's text (not its number), plus
    // an occurrence counter, so moving unrelated lines keeps alerts stable. They are counted
    // over every result, kept or not, so the cap never changes a kept result's fingerprint.
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut written = 0usize;
    let mut buf = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let file = scan.db.get(d.primary.file);
        // In `file.text` (of an excerpt, only some lines are kept).
        let at = file.local(d.primary.start());
        let (line, line_start) = file.lines.line_of(at);
        let line_end = file.lines.line_start(line + 1).unwrap_or(file.text.len());
        let line_text = fingerprint_text(&file.text, line_start..line_end, at);
        let key = fnv1a(&[d.rule_id, &super::display_path(&file.path), line_text]);
        let count = seen.entry(key).or_default();
        *count += 1;
        if kept.as_ref().is_some_and(|k| !k[i]) {
            continue;
        }
        let fingerprint = format!("{key:016x}:{count}");
        let mut result = result(scan, &cwd, &index, d, fingerprint);
        let state = if i < n {
            extra.baseline.as_ref().and_then(|b| b.get(i).cloned())
        } else {
            extra.suppressed[i - n].3.clone()
        };
        if let Some((state, fingerprint)) = state {
            result.baseline_state = Some(json!(state));
            result
                .partial_fingerprints
                .get_or_insert_with(BTreeMap::new)
                .insert("ecslint/v1".to_owned(), fingerprint);
        }
        if i >= n {
            let (_, kind, justification, _) = &extra.suppressed[i - n];
            let mut s = serde_sarif::sarif::Suppression::builder()
                .kind(json!(kind))
                .build();
            s.justification = justification.clone();
            result.suppressions = Some(vec![s]);
        }
        buf.clear();
        serde_json::to_writer_pretty(&mut buf, &result).map_err(std::io::Error::other)?;
        out.write_all(if written == 0 { b"\n" } else { b",\n" })?;
        // Each line of the result one level deeper than the `results` array (8 spaces): JSON
        // strings escape their newlines, so every b'\n' here is pretty-printing's own.
        for (j, line) in buf.split(|&b| b == b'\n').enumerate() {
            if j > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(RESULT_INDENT.as_bytes())?;
            out.write_all(line)?;
        }
        written += 1;
    }
    if written > 0 {
        out.write_all(b"\n      ")?;
    }
    out.write_all(tail.as_bytes())?;
    Ok(dropped)
}

const RESULT_INDENT: &str = "        ";
const RESULTS_MARK: &str = "\"results\": []";

/// The pretty-printed log with an empty `results` array, split just inside that array's
/// brackets. With `dropped` results, the run also has an invocation whose notification says
/// what the cap left out.
fn skeleton(cwd: &Path, dropped: &Dropped, kept: usize) -> (String, String) {
    let mut rules: Vec<ReportingDescriptor> = RULES.iter().map(|r| descriptor(r)).collect();
    rules.push(parse_error_descriptor());
    let driver = ToolComponent::builder()
        .name("ecslint")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(rules)
        .build();
    let mut base = cwd.to_string_lossy().replace('\\', "/");
    if !base.ends_with('/') {
        base.push('/');
    }
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(Vec::<SarifResult>::new())
        .column_kind(json!("utf16CodeUnits"))
        .original_uri_base_ids(BTreeMap::from([(
            SRCROOT.to_owned(),
            ArtifactLocation::builder()
                .uri(format!("file://{}", encode_uri_path(&base)))
                .build(),
        )]))
        .build();
    if dropped.results > 0 {
        run.invocations = Some(vec![
            Invocation::builder()
                .execution_successful(true)
                .tool_execution_notifications(vec![
                    Notification::builder()
                        .level(json!("warning"))
                        .message(Message::builder().text(dropped.message(kept)).build())
                        .build(),
                ])
                .build(),
        ]);
    }
    let sarif = Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut s = serde_json::to_string_pretty(&sarif).expect("serializable");
    s.push('\n');
    let at = s.find(RESULTS_MARK).expect("the empty results array") + RESULTS_MARK.len() - 1;
    let tail = s.split_off(at);
    (s, tail)
}

/// One result, without baseline state or suppression.
fn result(
    scan: &Scan,
    cwd: &Path,
    index: &HashMap<&str, usize>,
    d: &Diagnostic,
    fingerprint: String,
) -> SarifResult {
    let message = d.message_with_help();
    let mut result = SarifResult::builder()
        .rule_id(d.rule_id)
        .rule_index(index.get(d.rule_id).copied().unwrap_or(0) as i64)
        .level(level(d.severity))
        .message(Message::builder().text(message).build())
        .locations(vec![location(scan, cwd, &d.primary, None)])
        .partial_fingerprints(BTreeMap::from([(
            "primaryLocationLineHash".to_owned(),
            fingerprint,
        )]))
        .build();
    if !d.labels.is_empty() {
        result.related_locations = Some(
            d.labels
                .iter()
                .map(|(s, m)| location(scan, cwd, s, Some(m)))
                .collect(),
        );
    }
    if let Some(fix) = &d.fix {
        result.fixes = Some(vec![
            Fix::builder()
                .description(Message::builder().text(fix.description.clone()).build())
                .artifact_changes(
                    fix.edits
                        .iter()
                        .map(|e| {
                            let file = scan.db.get(e.span.file);
                            ArtifactChange::builder()
                                .artifact_location(artifact(&file.path, cwd))
                                .replacements(vec![
                                    Replacement::builder()
                                        .deleted_region(region(&file, &e.span))
                                        .inserted_content(
                                            serde_sarif::sarif::ArtifactContent::builder()
                                                .text(e.replacement.clone())
                                                .build(),
                                        )
                                        .build(),
                                ])
                                .build()
                        })
                        .collect::<Vec<_>>(),
                )
                .build(),
        ]);
    }
    result
}

#[cfg(test)]
mod tests {
    /// The SARIF schema makes `tags` a set: GitHub rejects a run with a repeated tag.
    #[test]
    fn rule_tags_are_unique() {
        for rule in crate::rules::RULES {
            let descriptor = serde_json::to_value(super::descriptor(rule)).unwrap();
            let tags: Vec<&str> = descriptor["properties"]["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            let mut unique = tags.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), tags.len(), "{}: {tags:?}", rule.id);
        }
    }
}
