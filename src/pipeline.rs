//! From a scan to the findings a user sees: per-unit configuration (selection, severity
//! overrides, `exclude`, `per-file-ignores`), then the suppression filters (inline comments,
//! CloudFormation Metadata, `[[suppress]]`), which also report on themselves (ECS010–ECS014).
//! The baseline (`crate::baseline`) is applied by the caller on the result.

use crate::config::{CliSelection, Config, ConfigError, Date, Resolver, Suppression};
use crate::diagnostic::{Diagnostic, PARSE_ERROR};
use crate::engine::{self, Scan};
use crate::model::{Format, Unit};
use crate::rules::{self, suppression as meta};
use crate::source::{FileId, SourceDb, Span};
use crate::suppress::{self, Directive, Kind};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub cli: CliSelection,
    /// `--ignore-suppressions`: no inline, Metadata or `[[suppress]]` filter (an audit run).
    pub ignore_suppressions: bool,
    pub today: Option<Date>,
    /// Compute each finding's baseline [`Identity`] (`Outcome::identities`): only a run that
    /// reads or writes a baseline pays for them.
    pub identities: bool,
    /// List the config of every unit (`Outcome::configs`, for `-v`).
    pub unit_configs: bool,
}

/// A finding that a suppression removed from the report.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub kind: Kind,
    pub reason: Option<String>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// Reported findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// What identifies each reported finding across edits (same order as `diagnostics`);
    /// empty unless `Options::identities`.
    pub identities: Vec<Identity>,
    pub suppressed: Vec<Suppressed>,
    /// Unit path → the config file it used (`None`: defaults), for `-v`; empty unless
    /// `Options::unit_configs`.
    pub configs: Vec<(PathBuf, Option<PathBuf>)>,
}

/// What the scan keeps of one unit besides its findings: its configuration. Boxed: one per
/// unit is held to the end of a run, an error is rare.
pub struct UnitOutcome {
    config: Result<Arc<Config>, Box<ConfigError>>,
}

/// A finding and, for a unit's finding, where it lies in the unit (only when a `[[suppress]]`
/// entry that could apply names a resource or container) and its identity (only when
/// `Options::identities`). Boxed and optional: most of a run's memory is its findings.
struct Placed {
    diagnostic: Diagnostic,
    place: Option<Box<Place>>,
    identity: Option<Box<Identity>>,
    /// The index of its unit's outcome (whose config's `[[suppress]]` entries apply);
    /// `u32::MAX` for a front-end finding.
    unit: u32,
}

impl AsRef<Diagnostic> for Placed {
    fn as_ref(&self) -> &Diagnostic {
        &self.diagnostic
    }
}

impl AsMut<Diagnostic> for Placed {
    fn as_mut(&mut self) -> &mut Diagnostic {
        &mut self.diagnostic
    }
}

/// The task definitions of a unit: (name, family), shared by the places of its findings.
type TaskDefinitionNames = Arc<[(String, Option<String>)]>;

/// Of the unit a finding came from: what `[[suppress]]` `resource` / `container` entries
/// need.
struct Place {
    unit_task_definitions: TaskDefinitionNames,
    /// The task definitions whose block or containers hold the finding (an index into
    /// `unit_task_definitions`), with the names of the containers that hold it (`None`: the
    /// name is unknown).
    holders: Vec<(usize, Vec<Option<String>>)>,
    /// The services, log groups and clusters whose block holds it.
    others: Vec<String>,
}

/// Runs the rules of one unit with its configuration, inside the scan.
struct UnitChecker<'a> {
    resolver: &'a Resolver,
    cli: &'a CliSelection,
    region: Option<&'a str>,
    identities: bool,
    texts: crate::diagnostic::Texts,
    /// The config of each file with findings whose config is not that of the unit the
    /// findings came from (`None`: it could not be read), so that `finish` need not look up
    /// every file again, alone on one thread: most files have their unit's config.
    file_configs: std::sync::Mutex<FileConfigs>,
}

