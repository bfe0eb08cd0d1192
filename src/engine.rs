//! The pipeline: discover, read and parse every input once in parallel, run the rules, filter.

use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::{MissingPath, discover};
use crate::hashing::FastMap;
use crate::model::{Format, Unit};
use crate::rules::{RULES, Rule, RuleCtx, selector_matches};
use crate::source::{FileId, SourceDb, SourceFile};
use crate::syntax::terraform::ModuleCache;
use crate::syntax::{self, Ctx, Note, Parsed, Sniffed, sniff_content};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    /// Text read from standard input (`ecslint check -`), scanned instead of `paths`.
    pub stdin: Option<StdinInput>,
    /// Reduce each file to the lines its findings need once its units are checked (see
    /// `SourceDb::compact`): for runs that only report. Fixes and `--add-ignore` edit whole
    /// files.
    pub excerpts: bool,
    /// Called once the parallel jobs are done, before their results are joined: the binary's
    /// allocator returns freed memory at once from there on (see `tune_allocator` in
    /// src/main.rs). The join moves every finding once; memory freed then and held back would
    /// count the findings twice in the peak.
    pub jobs_done: Option<fn()>,
}

/// `ecslint check -`: the text, and the name it is sniffed and reported as
/// (`--stdin-filename`, else `<stdin>` and the format is sniffed from the content alone).
#[derive(Debug, Clone)]
pub struct StdinInput {
    pub name: PathBuf,
    /// `--stdin-filename` was given: sniff as a file of that name would be.
    pub named: bool,
    pub text: String,
}

/// The name standard input is reported under without `--stdin-filename`.
pub const STDIN_NAME: &str = "<stdin>";

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            respect_ignore: true,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            region: None,
            var_files: Vec::new(),
            eval_budget: crate::syntax::budget::DEFAULT_EVAL_BUDGET,
            stdin: None,
            excerpts: false,
            jobs_done: None,
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
    /// Terraform module directories (canonical) read because files of theirs were named on
    /// the command line: only findings in those files are reported (see `discover`).
    pub named_terraform: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Every unit's path and format, sorted by path (also when `units` was not kept).
    pub unit_paths: Vec<(Arc<Path>, Format)>,
    /// Task definitions, services and log groups of every unit (the summary's resources).
    pub resources: usize,
    /// CloudFormation templates: resource ranges and `Metadata` suppressions, from the
    /// front-end's one parse (later stages never parse a file again).
    pub templates: HashMap<FileId, syntax::TemplateFacts>,
}

impl Scan {
    /// A scan of what one front-end call read (the language server, the fuzz harness).
    pub fn from_parsed(db: SourceDb, parsed: Parsed) -> Scan {
        let mut units = parsed.units;
        units.sort_by(|a, b| a.path.cmp(&b.path));
        Scan {
            db,
            unit_paths: units
                .iter()
                .map(|u| (Arc::from(u.path.as_path()), u.format))
                .collect(),
            resources: units
                .iter()
                .map(|u| u.task_definitions.len() + u.services.len() + u.log_groups.len())
                .sum(),
            units,
            parse_errors: parsed.diagnostics,
            files: parsed.files,
            notes: parsed.notes,
            errors: Vec::new(),
            elapsed: Duration::ZERO,
            named_terraform: BTreeMap::new(),
            templates: parsed.templates.into_iter().collect(),
        }
    }
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
    /// A root Terraform module directory (canonical), with the directories it is expected to
    /// use.
    Module(PathBuf, Vec<PathBuf>),
}

/// The root modules to evaluate, each with the directories it is expected to use: those no
/// scanned module calls, plus one of each group only reachable through a cycle (so that
/// nothing scanned goes unchecked). Sorted, so that runs are reproducible.
fn plan_modules(calls: &FastMap<PathBuf, Vec<PathBuf>>) -> Vec<(PathBuf, Vec<PathBuf>)> {
    let mut dirs: Vec<&PathBuf> = calls.keys().collect();
    dirs.sort();
    let called: crate::hashing::FastSet<&PathBuf> = calls
        .iter()
        .flat_map(|(from, to)| to.iter().filter(move |t| *t != from))
        .collect();
    let reach = |root: &PathBuf| -> Vec<PathBuf> {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            if seen.insert(d.clone()) {
                stack.extend(calls.get(&d).into_iter().flatten().cloned());
            }
        }
        seen.into_iter().collect()
    };
    let mut plan: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    let mut reached = std::collections::HashSet::new();
    for root in dirs.iter().filter(|d| !called.contains(*d)) {
        let r = reach(root);
        reached.extend(r.iter().cloned());
        plan.push(((*root).clone(), r));
    }
    for d in dirs {
        if !reached.contains(d) {
            let r = reach(d);
            reached.extend(r.iter().cloned());
            plan.push((d.clone(), r));
        }
    }
    plan
}

