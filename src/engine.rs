//! The pipeline: discover, read and parse every input once in parallel, run the rules, filter.

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{MissingPath, discover};
use crate::model::{Format, Unit};
use crate::rules::{RULES, Rule, RuleCtx, selector_matches};
use crate::source::{FileId, SourceDb};
use crate::syntax::{self, Ctx, Note, Parsed, Sniffed, sniff_content};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub respect_ignore: bool,
    pub max_file_size: u64,
    pub region: Option<String>,
    pub var_files: Vec<PathBuf>,
    /// Evaluation budget per unit (see [`crate::syntax::budget`]).
    pub eval_budget: u64,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            respect_ignore: true,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            region: None,
            var_files: Vec::new(),
            eval_budget: crate::syntax::budget::DEFAULT_EVAL_BUDGET,
        }
    }
}

/// Everything read from the scan roots.
pub struct Scan {
    pub db: SourceDb,
    pub units: Vec<Unit>,
    /// Parse errors (`ECS000`).
    pub parse_errors: Vec<Diagnostic>,
    /// Every input file with the format it was read as.
    pub files: Vec<(FileId, Format)>,
    pub notes: Vec<Note>,
    /// Paths that could not be scanned (missing, unreadable named files): reported, and the
    /// run exits 2 after checking the rest.
    pub errors: Vec<Note>,
    pub elapsed: Duration,
}

#[derive(Debug)]
pub enum ScanError {
    MissingPath(PathBuf),
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::MissingPath(p) => write!(f, "{}: no such file or directory", p.display()),
        }
    }
}

impl std::error::Error for ScanError {}

enum Job {
    File(PathBuf, syntax::SniffBy),
    Module(PathBuf, Vec<PathBuf>),
}

pub fn scan(opts: &ScanOptions) -> Result<Scan, ScanError> {
    let started = Instant::now();
    let found = discover(&opts.paths, opts.respect_ignore)
        .map_err(|MissingPath(p)| ScanError::MissingPath(p))?;
    let db = SourceDb::new();
    let ctx = Ctx {
        db: &db,
        roots: &found.roots,
        region: opts.region.as_deref(),
        var_files: &opts.var_files,
        max_file_size: opts.max_file_size,
        eval_budget: opts.eval_budget,
    };
    let jobs: Vec<Job> = found
        .modules
        .into_iter()
        .map(|(dir, files)| Job::Module(dir, files))
        .chain(found.files.into_iter().map(|(p, by)| Job::File(p, by)))
        .collect();
    let explicit = &found.explicit;
    let results: Vec<(Parsed, Option<Note>)> = jobs
        .into_par_iter()
        .map(|job| run_job(&ctx, job, explicit))
        .collect();
    let mut all = Parsed {
        notes: found.notes,
        ..Parsed::default()
    };
    let mut errors = found.errors;
    for (parsed, error) in results {
        all.extend(parsed);
        errors.extend(error);
    }
    errors.sort();
    all.units.sort_by(|a, b| a.path.cmp(&b.path));
    all.notes.sort();
    Ok(Scan {
        units: all.units,
        parse_errors: all.diagnostics,
        files: all.files,
        notes: all.notes,
        errors,
        elapsed: started.elapsed(),
        db,
    })
}

fn run_job(ctx: &Ctx, job: Job, explicit: &[PathBuf]) -> (Parsed, Option<Note>) {
    let named = |p: &PathBuf| explicit.contains(p);
    match job {
        Job::Module(dir, files) => (syntax::terraform::parse_module(ctx, &dir, &files), None),
        Job::File(path, by) => {
            let file = match ctx.load_unchecked(&path) {
                Ok(f) => f,
                Err(e) => {
                    let note = Note {
                        path: path.clone(),
                        message: e.to_string(),
                    };
                    // A file named on the command line that cannot be read is an error.
                    if named(&path) && matches!(e, syntax::LoadError::Io(_)) {
                        return (Parsed::default(), Some(note));
                    }
                    return (
                        Parsed {
                            notes: vec![note],
                            ..Parsed::default()
                        },
                        None,
                    );
                }
            };
            let parsed = match sniff_content(&file.text, by) {
                Sniffed::TaskDefJson => syntax::taskdef_json::parse(ctx, &file),
                Sniffed::CloudFormationYaml => {
                    syntax::cloudformation::parse(ctx, &file, Format::CloudFormationYaml)
                }
                Sniffed::CloudFormationJson => {
                    syntax::cloudformation::parse(ctx, &file, Format::CloudFormationJson)
                }
                Sniffed::TerraformPlan => syntax::terraform::parse_plan(ctx, &file),
                Sniffed::Terraform | Sniffed::TerraformJson => {
                    // A file named explicitly that looks like Terraform: its own module.
                    let dir = path.parent().map(PathBuf::from).unwrap_or_default();
                    syntax::terraform::parse_module(ctx, &dir, &[path])
                }
                Sniffed::TerraformVars => Parsed::default(),
                Sniffed::Unrelated if named(&path) => Parsed {
                    notes: vec![Note {
                        path: path.clone(),
                        message: "not an ECS input (no task definition, CloudFormation template or Terraform found); not checked".into(),
                    }],
                    ..Parsed::default()
                },
                Sniffed::Unrelated => Parsed::default(),
            };
            (parsed, None)
        }
    }
}