type FileConfigs = HashMap<FileId, Option<Arc<Config>>>;

impl<'a> UnitChecker<'a> {
    /// The file configs the checks found.
    fn into_file_configs(self) -> FileConfigs {
        (self.file_configs.into_inner()).unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The unit's configuration, and its findings after it (selection, `exclude`,
    /// `per-file-ignores`, severity), each with its place in the unit, and fixes that need the
    /// model already attached. Run inside the scan's parallel job; the unit is then dropped.
    fn check(&self, unit: &Unit, env: &engine::UnitEnv) -> (UnitOutcome, Vec<Placed>) {
        let is_module = unit.format.is_terraform() && unit.format != Format::TerraformPlan;
        // Made absolute once: the config lookup, the identities and the unit's own file below
        // all need it (a module's directory is remembered, a file read costs no `lstat`).
        let own_file = (!is_module).then(|| env.db.find(&unit.path)).flatten();
        let unit_abs: Arc<Path> = match own_file {
            Some(file) => file.absolute(),
            None => crate::source::absolute(&unit.path),
        }
        .into();
        let config = if is_module {
            self.resolver.for_absolute_dir(&unit_abs)
        } else {
            self.resolver.for_absolute_file(&unit_abs)
        };
        let Ok(c) = &config else {
            let config = config.map_err(Box::new);
            return (UnitOutcome { config }, Vec::new());
        };
        let mut found = engine::check_unit(unit, env.db, &|rule| c.enabled(self.cli, rule));
        env.keep(unit, &mut found);
        let extents = Extents {
            db: env.db,
            templates: env.templates,
            hcl: Default::default(),
        };
        let mut containers: Option<Vec<ContainerAt>> = None;
        let mut unit_task_definitions: Option<TaskDefinitionNames> = None;
        // The identity's path: a Terraform unit's module directory (blocks move between its
        // files), else the finding's file.
        let module_dir: Option<Arc<Path>> = is_module.then(|| unit_abs.clone());
        // Per file of the unit's findings: its absolute path, and whether a `[[suppress]]` entry
        // that could apply to findings there names a resource or container (the unit's config
        // and the file's own, see `finish`), which needs the finding's place.
        let mut files: HashMap<FileId, (Arc<Path>, bool)> = HashMap::new();
        let mut findings = Vec::with_capacity(found.len());
        for mut d in found {
            let (path, wants_place) = match files.entry(d.primary.file) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let file = env.db.get(d.primary.file);
                    let (abs, by_file) = if !is_module && *file.path == *unit.path {
                        (unit_abs.clone(), Ok(c.clone()))
                    } else {
                        let abs: Arc<Path> = file.absolute().into();
                        let by_file = self.resolver.for_absolute_file(&abs);
                        (abs, by_file)
                    };
                    let names_owners = by_file.as_ref().map_or(true, |f| f.names_owners());
                    match by_file {
                        Ok(f) if Arc::ptr_eq(&f, c) => {}
                        by_file => {
                            self.file_configs
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .insert(d.primary.file, by_file.ok());
                        }
                    }
                    e.insert((abs, c.names_owners() || names_owners))
                }
            };
            if c.excluded(path) || c.file_ignores(path, d.rule_id) {
                continue;
            }
            d.severity = c.severity(d.rule_id, d.severity);
            // The task definition or service holding the finding: fixes need to know whether
            // there is one; the place and the identity, which resource and container.
            let wants_owner = *wants_place || self.identities;
            let (place, owner) = if wants_owner || crate::fix::needs_owner(&d) {
                let containers = containers.get_or_insert_with(|| extents.containers_of(unit));
                let tds = unit_task_definitions.get_or_insert_with(|| {
                    unit.task_definitions
                        .iter()
                        .map(|td| (td.name.clone(), crate::model::known(&td.family).cloned()))
                        .collect()
                });
                let (place, owner) = extents.place(unit, tds, containers, &d);
                (wants_place.then(|| Box::new(place)), owner)
            } else {
                (None, Default::default())
            };
            crate::fix::classify_unit(unit, env.db, &mut d, !owner.0.is_empty(), self.region);
            let identity = self.identities.then(|| {
                let path = module_dir.as_ref().unwrap_or(path).clone();
                Box::new(identity(env.db, path, owner, &d))
            });
            self.texts.share(&mut d);
            // What the reports locate and quote, kept when the file is reduced to an excerpt.
            env.db.keep(&d.primary);
            for (span, _) in &d.labels {
                env.db.keep(span);
            }
            for edit in d.fix.iter().flat_map(|f| &f.edits) {
                env.db.keep(&edit.span);
            }
            findings.push(Placed {
                diagnostic: d,
                place,
                identity,
                unit: u32::MAX,
            });
        }
        let config = config.map_err(Box::new);
        (UnitOutcome { config }, findings)
    }
}

