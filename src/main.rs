//! The `ecslint` command line: arguments in, exit code out.

use clap::{Args, Parser, Subcommand, ValueEnum};
use ecslint::config;
use ecslint::diagnostic::Severity;
use ecslint::engine::{self, FailOn, ScanOptions};
use ecslint::report;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[cfg(target_env = "gnu")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ecslint",
    version,
    about = "A fast static analyzer for Amazon ECS task definitions, Terraform and CloudFormation"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and directories for problems.
    Check(Box<CheckArgs>),
    /// Print the ECS model read from the inputs (or counts with --stats).
    Inspect(InspectArgs),
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print one rule's documentation page.
    Rule { id: String },
    /// Estimate the monthly Fargate cost of the task definitions and services read.
    Cost(CostArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp,
}

#[derive(Args)]
struct CostArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum, default_value_t = CostFormat::Human)]
    format: CostFormat,
    /// A price table with the schema of data/fargate-pricing.json (negotiated or newer prices).
    #[arg(long)]
    pricing: Option<PathBuf>,
    /// Compare against this base path (e.g. the main branch's checkout): prints the difference.
    #[arg(long)]
    compare: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum CostFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Args)]
struct InputArgs {
    /// Files or directories to scan [default: .]; `-` reads one file from standard input.
    paths: Vec<PathBuf>,
    /// With `-`: the name standard input is reported under and sniffed as (`.tf`, `.yaml`,
    /// `.json`...); without it the format is sniffed from the content and the name is
    /// `<stdin>`.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Do not honour .gitignore and .ignore files.
    #[arg(long)]
    no_ignore: bool,
    /// Skip files larger than this: bytes, or with a unit, decimal kB/MB/GB (10MB = 10,000,000
    /// bytes) or binary KiB/MiB/GiB (10MiB = 10,485,760).
    #[arg(long, default_value_t = engine::DEFAULT_MAX_FILE_SIZE, value_parser = adoption::parse_size)]
    max_file_size: u64,
    /// AWS region for inputs that do not say (pricing, `AWS::Region`).
    #[arg(long)]
    region: Option<String>,
    /// Extra Terraform variable files, applied after the module's own tfvars.
    #[arg(long = "var-file")]
    var_files: Vec<PathBuf>,
    /// Evaluation budget per unit (nodes, elements and string bytes an evaluator may build);
    /// past it values are unknown and ECS020 says where.
    #[arg(long, default_value_t = ecslint::syntax::budget::DEFAULT_EVAL_BUDGET)]
    eval_budget: u64,
}

impl InputArgs {
    /// `ecslint check -` (or `--stdin-filename` without paths).
    fn reads_stdin(&self) -> bool {
        self.paths.iter().any(|p| p.as_os_str() == "-")
            || (self.paths.is_empty() && self.stdin_filename.is_some())
    }

    /// The paths as given, `.` when none.
    fn paths(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![".".into()]
        } else {
            self.paths.clone()
        }
    }

    /// Where configuration is looked up from: the first path, or the stdin file's name.
    fn first_path(&self) -> PathBuf {
        match (&self.stdin_filename, self.reads_stdin()) {
            (Some(name), true) => name.clone(),
            (None, true) => ".".into(),
            _ => self.paths().swap_remove(0),
        }
    }

    fn options(&self) -> Result<ScanOptions, String> {
        let stdin = if self.reads_stdin() {
            Some(engine::StdinInput {
                name: self
                    .stdin_filename
                    .clone()
                    .unwrap_or_else(|| engine::STDIN_NAME.into()),
                named: self.stdin_filename.is_some(),
                text: read_stdin()?,
            })
        } else {
            None
        };
        Ok(ScanOptions {
            paths: self.paths(),
            respect_ignore: !self.no_ignore,
            max_file_size: self.max_file_size,
            region: self.region.clone(),
            var_files: self.var_files.clone(),
            eval_budget: self.eval_budget,
            stdin,
            excerpts: false,
            jobs_done: Some(purge_at_once),
        })
    }
}

