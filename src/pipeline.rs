//! From a scan to the findings a user sees: per-unit configuration (selection, severity
//! overrides, `exclude`, `per-file-ignores`), then the suppression filters (inline comments,
//! CloudFormation Metadata, `[[suppress]]`), which also report on themselves (ECS010–ECS014).
//! The baseline (`crate::baseline`) is applied by the caller on the result.

use crate::config::{CliSelection, Config, ConfigError, Date, Resolver, Suppression};
use crate::diagnostic::{Diagnostic, PARSE_ERROR};
use crate::engine::{self, Scan};
use crate::model::{Format, Unit};
use crate::rules::{self, suppression as meta};
use crate::source::{FileId, Span};
use crate::suppress::{self, Directive, Kind};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub cli: CliSelection,
    /// `--ignore-suppressions`: no inline, Metadata or `[[suppress]]` filter (an audit run).
    pub ignore_suppressions: bool,
    pub today: Option<Date>,
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
    /// What identifies each reported finding across edits (same order as `diagnostics`).
    pub identities: Vec<Identity>,
    pub suppressed: Vec<Suppressed>,
    /// Unit path → the config file it used (`None`: defaults), for `-v`.
    pub configs: Vec<(PathBuf, Option<PathBuf>)>,
}

/// Run the rules with each unit's configuration and apply the suppressions.
pub fn run(scan: &Scan, resolver: &mut Resolver, opts: &Options) -> Result<Outcome, ConfigError> {
    let today = opts.today.unwrap_or_else(Date::today);
    let mut unit_configs: Vec<Arc<Config>> = Vec::with_capacity(scan.units.len());
    for unit in &scan.units {
        unit_configs.push(resolver.for_path(&unit.path)?);
    }
    let by_path: HashMap<&PathBuf, &Arc<Config>> = scan
        .units
        .iter()
        .zip(&unit_configs)
        .map(|(u, c)| (&u.path, c))
        .collect();
    let cli = &opts.cli;
    let tagged = engine::check_with(scan, &|unit: &Unit, rule| {
        by_path
            .get(&unit.path)
            .is_some_and(|c| c.enabled(cli, rule))
    });

    let sources = scan.db.all();
    let mut abs: HashMap<FileId, PathBuf> = HashMap::new();
    let mut abs_of = |id: FileId| {
        abs.entry(id)
            .or_insert_with(|| crate::config::absolute(&sources[id.0 as usize].path))
            .clone()
    };
    let mut file_configs: HashMap<FileId, Arc<Config>> = HashMap::new();
    let mut config_of_file =
        |id: FileId, resolver: &mut Resolver| -> Result<Arc<Config>, ConfigError> {
            if let Some(c) = file_configs.get(&id) {
                return Ok(c.clone());
            }
            let c = resolver.for_path(&sources[id.0 as usize].path)?;
            file_configs.insert(id, c.clone());
            Ok(c)
        };

    // Selection, exclude, per-file-ignores and severity overrides.
    let mut kept: Vec<(Option<usize>, Diagnostic)> = Vec::new();
    for t in tagged {
        let mut d = t.diagnostic;
        let config = match t.unit {
            Some(i) => unit_configs[i].clone(),
            None => config_of_file(d.primary.file, resolver)?,
        };
        if t.unit.is_none()
            && d.rule_id != PARSE_ERROR
            && !rules::find(d.rule_id).is_some_and(|r| config.enabled(cli, r))
        {
            continue;
        }
        let path = abs_of(d.primary.file);
        if config.excluded(&path) || config.file_ignores(&path, d.rule_id) {
            continue;
        }
        d.severity = config.severity(d.rule_id, d.severity);
        kept.push((t.unit, d));
    }

    // Inline and Metadata suppressions, per file.
    let mut directives: Vec<(FileId, Directive, bool)> = Vec::new();
    let mut meta_findings: Vec<Diagnostic> = Vec::new();
    if !opts.ignore_suppressions {
        for &(id, format) in &scan.files {
            let config = config_of_file(id, resolver)?;
            if config.inline_suppressions == Some(false) {
                continue;
            }
            let found = suppress::collect(
                &sources[id.0 as usize],
                format,
                scan.templates.get(&id).map(|t| &t.metadata),
            );
            meta_findings.extend(found.invalid);
            directives.extend(found.directives.into_iter().map(|d| (id, d, false)));
        }
    }
    // `[[suppress]]` entries of every config in use, once each.
    let mut entries: Vec<(Suppression, bool)> = Vec::new();
    if !opts.ignore_suppressions {
        let mut seen = std::collections::HashSet::new();
        let all: Vec<Arc<Config>> = unit_configs
            .iter()
            .chain(file_configs.values())
            .cloned()
            .collect();
        for c in all {
            for s in &c.suppress {
                if seen.insert((s.file.clone(), s.range.start)) {
                    entries.push((s.clone(), false));
                }
            }
        }
    }
    let extents = Extents::default();

    let mut out = Outcome::default();
    let mut reported: Vec<(Diagnostic, Identity)> = Vec::new();
    for (unit, d) in kept {
        if d.rule_id == PARSE_ERROR {
            let id = identity(scan, &extents, unit, &d, &abs_of(d.primary.file));
            reported.push((d, id));
            continue;
        }
        let mut hit: Option<(Kind, Option<String>)> = None;
        for (file, dir, used) in directives.iter_mut() {
            if *file == d.primary.file
                && dir.scope.contains(&d.primary.start())
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
            let path = abs_of(d.primary.file);
            for (s, used) in entries.iter_mut() {
                if s.entry.expires.is_some_and(|e| e < today) {
                    continue;
                }
                if suppress::covers(&s.entry.rule, d.rule_id)
                    && crate::config::rel_posix(&path, &s.dir).is_some_and(|r| s.glob.is_match(r))
                    && extents.entry_matches(scan, unit, &d, &s.entry)
                {
                    *used = true;
                    hit = Some((Kind::Config, s.entry.reason.clone()));
                    break;
                }
            }
        }
        match hit {
            Some((kind, reason)) => out.suppressed.push(Suppressed {
                diagnostic: d,
                kind,
                reason,
            }),
            None => {
                let id = identity(scan, &extents, unit, &d, &abs_of(d.primary.file));
                reported.push((d, id));
            }
        }
    }

    // ECS010–ECS013 about each directive.
    for (file, d, used) in &directives {
        meta_findings.extend(judge(
            d.at.clone(),
            &d.selectors,
            d.reason.as_deref(),
            d.expires,
            *used,
            today,
            suppress::removal_fix(*file, d),
        ));
    }
    let run_files: Vec<PathBuf> = scan.files.iter().map(|(id, _)| abs_of(*id)).collect();
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
    for mut d in meta_findings {
        let path = &sources[d.primary.file.0 as usize].path;
        let config = resolver.for_path(path)?;
        let rule = rules::find(d.rule_id).expect("meta rule registered");
        let abs = crate::config::absolute(path);
        if !config.enabled(cli, rule)
            || config.excluded(&abs)
            || config.file_ignores(&abs, d.rule_id)
        {
            continue;
        }
        d.severity = config.severity(d.rule_id, d.severity);
        let id = identity(scan, &extents, None, &d, &abs);
        reported.push((d, id));
    }

    reported.sort_by(|(a, _), (b, _)| {
        sources[a.primary.file.0 as usize]
            .path
            .cmp(&sources[b.primary.file.0 as usize].path)
            .then(a.primary.range.start.cmp(&b.primary.range.start))
            .then(a.rule_id.cmp(b.rule_id))
    });
    (out.diagnostics, out.identities) = reported.into_iter().unzip();
    out.configs = scan
        .units
        .iter()
        .zip(&unit_configs)
        .map(|(u, c)| {
            let shown = c
                .path
                .as_ref()
                .map(|p| PathBuf::from(crate::config::display(p)));
            (u.path.clone(), shown)
        })
        .collect();
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
        Diagnostic::new(rule.id, rule.severity, at.clone(), message)
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The file of the primary span; for a Terraform unit, the module directory (blocks may
    /// move between the module's files).
    pub path: PathBuf,
    pub resource: String,
    pub container: String,
    /// The key the offending value is written under (`memory`, `image`...), or empty.
    pub field: String,
    /// SHA-256 of the offending scalar (whitespace and quotes removed), or empty.
    pub value_digest: String,
}

fn identity(
    scan: &Scan,
    extents: &Extents,
    unit: Option<usize>,
    d: &Diagnostic,
    file_abs: &std::path::Path,
) -> Identity {
    use sha2::{Digest, Sha256};
    let u = unit.and_then(|i| scan.units.get(i));
    let path = match u {
        Some(u) if u.format.is_terraform() && u.format != Format::TerraformPlan => {
            crate::config::absolute(&u.path)
        }
        _ => file_abs.to_path_buf(),
    };
    let (resource, container) = u.map(|u| extents.owner(scan, u, d)).unwrap_or_default();
    let file = scan.db.get(d.primary.file);
    let text = &file.text;
    let (start, end) = (
        d.primary.start().min(text.len()),
        d.primary.end().min(text.len()),
    );
    // The key is just before the value: a bounded look back (a minified file is one line).
    let line_start = file
        .lines
        .start_of_line_at(start)
        .max(floor_char_boundary(text, start.saturating_sub(256)));
    let before = text.get(line_start..start).unwrap_or("");
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
    let value = text.get(start..end).unwrap_or("");
    let scalar = value.len() <= 256 && !value.contains('\n') && !value.starts_with(['{', '[']);
    let value_digest = if scalar && !value.is_empty() {
        let norm: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .collect();
        let hash = Sha256::digest(norm.as_bytes());
        hash.iter().map(|b| format!("{b:02x}")).collect()
    } else {
        String::new()
    };
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

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte ranges of resources, for `[[suppress]]` `resource` / `container` / `pointer`.
/// CloudFormation resource ranges come from the scan (`Scan::templates`, the front-end's one
/// parse); what is found here is cached for the run.
#[derive(Default)]
struct Extents {
    /// Terraform blocks by header position, found once each.
    hcl: std::cell::RefCell<HashMap<(FileId, usize), std::ops::Range<usize>>>,
    /// Each unit's containers by position (see `containers_of`).
    containers: std::cell::RefCell<HashMap<usize, std::rc::Rc<Vec<ContainerAt>>>>,
}

impl Extents {
    /// The unit's containers by position: (file, start, end, task definition, name), sorted so
    /// that the one holding a finding is a binary search away.
    fn containers_of(&self, unit: &Unit) -> std::rc::Rc<Vec<ContainerAt>> {
        let key = unit as *const Unit as usize;
        if let Some(v) = self.containers.borrow().get(&key) {
            return v.clone();
        }
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
        let v = std::rc::Rc::new(v);
        self.containers.borrow_mut().insert(key, v.clone());
        v
    }

    /// The byte range a resource header starts, in its file.
    fn extent(
        &self,
        scan: &Scan,
        unit: &Unit,
        name: &str,
        header: &Span,
    ) -> Option<std::ops::Range<usize>> {
        let file = scan.db.get(header.file);
        match unit.format {
            Format::CloudFormationYaml | Format::CloudFormationJson => scan
                .templates
                .get(&header.file)?
                .resources
                .get(name)
                .cloned(),
            Format::TaskDefJson => Some(0..file.text.len()),
            _ => {
                let key = (header.file, header.start());
                if let Some(r) = self.hcl.borrow().get(&key) {
                    return Some(r.clone());
                }
                let text = &file.text;
                let line_start = file.lines.start_of_line_at(header.start().min(text.len()));
                let range = suppress::hcl_item_at(text, line_start);
                self.hcl.borrow_mut().insert(key, range.clone());
                Some(range)
            }
        }
    }

    /// The resource and container a finding lies in (empty when none).
    fn owner(&self, scan: &Scan, unit: &Unit, d: &Diagnostic) -> (String, String) {
        let within = |name: &str, span: &Span| {
            span.file == d.primary.file
                && self
                    .extent(scan, unit, name, span)
                    .is_some_and(|e| e.contains(&d.primary.start()))
        };
        let containers = self.containers_of(unit);
        let at = containers
            .partition_point(|c| (c.file, c.start) <= (d.primary.file.0, d.primary.start()));
        let holder = at.checked_sub(1).map(|i| &containers[i]).filter(|c| {
            c.file == d.primary.file.0 && c.start <= d.primary.start() && d.primary.end() <= c.end
        });
        for (i, td) in unit.task_definitions.iter().enumerate() {
            let name = holder
                .filter(|c| c.task_definition == i)
                .and_then(|c| c.name.clone());
            if name.is_some() || within(&td.name, &td.span) {
                return (td.name.clone(), name.unwrap_or_default());
            }
        }
        let others = unit
            .services
            .iter()
            .map(|s| (&s.name, &s.span))
            .chain(unit.log_groups.iter().map(|g| (&g.name, &g.span)))
            .chain(unit.clusters.iter().map(|c| (&c.name, &c.span)));
        for (name, span) in others {
            if within(name, span) {
                return (name.clone(), String::new());
            }
        }
        Default::default()
    }

    fn entry_matches(
        &self,
        scan: &Scan,
        unit: Option<usize>,
        d: &Diagnostic,
        entry: &crate::config::SuppressEntry,
    ) -> bool {
        let inside = |s: &Span| {
            s.file == d.primary.file
                && s.start() <= d.primary.start()
                && d.primary.end() <= s.end().max(s.start() + 1)
        };
        if let Some(pointer) = &entry.pointer {
            let file = scan.db.get(d.primary.file);
            let Ok(Some(root)) = crate::syntax::node::parse_json_at(&file.text, file.id, 0) else {
                return false;
            };
            let Some(node) = json_pointer(&root, pointer) else {
                return false;
            };
            if !inside(&node.span) {
                return false;
            }
        }
        if entry.resource.is_none() && entry.container.is_none() {
            return true;
        }
        let Some(unit) = unit.and_then(|i| scan.units.get(i)) else {
            return false;
        };
        for td in &unit.task_definitions {
            let family = crate::model::known(&td.family);
            if let Some(r) = &entry.resource {
                let named = td.name == *r || family == Some(r);
                let within = self
                    .extent(scan, unit, &td.name, &td.span)
                    .is_some_and(|e| {
                        td.span.file == d.primary.file && e.contains(&d.primary.start())
                    });
                let containers = crate::model::known(&td.container_definitions)
                    .into_iter()
                    .flatten()
                    .any(|c| inside(&c.span));
                if !(named && (within || containers)) {
                    continue;
                }
            }
            match &entry.container {
                None => return true,
                Some(name) => {
                    if crate::model::known(&td.container_definitions)
                        .into_iter()
                        .flatten()
                        .any(|c| crate::model::known(&c.name) == Some(name) && inside(&c.span))
                    {
                        return true;
                    }
                }
            }
        }
        if entry.container.is_none()
            && let Some(r) = &entry.resource
        {
            let others = unit
                .services
                .iter()
                .map(|s| (&s.name, &s.span))
                .chain(unit.log_groups.iter().map(|g| (&g.name, &g.span)))
                .chain(unit.clusters.iter().map(|c| (&c.name, &c.span)));
            for (name, span) in others {
                if name == r
                    && span.file == d.primary.file
                    && self
                        .extent(scan, unit, name, span)
                        .is_some_and(|e| e.contains(&d.primary.start()))
                {
                    return true;
                }
            }
        }
        false
    }
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