/// Scan and check in one pass: each unit is checked in the parallel job that built it and
/// dropped, so that memory holds findings, not models (`check`, `--fix`, `--add-ignore`).
/// `region` prices fix titles.
pub fn scan_and_run(
    scan_options: &engine::ScanOptions,
    resolver: &Resolver,
    opts: &Options,
    region: Option<&str>,
) -> Result<Result<(Scan, Outcome), ConfigError>, engine::ScanError> {
    let checker = UnitChecker {
        resolver,
        cli: &opts.cli,
        region,
        identities: opts.identities,
        texts: Default::default(),
        file_configs: Default::default(),
    };
    let (scan, outcomes, findings) =
        engine::scan_with(scan_options, &|unit, env| checker.check(&unit, env))?;
    let known = checker.into_file_configs();
    Ok(finish(&scan, outcomes, findings, resolver, known, opts).map(|outcome| (scan, outcome)))
}

/// Run the rules with each unit's configuration and apply the suppressions, on a scan that
/// kept its units (the language server).
pub fn run(
    scan: &Scan,
    resolver: &Resolver,
    opts: &Options,
    region: Option<&str>,
) -> Result<Outcome, ConfigError> {
    let checker = UnitChecker {
        resolver,
        cli: &opts.cli,
        region,
        identities: opts.identities,
        texts: Default::default(),
        file_configs: Default::default(),
    };
    let templates: Vec<(FileId, crate::syntax::TemplateFacts)> = scan
        .templates
        .iter()
        .map(|(id, t)| (*id, t.clone()))
        .collect();
    let env = engine::UnitEnv::new(&scan.db, &scan.named_terraform, &templates);
    let mut findings: Vec<Placed> = Vec::new();
    let outcomes: Vec<engine::Hooked<UnitOutcome>> = scan
        .units
        .iter()
        .map(|u| engine::gather(&mut findings, checker.check(u, &env)))
        .collect();
    let known = checker.into_file_configs();
    finish(scan, outcomes, findings, resolver, known, opts)
}