/// Read everything and keep every unit's model in `Scan::units` (inspect, cost, the language
/// server). `check` streams instead ([`scan_with`]).
pub fn scan(opts: &ScanOptions) -> Result<Scan, ScanError> {
    let (mut scan, units, _) = scan_with(opts, &|unit, _| (unit, Vec::<()>::new()))?;
    scan.units = units.into_iter().map(|(unit, _)| unit).collect();
    Ok(scan)
}

/// What a unit hook sees besides the unit.
pub struct UnitEnv<'a> {
    pub db: &'a SourceDb,
    named_terraform: &'a BTreeMap<PathBuf, Vec<PathBuf>>,
    /// The CloudFormation templates read by the unit's job.
    pub templates: &'a [(FileId, syntax::TemplateFacts)],
}

impl<'a> UnitEnv<'a> {
    pub fn new(
        db: &'a SourceDb,
        named_terraform: &'a BTreeMap<PathBuf, Vec<PathBuf>>,
        templates: &'a [(FileId, syntax::TemplateFacts)],
    ) -> Self {
        UnitEnv {
            db,
            named_terraform,
            templates,
        }
    }

    /// The unit's findings outside the files named on the command line are not reported
    /// (see [`Scan::named_terraform`]).
    pub fn keep(&self, unit: &Unit, diagnostics: &mut Vec<Diagnostic>) {
        if let Some(named) = named_files(self.named_terraform, &unit.path) {
            diagnostics.retain(|d| is_in(self.db, d, named));
        }
    }
}

/// What [`scan_with`] runs on each unit: a result, and the unit's items (its findings).
pub type UnitHook<'a, T, I> = dyn Fn(Unit, &UnitEnv) -> (T, Vec<I>) + Sync + 'a;

/// A hook's result and the range of its unit's items in the run's list of items.
pub type Hooked<T> = (T, Range<u32>);

/// The scan, each unit's [`Hooked`] result (sorted by unit path) and the list of items.
pub type Scanned<T, I> = (Scan, Vec<Hooked<T>>, Vec<I>);

/// A hook's result with its unit's items moved to the end of `items`, and their range there.
pub fn gather<T, I>(items: &mut Vec<I>, (out, mut kept): (T, Vec<I>)) -> Hooked<T> {
    let start = items.len() as u32;
    items.append(&mut kept);
    (out, start..items.len() as u32)
}

