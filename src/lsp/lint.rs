//! One analysis unit linted the way `ecslint check` lints it, with open buffers over the disk.
//!
//! The overlay is the run's [`SourceDb`]: every read of a front-end goes through
//! [`crate::syntax::Ctx::load`] / `load_unchecked`, which answer from the database before they
//! touch the disk, so the open buffers are put there first. The rest is the CLI's pipeline
//! unchanged: front-end, `pipeline::run` (per-unit config, suppressions), `fix::classify`.

use crate::config::{self, Resolver};
use crate::diagnostic::Diagnostic;
use crate::engine::Scan;
use crate::model::Format;
use crate::source::{SourceDb, SourceFile};
use crate::syntax::terraform::ModuleCache;
use crate::syntax::{self, Ctx, Parsed, SniffBy, Sniffed, sniff_content, sniff_name};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What is linted as one: a Terraform module directory, one file, or one buffer that has no
/// file (an `untitled:` URI), linted on its own and never read from disk.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitKey {
    Module(PathBuf),
    File(PathBuf),
    Virtual(String),
}

/// An open buffer: its path (none for a non-`file:` URI), its text and the client's language.
pub struct Buffer<'a> {
    pub path: Option<&'a Path>,
    pub key: &'a str,
    pub text: &'a str,
    pub language: &'a str,
}

/// The findings of one unit, by file (absolute path, or the URI of a virtual buffer).
pub struct UnitResult {
    /// Every file the unit read or reported on.
    pub members: Vec<PathBuf>,
    pub files: BTreeMap<PathBuf, (Arc<SourceFile>, Vec<Diagnostic>)>,
    /// The first line of a configuration error, when the unit fell back to the defaults.
    pub config_error: Option<String>,
    /// Every file of the run (label and fix spans may point into any of them).
    pub sources: SourceDb,
}

pub fn is_terraform_name(path: &Path) -> bool {
    matches!(
        sniff_name(path, false),
        Some(SniffBy::Name(
            Sniffed::Terraform | Sniffed::TerraformJson | Sniffed::TerraformVars
        ))
    )
}

fn is_module_file(path: &Path) -> bool {
    matches!(
        sniff_name(path, false),
        Some(SniffBy::Name(Sniffed::Terraform | Sniffed::TerraformJson))
    )
}

/// The `.tf` / `.tf.json` files of a module directory: those on disk and unsaved new buffers.
pub fn module_files(dir: &Path, buffers: &[Buffer]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| is_module_file(p) && p.is_file() && !hidden(p))
                .collect()
        })
        .unwrap_or_default();
    for b in buffers {
        if let Some(p) = b.path
            && p.parent() == Some(dir)
            && is_module_file(p)
        {
            files.push(p.to_path_buf());
        }
    }
    files.sort();
    files.dedup();
    files
}

fn hidden(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// How to sniff a buffer: by name as the CLI does, else by the client's language id.
fn sniff_by(path: &Path, language: &str) -> SniffBy {
    sniff_name(path, false).unwrap_or(match language {
        "json" | "jsonc" => SniffBy::Json,
        "yaml" | "cloudformation" => SniffBy::Yaml,
        "terraform" | "hcl" | "tf" => SniffBy::Name(Sniffed::Terraform),
        _ => SniffBy::Any,
    })
}

pub struct Settings<'a> {
    /// Canonical workspace folders: `file()` may read anywhere inside them.
    pub roots: &'a [PathBuf],
    pub default_max_file_size: u64,
}

