//! A Terraform module directory, parsed once per run: its files' syntax trees and what they
//! declare (variables, locals, outputs, resources, module calls). Evaluation happens per module
//! *instance* (see `Module`), so one parsed directory serves every call of it.

use super::types::{self, Type};
use super::{attributes, labels};
use crate::diagnostic::{Diagnostic, parse_error};
use crate::model::Format;
use crate::source::{FileId, Span};
use crate::syntax::node::{Node, parse_json_file};
use crate::syntax::{Ctx, Note};
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, Body, Structure};
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
            match hcl::edit::parser::parse_body(&file.text) {
                Ok(body) => src.bodies.push((file.id, body)),
                Err(e) => {
                    let offset = e.location().offset().min(file.text.len());
                    let end = (offset + 1).min(file.text.len());
                    src.diagnostics.push(parse_error(
                        Span::new(file.id, offset..end.max(offset)),
                        format!("invalid HCL: {}", e.message()),
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

    /// Directories this module calls with a local source (`./x`, `../x`), canonical.
    pub fn local_calls(&self) -> Vec<PathBuf> {
        self.calls
            .iter()
            .filter_map(|c| c.source().filter(|s| ModuleCall::is_local(s)))
            .filter_map(|s| self.dir.join(s).canonicalize().ok())
            .collect()
    }
}

/// Parsed module directories of one run, by canonical path: the scan's own directories parsed
/// up front, called ones outside them (`.terraform/modules/...`) on first use.
#[derive(Default)]
pub struct ModuleCache {
    parsed: Mutex<HashMap<PathBuf, Arc<ModuleSource>>>,
}

impl ModuleCache {
    pub fn insert(&self, canonical: PathBuf, src: Arc<ModuleSource>) {
        self.lock().insert(canonical, src);
    }

    pub fn get(&self, canonical: &Path) -> Option<Arc<ModuleSource>> {
        self.lock().get(canonical).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<ModuleSource>>> {
        // A panic elsewhere cannot leave the map half-written (inserts are single calls).
        self.parsed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The module in `dir` (canonical), parsed now if no one has yet, its files read from
    /// `shown` (the same directory as the caller writes it) through the scan-root check.
    pub fn get_or_parse(&self, ctx: &Ctx, dir: &Path, shown: &Path) -> Arc<ModuleSource> {
        if let Some(src) = self.get(dir) {
            return src;
        }
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
        let src = Arc::new(ModuleSource::parse(ctx, shown, &paths, false));
        self.lock().entry(dir.to_path_buf()).or_insert(src).clone()
    }
}
