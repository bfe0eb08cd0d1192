//! Terraform front-end: a module directory's `.tf` and `.tf.json` files become one unit whose
//! `aws_ecs_task_definition`, `aws_ecs_service` and `aws_cloudwatch_log_group` resources are
//! evaluated statically (see `eval`), plus `terraform show -json` plan files (see `plan`).

mod eval;
mod plan;
mod render;

pub use plan::parse_plan;

use super::budget::Budget;
use super::node::{Node, NodeKind, parse_json_file};
use super::{Ctx, Note, Parsed, shape};
use crate::diagnostic::{Diagnostic, parse_error};
use crate::model::{Format, Unit, Value};
use crate::source::{FileId, SourceFile, Span, Spanned};
use eval::{Eval, Scope, span_of};
use hcl::edit::Span as _;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Block, BlockLabel, Body, Structure};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

const TASK_DEFINITION: &str = "aws_ecs_task_definition";
const SERVICE: &str = "aws_ecs_service";
const LOG_GROUP: &str = "aws_cloudwatch_log_group";
const CLUSTER: &str = "aws_ecs_cluster";
const CLUSTER_CAPACITY_PROVIDERS: &str = "aws_ecs_cluster_capacity_providers";
const TASK_SET: &str = "aws_ecs_task_set";

/// Everything of one module that expressions may refer to.
pub struct Module<'a> {
    pub ctx: &'a Ctx<'a>,
    pub dir: PathBuf,
    /// Variable defaults and locals, with the file they are written in.
    defaults: HashMap<String, (FileId, Expression)>,
    locals: HashMap<String, (FileId, Expression)>,
    /// Values from tfvars files and `--var-file`, later files winning.
    tfvars: RefCell<HashMap<String, Rc<Node>>>,
    declared_variables: HashSet<String>,
    resources: HashSet<(String, String)>,
    cache: RefCell<HashMap<String, Option<Rc<Node>>>>,
    in_progress: RefCell<HashSet<String>>,
    notes: RefCell<Vec<Note>>,
    pub budget: Rc<Budget>,
}

impl Module<'_> {
    /// `var.NAME`: tfvars, else the default, else unknown (`None`).
    pub fn variable(&self, name: &str, depth: usize) -> Option<Rc<Node>> {
        if let Some(v) = self.tfvars.borrow().get(name) {
            return Some(v.clone());
        }
        if !self.declared_variables.contains(name) {
            return None;
        }
        let (file, expr) = self.defaults.get(name)?;
        self.cached(&format!("var.{name}"), || {
            Eval {
                module: self,
                file: *file,
            }
            .eval(expr, &Scope::default(), depth + 1)
        })
    }

    /// `local.NAME`, evaluated once; a cycle is unknown, not a hang.
    pub fn local(&self, name: &str, depth: usize) -> Option<Rc<Node>> {
        let (file, expr) = self.locals.get(name)?;
        self.cached(&format!("local.{name}"), || {
            Eval {
                module: self,
                file: *file,
            }
            .eval(expr, &Scope::default(), depth + 1)
        })
    }

    fn cached(&self, key: &str, compute: impl FnOnce() -> Node) -> Option<Rc<Node>> {
        if let Some(v) = self.cache.borrow().get(key) {
            return v.clone();
        }
        if !self.in_progress.borrow_mut().insert(key.to_owned()) {
            return None;
        }
        let value = Some(compute()).filter(|n| !n.is_unknown()).map(Rc::new);
        self.in_progress.borrow_mut().remove(key);
        self.cache
            .borrow_mut()
            .insert(key.to_owned(), value.clone());
        value
    }

    pub fn has_resource(&self, kind: &str, name: &str) -> bool {
        self.resources.contains(&(kind.to_owned(), name.to_owned()))
    }

    /// A file named by `file()` / `templatefile()`, relative to the module; never outside the
    /// scan roots (the refusal is a note, and the value stays unknown).
    pub fn load_relative(&self, path: &str) -> Option<Arc<SourceFile>> {
        let p = Path::new(path);
        let full = if p.is_absolute() || p.starts_with(&self.dir) {
            p.to_path_buf()
        } else {
            self.dir.join(p)
        };
        match self.ctx.load(&full) {
            Ok(f) => Some(f),
            Err(e) => {
                self.notes.borrow_mut().push(Note {
                    path: full,
                    message: format!("{e} (named by file()/templatefile())"),
                });
                None
            }
        }
    }
}

fn label(l: &BlockLabel) -> String {
    match l {
        BlockLabel::Ident(i) => i.value().to_string(),
        BlockLabel::String(s) => s.value().clone(),
    }
}

fn labels(b: &Block) -> Vec<String> {
    b.labels.iter().map(label).collect()
}