/// Read everything, handing each unit to `hook` inside the parallel job that built it, as soon
/// as it is built: the unit's model is dropped when the hook returns, so memory holds what the
/// hooks keep, not every model of the run. A hook gives back a result and a list of items (the
/// unit's findings): the results come back sorted by unit path (the same order whatever the
/// thread count), each with the range of its unit's items in one list of every unit's items
/// (gathered per batch of jobs as they end, and joined at the end: see [`JobResults::seal`]);
/// `Scan::units` is empty.
pub fn scan_with<T: Send, I: Send>(
    opts: &ScanOptions,
    hook: &UnitHook<'_, T, I>,
) -> Result<Scanned<T, I>, ScanError> {
    let started = Instant::now();
    let db = SourceDb::new();
    let mut found = match &opts.stdin {
        Some(input) => stdin_discovered(&db, input),
        None => discover(&opts.paths, opts.respect_ignore)
            .map_err(|MissingPath(p)| ScanError::MissingPath(p))?,
    };
    let terraform_modules = ModuleCache::default();
    let ctx = Ctx {
        db: &db,
        roots: &found.roots,
        region: opts.region.as_deref(),
        var_files: &opts.var_files,
        max_file_size: opts.max_file_size,
        eval_budget: opts.eval_budget,
        terraform_modules: &terraform_modules,
        used_dirs: None,
    };
    // Terraform: which module directories call which is read from the text first (no parse),
    // so that a module called by others is checked through its callers (with their
    // arguments), not on its own with its defaults, and so that each parsed module can be
    // released as soon as the last root module that uses it is done.
    let discovered: FastMap<PathBuf, (PathBuf, Vec<PathBuf>)> = std::mem::take(&mut found.modules)
        .into_par_iter()
        .map(|(dir, files)| {
            (
                // A module directory's canonical name (`absolute`: parents remembered, no
                // `readlink` per component).
                crate::source::absolute(&dir),
                (dir, files),
            )
        })
        .collect();
    let calls: FastMap<PathBuf, Vec<PathBuf>> = discovered
        .par_iter()
        .map(|(canonical, (dir, files))| {
            (
                canonical.clone(),
                syntax::terraform::local_calls(&ctx, dir, files),
            )
        })
        .collect();
    let plan = plan_modules(&calls);
    drop(calls);
    let mut pending: FastMap<PathBuf, usize> = FastMap::default();
    for (_, reach) in &plan {
        for d in reach {
            *pending.entry(d.clone()).or_default() += 1;
        }
    }
    terraform_modules.plan(discovered, pending);
    let files = std::mem::take(&mut found.files);
    // In batches, each released when its jobs are done: one list of every job (a path or two
    // each) would be held until the last job ends.
    let mut batches: Vec<Vec<Job>> = Vec::new();
    for job in plan
        .into_iter()
        .map(|(root, reach)| Job::Module(root, reach))
        .chain(files.into_iter().map(|(p, by)| Job::File(p, by)))
    {
        match batches.last_mut() {
            Some(batch) if batch.len() < JOB_BATCH => batch.push(job),
            _ => {
                let mut batch = Vec::with_capacity(JOB_BATCH);
                batch.push(job);
                batches.push(batch);
            }
        }
    }
    let explicit = &found.explicit;
    let named_terraform = &found.named_terraform;
    let db_ref = &db;
    let excerpts = opts.excerpts;
    let terraform_modules = &terraform_modules;
    let job = |job: Job| {
        // A file job's input, whatever it turned out to be (an unrelated file too).
        let own = match &job {
            Job::File(path, _) => Some(crate::source::identity(path)),
            Job::Module(..) => None,
        };
        let used_dirs = std::sync::Mutex::new(Vec::new());
        let job_ctx = Ctx {
            used_dirs: Some(&used_dirs),
            ..ctx
        };
        let (mut parsed, error) = run_job(&job_ctx, job, explicit);
        let env = UnitEnv::new(db_ref, named_terraform, &parsed.templates);
        // Not `into_iter().map().collect()`: that reuses the units' allocation (sized for
        // models) to hold the results, for the rest of the run.
        let taken = std::mem::take(&mut parsed.units);
        let mut units: Vec<Checked<T>> = Vec::with_capacity(taken.len());
        let mut items: Vec<I> = Vec::new();
        for unit in taken {
            let path = db_ref.shared_path(&unit.path);
            let format = unit.format;
            let resources =
                unit.task_definitions.len() + unit.services.len() + unit.log_groups.len();
            let (out, range) = gather(&mut items, hook(unit, &env));
            units.push(Checked {
                // A file's unit: its file's path (not a second copy).
                path,
                format,
                resources: resources as u32,
                out,
                items: range,
            });
        }
        if excerpts {
            // After the hooks only `Metadata` suppressions are read from a template.
            parsed.templates.retain_mut(|(_, t)| {
                t.resources = HashMap::new();
                !(t.metadata.directives.is_empty() && t.metadata.invalid.is_empty())
            });
            parsed.templates.shrink_to_fit();
            for d in &parsed.diagnostics {
                db_ref.keep(&d.primary);
            }
            // This job's own input files (not Terraform: a module directory is done when the
            // last job using it is), then the module directories no job uses any more.
            let mut done: Vec<FileId> = parsed
                .files
                .iter()
                .filter(|(_, format)| !format.is_terraform() || *format == Format::TerraformPlan)
                .map(|(id, _)| *id)
                .collect();
            if let Some(file) = own.and_then(|p| db_ref.find(&p))
                && parsed
                    .files
                    .iter()
                    .all(|(_, f)| !f.is_terraform() || *f == Format::TerraformPlan)
            {
                done.push(file.id);
            }
            let used = used_dirs.into_inner().unwrap_or_else(|e| e.into_inner());
            for dir in used {
                for path in terraform_modules.done(&dir) {
                    done.extend(db_ref.find(&crate::source::identity(&path)).map(|f| f.id));
                }
            }
            db_ref.compact(&done);
        }
        (parsed, units, items, error)
    };
    // Folded as the jobs end, in job order (rayon's `fold` and `reduce` keep it): not one
    // result per job held until the last one ends (~200 bytes a job and an allocation each).
    let run = |jobs: Vec<Job>| -> JobResults<T, I> {
        jobs.into_par_iter()
            .map(job)
            .fold(JobResults::default, JobResults::push)
            .reduce(JobResults::default, JobResults::append)
    };
    let mut results = JobResults::default();
    for batch in batches {
        results = results.append(run(batch).seal());
    }
    // Directories the text promised a caller for that no evaluation reached: on their own.
    let unreached: Vec<Job> = terraform_modules
        .unseen()
        .into_iter()
        .map(|dir| Job::Module(dir, Vec::new()))
        .collect();
    results = results.append(run(unreached).seal());
    if excerpts {
        // No unit reads a file any more: those pinned for `file()` readers go too.
        db.compact_all();
    }
    let JobResults {
        parsed: mut all,
        mut checked,
        items: _,
        chunks,
        chunked,
        errors: job_errors,
    } = results.seal();
    // Each batch's items are given up as they are moved: the join holds one batch twice, not
    // the run.
    if let Some(jobs_done) = opts.jobs_done {
        jobs_done();
    }
    let mut items = Vec::with_capacity(chunked);
    for chunk in chunks {
        items.extend(chunk);
    }
    all.notes.append(&mut found.notes);
    let mut errors = std::mem::take(&mut found.errors);
    errors.extend(job_errors);
    errors.sort();
    checked.sort_by(|a, b| a.path.cmp(&b.path));
    all.notes.sort();
    let resources = checked.iter().map(|c| c.resources as usize).sum();
    let (unit_paths, outs): (Vec<_>, Vec<_>) = checked
        .into_iter()
        .map(|c| ((c.path, c.format), (c.out, c.items)))
        .unzip();
    let scan = Scan {
        units: Vec::new(),
        unit_paths,
        resources,
        parse_errors: all.diagnostics,
        files: all.files,
        notes: all.notes,
        errors,
        elapsed: started.elapsed(),
        named_terraform: found.named_terraform,
        templates: all.templates.into_iter().collect(),
        db,
    };
    Ok((scan, outs, items))
}