/// Standard input, read once per run (decoded like a file: UTF-8 or UTF-16 with a BOM).
fn read_stdin() -> Result<String, String> {
    use std::io::Read;
    static TEXT: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: {e}"))?;
        ecslint::syntax::decode(bytes).map_err(|e| format!("standard input: {e}"))
    })
    .clone()
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Exit 1 when a finding at or above this severity exists [default: warning, or the
    /// config's `fail-on`].
    #[arg(long, value_enum)]
    fail_on: Option<FailLevel>,
    /// Run only these rules (ids, prefixes such as ECS1, families such as sizing, or rule names
    /// such as image-latest-tag).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules (same forms as --select).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    #[command(flatten)]
    adoption: AdoptionArgs,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Also write a SARIF report to this file (one run feeds annotations and code scanning).
    #[arg(long)]
    sarif_file: Option<PathBuf>,
    /// At most this many results in a SARIF run (GitHub rejects more than 25,000); beyond it
    /// the least severe are left out, with a warning and a note in the run. 0: no limit.
    #[arg(long, value_name = "N", default_value_t = report::sarif::GITHUB_MAX_RESULTS)]
    sarif_max_results: usize,
    /// Also append a Markdown summary to this file (e.g. "$GITHUB_STEP_SUMMARY").
    #[arg(long)]
    summary: Option<PathBuf>,
    /// Print how many findings each rule has instead of the findings (text, or JSON with
    /// --format json).
    #[arg(long)]
    statistics: bool,
}

#[derive(Args)]
struct InspectArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Print counts instead of the model.
    #[arg(long)]
    stats: bool,
    #[arg(long, value_enum, default_value_t = InspectFormat::Json)]
    format: InspectFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    /// One line per finding: `path:line:col: ECS101 [error] message`.
    Concise,
    Json,
    Sarif,
    Github,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum InspectFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailLevel {
    Error,
    Warning,
    Info,
    Never,
}

mod adoption;
use adoption::AdoptionArgs;

const EXIT_FINDINGS: u8 = 1;
const EXIT_USAGE: u8 = 2;

