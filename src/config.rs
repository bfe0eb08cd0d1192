//! `.ecslint.toml`: the file's types (which also generate `ecslint.schema.json`), discovery
//! (nearest ancestor of each unit, explicit `extend`, `--config`, `--isolated`) and the
//! resolved settings a unit is checked with.
//!
//! Relative paths in a config file always resolve against that file's directory.

use crate::diagnostic::Severity;
use crate::rules::{self, Rule};
use crate::source::absolute;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The names a config file may have, in order of preference within one directory.
pub const FILE_NAMES: [&str; 2] = [".ecslint.toml", "ecslint.toml"];

/// The whole file.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "ecslint configuration (.ecslint.toml)")]
pub struct ConfigFile {
    /// Another config file this one inherits from (relative to this file); keys set here win.
    #[schemars(with = "Option<String>")]
    pub extend: Option<Spanned<String>>,
    /// What to check and when to fail.
    #[serde(default)]
    pub check: CheckSection,
    /// Per-rule severity overrides: `ECS401 = "error"`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, SeverityName>")]
    pub severity: BTreeMap<Spanned<String>, SeverityName>,
    /// Glob (relative to this file; a leading `!` negates) → rule selectors not reported there.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Vec<String>>")]
    pub per_file_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    /// Addressable suppressions (the only inline-free way for raw task-definition JSON).
    #[serde(default)]
    #[schemars(with = "Vec<SuppressEntry>")]
    pub suppress: Vec<Spanned<SuppressEntry>>,
}

/// `[check]`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckSection {
    /// Rules to run (ids, prefixes such as `ECS1`, families such as `sizing`); replaces the defaults.
    #[schemars(with = "Option<Vec<String>>")]
    pub select: Option<Vec<Spanned<String>>>,
    /// Rules not to run (same forms as `select`).
    #[schemars(with = "Option<Vec<String>>")]
    pub ignore: Option<Vec<Spanned<String>>>,
    /// Rules to run in addition to `select` (or the defaults).
    #[schemars(with = "Option<Vec<String>>")]
    pub extend_select: Option<Vec<Spanned<String>>>,
    /// Rules not to run, in addition to `ignore`.
    #[schemars(with = "Option<Vec<String>>")]
    pub extend_ignore: Option<Vec<Spanned<String>>>,
    /// Exit 1 when a finding at or above this severity remains.
    pub fail_on: Option<FailOnName>,
    /// AWS region for inputs that do not say.
    pub region: Option<String>,
    /// Terraform variable files (relative to this file), applied after a module's own tfvars.
    pub var_files: Option<Vec<String>>,
    /// gitignore-style globs (relative to this file) of files not reported on.
    pub exclude: Option<Vec<String>>,
    /// Skip files larger than this many bytes.
    pub max_file_size: Option<u64>,
    /// Baseline file (relative to this file) applied like `--baseline`.
    pub baseline: Option<String>,
    /// `false` ignores `ecslint-ignore` comments and CloudFormation `Metadata` (an audit run).
    pub inline_suppressions: Option<bool>,
    /// Baseline entries that no longer occur: `fail` (default) or `warn`.
    pub baseline_stale: Option<StaleName>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum StaleName {
    Fail,
    Warn,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Error,
    Warning,
    Info,
}

impl SeverityName {
    pub fn severity(self) -> Severity {
        match self {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FailOnName {
    Error,
    Warning,
    Info,
    Never,
}

/// `[[suppress]]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuppressEntry {
    /// Glob of the file(s), relative to this config file.
    pub path: String,
    /// Rule id or prefix.
    pub rule: String,
    /// Why the finding is accepted (required: ECS011 otherwise).
    pub reason: Option<String>,
    /// Terraform address, CloudFormation logical id, or task-definition family.
    pub resource: Option<String>,
    /// Container name.
    pub container: Option<String>,
    /// RFC 6901 JSON pointer into the file (JSON inputs): the finding must lie inside that value.
    pub pointer: Option<String>,
    /// `YYYY-MM-DD`: after that day the entry no longer applies (ECS013).
    #[schemars(with = "Option<String>")]
    pub expires: Option<Date>,
}

/// A calendar day, written as a TOML date (`2027-03-31`) or a string (`"2027-03-31"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        ((1..=12).contains(&date.month) && (1..=31).contains(&date.day)).then_some(date)
    }

