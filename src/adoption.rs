//! The command line's adoption flags (configuration, suppressions, baseline, fixes) and the
//! glue between them and the reports, kept apart from `main.rs` so that file changes little.

use super::{FailLevel, InputArgs};
use clap::Args;
use ecslint::config::{Config, FailOnName};
use ecslint::engine::{Scan, ScanOptions};
use ecslint::pipeline::Suppressed;
use ecslint::report;
use ecslint::suppress::Kind;
use std::path::PathBuf;

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