/// The suppressions, the baseline identities and the meta findings, over every unit's outcome.
fn finish(
    scan: &Scan,
    outcomes: Vec<engine::Hooked<UnitOutcome>>,
    mut placed: Vec<Placed>,
    resolver: &Resolver,
    known: FileConfigs,
    opts: &Options,
) -> Result<Outcome, ConfigError> {
    let today = opts.today.unwrap_or_else(Date::today);
    let cli = &opts.cli;
    let mut unit_configs: Vec<Arc<Config>> = Vec::with_capacity(outcomes.len());
    for (unit, (o, range)) in outcomes.into_iter().enumerate() {
        unit_configs.push(o.config.map_err(|e| *e)?);
        for p in &mut placed[range.start as usize..range.end as usize] {
            p.unit = unit as u32;
        }
    }
    // Exactly: a run's memory is mostly its findings (and there is usually room already).
    placed.reserve_exact(engine::front_end_findings(scan).count());

    let sources = scan.db.all();
    // Not remembered: a run's files are mostly asked about once, and one absolute path per
    // file would be held to the end.
    let abs_of = |id: FileId| sources[id.0 as usize].absolute();
    // A unit's finding whose file is not here has its unit's config (see `UnitChecker`).
    let mut file_configs: HashMap<FileId, Arc<Config>> = HashMap::new();
    let mut unread: std::collections::HashSet<FileId> = Default::default();
    for (id, config) in known {
        match config {
            Some(c) => {
                file_configs.insert(id, c);
            }
            None => {
                unread.insert(id);
            }
        }
    }
    let mut config_of_file =
        |id: FileId, resolver: &Resolver| -> Result<Arc<Config>, ConfigError> {
            if let Some(c) = file_configs.get(&id) {
                return Ok(c.clone());
            }
            let c = resolver.for_absolute_file(&abs_of(id))?;
            file_configs.insert(id, c.clone());
            Ok(c)
        };

    // The front-ends' findings (ECS000, ECS020, ECS021): the configuration of their file.
    for d in engine::front_end_findings(scan) {
        let path = abs_of(d.primary.file);
        let config = config_of_file(d.primary.file, resolver)?;
        if d.rule_id != PARSE_ERROR
            && !rules::find(d.rule_id).is_some_and(|r| config.enabled(cli, r))
        {
            continue;
        }
        if config.excluded(&path) || config.file_ignores(&path, d.rule_id) {
            continue;
        }
        let mut d = d.clone();
        d.severity = config.severity(d.rule_id, d.severity);
        let identity = opts
            .identities
            .then(|| Box::new(identity(&scan.db, path.into(), Default::default(), &d)));
        placed.push(Placed {
            diagnostic: d,
            place: None,
            identity,
            unit: u32::MAX,
        });
    }
    engine::sort_and_merge(&sources, &mut placed);

    // Inline and Metadata suppressions, per file.
    let mut directives: Vec<(FileId, Directive, bool)> = Vec::new();
    let mut meta_findings: Vec<Diagnostic> = Vec::new();
    if !opts.ignore_suppressions {
        let mut read: Vec<(FileId, Format)> = Vec::new();
        for &(id, format) in &scan.files {
            // A file without the marker has no inline directive (an excerpt keeps lines of a
            // file that had none): only a template's `Metadata` may still have some.
            if !sources[id.0 as usize].text.contains("ecslint-ignore")
                && !scan.templates.contains_key(&id)
            {
                continue;
            }
            if config_of_file(id, resolver)?.inline_suppressions != Some(false) {
                read.push((id, format));
            }
        }
        let found: Vec<(FileId, suppress::Found)> = read
            .par_iter()
            .map(|&(id, format)| {
                let found = suppress::collect(
                    &sources[id.0 as usize],
                    format,
                    scan.templates.get(&id).map(|t| &t.metadata),
                );
                (id, found)
            })
            .collect();
        for (id, found) in found {
            meta_findings.extend(found.invalid);
            directives.extend(found.directives.into_iter().map(|d| (id, d, false)));
        }
    }
    // The directives of each file, to match findings without walking every directive.
    let mut directives_of: HashMap<FileId, Vec<usize>> = HashMap::new();
    for (i, (file, _, _)) in directives.iter().enumerate() {
        directives_of.entry(*file).or_default().push(i);
    }
    // `[[suppress]]` entries of every config in use, once each, and which ones each config
    // holds: a finding is matched against those of its unit's config and of its file's (paths
    // are relative to the config file, so an entry reaches only files below it).
    let mut entries: Vec<(Suppression, bool)> = Vec::new();
    let mut entries_of: HashMap<*const Config, Vec<usize>> = HashMap::new();
    if !opts.ignore_suppressions {
        // Asked again for the error, where a finding is still reported.
        for p in &placed {
            let id = p.diagnostic.primary.file;
            if unread.contains(&id) {
                config_of_file(id, resolver)?;
            }
        }
        let mut index: HashMap<(&Path, usize), usize> = HashMap::new();
        for c in unit_configs.iter().chain(file_configs.values()) {
            let std::collections::hash_map::Entry::Vacant(slot) = entries_of.entry(Arc::as_ptr(c))
            else {
                continue;
            };
            let held = c.suppress.iter().map(|s| {
                *index.entry((&s.file, s.range.start)).or_insert_with(|| {
                    entries.push((s.clone(), false));
                    entries.len() - 1
                })
            });
            slot.insert(held.collect());
        }
    }

    let mut out = Outcome::default();
    // In place: the findings are most of a run's memory, a second vector would double it.
    placed.retain_mut(|p| {
        let d = &p.diagnostic;
        if d.rule_id == PARSE_ERROR {
            return true;
        }
        let mut hit: Option<(Kind, Option<String>)> = None;
        for &i in directives_of.get(&d.primary.file).into_iter().flatten() {
            let (_, dir, used) = &mut directives[i];
            if dir.scope.contains(&d.primary.start())
                && dir.selectors.iter().any(|s| suppress::covers(s, d.rule_id))
            {
                if dir.expires.is_some_and(|e| e < today) {
                    continue;
                }
                *used = true;
                hit.get_or_insert((dir.kind, dir.reason.clone()));
            }
        }
        if hit.is_none() {
            let unit_config = unit_configs.get(p.unit as usize).map(Arc::as_ptr);
            let file_config = file_configs.get(&d.primary.file).map(Arc::as_ptr);
            let held = [unit_config, file_config.filter(|f| Some(*f) != unit_config)];
            let candidates = held
                .into_iter()
                .flatten()
                .filter_map(|c| entries_of.get(&c))
                .flatten();
            let mut path = None;
            for &i in candidates {
                let (s, used) = &mut entries[i];
                if s.entry.expires.is_some_and(|e| e < today) {
                    continue;
                }
                let path = path.get_or_insert_with(|| abs_of(d.primary.file));
                if suppress::covers(&s.entry.rule, d.rule_id)
                    && crate::config::rel_posix(path, &s.dir).is_some_and(|r| s.glob.is_match(r))
                    && entry_matches(&scan.db, p.place.as_deref(), d, &s.entry)
                {
                    *used = true;
                    hit = Some((Kind::Config, s.entry.reason.clone()));
                    break;
                }
            }
        }
        match hit {
            Some((kind, reason)) => {
                let placeholder = Diagnostic::new("", d.severity, d.primary, String::new());
                out.suppressed.push(Suppressed {
                    diagnostic: std::mem::replace(&mut p.diagnostic, placeholder),
                    kind,
                    reason,
                });
                false
            }
            None => true,
        }
    });

    // ECS010–ECS013 about each directive.
    for (file, d, used) in &directives {
        meta_findings.extend(judge(
            d.at,
            &d.selectors,
            d.reason.as_deref(),
            d.expires,
            *used,
            today,
            suppress::removal_fix(*file, d),
        ));
    }
    let run_files: Vec<PathBuf> = if entries.is_empty() {
        Vec::new()
    } else {
        scan.files.iter().map(|(id, _)| abs_of(*id)).collect()
    };
    for (s, used) in &entries {
        // An entry for files that were not part of this run is not judged (partial runs).
        let in_run = run_files
            .iter()
            .any(|p| crate::config::rel_posix(p, &s.dir).is_some_and(|r| s.glob.is_match(r)));
        let text = std::fs::read_to_string(&s.file).unwrap_or_default();
        let shown = PathBuf::from(crate::config::display(&s.file));
        let file = scan
            .db
            .find(&shown)
            .unwrap_or_else(|| scan.db.add(shown, text));
        let at = Span::new(file.id, s.range.clone());
        let selectors = [s.entry.rule.clone()];
        meta_findings.extend(judge(
            at,
            &selectors,
            s.entry.reason.as_deref(),
            s.entry.expires,
            *used || !in_run,
            today,
            None,
        ));
    }
    // Meta findings follow the selection and severity of the config where they are written.
    let sources = scan.db.all();
    placed.reserve_exact(meta_findings.len());
    let sorted = placed.len();
    for mut d in meta_findings {
        let path = &sources[d.primary.file.0 as usize].path;
        let config = resolver.for_file(path)?;
        let rule = rules::find(d.rule_id).expect("meta rule registered");
        let abs = crate::source::absolute(path);
        if !config.enabled(cli, rule)
            || config.excluded(&abs)
            || config.file_ignores(&abs, d.rule_id)
        {
            continue;
        }
        d.severity = config.severity(d.rule_id, d.severity);
        let identity = opts
            .identities
            .then(|| Box::new(identity(&scan.db, abs.into(), Default::default(), &d)));
        placed.push(Placed {
            diagnostic: d,
            place: None,
            identity,
            unit: u32::MAX,
        });
    }

    // The meta findings were added at the end.
    if placed.len() > sorted {
        let ranks = engine::path_ranks(&sources);
        placed.sort_by_key(|p| engine::finding_order(&ranks, &p.diagnostic));
    }
    if opts.identities {
        out.identities = placed
            .iter_mut()
            .map(|p| *p.identity.take().expect("identities were asked for"))
            .collect();
    }
    // Reuses the findings' allocation (a `Diagnostic` is smaller than a `Placed`).
    out.diagnostics = placed.into_iter().map(|p| p.diagnostic).collect();
    out.configs = if !opts.unit_configs {
        Vec::new()
    } else {
        scan.unit_paths
            .iter()
            .zip(&unit_configs)
            .map(|((path, _), c)| {
                let shown = c
                    .path
                    .as_ref()
                    .map(|p| PathBuf::from(crate::config::display(p)));
                (path.to_path_buf(), shown)
            })
            .collect()
    };
    Ok(out)
}