    /// Today in UTC, or `ECSLINT_TODAY` (`YYYY-MM-DD`) when set: tests pin the clock with it.
    pub fn today() -> Date {
        if let Some(d) = std::env::var("ECSLINT_TODAY")
            .ok()
            .and_then(|s| Date::parse(&s))
        {
            return d;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = toml::Value::deserialize(d)?;
        let text = match &value {
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            toml::Value::String(s) => s.clone(),
            _ => String::new(),
        };
        Date::parse(&text)
            .ok_or_else(|| serde::de::Error::custom("expected a date such as 2027-03-31"))
    }
}

/// A configuration problem: the run stops with exit 2 and `path:line:col: message`.
#[derive(Debug, Clone)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn error_at(
    path: &Path,
    text: &str,
    offset: usize,
    message: impl std::fmt::Display,
) -> ConfigError {
    let (line, column) = line_col(text, offset);
    ConfigError(format!("{}:{line}:{column}: {message}", display(path)))
}

/// A path for messages: relative to the working directory when under it.
pub fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    match path.strip_prefix(&cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// The key written on the line at `offset` (`fail-on = 3` → `fail-on`), for type errors.
fn key_at(text: &str, offset: usize) -> Option<&str> {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let key = line.split_once('=')?.0.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[')).then_some(key)
}

/// A `[[suppress]]` entry with its paths resolved.
#[derive(Debug, Clone)]
pub struct Suppression {
    pub entry: SuppressEntry,
    /// The config file that holds it, and the byte range of the entry (for ECS010/ECS011).
    pub file: PathBuf,
    pub range: std::ops::Range<usize>,
    pub glob: globset::GlobMatcher,
    pub dir: PathBuf,
}

/// One glob of `per-file-ignores` or `exclude`, relative to `dir`.
#[derive(Debug, Clone)]
pub struct PathRule {
    pub dir: PathBuf,
    pub glob: globset::GlobMatcher,
    pub negate: bool,
    pub selectors: Vec<String>,
}

impl PathRule {
    pub fn matches(&self, abs: &Path) -> bool {
        let hit = rel_posix(abs, &self.dir).is_some_and(|rel| self.glob.is_match(rel));
        hit != self.negate
    }
}

/// The settings one unit is checked with: a config file and its `extend` chain, resolved.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The config file that was found (`None`: built-in defaults).
    pub path: Option<PathBuf>,
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub extend_ignore: Vec<String>,
    pub fail_on: Option<FailOnName>,
    pub region: Option<String>,
    pub var_files: Option<Vec<PathBuf>>,
    pub exclude: Vec<PathRule>,
    pub max_file_size: Option<u64>,
    pub baseline: Option<PathBuf>,
    pub inline_suppressions: Option<bool>,
    pub baseline_stale: Option<StaleName>,
    pub severity: HashMap<&'static str, Severity>,
    pub per_file_ignores: Vec<PathRule>,
    pub suppress: Vec<Suppression>,
}

/// Selection flags from the command line, applied over every config.
#[derive(Debug, Clone, Default)]
pub struct CliSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub extend_select: Vec<String>,
    pub extend_ignore: Vec<String>,
}

impl Config {
    /// Whether a `[[suppress]]` entry names a resource or container: matching it needs to know
    /// which ones hold a finding.
    pub fn names_owners(&self) -> bool {
        self.suppress
            .iter()
            .any(|s| s.entry.resource.is_some() || s.entry.container.is_some())
    }