/// The block's header line (`resource "aws_ecs_service" "app"`): where "missing" findings point.
fn header_span(file: FileId, b: &Block) -> Span {
    let start = b.ident.span().map_or(0, |r| r.start);
    let end = b
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| b.ident.span())
        .map_or(start, |r| r.end);
    Span::new(file, start..end)
}

fn attributes(body: &Body) -> impl Iterator<Item = (&str, &Expression)> {
    body.iter().filter_map(|s| match s {
        Structure::Attribute(a) => Some((a.key.value().as_str(), &a.value)),
        _ => None,
    })
}

pub fn parse_module(ctx: &Ctx, dir: &Path, paths: &[PathBuf]) -> Parsed {
    let mut out = Parsed::default();
    let mut bodies: Vec<(Arc<SourceFile>, Body)> = Vec::new();
    // `.tf.json` files, parsed once for declarations and resources.
    let mut json_files: Vec<Node> = Vec::new();
    for path in paths {
        let file = match ctx.load_unchecked(path) {
            Ok(f) => f,
            Err(e) => {
                out.notes.push(Note {
                    path: path.clone(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if path.to_string_lossy().ends_with(".json") {
            out.files.push((file.id, Format::TerraformJson));
            match parse_json_file(&file) {
                Ok(Some(root)) => json_files.push(root),
                Ok(None) => {}
                Err(d) => out.diagnostics.push(*d),
            }
            continue;
        }
        out.files.push((file.id, Format::Terraform));
        match hcl::edit::parser::parse_body(&file.text) {
            Ok(body) => bodies.push((file, body)),
            Err(e) => {
                let offset = e.location().offset().min(file.text.len());
                let end = (offset + 1).min(file.text.len());
                out.diagnostics.push(parse_error(
                    Span::new(file.id, offset..end.max(offset)),
                    format!("invalid HCL: {}", e.message()),
                ));
            }
        }
    }
    let mut module = Module {
        ctx,
        dir: dir.to_path_buf(),
        defaults: HashMap::new(),
        locals: HashMap::new(),
        tfvars: RefCell::new(HashMap::new()),
        declared_variables: HashSet::new(),
        resources: HashSet::new(),
        cache: RefCell::new(HashMap::new()),
        in_progress: RefCell::new(HashSet::new()),
        notes: RefCell::new(Vec::new()),
        budget: Rc::new(Budget::new(ctx.eval_budget)),
    };
    for (file, body) in &bodies {
        for s in body.iter() {
            let Structure::Block(b) = s else { continue };
            let ls = labels(b);
            match (b.ident.value().as_str(), ls.as_slice()) {
                ("variable", [name]) => {
                    module.declared_variables.insert(name.clone());
                    if let Some((_, e)) = attributes(&b.body).find(|(k, _)| *k == "default") {
                        module.defaults.insert(name.clone(), (file.id, e.clone()));
                    }
                }
                ("locals", []) => {
                    for (k, e) in attributes(&b.body) {
                        module.locals.insert(k.to_owned(), (file.id, e.clone()));
                    }
                }
                ("resource" | "data", [kind, name]) if b.ident.value().as_str() == "resource" => {
                    module.resources.insert((kind.clone(), name.clone()));
                }
                _ => {}
            }
        }
    }
    for root in &json_files {
        json_declarations(&mut module, root);
    }
    load_tfvars(&module, &mut out);

    let mut unit = Unit::new(dir.to_path_buf(), Format::Terraform);
    let scope = Scope::default();
    let mut task_sets = Vec::new();
    for (file, body) in &bodies {
        let ev = Eval {
            module: &module,
            file: file.id,
        };
        for s in body.iter() {
            let Structure::Block(b) = s else { continue };
            let ls = labels(b);
            match (b.ident.value().as_str(), ls.as_slice()) {
                ("provider", [p]) if p == "aws" && unit.region.is_none() => {
                    if let Some((_, e)) = attributes(&b.body).find(|(k, _)| *k == "region") {
                        unit.region = shape::string(Some(&ev.eval(e, &scope, 0)));
                    }
                }
                ("resource", [kind, name]) => {
                    let address = format!("{kind}.{name}");
                    let header = header_span(file.id, b);
                    match kind.as_str() {
                        TASK_DEFINITION => {
                            let props = block_node(&ev, b, true, &mut out.diagnostics);
                            unit.task_definitions
                                .push(shape::task_definition(address, header, &props));
                        }
                        SERVICE => {
                            let props = block_node(&ev, b, false, &mut out.diagnostics);
                            unit.services.push(shape::service(address, header, &props));
                        }
                        LOG_GROUP => {
                            let props = block_node(&ev, b, false, &mut out.diagnostics);
                            unit.log_groups
                                .push(shape::log_group(address, header, &props));
                        }
                        CLUSTER => {
                            let props = block_node(&ev, b, false, &mut out.diagnostics);
                            unit.clusters.push(shape::cluster(address, header, &props));
                        }
                        CLUSTER_CAPACITY_PROVIDERS => {
                            let mut props = block_node(&ev, b, false, &mut out.diagnostics);
                            rename(&mut props, "cluster_name", "cluster");
                            unit.clusters.push(shape::cluster(address, header, &props));
                        }
                        TASK_SET => task_sets.push(block_node(&ev, b, false, &mut out.diagnostics)),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    for root in &json_files {
        json_resources(root, &mut unit);
    }
    for props in &task_sets {
        shape::apply_task_set(&mut unit, props);
    }
    if unit.region.is_none()
        && let Some(r) = ctx.region
    {
        unit.region = Some(Spanned::new(
            Value::Known(r.to_owned()),
            Span::new(FileId(0), 0..0),
        ));
    }
    out.notes.extend(module.notes.into_inner());
    out.diagnostics.extend(module.budget.diagnostic());
    unit.eval_units = module.budget.spent();
    if !(unit.task_definitions.is_empty()
        && unit.services.is_empty()
        && unit.log_groups.is_empty()
        && unit.region.is_none())
    {
        out.units.push(unit);
    }
    out
}

/// `aws_ecs_cluster_capacity_providers.cluster_name` names the cluster it configures.
fn rename(props: &mut Node, from: &str, to: &str) {
    if let NodeKind::Object(entries) = &mut props.kind {
        for (k, _) in entries.iter_mut() {
            if k.value == from {
                k.value = to.to_owned();
            }
        }
    }
}

/// A block body as an object: attributes evaluated, nested blocks as objects (repeated blocks
/// of one type as a list), `dynamic` blocks unknown.
fn block_node(
    ev: &Eval,
    b: &Block,
    task_definition: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Node {
    body_node(
        ev,
        &b.body,
        span_of(ev.file, b.span()),
        task_definition,
        diagnostics,
        0,
    )
}

fn body_node(
    ev: &Eval,
    body: &Body,
    span: Span,
    task_definition: bool,
    diagnostics: &mut Vec<Diagnostic>,
    depth: usize,
) -> Node {
    let scope = Scope::default();
    let mut props: Vec<(Spanned<String>, Node)> = Vec::new();
    let mut blocks: Vec<(Spanned<String>, Vec<Node>)> = Vec::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = Spanned::new(a.key.value().to_string(), span_of(ev.file, a.key.span()));
                let value = if task_definition && a.key.value().as_str() == "container_definitions"
                {
                    container_definitions(ev, &a.value, diagnostics)
                } else {
                    ev.eval(&a.value, &scope, 0)
                };
                props.push((key, value));
            }
            Structure::Block(nested) if depth < 8 => {
                let name = if nested.ident.value().as_str() == "dynamic" {
                    nested.labels.first().map(label).unwrap_or_default()
                } else {
                    nested.ident.value().to_string()
                };
                let nspan = span_of(ev.file, nested.span());
                let node = if nested.ident.value().as_str() == "dynamic" {
                    Node::unresolved(format!("dynamic \"{name}\""), nspan.clone())
                } else {
                    body_node(
                        ev,
                        &nested.body,
                        nspan.clone(),
                        false,
                        diagnostics,
                        depth + 1,
                    )
                };
                match blocks.iter_mut().find(|(k, _)| k.value == name) {
                    Some((_, list)) => list.push(node),
                    None => blocks.push((
                        Spanned::new(name, span_of(ev.file, nested.ident.span())),
                        vec![node],
                    )),
                }
            }
            Structure::Block(_) => {}
        }
    }
    for (key, list) in blocks {
        let span = Span {
            file: ev.file,
            range: list[0].span.range.start..list[list.len() - 1].span.range.end,
        };
        let value = if list.iter().any(Node::is_unknown) {
            Node::unresolved(format!("{} blocks", key.value), span)
        } else {
            Node::new(NodeKind::Array(list), span)
        };
        props.push((key, value));
    }
    Node::new(NodeKind::Object(props), span)
}

/// `container_definitions`: JSON text from a heredoc, `file()` or `templatefile()` is parsed
/// with spans into its source; `jsonencode(...)` evaluates to the structure itself.
fn container_definitions(ev: &Eval, expr: &Expression, diagnostics: &mut Vec<Diagnostic>) -> Node {
    let scope = Scope::default();
    match render::json_source(ev, expr, &scope, 0) {
        Some(Some(mapped)) => match mapped.decode() {
            Ok(Some(node)) => node,
            Ok(None) => Node::unresolved(ev.text(expr), ev.span(expr)),
            Err((span, message)) => {
                diagnostics.push(parse_error(
                    span,
                    format!("invalid JSON in container_definitions: {message}"),
                ));
                Node::unresolved(ev.text(expr), ev.span(expr))
            }
        },
        Some(None) => Node::unresolved(ev.text(expr), ev.span(expr)),
        None => ev.eval(expr, &scope, 0),
    }
}

/// `terraform.tfvars`, `*.auto.tfvars` (and their `.json` forms) in the module directory, then
/// `--var-file` files: literal values, later files winning, as Terraform applies them.
fn load_tfvars(module: &Module, out: &mut Parsed) {
    let mut paths = Vec::new();
    let base = module.dir.join("terraform.tfvars");
    let base_json = module.dir.join("terraform.tfvars.json");
    paths.extend([base, base_json].into_iter().filter(|p| p.is_file()));
    if let Ok(entries) = std::fs::read_dir(&module.dir) {
        let mut auto: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                let n = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
            })
            .collect();
        auto.sort();
        paths.extend(auto);
    }
    paths.extend(module.ctx.var_files.iter().cloned());
    for path in paths {
        let file = match module.ctx.load(&path).or_else(|e| {
            // `--var-file` may point anywhere the user chose; the scan-root rule is for files
            // the scanned code names.
            if module.ctx.var_files.contains(&path) {
                module.ctx.load_unchecked(&path)
            } else {
                Err(e)
            }
        }) {
            Ok(f) => f,
            Err(e) => {
                out.notes.push(Note {
                    path,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let ev = Eval {
            module,
            file: file.id,
        };
        if path.to_string_lossy().ends_with(".json") {
            match parse_json_file(&file) {
                Ok(Some(node)) => {
                    for (k, v) in node.as_object().unwrap_or(&[]) {
                        module
                            .tfvars
                            .borrow_mut()
                            .insert(k.value.clone(), Rc::new(v.clone()));
                    }
                }
                Ok(None) => {}
                Err(d) => out.diagnostics.push(*d),
            }
            continue;
        }
        match hcl::edit::parser::parse_body(&file.text) {
            Ok(body) => {
                for (k, e) in attributes(&body) {
                    let v = ev.eval(e, &Scope::default(), 0);
                    module.tfvars.borrow_mut().insert(k.to_owned(), Rc::new(v));
                }
            }
            Err(e) => {
                let offset = e.location().offset().min(file.text.len());
                out.diagnostics.push(parse_error(
                    Span::new(file.id, offset..(offset + 1).min(file.text.len())),
                    format!("invalid HCL: {}", e.message()),
                ));
            }
        }
    }
}

/// `.tf.json`: variables' defaults are literal JSON values; `${...}` strings are not
/// evaluated (they stay unknown).
fn json_declarations(module: &mut Module, root: &Node) {
    if let Some(vars) = root.get("variable").and_then(Node::as_object) {
        for (name, _) in vars {
            module.declared_variables.insert(name.value.clone());
        }
    }
    if let Some(types) = root.get("resource").and_then(Node::as_object) {
        for (kind, named) in types {
            for (name, _) in named.as_object().unwrap_or(&[]) {
                module
                    .resources
                    .insert((kind.value.clone(), name.value.clone()));
            }
        }
    }
    if let Some(vars) = root.get("variable").and_then(Node::as_object) {
        for (name, def) in vars {
            if let Some(d) = def.get("default") {
                module
                    .tfvars
                    .borrow_mut()
                    .entry(name.value.clone())
                    .or_insert_with(|| Rc::new(templates_unknown(d.clone())));
            }
        }
    }
}

fn templates_unknown(node: Node) -> Node {
    let Node { kind, span } = node;
    let kind = match kind {
        NodeKind::String(s) if s.contains("${") => NodeKind::Unresolved { expr: s },
        NodeKind::Array(items) => {
            NodeKind::Array(items.into_iter().map(templates_unknown).collect())
        }
        NodeKind::Object(props) => NodeKind::Object(
            props
                .into_iter()
                .map(|(k, v)| (k, templates_unknown(v)))
                .collect(),
        ),
        other => other,
    };
    Node { kind, span }
}

fn json_resources(root: &Node, unit: &mut Unit) {
    let Some(types) = root.get("resource").and_then(Node::as_object) else {
        return;
    };
    for (kind, named) in types {
        for (name, body) in named.as_object().unwrap_or(&[]) {
            let address = format!("{}.{}", kind.value, name.value);
            let props = templates_unknown(body.clone());
            match kind.value.as_str() {
                TASK_DEFINITION => unit.task_definitions.push(shape::task_definition(
                    address,
                    name.span.clone(),
                    &props,
                )),
                SERVICE => unit
                    .services
                    .push(shape::service(address, name.span.clone(), &props)),
                LOG_GROUP => {
                    unit.log_groups
                        .push(shape::log_group(address, name.span.clone(), &props))
                }
                CLUSTER => unit
                    .clusters
                    .push(shape::cluster(address, name.span.clone(), &props)),
                _ => {}
            }
        }
    }
}