/// mimalloc keeps freed pages for a second before returning them and commits whole arenas up
/// front; a scan frees every file's text and model as it goes, so both only raise the peak:
/// purging soon and committing on demand took the synthetic N = 10,000 tree from 135 to 83 MB
/// peak RSS at the same wall time (README, Speed). Soon, not at once: while the jobs run, each
/// file's trees free pages the next file needs again, and returning them at once cost every
/// file page faults and cross-CPU interrupts (N = 10,000: 2.49 -> 2.17 CPU s, 1.35 -> 1.19 s
/// with 5 ms); once the jobs are done, [`purge_at_once`]. Transparent huge pages make each
/// partly used 2 MiB region resident: without them, 70 -> 47 MB at N = 10,000 and 91 -> 74 MB
/// on the corpus × 14, no slower.
#[cfg(target_env = "gnu")]
fn tune_allocator() {
    use libmimalloc_sys::mi_option_set;
    // SAFETY: `mi_option_set` stores a number in mimalloc's option table (an atomic store),
    // for any option below `_mi_option_last` (47 in this version), at any time; all three are.
    unsafe {
        mi_option_set(PURGE_DELAY, JOBS_PURGE_DELAY_MS);
        mi_option_set(ARENA_EAGER_COMMIT, 0);
        mi_option_set(ALLOW_THP, 0);
    }
    // mimalloc reads `allow_thp` when it starts, before `main`, and has by then advised its
    // first arena for huge pages; the process-wide switch applies to every later page fault.
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` takes integers only and sets a flag of
    // this process; it fails harmlessly (EINVAL) on kernels without it.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// The purge delay while the jobs run, in ms (mimalloc multiplies it by `arena_purge_mult`,
/// 10, for its arenas). 5 and 20 measured alike; 0 is the page faults above.
#[cfg(target_env = "gnu")]
const JOBS_PURGE_DELAY_MS: std::ffi::c_long = 5;

/// From here on freed memory goes back at once, and what is waiting goes now: the end of a
/// check moves every finding once (the join, the sort), and with the delay the moved-from
/// memory stayed resident: N = 100,000 peaked at 159 MB instead of 137 MB.
#[cfg(target_env = "gnu")]
fn purge_at_once() {
    // SAFETY: as in `tune_allocator`; `mi_collect(true)` frees what this thread's heap holds
    // unused and purges what is scheduled, at any time, from any thread.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        libmimalloc_sys::mi_collect(true);
    }
}

#[cfg(not(target_env = "gnu"))]
fn purge_at_once() {}

#[cfg(not(target_env = "gnu"))]
fn tune_allocator() {}

// Positions in mimalloc v3's `mi_option_e` (include/mimalloc.h of libmimalloc-sys 0.1.49);
// `allocator_options_are_the_documented_ones` checks them by their defaults.
#[cfg(target_env = "gnu")]
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
#[cfg(target_env = "gnu")]
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
#[cfg(target_env = "gnu")]
const ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Inspect(args) => inspect(args),
        Command::Rules { format } => {
            print!("{}", rules_listing(format));
            Ok(ExitCode::SUCCESS)
        }
        Command::Cost(args) => cost(args),
        Command::Lsp => lsp(),
        Command::Rule { id } => match ecslint::rules::page(&adoption::rule_name_to_id(&id)) {
            Some(doc) => {
                print!("{doc}");
                Ok(ExitCode::SUCCESS)
            }
            None => Err(format!(
                "no rule `{id}`{} (see `ecslint rules`)",
                adoption::did_you_mean(&id)
            )),
        },
    }
}

fn check(mut args: CheckArgs) -> Result<ExitCode, String> {
    adoption::resolve_selectors(&mut args.select)?;
    adoption::resolve_selectors(&mut args.ignore)?;
    adoption::resolve_selectors(&mut args.adoption.extend_select)?;
    adoption::resolve_selectors(&mut args.adoption.extend_ignore)?;
    adoption::check_usage(
        &args.input,
        args.output.as_deref(),
        args.sarif_file.as_deref(),
    )?;
    adoption::check_stdin_usage(&args.input, Some(&args.adoption))?;
    if args.statistics
        && !matches!(
            args.format,
            OutputFormat::Human | OutputFormat::Concise | OutputFormat::Json
        )
    {
        return Err(
            "--statistics prints text (--format human or concise) or JSON (--format json)".into(),
        );
    }
    let a = &args.adoption;
    // Configuration (see src/config.rs): run-wide settings come from the config of the first
    // path; selection, severities and suppressions from each unit's own.
    let resolver = config::Resolver::new(a.config.as_deref(), a.isolated).map_err(|e| e.0)?;
    let run_config = resolver
        .for_path(&args.input.first_path())
        .map_err(|e| e.0)?;
    let mut options = args.input.options()?;
    adoption::apply_run_config(&mut options, &args.input, &run_config);
    let pipeline_options = ecslint::pipeline::Options {
        cli: config::CliSelection {
            select: std::mem::take(&mut args.select),
            ignore: std::mem::take(&mut args.ignore),
            extend_select: a.extend_select.clone(),
            extend_ignore: a.extend_ignore.clone(),
        },
        ignore_suppressions: a.ignore_suppressions,
        today: None,
        identities: adoption::uses_baseline(a, &run_config),
        unit_configs: a.verbose,
    };
    // --fix / --diff (src/fix.rs): rewrite, then report on what is left.
    let fixed = adoption::fix_files(&options, &resolver, &pipeline_options, a)?;
    if let Some(code) = fixed.exit {
        return Ok(code);
    }
    adoption::check_var_files(&options)?;
    // Reports need only the lines findings are on; `--add-ignore` edits whole files.
    options.excerpts = a.add_ignore.is_none();
    let region = options.region.as_deref();
    let (scan, mut outcome) =
        ecslint::pipeline::scan_and_run(&options, &resolver, &pipeline_options, region)
            .map_err(|e| e.to_string())?
            .map_err(|e| e.0)?;
    let scan_failed = adoption::report_scan_problems(&scan);
    ecslint::fix::classify(&mut outcome.diagnostics);
    if let Some(reason) = &a.add_ignore {
        return adoption::add_ignore(&scan, &outcome.diagnostics, reason);
    }
    if a.verbose {
        for (unit, cfg) in &outcome.configs {
            eprintln!(
                "config: {} uses {}",
                report::display_path(unit),
                cfg.as_ref()
                    .map_or("built-in defaults".to_string(), |p| report::display_path(p))
            );
        }
    }
    let mut post = adoption::post_process(&scan, outcome, a, &run_config)?;
    post.sarif_extra.max_results = Some(args.sarif_max_results).filter(|&n| n > 0);
    if let Some(code) = post.exit {
        return Ok(code);
    }
    let diagnostics = &post.diagnostics;
    let suppressed_line = &post.lines;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        // codespan's own `Auto` colours pipes too; decide here (NO_COLOR: no-color.org).
        Color::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let text = match args.format {
        _ if a.fix_only => String::new(),
        _ if args.statistics => {
            let stats = report::concise::statistics(diagnostics);
            match args.format {
                OutputFormat::Json => pretty(&stats),
                _ => {
                    report::concise::statistics_text(&stats)
                        + suppressed_line
                        + &fixed.lines
                        + &adoption::fixable_line(diagnostics)
                }
            }
        }
        // Streamed to their destination below, finding by finding: then these lines.
        OutputFormat::Concise | OutputFormat::Human => {
            suppressed_line.clone() + &fixed.lines + &adoption::fixable_line(diagnostics)
        }
        OutputFormat::Json | OutputFormat::Sarif | OutputFormat::Github => String::new(),
        OutputFormat::Markdown => {
            report::markdown::render(&scan, diagnostics) + &adoption::markdown(suppressed_line)
        }
    };
    if matches!(args.format, OutputFormat::Sarif) && !a.fix_only {
        write_sarif(args.output.as_ref(), &scan, diagnostics, &post.sarif_extra)?;
    } else if matches!(args.format, OutputFormat::Json) && !a.fix_only && !args.statistics {
        write_streamed(args.output.as_ref(), |out| {
            report::json::write_with(&scan, diagnostics, &scan.notes, &post.json_extra, out)
        })?;
    } else if matches!(
        args.format,
        OutputFormat::Human | OutputFormat::Concise | OutputFormat::Github
    ) && !a.fix_only
        && !args.statistics
    {
        write_streamed(args.output.as_ref(), |out| {
            match args.format {
                OutputFormat::Human => {
                    report::human::write(&scan, diagnostics, &scan.notes, color, out)?
                }
                OutputFormat::Concise => {
                    report::concise::write(&scan, diagnostics, &scan.notes, out)?
                }
                _ => report::github::write(&scan, diagnostics, out)?,
            }
            out.write_all(text.as_bytes())
        })?;
    } else {
        write_output(args.output.as_ref(), &text)?;
    }
    if let Some(path) = &args.sarif_file {
        write_sarif(Some(path), &scan, diagnostics, &post.sarif_extra)?;
    }
    if let Some(path) = &args.summary {
        let markdown =
            report::markdown::render(&scan, diagnostics) + &adoption::markdown(suppressed_line);
        append(path, &markdown)?;
    }
    if !matches!(
        args.format,
        OutputFormat::Human | OutputFormat::Concise | OutputFormat::Markdown
    ) {
        // Baseline and suppression counts where the report has no place for them.
        eprint!("{suppressed_line}");
    }
    if args.statistics
        || !matches!(
            args.format,
            OutputFormat::Human | OutputFormat::Concise | OutputFormat::Json
        )
    {
        // Formats without a place for notes still tell the user what was skipped.
        for note in &scan.notes {
            eprintln!(
                "note: {}: {}",
                report::display_path(&note.path),
                note.message
            );
        }
    }
    let fail_on = match args
        .fail_on
        .or_else(|| run_config.fail_on.map(adoption::fail_level))
        .unwrap_or(FailLevel::Warning)
    {
        FailLevel::Error => FailOn::Severity(Severity::Error),
        FailLevel::Warning => FailOn::Severity(Severity::Warning),
        FailLevel::Info => FailOn::Severity(Severity::Info),
        FailLevel::Never => FailOn::Never,
    };
    if a.fix_only {
        print!("{}", fixed.lines);
        return Ok(if fixed.fail {
            ExitCode::from(EXIT_FINDINGS)
        } else {
            ExitCode::SUCCESS
        });
    }
    if scan_failed {
        return Ok(ExitCode::from(EXIT_USAGE));
    }
    Ok(
        if fail_on.fails(diagnostics) || post.stale_fails || fixed.fail {
            ExitCode::from(EXIT_FINDINGS)
        } else {
            ExitCode::SUCCESS
        },
    )
}

#[cfg(feature = "lsp")]
fn lsp() -> Result<ExitCode, String> {
    Ok(ExitCode::from(ecslint::lsp::run_stdio()))
}

#[cfg(not(feature = "lsp"))]
fn lsp() -> Result<ExitCode, String> {
    Err("built without LSP support (the `lsp` cargo feature)".into())
}

fn inspect(args: InspectArgs) -> Result<ExitCode, String> {
    adoption::check_usage(&args.input, None, None)?;
    let scan = engine::scan(&args.input.options()?).map_err(|e| e.to_string())?;
    let scan_failed = adoption::report_scan_problems(&scan);
    let text = if args.stats {
        let stats = report::inspect::stats(&scan);
        match args.format {
            InspectFormat::Json => pretty(&stats),
            InspectFormat::Human => report::inspect::stats_human(&stats),
        }
    } else {
        pretty(&report::inspect::model_json(&scan))
    };
    write_output(None, &text)?;
    for note in &scan.notes {
        eprintln!(
            "note: {}: {}",
            report::display_path(&note.path),
            note.message
        );
    }
    for d in &scan.parse_errors {
        let file = scan.db.get(d.primary.file);
        let l = report::locate(&file, &d.primary);
        eprintln!(
            "{}:{}:{}: {} {}",
            l.file, l.line, l.column, d.rule_id, d.message
        );
    }
    Ok(if scan_failed {
        ExitCode::from(EXIT_USAGE)
    } else {
        ExitCode::SUCCESS
    })
}

fn cost(args: CostArgs) -> Result<ExitCode, String> {
    use ecslint::cost::{self, pricing::Pricing, report as cost_report};
    let pricing = match &args.pricing {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            Pricing::from_json(&text).map_err(|e| format!("{}: {e}", p.display()))?
        }
        None => Pricing::embedded(),
    };
    let region = args.input.region.as_deref();
    adoption::check_usage_with(&args.input, &pricing)?;
    let head_scan = engine::scan(&args.input.options()?).map_err(|e| e.to_string())?;
    let scan_failed = adoption::report_scan_problems(&head_scan);
    let head = cost::estimate(&head_scan.units, &head_scan.db, &pricing, region);
    let text = match &args.compare {
        None => match args.format {
            CostFormat::Human => cost_report::human(&head),
            CostFormat::Json => cost_report::json(&head),
            CostFormat::Markdown => cost_report::markdown(&head),
        },
        Some(base_path) => {
            let mut options = args.input.options()?;
            options.paths = vec![base_path.clone()];
            options.stdin = None;
            let base_scan = engine::scan(&options).map_err(|e| e.to_string())?;
            let base = cost::estimate(&base_scan.units, &base_scan.db, &pricing, region);
            let strip = |p: &PathBuf| report::display_path(p);
            let head_root = strip(&args.input.first_path());
            let diff = cost_report::compare(&base, &head, &strip(base_path), &head_root);
            match args.format {
                CostFormat::Human => cost_report::diff_human(&diff, false),
                CostFormat::Markdown => cost_report::diff_human(&diff, true),
                CostFormat::Json => cost_report::diff_json(&diff),
            }
        }
    };
    write_output(None, &text)?;
    Ok(if scan_failed {
        ExitCode::from(EXIT_USAGE)
    } else {
        ExitCode::SUCCESS
    })
}

fn pretty<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("serializable");
    s.push('\n');
    s
}

fn write_output(path: Option<&PathBuf>, text: &str) -> Result<(), String> {
    match path {
        Some(p) => std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`ecslint check | head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            Ok(())
        }
    }
}