    /// Does this unit run `rule`? CLI `--select`/`--ignore` replace the config's lists,
    /// `--extend-*` add to them; ignore wins over select.
    pub fn enabled(&self, cli: &CliSelection, rule: &Rule) -> bool {
        let select = if !cli.select.is_empty() {
            Some(&cli.select)
        } else {
            self.select.as_ref()
        };
        let ignore = if !cli.ignore.is_empty() {
            Some(&cli.ignore)
        } else {
            self.ignore.as_ref()
        };
        let m = |list: &[String]| list.iter().any(|s| rules::selector_matches(s, rule));
        let selected = match select {
            Some(list) => m(list),
            None => rule.enabled_by_default,
        } || m(&self.extend_select)
            || m(&cli.extend_select);
        let ignored =
            ignore.is_some_and(|l| m(l)) || m(&self.extend_ignore) || m(&cli.extend_ignore);
        selected && !ignored
    }

    /// The severity a finding of `rule_id` is reported with.
    pub fn severity(&self, rule_id: &str, default: Severity) -> Severity {
        self.severity.get(rule_id).copied().unwrap_or(default)
    }

    pub fn excluded(&self, abs: &Path) -> bool {
        self.exclude.iter().any(|r| r.matches(abs))
    }

    /// Is `rule_id` ignored for this file by `per-file-ignores`?
    pub fn file_ignores(&self, abs: &Path, rule_id: &str) -> bool {
        let Some(rule) = rules::find(rule_id) else {
            // ECS000 has no registered rule: match by id prefix only.
            return self.per_file_ignores.iter().any(|r| {
                r.matches(abs)
                    && r.selectors.iter().any(|s| {
                        s.len() >= 3
                            && rule_id.len() >= s.len()
                            && rule_id[..s.len()].eq_ignore_ascii_case(s)
                    })
            });
        };
        self.per_file_ignores
            .iter()
            .any(|r| r.matches(abs) && r.selectors.iter().any(|s| rules::selector_matches(s, rule)))
    }
}

/// A path relative to `dir`, with `/` separators; `None` when outside it.
pub fn rel_posix(abs: &Path, dir: &Path) -> Option<String> {
    let rel = abs.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

fn glob(pattern: &str) -> Result<globset::GlobMatcher, globset::Error> {
    // gitignore-style: a pattern without `/` matches at any depth.
    let p = pattern.trim_start_matches("./");
    let p = if p.contains('/') {
        p.trim_start_matches('/').to_string()
    } else {
        format!("**/{p}")
    };
    let p = p.strip_suffix('/').map_or(p.clone(), |d| format!("{d}/**"));
    Ok(globset::GlobBuilder::new(&p)
        .literal_separator(true)
        .build()?
        .compile_matcher())
}

fn check_selectors(
    path: &Path,
    text: &str,
    list: &Option<Vec<Spanned<String>>>,
) -> Result<Option<Vec<String>>, ConfigError> {
    let Some(list) = list else { return Ok(None) };
    let mut out = Vec::new();
    for s in list {
        if !rules::is_valid_selector(s.get_ref()) {
            return Err(error_at(
                path,
                text,
                s.span().start,
                format!(
                    "unknown rule or family `{}` (see `ecslint rules`)",
                    s.get_ref()
                ),
            ));
        }
        out.push(s.get_ref().clone());
    }
    Ok(Some(out))
}

/// Read one file (no `extend`).
pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str::<ConfigFile>(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = e.message().trim_end();
        match key_at(text, offset) {
            Some(key) if !message.contains(key) => {
                error_at(path, text, offset, format!("`{key}`: {message}"))
            }
            _ => error_at(path, text, offset, message),
        }
    })
}

/// One config file's text into settings, as [`load`] reads it but without following its
/// `extend` (nothing is read from disk): the fuzz target's entry.
pub fn from_text(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let abs = absolute(path);
    let file = parse(path, text)?;
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut own = resolve(path, &abs, &dir, text, file)?;
    own.path = Some(path.to_path_buf());
    Ok(own)
}

/// Load a config file and its `extend` chain into settings.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    load_chain(path, &mut Vec::new())
}

