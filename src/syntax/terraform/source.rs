//! A Terraform module directory, parsed once per run: its files' syntax trees and what they
//! declare (variables, locals, outputs, resources, module calls). Evaluation happens per module
//! *instance* (see `Module`), so one parsed directory serves every call of it.

use super::hcl_tree::{self, Block, Body, Expression, Structure};
use super::types::{self, Type};
use super::{attributes, labels};
use crate::diagnostic::{Diagnostic, parse_error};
use crate::hashing::FastMap;
use crate::model::Format;
use crate::source::{FileId, Span};
use crate::syntax::node::{Node, parse_json_file};
use crate::syntax::{Ctx, Note};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct ModuleSource {
    pub dir: PathBuf,
    /// Every file of the directory with the format it was read as.
    pub files: Vec<(FileId, Format)>,
    pub bodies: Vec<(FileId, Body)>,
    /// `.tf.json` files.
    pub json_roots: Vec<Node>,
    /// Syntax errors (ECS000) and unreadable files, reported once whatever calls the module.
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<Note>,
    pub variables: HashMap<String, Variable>,
    /// `.tf.json` variable defaults (literal JSON).
    pub json_defaults: HashMap<String, Node>,
    pub locals: HashMap<String, (FileId, Expression)>,
    pub outputs: HashMap<String, (FileId, Expression)>,
    pub resources: HashSet<(String, String)>,
    /// `data "aws_iam_policy_document" "NAME"` blocks: evaluated where `.json` is read.
    pub policy_documents: HashMap<String, (FileId, Block)>,
    pub calls: Vec<ModuleCall>,
}

/// A `variable "name" { ... }` block: its `default` and `type`.
pub struct Variable {
    pub file: FileId,
    pub default: Option<Expression>,
    pub ty: Type,
    /// `nullable = false`: a null argument means the default.
    pub nullable: bool,
}

/// A `module "name" { ... }` block.
pub struct ModuleCall {
    pub name: String,
    pub file: FileId,
    pub block: Block,
}

impl ModuleCall {
    pub fn attribute(&self, key: &str) -> Option<&Expression> {
        attributes(&self.block.body)
            .find(|(k, _)| *k == key)
            .map(|(_, e)| e)
    }

    /// The `source` when it is a literal string (Terraform requires that).
    pub fn source(&self) -> Option<&str> {
        match self.attribute("source")? {
            Expression::String(s) => Some(s.value().as_str()),
            _ => None,
        }
    }

    pub fn is_local(source: &str) -> bool {
        source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
    }
}

impl ModuleSource {
    /// Read and parse `paths` (the directory's `.tf` / `.tf.json` files) once.
    pub fn parse(ctx: &Ctx, dir: &Path, paths: &[PathBuf], discovered: bool) -> ModuleSource {
        let mut src = ModuleSource {
            dir: dir.to_path_buf(),
            ..ModuleSource::default()
        };
        for path in paths {
            // Discovered files are inside a scan root by construction; a called module's files
            // are checked like any file the scanned code names.
            let loaded = if discovered {
                ctx.load_unchecked(path)
            } else {
                ctx.load(path)
            };
            let file = match loaded {
                Ok(f) => f,
                Err(e) => {
                    src.notes.push(Note {
                        path: path.clone(),
                        message: e.to_string(),
                    });
                    continue;
                }
            };
            if path.to_string_lossy().ends_with(".json") {
                src.files.push((file.id, Format::TerraformJson));
                match parse_json_file(&file) {
                    Ok(Some(root)) => src.json_roots.push(root),
                    Ok(None) => {}
                    Err(d) => src.diagnostics.push(*d),
                }
                continue;
            }
            src.files.push((file.id, Format::Terraform));
            match hcl_tree::parse_body(&file.text) {
                Ok(body) => src.bodies.push((file.id, body)),
                Err(e) => {
                    let at = crate::source::char_range_at(&file.text, e.offset);
                    src.diagnostics.push(parse_error(
                        Span::new(file.id, at),
                        format!("invalid HCL: {}", e.message),
                    ));
                }
            }
        }
        src.declare();
        src
    }

