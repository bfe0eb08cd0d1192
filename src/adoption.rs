//! The command line's adoption flags (configuration, suppressions, baseline, fixes) and the
//! glue between them and the reports, kept apart from `main.rs` so that file changes little.

use super::{FailLevel, InputArgs};
use clap::Args;
use ecslint::baseline;
use ecslint::config::{Config, FailOnName};
use ecslint::diagnostic::Diagnostic;
use ecslint::engine::{Scan, ScanOptions};
use ecslint::pipeline::{Outcome, Suppressed};
use ecslint::report;
use ecslint::suppress::Kind;
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct AdoptionArgs {
    /// Run these rules in addition to the selection (same forms as --select).
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Do not run these rules, in addition to the ignored ones (same forms as --select).
    #[arg(long, value_delimiter = ',')]
    pub extend_ignore: Vec<String>,
    /// Use this config file for every input instead of discovering `.ecslint.toml`.
    #[arg(long, conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every config file (built-in defaults and command-line flags only).
    #[arg(long)]
    pub isolated: bool,
    /// Report every finding: no inline, Metadata, `[[suppress]]` or baseline filter (an audit).
    #[arg(long)]
    pub ignore_suppressions: bool,
    /// Print which config file each unit used (to standard error).
    #[arg(long, short)]
    pub verbose: bool,
    /// Include suppressed findings in SARIF, with `suppressions` (kind and justification).
    #[arg(long)]
    pub report_suppressed: bool,
    /// Report only findings not in this baseline file (config: `baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings to a baseline file (default: the --baseline/config file,
    /// else .ecslint-baseline.json) and exit 0.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
    pub write_baseline: Option<String>,
    /// Drop baseline entries that no longer occur (never adds one), then report as usual.
    #[arg(long)]
    pub prune_baseline: bool,
    /// Do not fail because baseline entries no longer occur.
    #[arg(long)]
    pub pass_on_stale_baseline: bool,
    /// Apply safe fixes in place (repeated until nothing changes, at most 10 passes), then
    /// report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: apply unsafe fixes too.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 when there is one.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Apply fixes and print only what was fixed (implies --fix).
    #[arg(long)]
    pub fix_only: bool,
    /// With --fix: exit 1 when anything was changed.
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
    /// Insert an own-line `ecslint-ignore` comment above each finding in Terraform and
    /// CloudFormation YAML files (with this reason), then exit.
    #[arg(long, value_name = "REASON", num_args = 0..=1, default_missing_value = "")]
    pub add_ignore: Option<String>,
}

pub fn fail_level(f: FailOnName) -> FailLevel {
    match f {
        FailOnName::Error => FailLevel::Error,
        FailOnName::Warning => FailLevel::Warning,
        FailOnName::Info => FailLevel::Info,
        FailOnName::Never => FailLevel::Never,
    }
}

/// Run-wide settings from the config: flags given on the command line win.
pub fn apply_run_config(options: &mut ScanOptions, input: &InputArgs, config: &Config) {
    if input.region.is_none() {
        options.region = config.region.clone();
    }
    if input.var_files.is_empty()
        && let Some(files) = &config.var_files
    {
        options.var_files = files.clone();
    }
    if input.max_file_size == ecslint::engine::DEFAULT_MAX_FILE_SIZE
        && let Some(max) = config.max_file_size
    {
        options.max_file_size = max;
    }
}

/// `N suppressed (inline a, metadata b, config c, baseline d)`, with its newline; empty when
/// nothing was suppressed.
pub fn suppressed_line(suppressed: &[Suppressed]) -> String {
    if suppressed.is_empty() {
        return String::new();
    }
    let n = |k: Kind| suppressed.iter().filter(|s| s.kind == k).count();
    format!(
        "{} suppressed (inline {}, metadata {}, config {}, baseline {})\n",
        suppressed.len(),
        n(Kind::Inline),
        n(Kind::Metadata),
        n(Kind::Config),
        n(Kind::Baseline)
    )
}