fn load_chain(path: &Path, seen: &mut Vec<PathBuf>) -> Result<Config, ConfigError> {
    let abs = absolute(path);
    if seen.contains(&abs) {
        return Err(ConfigError(format!(
            "{}: `extend` cycle ({})",
            display(path),
            seen.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" → ")
        )));
    }
    seen.push(abs.clone());
    let text = std::fs::read_to_string(&abs)
        .map_err(|e| ConfigError(format!("{}: {e}", display(path))))?;
    let file = parse(path, &text)?;
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let parent = match &file.extend {
        Some(ext) => {
            let target = dir.join(ext.get_ref());
            if !target.is_file() {
                return Err(error_at(
                    path,
                    &text,
                    ext.span().start,
                    format!("`extend`: {} does not exist", target.display()),
                ));
            }
            load_chain(&target, seen)?
        }
        None => Config::default(),
    };
    let mut own = resolve(path, &abs, &dir, &text, file)?;
    own.path = Some(path.to_path_buf());
    Ok(merge(parent, own))
}

/// The child wins key by key; lists of additions and suppressions accumulate.
fn merge(parent: Config, child: Config) -> Config {
    let mut severity = parent.severity;
    severity.extend(child.severity);
    Config {
        path: child.path,
        select: child.select.or(parent.select),
        ignore: child.ignore.or(parent.ignore),
        extend_select: [parent.extend_select, child.extend_select].concat(),
        extend_ignore: [parent.extend_ignore, child.extend_ignore].concat(),
        fail_on: child.fail_on.or(parent.fail_on),
        region: child.region.or(parent.region),
        var_files: child.var_files.or(parent.var_files),
        exclude: [parent.exclude, child.exclude].concat(),
        max_file_size: child.max_file_size.or(parent.max_file_size),
        baseline: child.baseline.or(parent.baseline),
        inline_suppressions: child.inline_suppressions.or(parent.inline_suppressions),
        baseline_stale: child.baseline_stale.or(parent.baseline_stale),
        severity,
        per_file_ignores: [parent.per_file_ignores, child.per_file_ignores].concat(),
        suppress: [parent.suppress, child.suppress].concat(),
    }
}

fn resolve(
    path: &Path,
    abs: &Path,
    dir: &Path,
    text: &str,
    file: ConfigFile,
) -> Result<Config, ConfigError> {
    let c = &file.check;
    let bad_glob =
        |g: &str, e: globset::Error| ConfigError(format!("{}: glob `{g}`: {e}", display(path)));
    let mut config = Config {
        path: None,
        select: check_selectors(path, text, &c.select)?,
        ignore: check_selectors(path, text, &c.ignore)?,
        extend_select: check_selectors(path, text, &c.extend_select)?.unwrap_or_default(),
        extend_ignore: check_selectors(path, text, &c.extend_ignore)?.unwrap_or_default(),
        fail_on: c.fail_on,
        region: c.region.clone(),
        var_files: c
            .var_files
            .as_ref()
            .map(|v| v.iter().map(|f| dir.join(f)).collect()),
        exclude: Vec::new(),
        max_file_size: c.max_file_size,
        baseline: c.baseline.as_ref().map(|b| dir.join(b)),
        inline_suppressions: c.inline_suppressions,
        baseline_stale: c.baseline_stale,
        severity: HashMap::new(),
        per_file_ignores: Vec::new(),
        suppress: Vec::new(),
    };
    for g in c.exclude.iter().flatten() {
        config.exclude.push(PathRule {
            dir: dir.to_path_buf(),
            glob: glob(g).map_err(|e| bad_glob(g, e))?,
            negate: false,
            selectors: Vec::new(),
        });
    }
    for (key, level) in &file.severity {
        match rules::find(key.get_ref()) {
            Some(rule) => {
                config.severity.insert(rule.id, level.severity());
            }
            None => {
                return Err(error_at(
                    path,
                    text,
                    key.span().start,
                    format!("[severity]: unknown rule id `{}`", key.get_ref()),
                ));
            }
        }
    }
    for (key, list) in &file.per_file_ignores {
        let (negate, pattern) = match key.get_ref().strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, key.get_ref().as_str()),
        };
        let mut selectors = Vec::new();
        for s in list {
            if !(rules::is_valid_selector(s.get_ref())
                || s.get_ref().eq_ignore_ascii_case("ECS000"))
            {
                return Err(error_at(
                    path,
                    text,
                    s.span().start,
                    format!(
                        "unknown rule or family `{}` (see `ecslint rules`)",
                        s.get_ref()
                    ),
                ));
            }
            selectors.push(s.get_ref().clone());
        }
        config.per_file_ignores.push(PathRule {
            dir: dir.to_path_buf(),
            glob: glob(pattern).map_err(|e| bad_glob(pattern, e))?,
            negate,
            selectors,
        });
    }
    for entry in file.suppress {
        let range = entry.span();
        let entry = entry.into_inner();
        config.suppress.push(Suppression {
            glob: glob(&entry.path).map_err(|e| bad_glob(&entry.path, e))?,
            entry,
            file: abs.to_path_buf(),
            range,
            dir: dir.to_path_buf(),
        });
    }
    Ok(config)
}