    fn declare(&mut self) {
        for (file, body) in &self.bodies {
            for s in body.iter() {
                let Structure::Block(b) = s else { continue };
                let ls = labels(b);
                match (b.ident.value().as_str(), ls.as_slice()) {
                    ("variable", [name]) => {
                        let attr = |key: &str| {
                            attributes(&b.body).find(|(k, _)| *k == key).map(|(_, e)| e)
                        };
                        self.variables.insert(
                            name.clone(),
                            Variable {
                                file: *file,
                                default: attr("default").cloned(),
                                ty: attr("type").map(types::parse).unwrap_or_default(),
                                nullable: !matches!(
                                    attr("nullable"),
                                    Some(Expression::Bool(b)) if !*b.value()
                                ),
                            },
                        );
                    }
                    ("locals", []) => {
                        for (k, e) in attributes(&b.body) {
                            self.locals.insert(k.to_owned(), (*file, e.clone()));
                        }
                    }
                    ("output", [name]) => {
                        if let Some((_, e)) = attributes(&b.body).find(|(k, _)| *k == "value") {
                            self.outputs.insert(name.clone(), (*file, e.clone()));
                        }
                    }
                    ("resource", [kind, name]) => {
                        self.resources.insert((kind.clone(), name.clone()));
                    }
                    ("data", [kind, name]) if kind == "aws_iam_policy_document" => {
                        self.policy_documents
                            .insert(name.clone(), (*file, b.clone()));
                    }
                    ("module", [name]) => self.calls.push(ModuleCall {
                        name: name.clone(),
                        file: *file,
                        block: b.clone(),
                    }),
                    _ => {}
                }
            }
        }
        for root in &self.json_roots {
            if let Some(vars) = root.get("variable").and_then(Node::as_object) {
                for (name, def) in vars {
                    self.variables
                        .entry(name.value.clone())
                        .or_insert(Variable {
                            file: name.span.file,
                            default: None,
                            ty: Type::Any,
                            nullable: true,
                        });
                    if let Some(d) = def.get("default") {
                        self.json_defaults
                            .insert(name.value.clone(), super::templates_unknown(d.clone()));
                    }
                }
            }
            if let Some(types) = root.get("resource").and_then(Node::as_object) {
                for (kind, named) in types {
                    for (name, _) in named.as_object().unwrap_or(&[]) {
                        self.resources
                            .insert((kind.value.clone(), name.value.clone()));
                    }
                }
            }
        }
    }
}