/// Which rules run, at which severity, and from which severity a run fails.
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl RuleSelection {
    pub fn enabled(&self, rule: &Rule) -> bool {
        let selected = if self.select.is_empty() {
            rule.enabled_by_default
        } else {
            self.select.iter().any(|s| selector_matches(s, rule))
        };
        selected && !self.ignore.iter().any(|s| selector_matches(s, rule))
    }
}

/// Run the enabled rules over every unit (in parallel), plus the parse errors, sorted by file
/// position so output is stable.
pub fn check(scan: &Scan, selection: &RuleSelection) -> Vec<Diagnostic> {
    let rules: Vec<&'static Rule> = RULES
        .iter()
        .copied()
        .filter(|r| selection.enabled(r))
        .collect();
    check_with(scan, &|_, r| selection.enabled(r))
        .into_iter()
        .map(|t| t.diagnostic)
        // Syntax errors always show; the front-ends' other findings (ECS020) are rules
        // like any other and follow the selection.
        .filter(|d| {
            d.rule_id == crate::diagnostic::PARSE_ERROR || rules.iter().any(|r| r.id == d.rule_id)
        })
        .collect()
}

/// A finding with the index of the unit whose rules reported it (`None`: a front-end finding,
/// ECS000 or ECS020, which the caller filters by file).
#[derive(Debug, Clone)]
pub struct Tagged {
    pub unit: Option<usize>,
    pub diagnostic: Diagnostic,
}

/// [`check`] with a per-unit rule choice (configuration files are per unit). Front-end
/// findings are all returned, unfiltered.
pub fn check_with(scan: &Scan, enabled: &(dyn Fn(&Unit, &Rule) -> bool + Sync)) -> Vec<Tagged> {
    let mut diagnostics: Vec<Tagged> = scan
        .units
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, unit)| {
            let mut out = Vec::new();
            for &rule in RULES.iter().filter(|r| enabled(unit, r)) {
                (rule.check)(
                    &RuleCtx {
                        unit,
                        rule,
                        sources: &scan.db,
                    },
                    &mut out,
                );
            }
            out.into_iter().map(move |diagnostic| Tagged {
                unit: Some(i),
                diagnostic,
            })
        })
        .collect();
    diagnostics.extend(scan.parse_errors.iter().map(|d| Tagged {
        unit: None,
        diagnostic: d.clone(),
    }));
    let paths: Vec<PathBuf> = scan.db.all().iter().map(|f| f.path.clone()).collect();
    diagnostics.sort_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        paths[a.primary.file.0 as usize]
            .cmp(&paths[b.primary.file.0 as usize])
            .then(a.primary.range.start.cmp(&b.primary.range.start))
            .then(a.rule_id.cmp(b.rule_id))
    });
    // One place may be reached twice (a `file()` read by two resources): report it once.
    diagnostics.dedup_by(|a, b| {
        let (a, b) = (&a.diagnostic, &b.diagnostic);
        a.rule_id == b.rule_id && a.primary == b.primary && a.message == b.message
    });
    diagnostics
}

/// Severity threshold for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Severity(Severity),
    Never,
}

impl FailOn {
    pub fn fails(self, diagnostics: &[Diagnostic]) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Severity(min) => diagnostics.iter().any(|d| d.severity >= min),
        }
    }
}