/// ECS010 (unused), ECS011 (no reason), ECS012 (unknown rule), ECS013 (expired) for one
/// suppression.
fn judge(
    at: Span,
    selectors: &[String],
    reason: Option<&str>,
    expires: Option<Date>,
    used: bool,
    today: Date,
    removal: Option<crate::diagnostic::Fix>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let new = |rule: &'static rules::Rule, message: String| {
        Diagnostic::new(rule.id, rule.severity, at, message)
    };
    if suppress::reason_missing(reason) {
        out.push(
            new(&meta::ECS011, "suppression without a reason".into())
                .with_help("write why after `--` (comments) or in `reason` (Metadata, config)"),
        );
    }
    let unknown: Vec<&String> = selectors
        .iter()
        .filter(|s| !suppress::known_selector(s))
        .collect();
    for s in &unknown {
        out.push(new(
            &meta::ECS012,
            format!("`{s}` matches no ecslint rule (see `ecslint rules`)"),
        ));
    }
    let expired = expires.is_some_and(|e| e < today);
    if let Some(e) = expires.filter(|_| expired) {
        out.push(new(
            &meta::ECS013,
            format!("suppression expired on {e}; the findings it covered are reported again"),
        ));
    }
    if !used && !expired && unknown.len() < selectors.len() {
        let mut d = new(
            &meta::ECS010,
            format!(
                "unused suppression: no {} finding here in this run",
                selectors.join(", ")
            ),
        );
        if let Some(fix) = removal {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
    out
}

/// What identifies a finding without line numbers (the baseline's key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The file of the primary span; for a Terraform unit, the module directory (blocks may
    /// move between the module's files). Shared by the findings of a file or unit.
    pub path: Arc<Path>,
    pub resource: String,
    pub container: String,
    /// The key the offending value is written under (`memory`, `image`...), or empty.
    pub field: String,
    /// SHA-256 of the offending scalar (whitespace and quotes removed), if it is one.
    pub value_digest: Option<[u8; 32]>,
}