/// The JSON report's `suppressed` list: `{rule, path, line, kind, reason}`.
pub fn json_suppressed(scan: &Scan, suppressed: &[Suppressed]) -> Vec<serde_json::Value> {
    suppressed
        .iter()
        .map(|s| {
            let d = &s.diagnostic;
            let file = scan.db.get(d.primary.file);
            let at = report::locate(&file, &d.primary);
            serde_json::json!({
                "rule": d.rule_id,
                "path": at.file,
                "line": at.line,
                "kind": s.kind.as_str(),
                "reason": s.reason,
            })
        })
        .collect()
}

/// A summary line as a Markdown paragraph (empty stays empty).
pub fn markdown(line: &str) -> String {
    if line.is_empty() {
        String::new()
    } else {
        format!("\n{line}")
    }
}

/// What the reports need after the baseline: the findings left, every suppressed one, the
/// summary lines and the extra JSON/SARIF sections.
pub struct Post {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: Vec<Suppressed>,
    /// Summary lines (suppressed counts, baseline), each with its newline.
    pub lines: String,
    pub json_extra: Map<String, Value>,
    pub sarif_extra: report::sarif::Extra,
    /// Stale baseline entries fail the run.
    pub stale_fails: bool,
    /// `--write-baseline` ends the run here.
    pub exit: Option<ExitCode>,
}

/// The baseline a run reads (`--baseline`, else the config's; none in an audit run).
fn configured_baseline(a: &AdoptionArgs, config: &Config) -> Option<PathBuf> {
    a.baseline
        .clone()
        .or_else(|| config.baseline.clone())
        .filter(|_| !a.ignore_suppressions)
}

/// Whether the run reads or writes a baseline, and so needs the findings' identities.
pub fn uses_baseline(a: &AdoptionArgs, config: &Config) -> bool {
    a.write_baseline.is_some() || configured_baseline(a, config).is_some()
}