/// Which config each directory uses: discovery with a cache, or one file for everything.
/// Shared by the scan's threads (`&self`): a directory is probed without holding a lock, so
/// that one thread's look at the file system does not hold up the others.
pub struct Resolver {
    mode: Mode,
    /// Directory → its config, bounded (`REMEMBERED_DIRS`): a tree of 100,000 files has some
    /// 150,000 directories. Files are asked about in path order, but in two passes (Terraform
    /// modules, then the other files): at 4,096 a 10,000-file tree's directories (15,800) were
    /// probed again in the second pass.
    cache: std::sync::Mutex<crate::hashing::FastMap<PathBuf, Arc<Config>>>,
    /// Config file → its config: one value per file, whichever thread found it first.
    loaded: std::sync::Mutex<crate::hashing::FastMap<PathBuf, Arc<Config>>>,
    /// The config of a directory with none above it: one value, so that every such directory
    /// has the same config (the pipeline tells configs apart by address).
    default: Arc<Config>,
}

const REMEMBERED_DIRS: usize = 16_384;

enum Mode {
    Discover,
    Fixed(Arc<Config>),
    Isolated,
}

impl Resolver {
    /// `--config PATH` (`explicit`), `--isolated`, or discovery.
    pub fn new(explicit: Option<&Path>, isolated: bool) -> Result<Self, ConfigError> {
        let mode = if isolated {
            Mode::Isolated
        } else if let Some(p) = explicit {
            if !p.is_file() {
                return Err(ConfigError(format!(
                    "{}: config file not found",
                    p.display()
                )));
            }
            Mode::Fixed(Arc::new(load(p)?))
        } else {
            Mode::Discover
        };
        Ok(Resolver {
            mode,
            cache: Default::default(),
            loaded: Default::default(),
            default: Arc::new(Config::default()),
        })
    }

    /// The config for a unit rooted at `path` (a module directory or a file).
    pub fn for_path(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(c) = self.undiscovered() {
            return Ok(c);
        }
        self.for_absolute_path(&absolute(path))
    }

    /// [`for_path`](Self::for_path) of a path already made [`absolute`].
    pub fn for_absolute_path(&self, abs: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(c) = self.undiscovered() {
            return Ok(c);
        }
        if abs.is_dir() {
            self.for_dir(abs)
        } else {
            self.for_dir(abs.parent().unwrap_or(Path::new("")))
        }
    }

    /// [`for_absolute_path`](Self::for_absolute_path) of a path known to be a directory (a
    /// module's: no look at the file system to tell).
    pub fn for_absolute_dir(&self, abs: &Path) -> Result<Arc<Config>, ConfigError> {
        match self.undiscovered() {
            Some(c) => Ok(c),
            None => self.for_dir(abs),
        }
    }