fn identity(
    db: &SourceDb,
    path: Arc<Path>,
    (resource, container): (String, String),
    d: &Diagnostic,
) -> Identity {
    use sha2::{Digest, Sha256};
    let file = db.get(d.primary.file);
    // The key is just before the value: a bounded look back (a minified file is one line).
    let before = file.before_on_line(d.primary.start(), 256);
    let field: String = before
        .trim_end()
        .trim_end_matches([':', '='])
        .trim_end()
        .trim_end_matches(['"', '\''])
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    let value = file.slice(&d.primary.range);
    let scalar = value.len() <= 256 && !value.contains('\n') && !value.starts_with(['{', '[']);
    let value_digest = (scalar && !value.is_empty()).then(|| {
        let norm: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .collect();
        Sha256::digest(norm.as_bytes()).into()
    });
    Identity {
        path,
        resource,
        container,
        field,
        value_digest,
    }
}

struct ContainerAt {
    file: u32,
    start: usize,
    end: usize,
    task_definition: usize,
    name: Option<String>,
}

/// Byte ranges of the resources of one unit, to tell which resource and container hold a
/// finding. CloudFormation resource ranges come from the front-end's one parse
/// (`TemplateFacts`); Terraform blocks are found once each.
struct Extents<'a> {
    db: &'a SourceDb,
    templates: &'a [(FileId, crate::syntax::TemplateFacts)],
    /// Terraform blocks by header position.
    hcl: std::cell::RefCell<HashMap<(FileId, usize), std::ops::Range<usize>>>,
}