/// A report written as it is made, to a file or standard output.
fn write_streamed(
    path: Option<&PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    match path {
        Some(p) => std::fs::File::create(p)
            .and_then(|f| {
                let mut out = std::io::BufWriter::new(f);
                write(&mut out)?;
                out.flush()
            })
            .map_err(|e| format!("{}: {e}", p.display())),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            // A closed pipe (`ecslint check | head`) is not an error worth a message.
            let _ = write(&mut out).and_then(|()| out.flush());
            Ok(())
        }
    }
}

/// The SARIF report, written as it is made (see `report::sarif::write_with`); a warning when
/// the result cap left results out.
fn write_sarif(
    path: Option<&PathBuf>,
    scan: &engine::Scan,
    diagnostics: &[ecslint::diagnostic::Diagnostic],
    extra: &report::sarif::Extra,
) -> Result<(), String> {
    let written = match path {
        Some(p) => std::fs::File::create(p)
            .and_then(|f| {
                let mut out = std::io::BufWriter::new(f);
                let dropped = report::sarif::write_with(scan, diagnostics, extra, &mut out)?;
                out.flush()?;
                Ok(dropped)
            })
            .map_err(|e| format!("{}: {e}", p.display()))?,
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            // A closed pipe (`ecslint check | head`) is not an error worth a message.
            let dropped = report::sarif::write_with(scan, diagnostics, extra, &mut out);
            let _ = out.flush();
            dropped.unwrap_or_default()
        }
    };
    if written.results > 0 {
        let total = diagnostics.len() + extra.suppressed.len();
        eprintln!("warning: {}", written.message(total - written.results));
    }
    Ok(())
}