/// Jobs run side by side; a batch's last job may keep one thread alone for its length, so
/// batches are long enough that this is rare, short enough that their lists are small.
const JOB_BATCH: usize = 4096;

/// What the jobs of a scan give back, in job order.
struct JobResults<T, I> {
    parsed: Parsed,
    checked: Vec<Checked<T>>,
    /// Every unit's items, in order: those of sealed batches (`chunked` in all), then those
    /// not sealed yet; `Checked::items` says which are whose.
    chunks: Vec<Vec<I>>,
    chunked: usize,
    items: Vec<I>,
    errors: Vec<Note>,
}

impl<T, I> Default for JobResults<T, I> {
    fn default() -> Self {
        JobResults {
            parsed: Parsed::default(),
            checked: Vec::new(),
            chunks: Vec::new(),
            chunked: 0,
            items: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// One job's results: its parse, its units, their items, a note if it failed.
type JobOutput<T, I> = (Parsed, Vec<Checked<T>>, Vec<I>, Option<Note>);

impl<T, I> JobResults<T, I> {
    fn push(self, (parsed, checked, items, error): JobOutput<T, I>) -> Self {
        self.append(JobResults {
            parsed,
            checked,
            chunks: Vec::new(),
            chunked: 0,
            items,
            errors: error.into_iter().collect(),
        })
    }

    /// The items so far become one chunk. Batches are sealed: one list grown by doubling for
    /// the whole run would, at its last doubling, hold most findings twice while copying
    /// (a ~21 MiB spike in peak RSS at N=100,000); a batch's list is small.
    fn seal(mut self) -> Self {
        if !self.items.is_empty() {
            self.chunked += self.items.len();
            self.chunks.push(std::mem::take(&mut self.items));
        }
        self
    }

    fn append(mut self, later: Self) -> Self {
        self.parsed.extend(later.parsed);
        let offset = (self.chunked + self.items.len()) as u32;
        self.checked.extend(later.checked.into_iter().map(|mut c| {
            c.items = c.items.start + offset..c.items.end + offset;
            c
        }));
        if !later.chunks.is_empty() {
            self = self.seal();
            self.chunks.extend(later.chunks);
            self.chunked += later.chunked;
        }
        self.items.extend(later.items);
        self.errors.extend(later.errors);
        self
    }
}

/// A hook's result with what the scan keeps of the unit it was given.
struct Checked<T> {
    path: Arc<Path>,
    format: Format,
    /// `u32`: one `Checked` per unit is held to the end of a run.
    resources: u32,
    out: T,
    /// Its items in the run's list.
    items: Range<u32>,
}

/// Standard input as the one file of the run: put in the source database under its name (every
/// read answers from there first), sniffed as a file of that name named on the command line
/// would be, or from its content alone. The directory of a given name, when it exists, is the
/// scan root (what `file()` may read), as for a named file.
fn stdin_discovered(db: &SourceDb, input: &StdinInput) -> crate::discover::Discovered {
    let mut out = crate::discover::Discovered::default();
    if input.text.trim().is_empty() {
        return out;
    }
    let name = crate::source::identity(&input.name);
    db.add(name.clone(), input.text.clone());
    if input.named {
        let dir = name
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        if let Ok(root) = dir.canonicalize() {
            out.roots.push(root);
        }
    }
    let by = if input.named {
        crate::syntax::sniff_name(&name, true).unwrap_or(syntax::SniffBy::Any)
    } else {
        syntax::SniffBy::Any
    };
    match by {
        // A `.tf` name: its own module, as a named Terraform file that looks like one.
        syntax::SniffBy::Name(Sniffed::TerraformVars) => {}
        by => out.files.push((name.clone(), by)),
    }
    out.explicit.push(name);
    out
}

fn run_job(ctx: &Ctx, job: Job, explicit: &[PathBuf]) -> (Parsed, Option<Note>) {
    let named = |p: &PathBuf| explicit.contains(p);
    match job {
        Job::Module(dir, reach) => (
            syntax::terraform::evaluate_root_dir(ctx, &dir, &reach),
            None,
        ),
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
        // Syntax errors always show; the front-ends' other findings (ECS020, ECS021) are rules
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

impl AsRef<Diagnostic> for Tagged {
    fn as_ref(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

impl AsMut<Diagnostic> for Tagged {
    fn as_mut(&mut self) -> &mut Diagnostic {
        &mut self.diagnostic
    }
}

/// [`check`] with a per-unit rule choice (configuration files are per unit). Front-end
/// findings are all returned, unfiltered.
pub fn check_with(scan: &Scan, enabled: &(dyn Fn(&Unit, &Rule) -> bool + Sync)) -> Vec<Tagged> {
    let mut diagnostics: Vec<Tagged> = scan
        .units
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, unit)| {
            let mut out = check_unit(unit, &scan.db, &|r| enabled(unit, r));
            if let Some(named) = named_files(&scan.named_terraform, &unit.path) {
                out.retain(|d| is_in(&scan.db, d, named));
            }
            out.into_iter().map(move |diagnostic| Tagged {
                unit: Some(i),
                diagnostic,
            })
        })
        .collect();
    diagnostics.extend(front_end_findings(scan).map(|d| Tagged {
        unit: None,
        diagnostic: d.clone(),
    }));
    sort_and_merge(&scan.db.all(), &mut diagnostics);
    diagnostics
}

/// The front-ends' findings (syntax errors, ECS020, ECS021); of a Terraform directory read
/// because files of it were named, those in the named files only (see `named_files`).
pub fn front_end_findings(scan: &Scan) -> impl Iterator<Item = &Diagnostic> {
    scan.parse_errors.iter().filter(|d| {
        let path = &scan.db.get(d.primary.file).path;
        match path
            .parent()
            .and_then(|dir| named_files(&scan.named_terraform, dir))
        {
            Some(named) => is_in(&scan.db, d, named),
            None => true,
        }
    })
}

/// The enabled rules over one unit, with module instances named and value uses labelled.
pub fn check_unit(unit: &Unit, db: &SourceDb, enabled: &dyn Fn(&Rule) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut views = InstanceViews::default();
    for &rule in RULES.iter().filter(|r| enabled(r)) {
        let mut found = Vec::new();
        (rule.check)(
            &RuleCtx {
                unit,
                rule,
                sources: db,
            },
            &mut found,
        );
        // Rules anchor some findings on the first byte of a span (`rules::util::start_of`),
        // which may be the first of a multi-byte character (found by fuzzing).
        for d in &mut found {
            db.whole_characters(&mut d.primary);
            for (span, _) in &mut d.labels {
                db.whole_characters(span);
            }
        }
        name_module_instances(db, unit, rule, &mut found, &mut views);
        label_value_uses(unit, &mut found);
        out.append(&mut found);
    }
    out
}

/// Sort findings by file path, position and rule (a stable sort: the first of equal findings
/// stays first), then report each place once: one place may be reached twice (a `file()` read
/// by two resources), and instances of one module that share a finding are named together.
/// `files` is the scan's `SourceDb::all`, for the paths.
pub fn sort_and_merge<T: AsMut<Diagnostic> + AsRef<Diagnostic> + Sync>(
    files: &[Arc<SourceFile>],
    items: &mut Vec<T>,
) {
    let ranks = path_ranks(files);
    let key = |d: &Diagnostic| finding_order(&ranks, d);
    // Sorting indices, then moving the findings once: a stable sort of the findings themselves
    // would need scratch space for half of them, and a run's memory is mostly its findings.
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    order.par_sort_by_key(|&i| key(items[i as usize].as_ref()));
    permute(items, &mut order);
    items.dedup_by(|a, b| {
        let (a, b) = (a.as_mut(), b.as_mut());
        let same = a.rule_id == b.rule_id && a.primary == b.primary && a.message == b.message;
        if same {
            for label in a.labels.drain(..) {
                if !b.labels.contains(&label) {
                    b.labels.push(label);
                }
            }
        }
        same
    });
}

/// Each file's place in the order of their paths (`ranks[id]`; files of one path share it), so
/// that sorting findings by file compares numbers, not paths component by component.
pub fn path_ranks(files: &[Arc<SourceFile>]) -> Vec<u32> {
    let path = |id: u32| &files[id as usize].path;
    let mut order: Vec<u32> = (0..files.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| path(a).cmp(path(b)));
    let mut ranks = vec![0; files.len()];
    let mut rank = 0;
    for (k, &id) in order.iter().enumerate() {
        if k > 0 && path(id) != path(order[k - 1]) {
            rank += 1;
        }
        ranks[id as usize] = rank;
    }
    ranks
}

/// The order of reports: by file path (through [`path_ranks`]), position, rule.
pub fn finding_order(ranks: &[u32], d: &Diagnostic) -> (u32, u32, &'static str) {
    (
        ranks[d.primary.file.0 as usize],
        d.primary.range.start,
        d.rule_id,
    )
}

/// Reorder `items` in place so that the new `items[k]` is the old `items[order[k]]`; `order`
/// (a permutation) is used up.
fn permute<T>(items: &mut [T], order: &mut [u32]) {
    for i in 0..items.len() {
        let mut j = i;
        // Follow the cycle through `i`, marking each position done (`order[j] == j`).
        loop {
            let k = order[j] as usize;
            order[j] = j as u32;
            if k == i {
                break;
            }
            items.swap(j, k);
            j = k;
        }
    }
}

/// A finding inside a Terraform module that the unit expanded (the module's own literal or
/// default) gets a label at each call that reaches it, naming the instances that have it: the
/// module's code is one place, its instances may be many. When several instances of the module
/// are in the unit, the rule is run again with the others left out to tell which ones have it
/// (up to `MAX_ATTRIBUTED`; beyond, every instance is named).
fn name_module_instances(
    db: &SourceDb,
    unit: &Unit,
    rule: &'static Rule,
    diagnostics: &mut [Diagnostic],
    views: &mut InstanceViews,
) {
    const MAX_ATTRIBUTED: usize = 8;
    if unit.module_instances.is_empty() {
        return;
    }
    // Per module directory: which of its instances produce which findings.
    let mut attributed: HashMap<PathBuf, Vec<(usize, Vec<Diagnostic>)>> = HashMap::new();
    for d in diagnostics {
        let Some(dir) = db.get(d.primary.file).path.parent().map(PathBuf::from) else {
            continue;
        };
        let candidates: Vec<usize> = (0..unit.module_instances.len())
            .filter(|&i| unit.module_instances[i].dir == dir)
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let producing: Vec<usize> = if candidates.len() == 1 || candidates.len() > MAX_ATTRIBUTED {
            candidates
        } else {
            let unit_views = views.of(unit, &dir, &candidates);
            let runs = attributed.entry(dir).or_insert_with(|| {
                unit_views
                    .iter()
                    .map(|(c, view)| {
                        let mut found = Vec::new();
                        (rule.check)(
                            &RuleCtx {
                                unit: view,
                                rule,
                                sources: db,
                            },
                            &mut found,
                        );
                        (*c, found)
                    })
                    .collect()
            });
            let matching: Vec<usize> = runs
                .iter()
                .filter(|(_, found)| {
                    found
                        .iter()
                        .any(|x| x.primary == d.primary && x.message == d.message)
                })
                .map(|(c, _)| *c)
                .collect();
            if matching.is_empty() {
                candidates
            } else {
                matching
            }
        };
        let mut calls: Vec<(&crate::source::Span, Vec<&str>)> = Vec::new();
        for instance in producing.iter().map(|&i| &unit.module_instances[i]) {
            match calls.iter_mut().find(|(span, _)| **span == instance.call) {
                Some((_, names)) => names.push(&instance.address),
                None => calls.push((&instance.call, vec![&instance.address])),
            }
        }
        for (span, names) in calls {
            let text = format!("in `{}`, called here", names.join("`, `"));
            d.labels.push((*span, text.into()));
        }
    }
}

/// A finding on a value that a module received from outside (a caller's argument, a tfvars
/// line) is located where the value is written; this adds where the module uses it. The
/// innermost value holding the finding decides; one value used in several places gets a label
/// at each.
fn label_value_uses(unit: &Unit, diagnostics: &mut [Diagnostic]) {
    if unit.value_uses.is_empty() {
        return;
    }
    for d in diagnostics {
        let p = &d.primary;
        let holding = unit.value_uses.iter().filter(|u| {
            u.value.file == p.file
                && u.value.range.start <= p.range.start
                && p.range.end <= u.value.range.end
        });
        let Some(innermost) = holding.clone().map(|u| u.value.range.len()).min() else {
            continue;
        };
        for u in holding.filter(|u| u.value.range.len() == innermost) {
            let label: (_, Arc<str>) = (u.used, "the module uses it here".into());
            if !d.labels.contains(&label) {
                d.labels.push(label);
            }
        }
    }
}

/// Per unit, per module directory: for each instance, the unit without the other instances of
/// that module. Built once and shared by every rule.
#[derive(Default)]
struct InstanceViews {
    by_dir: HashMap<PathBuf, std::rc::Rc<Vec<(usize, Unit)>>>,
}

impl InstanceViews {
    fn of(
        &mut self,
        unit: &Unit,
        dir: &std::path::Path,
        candidates: &[usize],
    ) -> std::rc::Rc<Vec<(usize, Unit)>> {
        self.by_dir
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                std::rc::Rc::new(
                    candidates
                        .iter()
                        .map(|&c| {
                            let others: Vec<&str> = candidates
                                .iter()
                                .filter(|&&o| o != c)
                                .map(|&o| unit.module_instances[o].address.as_str())
                                .collect();
                            (c, without_instances(unit, &others))
                        })
                        .collect(),
                )
            })
            .clone()
    }
}

/// The unit without the resources of the given module instances (and of their modules).
fn without_instances(unit: &Unit, addresses: &[&str]) -> Unit {
    let keep = |name: &str| {
        !addresses.iter().any(|a| {
            name.len() > a.len() && name.starts_with(a) && name.as_bytes()[a.len()] == b'.'
        })
    };
    let mut view = Unit::new(unit.path.clone(), unit.format);
    view.region = unit.region.clone();
    view.task_definitions = unit
        .task_definitions
        .iter()
        .filter(|t| keep(&t.name))
        .cloned()
        .collect();
    view.services = unit
        .services
        .iter()
        .filter(|s| keep(&s.name))
        .cloned()
        .collect();
    view.log_groups = unit
        .log_groups
        .iter()
        .filter(|g| keep(&g.name))
        .cloned()
        .collect();
    view.clusters = unit
        .clusters
        .iter()
        .filter(|c| keep(&c.name))
        .cloned()
        .collect();
    view
}

/// The files named on the command line when `dir` was read only because of them.
fn named_files<'s>(
    named_terraform: &'s BTreeMap<PathBuf, Vec<PathBuf>>,
    dir: &std::path::Path,
) -> Option<&'s Vec<PathBuf>> {
    if named_terraform.is_empty() {
        return None;
    }
    let canonical = dir.canonicalize().ok()?;
    named_terraform.get(&canonical)
}

fn is_in(db: &SourceDb, d: &Diagnostic, files: &[PathBuf]) -> bool {
    db.get(d.primary.file)
        .path
        .canonicalize()
        .is_ok_and(|p| files.contains(&p))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One job's results: units named by `names`, each with its own items (`name-0`, ...).
    fn job(names: &[(&str, usize)]) -> JobOutput<String, String> {
        let mut checked = Vec::new();
        let mut items = Vec::new();
        for &(name, n) in names {
            let start = items.len() as u32;
            items.extend((0..n).map(|i| format!("{name}-{i}")));
            checked.push(Checked {
                path: Arc::from(Path::new(name)),
                format: Format::TaskDefJson,
                resources: 0,
                out: name.to_owned(),
                items: start..items.len() as u32,
            });
        }
        (Parsed::default(), checked, items, None)
    }

    /// Each unit's range names its own items, however results are folded, appended and sealed
    /// (the batches of a scan and rayon's splits).
    #[test]
    fn job_results_keep_each_units_items() {
        let fold = |jobs: Vec<JobOutput<String, String>>| {
            jobs.into_iter()
                .fold(JobResults::default(), JobResults::push)
        };
        let first = fold(vec![job(&[("a", 2), ("b", 0)]), job(&[("c", 3)])]).seal();
        let second = fold(vec![job(&[("d", 1)])]).append(fold(vec![job(&[("e", 2)])]));
        let third = fold(vec![job(&[("f", 1), ("g", 2)])]).seal();
        let all = JobResults::default()
            .append(first)
            .append(second)
            .append(third)
            .seal();
        assert_eq!(all.chunked, 11);
        let items: Vec<String> = all.chunks.into_iter().flatten().collect();
        assert_eq!(items.len(), 11);
        for c in &all.checked {
            let mine = &items[c.items.start as usize..c.items.end as usize];
            let want: Vec<String> = (0..mine.len()).map(|i| format!("{}-{i}", c.out)).collect();
            assert_eq!(mine, want, "{}", c.out);
        }
        let counts: Vec<(&str, usize)> = all
            .checked
            .iter()
            .map(|c| (c.out.as_str(), c.items.len()))
            .collect();
        assert_eq!(
            counts,
            [
                ("a", 2),
                ("b", 0),
                ("c", 3),
                ("d", 1),
                ("e", 2),
                ("f", 1),
                ("g", 2)
            ]
        );
    }

    #[test]
    fn permute_moves_each_item_to_its_place() {
        let orders: [&[u32]; 5] = [&[], &[0], &[2, 0, 1], &[3, 2, 1, 0], &[1, 0, 3, 4, 2]];
        for order in orders {
            let mut items: Vec<u32> = (0..order.len() as u32).map(|i| i * 10).collect();
            let want: Vec<u32> = order.iter().map(|&i| i * 10).collect();
            permute(&mut items, &mut order.to_vec());
            assert_eq!(items, want, "{order:?}");
        }
    }
}