impl Extents<'_> {
    /// The unit's containers by position, sorted so that the one holding a finding is a
    /// binary search away.
    fn containers_of(&self, unit: &Unit) -> Vec<ContainerAt> {
        let mut v: Vec<ContainerAt> = Vec::new();
        for (i, td) in unit.task_definitions.iter().enumerate() {
            for c in crate::model::known(&td.container_definitions)
                .into_iter()
                .flatten()
            {
                v.push(ContainerAt {
                    file: c.span.file.0,
                    start: c.span.start(),
                    end: c.span.end(),
                    task_definition: i,
                    name: crate::model::known(&c.name).cloned(),
                });
            }
        }
        // Equal spans (instances of one module) keep the first task definition last, so the
        // search below lands on it as a linear scan in unit order would.
        v.sort_by(|a, b| {
            (a.file, a.start)
                .cmp(&(b.file, b.start))
                .then(b.task_definition.cmp(&a.task_definition))
        });
        v
    }

    /// The byte range a resource header starts, in its file.
    fn extent(&self, unit: &Unit, name: &str, header: &Span) -> Option<std::ops::Range<usize>> {
        match unit.format {
            Format::CloudFormationYaml | Format::CloudFormationJson => self
                .templates
                .iter()
                .find(|(id, _)| *id == header.file)?
                .1
                .resources
                .get(name)
                .cloned(),
            Format::TaskDefJson => Some(0..self.db.get(header.file).text.len()),
            _ => {
                let key = (header.file, header.start());
                if let Some(r) = self.hcl.borrow().get(&key) {
                    return Some(r.clone());
                }
                let file = self.db.get(header.file);
                let text = &file.text;
                let line_start = file.lines.start_of_line_at(header.start().min(text.len()));
                let range = suppress::hcl_item_at(text, line_start);
                self.hcl.borrow_mut().insert(key, range.clone());
                Some(range)
            }
        }
    }

    /// Where a finding lies in the unit.
    /// Where a finding lies in the unit, and the resource and container that own it (empty
    /// when none).
    fn place(
        &self,
        unit: &Unit,
        unit_task_definitions: &TaskDefinitionNames,
        containers: &[ContainerAt],
        d: &Diagnostic,
    ) -> (Place, (String, String)) {
        let p = &d.primary;
        let within = |name: &str, span: &Span| {
            span.file == p.file
                && self
                    .extent(unit, name, span)
                    .is_some_and(|e| e.contains(&p.start()))
        };
        let at = containers.partition_point(|c| (c.file, c.start) <= (p.file.0, p.start()));
        let holder = at
            .checked_sub(1)
            .map(|i| &containers[i])
            .filter(|c| c.file == p.file.0 && c.start <= p.start() && p.end() <= c.end);
        // The containers holding the finding: those starting last before it (the containers
        // of a task definition are siblings, so none holds another; instances of one module
        // share spans).
        let last_start = at.checked_sub(1).map(|i| containers[i].start);
        let holding: Vec<&ContainerAt> = containers[..at]
            .iter()
            .rev()
            .take_while(|c| c.file == p.file.0 && Some(c.start) == last_start)
            .filter(|c| p.end() <= c.end.max(c.start + 1))
            .collect();
        let mut owner: Option<(String, String)> = None;
        let mut holders = Vec::new();
        for (i, td) in unit.task_definitions.iter().enumerate() {
            let name = holder
                .filter(|c| c.task_definition == i)
                .and_then(|c| c.name.clone());
            let in_block = within(&td.name, &td.span);
            if owner.is_none() && (name.is_some() || in_block) {
                owner = Some((td.name.clone(), name.unwrap_or_default()));
            }
            let held_by: Vec<Option<String>> = holding
                .iter()
                .filter(|c| c.task_definition == i)
                .map(|c| c.name.clone())
                .collect();
            if in_block || !held_by.is_empty() {
                holders.push((i, held_by));
            }
        }
        let others: Vec<String> = unit
            .services
            .iter()
            .map(|s| (&s.name, &s.span))
            .chain(unit.log_groups.iter().map(|g| (&g.name, &g.span)))
            .chain(unit.clusters.iter().map(|c| (&c.name, &c.span)))
            .filter(|(name, span)| within(name, span))
            .map(|(name, _)| name.clone())
            .collect();
        let owner = owner
            .or_else(|| others.first().map(|n| (n.clone(), String::new())))
            .unwrap_or_default();
        let place = Place {
            unit_task_definitions: unit_task_definitions.clone(),
            holders,
            others,
        };
        (place, owner)
    }
}