    /// The config for a path known to be a file (no look at the file system to tell).
    pub fn for_file(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        match self.undiscovered() {
            Some(c) => Ok(c),
            None => self.for_absolute_file(&absolute(path)),
        }
    }

    /// [`for_file`](Self::for_file) of a path already made [`absolute`].
    pub fn for_absolute_file(&self, abs: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(c) = self.undiscovered() {
            return Ok(c);
        }
        self.for_dir(abs.parent().unwrap_or(Path::new("")))
    }

    /// Under `--isolated` or `--config`, the one config of every path.
    fn undiscovered(&self) -> Option<Arc<Config>> {
        match &self.mode {
            Mode::Isolated => Some(self.default.clone()),
            Mode::Fixed(c) => Some(c.clone()),
            Mode::Discover => None,
        }
    }

    fn for_dir(&self, dir: &Path) -> Result<Arc<Config>, ConfigError> {
        // The directories looked at, each to be remembered with the config found.
        let mut looked: Vec<&Path> = Vec::new();
        let mut at = Some(dir);
        let config = loop {
            let Some(d) = at else {
                break self.default.clone();
            };
            if let Some(c) = lock(&self.cache).get(d) {
                break c.clone();
            }
            looked.push(d);
            if let Some(file) = FILE_NAMES.iter().map(|n| d.join(n)).find(|p| p.is_file()) {
                break self.load_once(file)?;
            }
            at = d.parent();
        };
        let mut cache = lock(&self.cache);
        for d in looked {
            if cache.len() >= REMEMBERED_DIRS {
                cache.clear();
            }
            cache.insert(d.to_path_buf(), config.clone());
        }
        Ok(config)
    }