fn append(path: &PathBuf, text: &str) -> Result<(), String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn rules_listing(format: ListFormat) -> String {
    let rules = ecslint::rules::RULES;
    match format {
        ListFormat::Json => pretty(
            &rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "name": r.name, "family": r.family,
                        "severity": r.severity.as_str(), "formats": r.formats,
                        "enabled_by_default": r.enabled_by_default, "summary": r.summary,
                    })
                })
                .collect::<Vec<_>>(),
        ),
        ListFormat::Human => rules
            .iter()
            .map(|r| {
                format!(
                    "{}  {:<8} {:<10} {:<44} {}{}\n",
                    r.id,
                    r.severity.as_str(),
                    r.family.as_str(),
                    r.name,
                    r.summary,
                    if r.enabled_by_default {
                        ""
                    } else {
                        " (off by default)"
                    }
                )
            })
            .collect(),
    }
}

#[cfg(all(test, target_env = "gnu"))]
mod tests {
    /// The numbers `tune_allocator` sets name the options it means, by their defaults in
    /// mimalloc v3's src/options.c: 1000 (ms, purge delay), 2 (eager arena commit on
    /// systems that overcommit) and 1 (transparent huge pages allowed, off Android).
    #[test]
    fn allocator_options_are_the_documented_ones() {
        for var in [
            "MIMALLOC_PURGE_DELAY",
            "MIMALLOC_ARENA_EAGER_COMMIT",
            "MIMALLOC_ALLOW_THP",
        ] {
            assert!(
                std::env::var_os(var).is_none(),
                "unset {var} to run this test"
            );
        }
        // SAFETY: `mi_option_get` reads mimalloc's option table; the three numbers are below
        // `_mi_option_last`.
        let options = unsafe {
            (
                libmimalloc_sys::mi_option_get(super::PURGE_DELAY),
                libmimalloc_sys::mi_option_get(super::ARENA_EAGER_COMMIT),
                libmimalloc_sys::mi_option_get(super::ALLOW_THP),
            )
        };
        assert_eq!(options, (1000, 2, 1));
    }
}