/// Lint one unit. `resolver` holds the configuration files found so far.
pub fn lint(
    key: &UnitKey,
    buffers: &[Buffer],
    resolver: &Resolver,
    settings: &Settings,
) -> UnitResult {
    let unit_path: PathBuf = match key {
        UnitKey::Module(p) | UnitKey::File(p) => p.clone(),
        UnitKey::Virtual(uri) => PathBuf::from(uri),
    };
    let mut config_error = None;
    let run_config = match key {
        UnitKey::Virtual(_) => Arc::new(config::Config::default()),
        _ => resolver.for_path(&unit_path).unwrap_or_else(|e| {
            config_error = Some(e.0);
            Arc::new(config::Config::default())
        }),
    };
    let region = run_config.region.clone();
    let var_files = run_config.var_files.clone().unwrap_or_default();
    let max_file_size = run_config
        .max_file_size
        .unwrap_or(settings.default_max_file_size);
    let db = SourceDb::new();
    let unit_dir = match key {
        UnitKey::Module(d) => Some(d.clone()),
        UnitKey::File(p) => p.parent().map(Path::to_path_buf),
        UnitKey::Virtual(_) => None,
    };
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Some(d) = &unit_dir {
        let own = d.canonicalize().unwrap_or_else(|_| d.clone());
        roots.extend(
            settings
                .roots
                .iter()
                .filter(|r| own.starts_with(r))
                .cloned(),
        );
        roots.push(own);
    }
    // The overlay: open buffers inside the readable roots (never a virtual buffer but this
    // unit's own).
    for b in buffers {
        match (key, b.path) {
            (UnitKey::Virtual(uri), None) if uri == b.key => {
                db.add(unit_path.clone(), b.text.to_string());
            }
            (UnitKey::Virtual(_), _) | (_, None) => {}
            (_, Some(p)) => {
                let canonical_dir = p
                    .parent()
                    .and_then(|d| d.canonicalize().ok())
                    .unwrap_or_default();
                if roots.iter().any(|r| canonical_dir.starts_with(r)) {
                    db.add(p.to_path_buf(), b.text.to_string());
                }
            }
        }
    }
    let modules = ModuleCache::default();
    let ctx = Ctx {
        db: &db,
        roots: &roots,
        region: region.as_deref(),
        var_files: &var_files,
        max_file_size,
        eval_budget: syntax::budget::DEFAULT_EVAL_BUDGET,
        terraform_modules: &modules,
        used_dirs: None,
    };
    let parsed = match key {
        UnitKey::Module(dir) => {
            let files = module_files(dir, buffers);
            if files.is_empty() {
                Parsed::default()
            } else {
                syntax::terraform::parse_module(&ctx, dir, &files)
            }
        }
        UnitKey::File(path) => {
            let language = buffers
                .iter()
                .find(|b| b.path == Some(path.as_path()))
                .map_or("", |b| b.language);
            parse_file(&ctx, path, sniff_by(path, language))
        }
        UnitKey::Virtual(uri) => {
            let language = buffers
                .iter()
                .find(|b| b.key == uri)
                .map_or("", |b| b.language);
            parse_file(&ctx, &unit_path, sniff_by(&unit_path, language))
        }
    };
    let scan = Scan::from_parsed(db, parsed);
    let options = crate::pipeline::Options::default();
    let mut outcome = match crate::pipeline::run(&scan, resolver, &options, region.as_deref()) {
        Ok(o) => o,
        Err(e) => {
            config_error.get_or_insert(e.0);
            let isolated = Resolver::new(None, true).expect("isolated resolver");
            crate::pipeline::run(&scan, &isolated, &options, region.as_deref()).expect("defaults")
        }
    };
    crate::fix::classify(&mut outcome.diagnostics);
    let mut files: BTreeMap<PathBuf, (Arc<SourceFile>, Vec<Diagnostic>)> = BTreeMap::new();
    let mut members: Vec<PathBuf> = scan
        .files
        .iter()
        .map(|(id, _)| scan.db.get(*id).path.to_path_buf())
        .collect();
    // Files read through `file()`, tfvars and open buffers of the module's directory tree.
    if let Some(d) = &unit_dir {
        members.extend(
            scan.db
                .all()
                .iter()
                .filter(|f| f.path.starts_with(d) && !matches!(key, UnitKey::File(_)))
                .map(|f| f.path.to_path_buf()),
        );
    }
    if let UnitKey::File(p) = key {
        members.push(p.clone());
    }
    for d in outcome.diagnostics {
        let file = scan.db.get(d.primary.file);
        members.push(file.path.to_path_buf());
        files
            .entry(file.path.to_path_buf())
            .or_insert_with(|| (file.clone(), Vec::new()))
            .1
            .push(d);
    }
    members.sort();
    members.dedup();
    UnitResult {
        members,
        files,
        config_error,
        sources: scan.db,
    }
}

fn parse_file(ctx: &Ctx, path: &Path, by: SniffBy) -> Parsed {
    let file = match ctx.load_unchecked(path) {
        Ok(f) => f,
        Err(_) => return Parsed::default(),
    };
    match sniff_content(&file.text, by) {
        Sniffed::TaskDefJson => syntax::taskdef_json::parse(ctx, &file),
        Sniffed::CloudFormationYaml => {
            syntax::cloudformation::parse(ctx, &file, Format::CloudFormationYaml)
        }
        Sniffed::CloudFormationJson => {
            syntax::cloudformation::parse(ctx, &file, Format::CloudFormationJson)
        }
        Sniffed::TerraformPlan => syntax::terraform::parse_plan(ctx, &file),
        Sniffed::Terraform | Sniffed::TerraformJson => {
            let dir = path.parent().map(PathBuf::from).unwrap_or_default();
            syntax::terraform::parse_module(ctx, &dir, &[path.to_path_buf()])
        }
        Sniffed::TerraformVars | Sniffed::Unrelated => Parsed::default(),
    }
}