    /// The config of `file`, read once whichever thread asks first.
    fn load_once(&self, file: PathBuf) -> Result<Arc<Config>, ConfigError> {
        let mut loaded = lock(&self.loaded);
        if let Some(c) = loaded.get(&file) {
            return Ok(c.clone());
        }
        let c = Arc::new(load(&file)?);
        loaded.insert(file, c.clone());
        Ok(c)
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The JSON Schema of `.ecslint.toml`, as checked in at `ecslint.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ConfigFile);
    let mut s = serde_json::to_string_pretty(&schema).expect("serializable");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfg_07_schema_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ecslint.schema.json");
        let current = json_schema();
        if std::env::var_os("ECSLINT_UPDATE_SCHEMA").is_some() {
            std::fs::write(&path, &current).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == current,
            "ecslint.schema.json is stale: run `ECSLINT_UPDATE_SCHEMA=1 cargo test --lib cfg_07`"
        );
    }

    #[test]
    fn cfg_07_unknown_key_and_wrong_type_are_located() {
        let e = parse(Path::new("c.toml"), "[check]\nselct = [\"ECS1\"]\n").unwrap_err();
        assert!(e.0.starts_with("c.toml:2:1: "), "{}", e.0);
        assert!(e.0.contains("selct"), "{}", e.0);
        let e = parse(Path::new("c.toml"), "[check]\nfail-on = 3\n").unwrap_err();
        assert!(e.0.starts_with("c.toml:2:11: "), "{}", e.0);
        let e = parse(Path::new("c.toml"), "[check\n").unwrap_err();
        assert!(e.0.starts_with("c.toml:1:"), "{}", e.0);
    }

    #[test]
    fn dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_454).to_string(), "2026-01-01");
        assert_eq!(Date::parse("2027-03-31").unwrap().to_string(), "2027-03-31");
        assert!(Date::parse("2027-3-31").is_none());
    }

    #[test]
    fn globs_are_gitignore_style() {
        let g = glob("*.json").unwrap();
        assert!(g.is_match("a/b/x.json"));
        let g = glob("legacy/**/*.json").unwrap();
        assert!(g.is_match("legacy/a/x.json"));
        assert!(!g.is_match("x/legacy/a/x.json"));
        let g = glob("examples/").unwrap();
        assert!(g.is_match("examples/a.tf"));
    }

    /// The directory cache starts over past `REMEMBERED_DIRS`; every answer stays the same value
    /// (`pipeline::finish` tells configs apart by address), the default included.
    #[test]
    fn resolver_answers_alike_past_its_cache() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("with")).unwrap();
        std::fs::write(
            d.path().join("with/.ecslint.toml"),
            "[check]\nignore = [\"ECS401\"]\n",
        )
        .unwrap();
        let resolver = Resolver::new(None, false).unwrap();
        let with = resolver.for_path(&d.path().join("with/x.json")).unwrap();
        let without = resolver.for_path(&d.path().join("x.json")).unwrap();
        assert!(!Arc::ptr_eq(&with, &without));
        for i in 0..REMEMBERED_DIRS + 100 {
            for (top, want) in [("with", &with), ("without", &without)] {
                let dir = d.path().join(top).join(format!("d{i}"));
                let got = resolver.for_absolute_file(&dir.join("x.json")).unwrap();
                assert!(Arc::ptr_eq(&got, want), "{}", dir.display());
            }
        }
        assert!(lock(&resolver.cache).len() <= REMEMBERED_DIRS);
        let again = resolver.for_path(&d.path().join("x.json")).unwrap();
        assert!(Arc::ptr_eq(&again, &without));
    }

    /// Threads that ask at once (the scan's) get one value per config file, each directory the
    /// config of its nearest config file, whichever thread read the file first.
    #[test]
    fn resolver_shared_by_threads_reads_each_config_once() {
        let d = tempfile::tempdir().unwrap();
        for (dir, ignore) in [("a", "ECS401"), ("a/b/c", "ECS402"), ("z", "ECS403")] {
            std::fs::create_dir_all(d.path().join(dir)).unwrap();
            std::fs::write(
                d.path().join(dir).join("ecslint.toml"),
                format!("[check]\nignore = [\"{ignore}\"]\n"),
            )
            .unwrap();
        }
        let resolver = Resolver::new(None, false).unwrap();
        let dirs: Vec<(PathBuf, &str)> = (0..200)
            .flat_map(|i| {
                [
                    (format!("a/d{i}/e"), "a"),
                    (format!("a/b/c/d{i}"), "a/b/c"),
                    (format!("a/b/d{i}"), "a"),
                    (format!("z/d{i}/e/f"), "z"),
                    (format!("y/d{i}"), ""),
                ]
            })
            .map(|(dir, owner)| (d.path().join(dir), owner))
            .collect();
        let answers: Vec<Vec<(&str, Arc<Config>)>> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..8)
                .map(|t| {
                    let (resolver, dirs) = (&resolver, &dirs);
                    s.spawn(move || {
                        // Each thread in its own order, so that they meet on the way up.
                        let mut order: Vec<usize> = (0..dirs.len()).collect();
                        order.rotate_left(t * dirs.len() / 8);
                        order
                            .into_iter()
                            .map(|i| {
                                let (dir, owner) = &dirs[i];
                                (*owner, resolver.for_absolute_dir(dir).unwrap())
                            })
                            .collect()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        let mut by_owner: HashMap<&str, Arc<Config>> = HashMap::new();
        for (owner, config) in answers.into_iter().flatten() {
            let first = by_owner.entry(owner).or_insert_with(|| config.clone());
            assert!(Arc::ptr_eq(first, &config), "two values for {owner:?}");
        }
        assert_eq!(by_owner.len(), 4);
        let distinct: std::collections::HashSet<*const Config> =
            by_owner.values().map(Arc::as_ptr).collect();
        assert_eq!(distinct.len(), 4);
        assert!(Arc::ptr_eq(&by_owner[""], &resolver.default));
        for owner in ["a", "a/b/c", "z"] {
            let file = by_owner[owner].path.as_deref().unwrap();
            assert_eq!(file, d.path().join(owner).join("ecslint.toml"));
        }
    }
}