pub fn post_process(
    scan: &Scan,
    outcome: Outcome,
    a: &AdoptionArgs,
    config: &Config,
) -> Result<Post, String> {
    let Outcome {
        diagnostics,
        identities,
        mut suppressed,
        ..
    } = outcome;
    let configured = configured_baseline(a, config);
    let mut post = Post {
        diagnostics: Vec::new(),
        suppressed: Vec::new(),
        lines: String::new(),
        json_extra: Map::new(),
        sarif_extra: report::sarif::Extra::default(),
        stale_fails: false,
        exit: None,
    };
    if let Some(target) = &a.write_baseline {
        let path = if target.is_empty() {
            configured.unwrap_or_else(|| PathBuf::from(baseline::DEFAULT_FILE))
        } else {
            PathBuf::from(target)
        };
        let dir = baseline::base_dir(&path);
        let entries = baseline::entries_for(scan, &diagnostics, &identities, &dir);
        let findings: usize = entries.iter().map(|e| e.count).sum();
        std::fs::write(&path, baseline::render(entries))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!(
            "wrote {findings} finding{} to {}",
            if findings == 1 { "" } else { "s" },
            path.display()
        );
        post.exit = Some(ExitCode::SUCCESS);
        return Ok(post);
    }
    let mut states: Vec<(&'static str, String)> = Vec::new();
    let mut baseline_states: Vec<Option<(&'static str, String)>> = vec![None; suppressed.len()];
    if let Some(path) = &configured {
        let file = baseline::read(path)?;
        let dir = baseline::base_dir(path);
        let run = baseline::run_paths(scan, &dir);
        let applied = baseline::apply(&file, &diagnostics, &identities, &dir, &run);
        let mut matched = 0;
        for ((d, hit), fp) in diagnostics
            .into_iter()
            .zip(applied.matched)
            .zip(applied.fingerprints)
        {
            if hit {
                matched += 1;
                suppressed.push(Suppressed {
                    diagnostic: d,
                    kind: Kind::Baseline,
                    reason: Some(format!("in baseline {}", report::display_path(path))),
                });
                baseline_states.push(Some(("unchanged", fp)));
            } else {
                post.diagnostics.push(d);
                states.push(("new", fp));
            }
        }
        let stale: usize = applied.stale.iter().map(|e| e.count).sum();
        post.lines.push_str(&format!(
            "{matched} finding{} in baseline\n",
            if matched == 1 { "" } else { "s" }
        ));
        let new = post.diagnostics.len();
        let shown_stale = if a.prune_baseline { 0 } else { stale };
        post.lines.push_str(&format!(
            "baseline: {new} new, {matched} baselined, {shown_stale} stale\n"
        ));
        if a.prune_baseline {
            std::fs::write(path, baseline::render(applied.kept))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if stale > 0 {
                post.lines.push_str(&format!(
                    "baseline: pruned {stale} entr{} that no longer occur{}\n",
                    if stale == 1 { "y" } else { "ies" },
                    if stale == 1 { "s" } else { "" }
                ));
            }
        } else if stale > 0 {
            post.lines.push_str(&format!(
                "baseline: {stale} entr{} no longer occur{} (run with --prune-baseline to drop {})\n",
                if stale == 1 { "y" } else { "ies" },
                if stale == 1 { "s" } else { "" },
                if stale == 1 { "it" } else { "them" }
            ));
            post.stale_fails = !a.pass_on_stale_baseline
                && config.baseline_stale != Some(ecslint::config::StaleName::Warn);
        }
        post.json_extra.insert(
            "baseline".into(),
            serde_json::json!({
                "file": report::display_path(path),
                "matched": matched,
                "stale": if a.prune_baseline { Vec::new() } else { applied.stale },
            }),
        );
        post.sarif_extra.baseline = Some(states);
    } else {
        post.diagnostics = diagnostics;
    }
    let line = suppressed_line(&suppressed);
    post.lines = line + &post.lines;
    let listed = json_suppressed(scan, &suppressed);
    if !listed.is_empty() {
        post.json_extra
            .insert("suppressed".into(), Value::Array(listed));
    }
    if a.report_suppressed {
        post.sarif_extra.suppressed = suppressed
            .iter()
            .zip(baseline_states)
            .map(|(s, b)| {
                (
                    s.diagnostic.clone(),
                    s.kind.sarif_kind(),
                    s.reason.clone(),
                    b,
                )
            })
            .collect();
    }
    post.suppressed = suppressed;
    Ok(post)
}

/// "N fixable with `--fix` (M more with `--unsafe-fixes`)", or nothing.
pub fn fixable_line(diagnostics: &[Diagnostic]) -> String {
    use ecslint::diagnostic::Applicability;
    let n = |a| {
        diagnostics
            .iter()
            .filter(|d| d.fix.is_some() && d.fix_applicability == a)
            .count()
    };
    let (safe, unsafe_) = (n(Applicability::Safe), n(Applicability::Unsafe));
    match (safe, unsafe_) {
        (0, 0) => String::new(),
        (s, 0) => format!("{s} fixable with `--fix`\n"),
        (s, u) => format!("{s} fixable with `--fix` ({u} more with `--unsafe-fixes`)\n"),
    }
}

/// What `--fix`/`--diff` did.
#[derive(Default)]
pub struct Fixed {
    /// Summary lines ("fixed 3 findings (ECS101 2, ECS603 1) in 2 files"), with newlines.
    pub lines: String,
    /// `--exit-non-zero-on-fix` and something changed.
    pub fail: bool,
    /// `--diff` ends the run here.
    pub exit: Option<ExitCode>,
}

const MAX_PASSES: usize = 10;
const BOM: &[u8] = b"\xef\xbb\xbf";

/// The edits of one pass, grouped by file: (file path, [(rule, edits)]).
type PassEdits =
    std::collections::BTreeMap<PathBuf, Vec<(&'static str, Vec<(std::ops::Range<usize>, String)>)>>;

fn pass_edits(
    options: &ScanOptions,
    resolver: &ecslint::config::Resolver,
    pipeline: &ecslint::pipeline::Options,
    unsafe_fixes: bool,
    banned: &std::collections::HashSet<(String, PathBuf)>,
) -> Result<(Scan, PassEdits), String> {
    let (scan, mut outcome) =
        ecslint::pipeline::scan_and_run(options, resolver, pipeline, options.region.as_deref())
            .map_err(|e| e.to_string())?
            .map_err(|e| e.0)?;
    ecslint::fix::classify(&mut outcome.diagnostics);
    let mut by_file: PassEdits = Default::default();
    for d in &outcome.diagnostics {
        if !ecslint::fix::wanted(d, unsafe_fixes) {
            continue;
        }
        let fix = d.fix.as_ref().expect("wanted has a fix");
        let Some(first) = fix.edits.first() else {
            continue;
        };
        // All edits of a fix must be in one file (ecslint's are).
        if fix.edits.iter().any(|e| e.span.file != first.span.file) {
            continue;
        }
        let path = scan.db.get(first.span.file).path.to_path_buf();
        if banned.contains(&(d.rule_id.to_string(), path.clone())) {
            continue;
        }
        by_file.entry(path).or_default().push((
            d.rule_id,
            fix.edits
                .iter()
                .map(|e| (e.span.start()..e.span.end(), e.replacement.clone()))
                .collect(),
        ));
    }
    Ok((scan, by_file))
}

fn has_parse_error(scan: &Scan, path: &std::path::Path) -> bool {
    scan.parse_errors.iter().any(|d| {
        d.rule_id == ecslint::diagnostic::PARSE_ERROR && *scan.db.get(d.primary.file).path == *path
    })
}

/// `--fix` (in place, to a fixpoint) or `--diff` (one pass in memory, printed).
pub fn fix_files(
    options: &ScanOptions,
    resolver: &ecslint::config::Resolver,
    pipeline: &ecslint::pipeline::Options,
    a: &AdoptionArgs,
) -> Result<Fixed, String> {
    let mut out = Fixed::default();
    if !(a.fix || a.fix_only || a.diff) {
        return Ok(out);
    }
    let mut banned = std::collections::HashSet::new();
    if a.diff {
        let (scan, by_file) = pass_edits(options, resolver, pipeline, a.unsafe_fixes, &banned)?;
        let mut diff = String::new();
        for (path, fixes) in &by_file {
            let file = scan.db.find(path).expect("scanned file");
            let edits: Vec<_> = fixes.iter().map(|(_, e)| e.clone()).collect();
            let (new, _) = ecslint::fix::apply(&file.text, &edits);
            let bytes = std::fs::read(path).unwrap_or_default();
            let bom = if bytes.starts_with(BOM) {
                "\u{feff}"
            } else {
                ""
            };
            diff.push_str(&ecslint::fix::unified_diff(
                &report::display_path(path),
                &format!("{bom}{}", file.text),
                &format!("{bom}{new}"),
            ));
        }
        print!("{diff}");
        out.exit = Some(if diff.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
        return Ok(out);
    }
    let mut fixed: std::collections::BTreeMap<&'static str, usize> = Default::default();
    let mut files: std::collections::BTreeSet<PathBuf> = Default::default();
    // Files written by the previous pass: (path, bytes before, rules applied).
    let mut last: Vec<(PathBuf, Vec<u8>, Vec<&'static str>, bool)> = Vec::new();
    let mut converged = false;
    let mut pending_rules: Vec<&'static str> = Vec::new();
    for pass in 0..=MAX_PASSES {
        let (scan, by_file) = pass_edits(options, resolver, pipeline, a.unsafe_fixes, &banned)?;
        // A fix that made a parse-clean file fail to parse is undone and never retried.
        let mut reverted = false;
        for (path, before, rules, was_broken) in last.drain(..) {
            if !was_broken && has_parse_error(&scan, &path) {
                std::fs::write(&path, &before).map_err(|e| format!("{}: {e}", path.display()))?;
                eprintln!(
                    "error: fix for {} introduced a parse error in {}; not applied (this is a bug in ecslint)",
                    rules.join(", "),
                    report::display_path(&path)
                );
                for r in rules {
                    banned.insert((r.to_string(), path.clone()));
                    if let Some(n) = fixed.get_mut(r) {
                        *n = n.saturating_sub(1);
                    }
                }
                reverted = true;
            }
        }
        if reverted {
            continue;
        }
        if by_file.is_empty() {
            converged = true;
            break;
        }
        if pass == MAX_PASSES {
            pending_rules = by_file
                .values()
                .flatten()
                .map(|(r, _)| *r)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            break;
        }
        for (path, fixes) in &by_file {
            let file = scan.db.find(path).expect("scanned file");
            let edits: Vec<_> = fixes.iter().map(|(_, e)| e.clone()).collect();
            let (new, used) = ecslint::fix::apply(&file.text, &edits);
            if used.is_empty() {
                continue;
            }
            let before = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut bytes = if before.starts_with(BOM) {
                BOM.to_vec()
            } else {
                Vec::new()
            };
            bytes.extend_from_slice(new.as_bytes());
            std::fs::write(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            let rules: Vec<&'static str> = used.iter().map(|&i| fixes[i].0).collect();
            for r in &rules {
                *fixed.entry(r).or_default() += 1;
            }
            files.insert(path.clone());
            last.push((path.clone(), before, rules, has_parse_error(&scan, path)));
        }
    }
    if !converged && !pending_rules.is_empty() {
        eprintln!(
            "warning: fixes did not converge after {MAX_PASSES} passes ({} still fixable)",
            pending_rules.join(", ")
        );
    }
    let total: usize = fixed.values().sum();
    if total > 0 {
        out.lines = format!(
            "fixed {total} finding{} ({}) in {} file{}\n",
            if total == 1 { "" } else { "s" },
            fixed
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(r, n)| format!("{r} {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
    }
    out.fail = a.exit_non_zero_on_fix && total > 0;
    Ok(out)
}

/// `--add-ignore[=REASON]`: one own-line directive above each line with findings in `.tf` and
/// CloudFormation YAML files; in CloudFormation JSON an entry in the resource's (or, outside
/// the resources, the template's) `Metadata.ecslint.ignore`; in `.tf.json` a `"//"` directive in
/// the resource body. Raw task-definition JSON cannot carry either: those are counted and left to
/// the baseline.
pub fn add_ignore(
    scan: &Scan,
    diagnostics: &[Diagnostic],
    reason: &str,
) -> Result<ExitCode, String> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut by_file: BTreeMap<PathBuf, BTreeMap<usize, BTreeSet<&'static str>>> = BTreeMap::new();
    let mut in_json: BTreeMap<PathBuf, Vec<(usize, &'static str)>> = BTreeMap::new();
    let mut left = 0;
    for d in diagnostics {
        if d.rule_id == ecslint::diagnostic::PARSE_ERROR || d.rule_id.starts_with("ECS01") {
            continue;
        }
        let file = scan.db.get(d.primary.file);
        let name = file.path.to_string_lossy().to_ascii_lowercase();
        let hcl = name.ends_with(".tf") || name.ends_with(".tofu");
        let yaml = [".yaml", ".yml", ".template"]
            .iter()
            .any(|e| name.ends_with(e));
        let json_text = file
            .text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{');
        if json_text && !hcl {
            in_json
                .entry(file.path.to_path_buf())
                .or_default()
                .push((d.primary.start(), d.rule_id));
            continue;
        }
        if !(hcl || yaml) {
            left += 1;
            continue;
        }
        let line = ecslint::suppress::directive_line(&file.text, d.primary.start(), hcl);
        by_file
            .entry(file.path.to_path_buf())
            .or_default()
            .entry(line)
            .or_default()
            .insert(d.rule_id);
    }
    let mut added = 0;
    let mut edited = 0;
    for (path, lines) in &by_file {
        let file = scan.db.find(path).expect("scanned");
        let text = &file.text;
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let mut out = String::with_capacity(text.len() + 64 * lines.len());
        let mut at = 0;
        for (&start, rules) in lines {
            out.push_str(&text[at..start]);
            let indent: String = text[start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let ids: Vec<&str> = rules.iter().copied().collect();
            out.push_str(&indent);
            out.push_str("# ecslint-ignore ");
            out.push_str(&ids.join(", "));
            if !reason.is_empty() {
                out.push_str(" -- ");
                out.push_str(reason);
            }
            out.push_str(newline);
            at = start;
            added += 1;
        }
        out.push_str(&text[at..]);
        write_keeping_bom(path, &out)?;
        edited += 1;
    }
    for (path, findings) in &in_json {
        let file = scan.db.find(path).expect("scanned");
        let tf_json = {
            let name = path.to_string_lossy().to_ascii_lowercase();
            name.ends_with(".tf.json") || name.ends_with(".tofu.json")
        };
        let (inserts, not_placed) = json_ignores(&file.text, findings, tf_json, reason);
        left += not_placed;
        if inserts.is_empty() {
            continue;
        }
        let mut out = file.text.clone();
        for (at, insert) in inserts.iter().rev() {
            out.insert_str(*at, insert);
        }
        added += inserts.len();
        write_keeping_bom(path, &out)?;
        edited += 1;
    }
    eprintln!(
        "added {added} ecslint-ignore directive{} in {edited} file{}",
        if added == 1 { "" } else { "s" },
        if edited == 1 { "" } else { "s" }
    );
    if left > 0 {
        eprintln!(
            "{left} finding{} in task-definition JSON (which cannot carry comments) left as they are: accept them with --write-baseline or [[suppress]] in .ecslint.toml",
            if left == 1 { "" } else { "s" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn write_keeping_bom(path: &std::path::Path, text: &str) -> Result<(), String> {
    let before = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = if before.starts_with(BOM) {
        BOM.to_vec()
    } else {
        Vec::new()
    };
    bytes.extend_from_slice(text.as_bytes());
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Where `--add-ignore` writes into a JSON file: `(offset, text)` insertions in ascending order,
/// and how many findings have no place (task-definition JSON; an object that already has the
/// key, which is left for a person to merge).
fn json_ignores(
    text: &str,
    findings: &[(usize, &'static str)],
    tf_json: bool,
    reason: &str,
) -> (Vec<(usize, String)>, usize) {
    use ecslint::syntax::node::{Node, parse_json_at};
    use std::collections::{BTreeMap, BTreeSet};
    let Ok(Some(root)) = parse_json_at(text, ecslint::source::FileId(0), 0) else {
        return (Vec::new(), findings.len());
    };
    let inside = |n: &Node, at: usize| n.span.start() <= at && at < n.span.end();
    let resources: Vec<&Node> = if tf_json {
        root.get("resource")
            .and_then(Node::as_object)
            .into_iter()
            .flatten()
            .flat_map(|(_, named)| named.as_object().into_iter().flatten().map(|(_, b)| b))
            .filter(|b| b.as_object().is_some())
            .collect()
    } else if root.get("Resources").and_then(Node::as_object).is_some() {
        root.get("Resources")
            .and_then(Node::as_object)
            .into_iter()
            .flatten()
            .map(|(_, r)| r)
            .filter(|r| r.as_object().is_some())
            .collect()
    } else {
        // Task-definition JSON: no place for a directive.
        return (Vec::new(), findings.len());
    };
    // Target object (by its position) → the rules to ignore in it.
    let mut targets: BTreeMap<usize, (&Node, BTreeSet<&str>)> = BTreeMap::new();
    let mut left = 0;
    for &(at, rule) in findings {
        let target = match resources.iter().find(|r| inside(r, at)) {
            Some(r) => *r,
            // CloudFormation: the template's Metadata covers the rest of the file.
            None if !tf_json => &root,
            None => {
                left += 1;
                continue;
            }
        };
        targets
            .entry(target.span.start())
            .or_insert_with(|| (target, BTreeSet::new()))
            .1
            .insert(rule);
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut inserts = Vec::new();
    for (object, rules) in targets.values() {
        let ids: Vec<&str> = rules.iter().copied().collect();
        let count = findings
            .iter()
            .filter(|(at, r)| inside(object, *at) && rules.contains(r))
            .count();
        let (into, property) = if tf_json {
            if object.get("//").is_some() {
                left += count;
                continue;
            }
            let mut directive = format!("ecslint-ignore {}", ids.join(", "));
            if !reason.is_empty() {
                directive.push_str(" -- ");
                directive.push_str(reason);
            }
            (*object, format!("\"//\": {}", serde_json::json!(directive)))
        } else {
            let entries: Vec<Value> = ids
                .iter()
                .map(|id| {
                    let mut e = Map::new();
                    e.insert("rule".into(), Value::from(*id));
                    if !reason.is_empty() {
                        e.insert("reason".into(), Value::from(reason));
                    }
                    Value::Object(e)
                })
                .collect();
            let ecslint = serde_json::json!({ "ignore": entries });
            match object.get("Metadata") {
                Some(meta) if meta.as_object().is_some() => {
                    if meta.get("ecslint").is_some() {
                        left += count;
                        continue;
                    }
                    (meta, format!("\"ecslint\": {ecslint}"))
                }
                Some(_) => {
                    left += count;
                    continue;
                }
                None => (
                    *object,
                    format!(
                        "\"Metadata\": {}",
                        serde_json::json!({ "ecslint": ecslint })
                    ),
                ),
            }
        };
        inserts.push(first_property(text, into, &property, newline));
    }
    inserts.sort_by_key(|(at, _)| *at);
    (inserts, left)
}

/// `property` as the first member of `object`, laid out like the member it goes before.
fn first_property(
    text: &str,
    object: &ecslint::syntax::node::Node,
    property: &str,
    newline: &str,
) -> (usize, String) {
    let open = object.span.start() + 1;
    let Some((first, _)) = object.as_object().and_then(|p| p.first()) else {
        return (open, property.to_owned());
    };
    let key = first.span.start();
    let between = &text[open..key];
    if between.contains('\n') {
        let line_start = text[..key].rfind('\n').map_or(0, |i| i + 1);
        let indent = &text[line_start..key];
        (open, format!("{newline}{indent}{property},"))
    } else {
        (open, format!("{property}, "))
    }
}

/// `10MB`, `10MiB`, `500k`, `1048576`: `k`/`kB`/`MB`/`GB` are decimal (SI: 1 MB = 1,000,000
/// bytes), `KiB`/`MiB`/`GiB` binary (1 MiB = 1,048,576), as `ls --si` / `ls -h` count; case does
/// not matter (`1KB` is 1,000 bytes).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 10MB, 10MiB, 500k, 1048576)"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(format!(
                "`{s}`: unknown unit `{unit}` (B, kB, KiB, MB, MiB, GB, GiB)"
            ));
        }
    };
    Ok((n * mult).round() as u64)
}

/// A rule name (`latest-image-tag`) for its id; anything else unchanged.
pub fn rule_name_to_id(s: &str) -> String {
    if s.trim().eq_ignore_ascii_case("parse-error") {
        return ecslint::diagnostic::PARSE_ERROR.to_string();
    }
    ecslint::rules::RULES
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(s.trim()))
        .map_or_else(|| s.to_string(), |r| r.id.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_ascii_lowercase().chars().collect();
    let b: Vec<char> = b.to_ascii_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `; did you mean `ECS401` (latest-image-tag)?` or nothing.
pub fn did_you_mean(s: &str) -> String {
    let mut best: Option<(usize, String)> = None;
    let mut consider = |cand: &str, shown: String| {
        let d = edit_distance(s, cand);
        if best.as_ref().is_none_or(|(b, _)| d < *b) {
            best = Some((d, shown));
        }
    };
    for r in ecslint::rules::RULES {
        consider(r.id, format!("`{}` ({})", r.id, r.name));
        consider(r.name, format!("`{}` ({})", r.name, r.id));
    }
    for f in ecslint::rules::Family::ALL {
        consider(f.as_str(), format!("`{}` (family)", f.as_str()));
    }
    match best {
        Some((d, shown)) if d <= 3.max(s.len() / 3) => format!("; did you mean {shown}?"),
        _ => String::new(),
    }
}

/// Selectors as given: ids, prefixes, families, or rule names (turned into ids).
pub fn resolve_selectors(list: &mut [String]) -> Result<(), String> {
    for s in list.iter_mut() {
        *s = rule_name_to_id(s);
        if s.eq_ignore_ascii_case(ecslint::diagnostic::PARSE_ERROR) {
            return Err(format!(
                "`{s}` (parse errors) is always reported and cannot be selected or ignored; leave a file out with `exclude` or `per-file-ignores` in .ecslint.toml (see `ecslint rule ECS000`)"
            ));
        }
        if !ecslint::rules::is_valid_selector(s) {
            return Err(format!(
                "unknown rule or family `{s}`{} (see `ecslint rules`)",
                did_you_mean(s)
            ));
        }
    }
    Ok(())
}

/// Usage errors found before scanning.
pub fn check_usage(
    input: &InputArgs,
    output: Option<&std::path::Path>,
    sarif: Option<&std::path::Path>,
) -> Result<(), String> {
    if let (Some(o), Some(s)) = (output, sarif)
        && ecslint::source::absolute(o) == ecslint::source::absolute(s)
    {
        return Err(format!(
            "--output and --sarif-file both name {}: one report would overwrite the other",
            o.display()
        ));
    }
    check_usage_with(input, &ecslint::cost::pricing::Pricing::embedded())
}

/// `-` (standard input) is one file on its own; `--fix`, `--diff` and `--add-ignore` write
/// files, which standard input is not.
pub fn check_stdin_usage(input: &InputArgs, a: Option<&AdoptionArgs>) -> Result<(), String> {
    let dash = input.paths.iter().any(|p| p.as_os_str() == "-");
    if dash && input.paths.len() > 1 {
        return Err("`-` (standard input) cannot be combined with other paths".into());
    }
    if input.stdin_filename.is_some() && !input.paths.is_empty() && !dash {
        return Err("--stdin-filename names standard input: give `-` as the only path".into());
    }
    if input.reads_stdin()
        && let Some(a) = a
        && (a.fix || a.fix_only || a.diff || a.add_ignore.is_some())
    {
        return Err(
            "--fix, --fix-only, --diff and --add-ignore rewrite files; they do not work on standard input"
                .into(),
        );
    }
    Ok(())
}

/// An unknown `--region` is a usage error listing the known ones (a typo would price at $0).
pub fn check_usage_with(
    input: &InputArgs,
    pricing: &ecslint::cost::pricing::Pricing,
) -> Result<(), String> {
    check_stdin_usage(input, None)?;
    if let Some(region) = &input.region
        && !pricing.regions.contains_key(region)
    {
        return Err(format!(
            "unknown region `{region}`; known regions: {}",
            pricing
                .regions
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(())
}

/// Every `--var-file` (or config `var-files`) must exist.
pub fn check_var_files(options: &ScanOptions) -> Result<(), String> {
    for f in &options.var_files {
        if !f.is_file() {
            return Err(format!(
                "var file {}: no such file (from --var-file or the config's var-files)",
                f.display()
            ));
        }
    }
    Ok(())
}

/// Print the scan's errors and the "nothing found" warning; `true` when the run must exit 2.
pub fn report_scan_problems(scan: &Scan) -> bool {
    for e in &scan.errors {
        eprintln!("error: {}: {}", report::display_path(&e.path), e.message);
    }
    if scan.files.is_empty() && scan.errors.is_empty() {
        eprintln!(
            "warning: no ECS input found (task-definition JSON, CloudFormation templates, Terraform); nothing was checked"
        );
    }
    !scan.errors.is_empty()
}