/// Does a `[[suppress]]` entry's `pointer`, `resource` and `container` hold the finding?
fn entry_matches(
    db: &SourceDb,
    place: Option<&Place>,
    d: &Diagnostic,
    entry: &crate::config::SuppressEntry,
) -> bool {
    if let Some(pointer) = &entry.pointer {
        let file = db.get(d.primary.file);
        // An excerpt is read again: `pointer` entries are rare, files many.
        let whole = if file.is_excerpt() {
            std::borrow::Cow::Owned(std::fs::read_to_string(&file.path).unwrap_or_default())
        } else {
            std::borrow::Cow::Borrowed(file.text.as_str())
        };
        let Ok(Some(root)) = crate::syntax::node::parse_json_at(&whole, file.id, 0) else {
            return false;
        };
        let Some(node) = json_pointer(&root, pointer) else {
            return false;
        };
        let s = &node.span;
        let p = &d.primary;
        if !(s.file == p.file && s.start() <= p.start() && p.end() <= s.end().max(s.start() + 1)) {
            return false;
        }
    }
    if entry.resource.is_none() && entry.container.is_none() {
        return true;
    }
    let Some(place) = place else {
        return false;
    };
    for (i, containers) in &place.holders {
        let (name, family) = &place.unit_task_definitions[*i];
        if let Some(r) = &entry.resource
            && !(name == r || family.as_ref() == Some(r))
        {
            continue;
        }
        match &entry.container {
            None => return true,
            Some(name) => {
                if containers.iter().any(|c| c.as_ref() == Some(name)) {
                    return true;
                }
            }
        }
    }
    entry.container.is_none()
        && entry
            .resource
            .as_ref()
            .is_some_and(|r| place.others.iter().any(|n| n == r))
}

/// RFC 6901.
fn json_pointer<'a>(
    root: &'a crate::syntax::node::Node,
    pointer: &str,
) -> Option<&'a crate::syntax::node::Node> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = if let Some(items) = node.as_array() {
            items.get(token.parse::<usize>().ok()?)?
        } else {
            node.as_object()?
                .iter()
                .find(|(k, _)| k.value == token)
                .map(|(_, v)| v)?
        };
    }
    Some(node)
}