/// Directories `files` (one module's `.tf` files) call with a local source, canonical, found by
/// a look at the text instead of a parse: the order in which modules are evaluated is decided
/// before any is parsed, so that a parsed module can be released as soon as the last root
/// module that calls it is done. It may see a call that is not one (a `source = "./x"` outside
/// a `module` block): such a directory is then evaluated later, on its own, if nothing reached
/// it for real.
pub fn local_calls(ctx: &Ctx, dir: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in files {
        let Ok(text) = ctx.peek_unchecked(path) else {
            continue;
        };
        for line in text.lines() {
            let line = line.trim_start();
            let Some(rest) = line.strip_prefix("source") else {
                continue;
            };
            let Some(value) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            let Some(quoted) = value.trim().strip_prefix('"') else {
                continue;
            };
            let Some(source) = quoted.split('"').next() else {
                continue;
            };
            if ModuleCall::is_local(source)
                && let Some(target) = crate::source::canonical(&dir.join(source))
            {
                out.push(target);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Parsed module directories of one run, by canonical path. A directory is parsed once, on
/// first use, and released when the last root module expected to use it is done, so memory
/// holds the modules in flight rather than every module of the tree.
#[derive(Default)]
pub struct ModuleCache {
    parsed: Mutex<FastMap<PathBuf, Arc<ModuleSource>>>,
    /// The scan's module directories by canonical path.
    discovered: Mutex<FastMap<Box<Path>, Planned>>,
    /// Root modules still to be evaluated that are expected to use each directory.
    pending: Mutex<FastMap<PathBuf, usize>>,
    /// Directories outside the scan parsed at least once (a scanned one says so itself:
    /// `Planned::seen`, not a second copy of every path of the tree).
    seen_elsewhere: Mutex<crate::hashing::FastSet<PathBuf>>,
    /// Uses of each directory by jobs still running (see `done`).
    users: Mutex<FastMap<PathBuf, usize>>,
}

/// A scanned module directory. Boxed paths (sized exactly, no spare capacity): one per
/// directory and file of the tree is held until the directory's last job ends.
struct Planned {
    as_discovered: Box<Path>,
    files: Box<[Box<Path>]>,
    /// Parsed at least once (its syntax errors are reported by that parse).
    seen: bool,
}

fn paths(boxed: &[Box<Path>]) -> Vec<PathBuf> {
    boxed.iter().map(|p| p.to_path_buf()).collect()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Every critical section is a single map operation: a panic elsewhere cannot leave a map
    // half-written.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl ModuleCache {
    /// The scan's directories, and how many roots are expected to use each.
    pub fn plan(
        &self,
        discovered: FastMap<PathBuf, (PathBuf, Vec<PathBuf>)>,
        pending: FastMap<PathBuf, usize>,
    ) {
        *lock(&self.discovered) = discovered
            .into_iter()
            .map(|(dir, (as_discovered, files))| {
                let planned = Planned {
                    as_discovered: as_discovered.into_boxed_path(),
                    files: files.into_iter().map(PathBuf::into_boxed_path).collect(),
                    seen: false,
                };
                (dir.into_boxed_path(), planned)
            })
            .collect();
        *lock(&self.pending) = pending;
    }

    /// The module in `dir` (canonical) and whether this call parsed it first. A scanned
    /// directory is read as discovered; another (`.terraform/modules/...`) from `shown` (as
    /// the caller writes it), through the scan-root check.
    pub fn get_or_parse(&self, ctx: &Ctx, dir: &Path, shown: &Path) -> (Arc<ModuleSource>, bool) {
        if let Some(used) = ctx.used_dirs {
            *lock(&self.users).entry(dir.to_path_buf()).or_default() += 1;
            lock(used).push(dir.to_path_buf());
        }
        if let Some(src) = lock(&self.parsed).get(dir) {
            return (src.clone(), false);
        }
        let planned = lock(&self.discovered)
            .get(dir)
            .map(|p| (p.as_discovered.to_path_buf(), paths(&p.files)));
        let src = match planned {
            Some((as_discovered, files)) => {
                Arc::new(ModuleSource::parse(ctx, &as_discovered, &files, true))
            }
            None => {
                let mut paths: Vec<PathBuf> = std::fs::read_dir(shown)
                    .map(|entries| {
                        entries
                            .filter_map(Result::ok)
                            .map(|e| e.path())
                            .filter(|p| {
                                let n = p.to_string_lossy();
                                (n.ends_with(".tf") || n.ends_with(".tf.json")) && p.is_file()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                paths.sort();
                Arc::new(ModuleSource::parse(ctx, shown, &paths, false))
            }
        };
        let first_of_scanned = lock(&self.discovered)
            .get_mut(dir)
            .map(|planned| !std::mem::replace(&mut planned.seen, true));
        let first = first_of_scanned
            .unwrap_or_else(|| lock(&self.seen_elsewhere).insert(dir.to_path_buf()));
        let src = lock(&self.parsed)
            .entry(dir.to_path_buf())
            .or_insert(src)
            .clone();
        (src, first)
    }

    /// A root that was expected to use `dir` is done with it.
    pub fn release(&self, dir: &Path) {
        let mut pending = lock(&self.pending);
        let left = match pending.get_mut(dir) {
            Some(n) => {
                *n = n.saturating_sub(1);
                *n
            }
            None => 0,
        };
        if left == 0 {
            pending.remove(dir);
            // Entries go as roots end: the table need not stay sized for the whole tree.
            if pending.len() < pending.capacity() / 4 {
                pending.shrink_to_fit();
            }
            lock(&self.parsed).remove(dir);
        }
    }

    /// A job that used `dir` (once per use: see `Ctx::used_dirs`) has checked its units. When
    /// no running job uses the directory and no planned root is still to come, its files are
    /// returned: their findings are all known, so they may be reduced to excerpts. (A root that
    /// was not planned and reads them later reads them again from disk.)
    pub fn done(&self, dir: &Path) -> Vec<PathBuf> {
        let mut users = lock(&self.users);
        let left = users.get_mut(dir).map_or(0, |n| {
            *n = n.saturating_sub(1);
            *n
        });
        if left > 0 || lock(&self.pending).contains_key(dir) {
            return Vec::new();
        }
        users.remove(dir);
        lock(&self.discovered)
            .get(dir)
            .map(|p| paths(&p.files))
            .unwrap_or_default()
    }

    /// Scanned directories no evaluation has reached yet.
    pub fn unseen(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = lock(&self.discovered)
            .iter()
            .filter(|(_, p)| !p.seen)
            .map(|(dir, _)| dir.to_path_buf())
            .collect();
        out.sort();
        out
    }
}
