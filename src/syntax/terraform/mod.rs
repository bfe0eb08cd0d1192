//! Terraform front-end: a root module directory's `.tf` and `.tf.json` files, with every
//! module it calls expanded (once per call and per `count` / `for_each` instance), become one
//! unit whose ECS resources are evaluated statically (see `eval`); plus `terraform show -json`
//! plan files (see `plan`). A directory is parsed once (see `source`) however often it is
//! called.

mod eval;
pub mod hcl_parser;
pub mod hcl_tree;
mod plan;
mod render;
mod source;
mod types;

pub use plan::parse_plan;
pub use source::{ModuleCache, ModuleSource, local_calls};

use super::budget::{Budget, STEP};
use super::node::{Node, NodeKind, format_number, parse_json_file, same_value};
use super::{Ctx, Note, Parsed, shape};
use crate::diagnostic::{Diagnostic, MODULE_NOT_EXPANDED, Severity, parse_error};
use crate::model::{Field, Format, KeyValue, Unit, Value};
use crate::source::{FileId, SourceFile, Span, Spanned};
use eval::{Eval, Scope, span_of};
use hcl_tree::{Block, BlockLabel, Body, Expression, Structure};
use source::ModuleCall;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use types::Type;

const TASK_DEFINITION: &str = "aws_ecs_task_definition";
const SERVICE: &str = "aws_ecs_service";
const LOG_GROUP: &str = "aws_cloudwatch_log_group";
const CLUSTER: &str = "aws_ecs_cluster";
const CLUSTER_CAPACITY_PROVIDERS: &str = "aws_ecs_cluster_capacity_providers";
const TASK_SET: &str = "aws_ecs_task_set";
const CAPACITY_PROVIDER: &str = "aws_ecs_capacity_provider";
const SECURITY_GROUP: &str = "aws_security_group";
const SECURITY_GROUP_RULE: &str = "aws_security_group_rule";
const VPC_INGRESS_RULE: &str = "aws_vpc_security_group_ingress_rule";
const ECR_REPOSITORY: &str = "aws_ecr_repository";
const ECR_LIFECYCLE_POLICY: &str = "aws_ecr_lifecycle_policy";
const ECR_REGISTRY_SCANNING: &str = "aws_ecr_registry_scanning_configuration";
const IAM_ROLE: &str = "aws_iam_role";
const ECR_REPOSITORY_POLICY: &str = "aws_ecr_repository_policy";
const TARGET_GROUPS: [&str; 2] = ["aws_lb_target_group", "aws_alb_target_group"];
const IAM_POLICIES: [&str; 4] = [
    "aws_iam_role_policy",
    "aws_iam_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
];

/// Resource types read into the model, for `.tf`, `.tf.json` and plan JSON alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResourceKind {
    TaskDefinition,
    Service,
    LogGroup,
    Cluster,
    ClusterCapacityProviders,
    TaskSet,
    CapacityProvider,
    SecurityGroup,
    /// `aws_security_group_rule` (ingress or egress, by `type`) and
    /// `aws_vpc_security_group_ingress_rule`.
    SecurityGroupRule,
    EcrRepository,
    EcrLifecyclePolicy,
    EcrRegistryScanning,
    IamRole,
    IamPolicy,
    EcrRepositoryPolicy,
    TargetGroup,
}

pub(crate) fn resource_kind(terraform_type: &str) -> Option<ResourceKind> {
    Some(match terraform_type {
        TASK_DEFINITION => ResourceKind::TaskDefinition,
        SERVICE => ResourceKind::Service,
        LOG_GROUP => ResourceKind::LogGroup,
        CLUSTER => ResourceKind::Cluster,
        CLUSTER_CAPACITY_PROVIDERS => ResourceKind::ClusterCapacityProviders,
        TASK_SET => ResourceKind::TaskSet,
        CAPACITY_PROVIDER => ResourceKind::CapacityProvider,
        SECURITY_GROUP => ResourceKind::SecurityGroup,
        SECURITY_GROUP_RULE | VPC_INGRESS_RULE => ResourceKind::SecurityGroupRule,
        ECR_REPOSITORY => ResourceKind::EcrRepository,
        ECR_LIFECYCLE_POLICY => ResourceKind::EcrLifecyclePolicy,
        ECR_REGISTRY_SCANNING => ResourceKind::EcrRegistryScanning,
        IAM_ROLE => ResourceKind::IamRole,
        ECR_REPOSITORY_POLICY => ResourceKind::EcrRepositoryPolicy,
        t if TARGET_GROUPS.contains(&t) => ResourceKind::TargetGroup,
        t if IAM_POLICIES.contains(&t) => ResourceKind::IamPolicy,
        _ => return None,
    })
}

/// Put one evaluated resource into the unit; task sets are applied once every service is in.
pub(crate) fn add_resource(
    unit: &mut Unit,
    task_sets: &mut Vec<Node>,
    kind: ResourceKind,
    address: String,
    header: Span,
    mut props: Node,
) {
    collect_value_uses(&props, &mut unit.value_uses);
    match kind {
        ResourceKind::TaskDefinition => unit
            .task_definitions
            .push(shape::task_definition(address, header, &props)),
        ResourceKind::Service => unit.services.push(shape::service(address, header, &props)),
        ResourceKind::LogGroup => unit
            .log_groups
            .push(shape::log_group(address, header, &props)),
        ResourceKind::Cluster => unit.clusters.push(shape::cluster(address, header, &props)),
        ResourceKind::ClusterCapacityProviders => {
            rename(&mut props, "cluster_name", "cluster");
            unit.clusters.push(shape::cluster(address, header, &props));
        }
        ResourceKind::TaskSet => {
            unit.task_sets
                .push(shape::task_set(address, header, &props));
            task_sets.push(props);
        }
        ResourceKind::CapacityProvider => unit
            .capacity_providers
            .push(shape::capacity_provider(address, header, &props)),
        ResourceKind::SecurityGroup => unit
            .security_groups
            .push(shape::security_group(address, header, &props)),
        ResourceKind::SecurityGroupRule => unit
            .ingress_rules
            .push(shape::standalone_ingress_rule(address, header, &props)),
        ResourceKind::EcrRepository => unit
            .ecr_repositories
            .push(shape::ecr_repository(address, header, &props)),
        ResourceKind::EcrLifecyclePolicy => {
            let repository = shape::string(props.get("repository"))
                .unwrap_or_else(|| Spanned::new(Value::unresolved("no repository"), header));
            unit.ecr_lifecycle_policies.push(repository);
        }
        ResourceKind::EcrRegistryScanning => unit.ecr_registry_scanning.push(header),
        ResourceKind::IamRole => unit
            .iam_roles
            .push(shape::iam_role(address, header, &props)),
        ResourceKind::IamPolicy => unit
            .iam_policies
            .push(shape::iam_policy(address, header, &props)),
        ResourceKind::EcrRepositoryPolicy => unit
            .ecr_repository_policies
            .push(shape::policy_document(props.get("policy"))),
        ResourceKind::TargetGroup => unit
            .target_groups
            .push(shape::target_group(address, header, &props)),
    }
}

fn collect_value_uses(node: &Node, out: &mut Vec<crate::model::ValueUse>) {
    if let Some(used) = &node.via {
        out.push(crate::model::ValueUse {
            value: node.span,
            used: (**used),
        });
    }
    match &node.kind {
        NodeKind::Array(items) => items.iter().for_each(|i| collect_value_uses(i, out)),
        NodeKind::Object(props) => props.iter().for_each(|(_, v)| collect_value_uses(v, out)),
        _ => {}
    }
}

/// How deep module calls may nest before expansion stops (Terraform has no limit; real
/// repositories use two or three levels).
const MAX_MODULE_DEPTH: usize = 16;

/// State shared by every module instance of one unit.
struct UnitState {
    budget: Budget,
    notes: RefCell<Vec<Note>>,
    diagnostics: RefCell<Vec<Diagnostic>>,
    /// `.terraform/modules/modules.json` of the root: module key → directory.
    installed: Option<HashMap<String, PathBuf>>,
    installed_file: Option<PathBuf>,
    calls: Cell<usize>,
    calls_expanded: Cell<usize>,
    instances: RefCell<Vec<crate::model::ModuleInstance>>,
    /// Modules this unit parsed first (their syntax errors are reported with it), and every
    /// module directory it used (canonical), to release once the unit is done.
    first_parses: RefCell<Vec<Arc<ModuleSource>>>,
    used: RefCell<Vec<PathBuf>>,
    /// Errors Terraform would stop at (see `Eval::error`).
    errors: Cell<u64>,
}

/// One instance of a module: the root, or one call (one `count` / `for_each` element) of a
/// child. Everything its expressions may refer to.
pub struct Module<'a> {
    pub ctx: &'a Ctx<'a>,
    pub dir: PathBuf,
    src: Arc<ModuleSource>,
    /// The root's tfvars / `--var-file` values, or the caller's arguments.
    inputs: HashMap<String, Rc<Node>>,
    /// Address prefix of this instance's resources: "" or `module.api["x"].`.
    prefix: String,
    /// Key of this module in `modules.json`: "" for the root, `api.inner` below.
    key: String,
    depth: usize,
    /// Directories of the instances that led here (a module that calls itself is a cycle).
    ancestors: Vec<PathBuf>,
    /// Values of `var.*`, `local.*` and `output.*` (by [`Named`]), each evaluated once.
    cache: [RefCell<HashMap<String, Option<Rc<Node>>>>; 5],
    /// What is being evaluated (a cycle is unknown, not a hang), module calls included.
    in_progress: [RefCell<HashSet<String>>; 5],
    children: RefCell<HashMap<String, Rc<Expansion<'a>>>>,
    state: Rc<UnitState>,
}

/// What a module instance evaluates once per name.
#[derive(Clone, Copy)]
enum Named {
    Variable = 0,
    Local = 1,
    Output = 2,
    Module = 3,
    PolicyDocument = 4,
}

/// A module call as expanded: its instances (with their `count` / `for_each` key), or why not.
enum Expansion<'a> {
    Instances {
        keyed: bool,
        instances: Vec<(Option<Node>, Rc<Module<'a>>)>,
    },
    NotExpanded,
}

impl<'a> Module<'a> {
    pub fn budget(&self) -> &Budget {
        &self.state.budget
    }

    /// `var.NAME`: the caller's argument or tfvars, else the default, else unknown (`None`).
    /// `var.NAME`: the caller's argument or tfvars, else the default, else unknown (`None`);
    /// converted to the variable's type as Terraform does (see `types`).
    pub fn variable(&self, name: &str, depth: usize) -> Option<Rc<Node>> {
        self.variable_from(name, depth).map(|(value, _)| value)
    }

    /// `var.NAME`, and whether its value came from outside the module (the caller's argument or
    /// a tfvars file) rather than from the declaration's default.
    pub fn variable_from(&self, name: &str, depth: usize) -> Option<(Rc<Node>, bool)> {
        let declared = self.src.variables.get(name)?;
        let ev = Eval {
            module: self,
            file: declared.file,
        };
        let input = self.inputs.get(name).filter(|v| {
            declared.nullable || declared.default.is_none() || !matches!(v.kind, NodeKind::Null)
        });
        if let Some(v) = input {
            if matches!(declared.ty, Type::Any) || v.is_unknown() {
                return Some((v.clone(), true)).filter(|(v, _)| !v.is_opaque());
            }
            return self
                .cached(Named::Variable, name, || {
                    types::convert(&ev, (**v).clone(), &declared.ty)
                })
                .map(|v| (v, true));
        }
        let default = match &declared.default {
            Some(expr) => self.cached(Named::Variable, name, || {
                let value = ev.eval(expr, &Scope::default(), depth + 1);
                types::convert(&ev, value, &declared.ty)
            }),
            None => self.src.json_defaults.get(name).cloned().map(Rc::new),
        };
        default.map(|v| (v, false))
    }

    /// `local.NAME`, evaluated once; a cycle is unknown, not a hang.
    pub fn local(&self, name: &str, depth: usize) -> Option<Rc<Node>> {
        let (file, expr) = self.src.locals.get(name)?;
        self.cached(Named::Local, name, || {
            Eval {
                module: self,
                file: *file,
            }
            .eval(expr, &Scope::default(), depth + 1)
        })
    }

    /// `module.CALL[KEY].OUTPUT`: the output of one instance of a child module.
    pub fn module_output(
        &self,
        call: &str,
        key: Option<&Node>,
        output: &str,
        depth: usize,
    ) -> Option<Rc<Node>> {
        let expansion = self.expand(call)?;
        let Expansion::Instances { keyed, instances } = &*expansion else {
            return None;
        };
        let child = match (keyed, key) {
            (false, None) => &instances.first()?.1,
            (true, Some(k)) => {
                &instances
                    .iter()
                    .find(|(ik, _)| ik.as_ref().is_some_and(|ik| same_value(ik, k)))?
                    .1
            }
            _ => return None,
        };
        child.output(output, depth)
    }

    /// `module.CALL` or `module.CALL[KEY]` as a value: an object of the instance's outputs;
    /// for a call with `for_each` a map of them by key, with `count` a list.
    pub fn module_value(&self, call: &str, key: Option<&Node>, depth: usize) -> Option<Node> {
        let expansion = self.expand(call)?;
        let Expansion::Instances { keyed, instances } = &*expansion else {
            return None;
        };
        let span = self
            .call(call)
            .map(|c| header_span(c.file, &c.block))
            .unwrap_or_else(|| Span::new(FileId(0), 0..0));
        match (keyed, key) {
            (false, None) => instances.first()?.1.outputs(&span, depth),
            (true, Some(k)) => instances
                .iter()
                .find(|(ik, _)| ik.as_ref().is_some_and(|ik| same_value(ik, k)))?
                .1
                .outputs(&span, depth),
            (true, None) => {
                // Unknown instance keys (an unknown `for_each`) make the collection unknown.
                if instances.iter().any(|(k, _)| k.is_none()) {
                    return None;
                }
                let by_count = self
                    .call(call)
                    .is_some_and(|c| c.attribute("count").is_some());
                let mut items = Vec::with_capacity(instances.len());
                for (k, child) in instances {
                    let k = k.as_ref()?;
                    items.push((k.clone(), child.outputs(&span, depth)?));
                }
                Some(if by_count {
                    Node::new(
                        NodeKind::Array(items.into_iter().map(|(_, v)| v).collect()),
                        span,
                    )
                } else {
                    Node::new(
                        NodeKind::Object(
                            items
                                .into_iter()
                                .map(|(k, v)| {
                                    (Spanned::new(k.scalar_text().unwrap_or_default(), k.span), v)
                                })
                                .collect(),
                        ),
                        span,
                    )
                })
            }
            (false, Some(_)) => None,
        }
    }

    /// Every output of this instance as one object (unknown outputs stay in it, unknown).
    fn outputs(&self, span: &Span, depth: usize) -> Option<Node> {
        let mut names: Vec<&String> = self.src.outputs.keys().collect();
        names.sort();
        let mut props = Vec::with_capacity(names.len());
        for name in names {
            let (file, expr) = &self.src.outputs[name];
            let value = match self.output(name, depth) {
                Some(v) => (*v).clone(),
                None => Node::unresolved(format!("output.{name}"), span_of(*file, expr.span())),
            };
            props.push((Spanned::new(name.clone(), *span), value));
        }
        Some(Node::new(NodeKind::Object(props), *span))
    }

    fn output(&self, name: &str, depth: usize) -> Option<Rc<Node>> {
        let (file, expr) = self.src.outputs.get(name)?;
        self.cached(Named::Output, name, || {
            Eval {
                module: self,
                file: *file,
            }
            .eval(expr, &Scope::default(), depth + 1)
        })
    }

    fn cached(&self, kind: Named, name: &str, compute: impl FnOnce() -> Node) -> Option<Rc<Node>> {
        if let Some(v) = self.cache[kind as usize].borrow().get(name) {
            return v.clone();
        }
        if !self.in_progress[kind as usize]
            .borrow_mut()
            .insert(name.to_owned())
        {
            return None;
        }
        let value = Some(compute()).filter(|n| !n.is_opaque()).map(Rc::new);
        self.in_progress[kind as usize].borrow_mut().remove(name);
        self.cache[kind as usize]
            .borrow_mut()
            .insert(name.to_owned(), value.clone());
        value
    }

    /// `data.aws_iam_policy_document.NAME.json`: the document the data source renders, as an
    /// IAM policy object whose parts keep the spans of the blocks that wrote them. Unknown with
    /// `source_policy_documents` / `override_policy_documents` (merged by the provider).
    pub fn policy_document(&self, name: &str) -> Option<Rc<Node>> {
        let (file, block) = self.src.policy_documents.get(name)?;
        self.cached(Named::PolicyDocument, name, || {
            let ev = Eval {
                module: self,
                file: *file,
            };
            let span = span_of(*file, block.span());
            let merged = [
                "source_policy_documents",
                "override_policy_documents",
                "source_json",
                "override_json",
            ];
            if attributes(&block.body).any(|(k, _)| merged.contains(&k)) {
                return Node::unresolved(format!("data.aws_iam_policy_document.{name}.json"), span);
            }
            let mut diagnostics = Vec::new();
            let data = block_node(&ev, block, &[], &Scope::default(), &mut diagnostics);
            self.state.diagnostics.borrow_mut().extend(diagnostics);
            iam_policy_from_data(&data, span)
        })
    }

    pub fn has_resource(&self, kind: &str, name: &str) -> bool {
        self.src
            .resources
            .contains(&(kind.to_owned(), name.to_owned()))
    }

    /// The address of a resource of this instance (`module.api.aws_ecs_service.this`).
    pub fn address(&self, kind: &str, name: &str) -> String {
        format!("{}{kind}.{name}", self.prefix)
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
                self.state.notes.borrow_mut().push(Note {
                    path: full,
                    message: format!("{e} (named by file()/templatefile())"),
                });
                None
            }
        }
    }

    fn call(&self, name: &str) -> Option<&ModuleCall> {
        self.src.calls.iter().find(|c| c.name == name)
    }

    /// Expand `module "name"` once per instance; `None` while it is being expanded (a module
    /// whose arguments read its own outputs).
    fn expand(&self, name: &str) -> Option<Rc<Expansion<'a>>> {
        if let Some(e) = self.children.borrow().get(name) {
            return Some(e.clone());
        }
        let call = self.call(name)?;
        let expanding = &self.in_progress[Named::Module as usize];
        if !expanding.borrow_mut().insert(name.to_owned()) {
            return None;
        }
        let expansion = Rc::new(self.expand_call(call));
        expanding.borrow_mut().remove(name);
        self.children
            .borrow_mut()
            .insert(name.to_owned(), expansion.clone());
        Some(expansion)
    }

    fn not_expanded(&self, call: &ModuleCall, why: String, help: &str) -> Expansion<'a> {
        let at = call
            .attribute("source")
            .map(|e| span_of(call.file, e.span()))
            .unwrap_or_else(|| header_span(call.file, &call.block));
        self.state.diagnostics.borrow_mut().push(
            Diagnostic::new(
                MODULE_NOT_EXPANDED,
                Severity::Info,
                at,
                format!(
                    "module `{}{}` not expanded: {why}; what it declares is not checked",
                    self.prefix, call.name
                ),
            )
            .with_help(help.to_owned()),
        );
        Expansion::NotExpanded
    }

    /// Where a call's module lives: a local path next to the caller, or where `terraform init`
    /// installed it (`modules.json`, which also lists local modules of installed ones).
    /// The directory canonical (to key, compare and check against the scan roots) and as
    /// written from the caller (to read and show, like the rest of the scan's paths).
    fn module_dir(&self, call: &ModuleCall) -> Result<(PathBuf, PathBuf), (String, &'static str)> {
        const INIT: &str = "run `terraform init` before ecslint (it installs modules under \
                            .terraform/modules), or scan the plan: `terraform show -json`";
        let Some(source) = call.source() else {
            return Err((
                "its source is not a literal string".into(),
                "Terraform requires a literal `source`",
            ));
        };
        let key = if self.key.is_empty() {
            call.name.clone()
        } else {
            format!("{}.{}", self.key, call.name)
        };
        // A local source resolves next to the caller, whether the caller is scanned code or a
        // module `terraform init` installed (which calls its own submodules that way).
        let dir = if ModuleCall::is_local(source) {
            self.dir.join(source)
        } else if let Some(dir) = self.state.installed.as_ref().and_then(|m| m.get(&key)) {
            dir.clone()
        } else {
            let why = match &self.state.installed_file {
                Some(f) => format!(
                    "`{source}` is not installed ({} has no entry `{key}`)",
                    f.display()
                ),
                None => format!("`{source}` is not installed (no .terraform/modules/modules.json)"),
            };
            return Err((why, INIT));
        };
        let canonical = crate::source::canonicalize(&dir)
            .map_err(|e| (format!("{} cannot be read: {e}", dir.display()), INIT))?;
        if !self.ctx.roots.iter().any(|r| canonical.starts_with(r)) {
            return Err((
                format!("{} is outside the scan roots (never read)", dir.display()),
                "scan a directory that contains both the caller and the module",
            ));
        }
        Ok((canonical, crate::source::identity(&dir)))
    }

    fn expand_call(&self, call: &ModuleCall) -> Expansion<'a> {
        let state = &self.state;
        state.calls.set(state.calls.get() + 1);
        let (dir, shown) = match self.module_dir(call) {
            Ok(d) => d,
            Err((why, help)) => return self.not_expanded(call, why, help),
        };
        if self.depth + 1 > MAX_MODULE_DEPTH {
            return self.not_expanded(
                call,
                format!("modules nest deeper than {MAX_MODULE_DEPTH} levels"),
                "scan the plan JSON (`terraform show -json`) for a module tree this deep",
            );
        }
        if self.ancestors.contains(&dir) {
            return self.not_expanded(
                call,
                "the modules call each other in a cycle".into(),
                "Terraform rejects module cycles; remove the call that closes the loop",
            );
        }
        let (src, first) = self
            .ctx
            .terraform_modules
            .get_or_parse(self.ctx, &dir, &shown);
        if first {
            state.first_parses.borrow_mut().push(src.clone());
        }
        state.used.borrow_mut().push(dir.clone());
        let ev = Eval {
            module: self,
            file: call.file,
        };
        let scope = Scope::default();
        let instances = instances_of(
            &ev,
            &call.block,
            &scope,
            &mut state.diagnostics.borrow_mut(),
        )
        .unwrap_or_default();
        let keyed = call.attribute("count").is_some() || call.attribute("for_each").is_some();
        let mut out = Vec::new();
        for (key, scope) in instances {
            let mut inputs = HashMap::new();
            for (k, e) in attributes(&call.block.body) {
                if matches!(
                    k,
                    "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                ) {
                    continue;
                }
                inputs.insert(k.to_owned(), Rc::new(ev.eval(e, &scope, 0)));
            }
            let suffix = key.as_ref().map(instance_suffix).unwrap_or_default();
            let mut ancestors = self.ancestors.clone();
            ancestors.push(dir.clone());
            let child = Module {
                ctx: self.ctx,
                dir: src.dir.clone(),
                src: src.clone(),
                inputs,
                prefix: format!("{}module.{}{suffix}.", self.prefix, call.name),
                key: if self.key.is_empty() {
                    call.name.clone()
                } else {
                    format!("{}.{}", self.key, call.name)
                },
                depth: self.depth + 1,
                ancestors,
                cache: Default::default(),
                in_progress: Default::default(),
                children: RefCell::default(),
                state: state.clone(),
            };
            state
                .instances
                .borrow_mut()
                .push(crate::model::ModuleInstance {
                    dir: child.dir.clone(),
                    address: child.prefix.trim_end_matches('.').to_owned(),
                    call: header_span(call.file, &call.block),
                });
            out.push((key, Rc::new(child)));
        }
        state.calls_expanded.set(state.calls_expanded.get() + 1);
        Expansion::Instances {
            keyed,
            instances: out,
        }
    }

    /// A `.tf.json` value with its `${...}` strings evaluated as Terraform templates (what
    /// CDK for Terraform writes): `"${aws_ecs_task_definition.web.arn}"` is the same reference
    /// as in a `.tf` file. Every part of the result keeps the span of its JSON string.
    fn json_value(&self, node: &Node, scope: &Scope, depth: usize) -> Node {
        let Node { kind, span, .. } = node;
        let kind = match kind {
            NodeKind::String(text) if text.contains("${") && depth < 32 => {
                return self.json_template(text, span, scope);
            }
            NodeKind::Array(items) => NodeKind::Array(
                items
                    .iter()
                    .map(|i| self.json_value(i, scope, depth + 1))
                    .collect(),
            ),
            NodeKind::Object(props) => NodeKind::Object(
                props
                    .iter()
                    .map(|(k, v)| (k.clone(), self.json_value(v, scope, depth + 1)))
                    .collect(),
            ),
            other => other.clone(),
        };
        Node::new(kind, *span)
    }

    fn json_template(&self, text: &str, span: &Span, scope: &Scope) -> Node {
        let Ok(template) = hcl_tree::parse_template(text) else {
            return Node::unresolved(text, *span);
        };
        // The template's own text, so that unknown parts are named as written.
        let home = self.ctx.db.get(span.file);
        let virtual_file = self.ctx.db.add(
            PathBuf::from(format!("{}#{}", home.path.display(), span.range.start)),
            text.to_owned(),
        );
        let ev = Eval {
            module: self,
            file: virtual_file.id,
        };
        let value = match template.iter().collect::<Vec<_>>().as_slice() {
            // `"${expr}"` alone is the expression's value, not its text.
            [hcl_tree::Element::Interpolation(i)] => ev.eval(&i.expr, scope, 0),
            _ => match ev.template_parts(&template, scope, 0) {
                Some(parts) => Node::partial(parts, *span),
                None => Node::unresolved(text, *span),
            },
        };
        with_span(value, span)
    }

    /// The `default_tags` of each `provider.aws` configuration of a `.tf.json` file (CDK for
    /// Terraform writes them there), as [`provider_default_tags`] reads HCL blocks.
    fn json_provider_default_tags(&self, root: &Node) -> Vec<Field<Vec<KeyValue>>> {
        let Some(aws) = root.get("provider").and_then(|p| p.get("aws")) else {
            return Vec::new();
        };
        let configs: Vec<&Node> = match &aws.kind {
            NodeKind::Array(items) => items.iter().collect(),
            _ => vec![aws],
        };
        configs
            .into_iter()
            .map(|config| {
                let default_tags = config.get("default_tags")?;
                let block = match &default_tags.kind {
                    NodeKind::Array(blocks) => blocks.first()?,
                    _ => default_tags,
                };
                let tags = block.get("tags")?;
                shape::tags(Some(&self.json_value(tags, &Scope::default(), 0)))
            })
            .collect()
    }

    /// Every resource of this instance and of the modules it calls, into `unit`.
    fn collect(&self, unit: &mut Unit, task_sets: &mut Vec<Node>) {
        let src = self.src.clone();
        let mut providers: Vec<Field<Vec<KeyValue>>> = Vec::new();
        for (file, body) in &src.bodies {
            let ev = Eval {
                module: self,
                file: *file,
            };
            for s in body.iter() {
                let Structure::Block(b) = s else { continue };
                let ls = labels(b);
                match (b.ident.value().as_str(), ls.as_slice()) {
                    ("provider", [p]) if p == "aws" && self.depth == 0 => {
                        if unit.region.is_none()
                            && let Some((_, e)) = attributes(&b.body).find(|(k, _)| *k == "region")
                        {
                            unit.region = shape::string(Some(&ev.eval(e, &Scope::default(), 0)));
                        }
                        providers.push(provider_default_tags(&ev, b));
                    }
                    ("resource", [kind, name]) => {
                        let Some(rk) = resource_kind(kind) else {
                            continue;
                        };
                        let header = header_span(*file, b);
                        let instances = instances_of(
                            &ev,
                            b,
                            &Scope::default(),
                            &mut self.state.diagnostics.borrow_mut(),
                        )
                        .unwrap_or_default();
                        for (key, scope) in instances {
                            let address = format!(
                                "{}{}",
                                self.address(kind, name),
                                key.as_ref().map(instance_suffix).unwrap_or_default()
                            );
                            let mut diagnostics = Vec::new();
                            let props =
                                block_node(&ev, b, json_attributes(rk), &scope, &mut diagnostics);
                            self.state.diagnostics.borrow_mut().extend(diagnostics);
                            add_resource(unit, task_sets, rk, address, header, props);
                        }
                    }
                    ("module", [name]) => {
                        if let Some(expansion) = self.expand(name)
                            && let Expansion::Instances { instances, .. } = &*expansion
                        {
                            for (_, child) in instances {
                                child.collect(unit, task_sets);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        for root in &src.json_roots {
            json_resources(self, root, unit, task_sets);
            if self.depth == 0 {
                providers.extend(self.json_provider_default_tags(root));
            }
        }
        if self.depth == 0 {
            unit.default_tags = combined_default_tags(providers);
        }
    }
}

/// The `default_tags { tags = ... }` of a `provider "aws"` block: `None` without them.
fn provider_default_tags(ev: &Eval, b: &Block) -> Field<Vec<KeyValue>> {
    let mut diagnostics = Vec::new();
    let props = block_node(ev, b, &[], &Scope::default(), &mut diagnostics);
    let default_tags = props.get("default_tags")?;
    match &default_tags.kind {
        NodeKind::Array(blocks) => shape::tags(blocks.first()?.get("tags")),
        NodeKind::Object(_) => shape::tags(default_tags.get("tags")),
        _ => Some(Spanned::new(
            Value::unresolved(default_tags.describe()),
            default_tags.span,
        )),
    }
}

/// The default tags every resource of the root gets, from its `provider "aws"` blocks: known
/// only when every block agrees (all with known tags, or none with any); unknown without a
/// provider block (a module, or a provider generated elsewhere, e.g. by Terragrunt).
fn combined_default_tags(providers: Vec<Field<Vec<KeyValue>>>) -> Field<Vec<KeyValue>> {
    let unknown = |why: &str| {
        Some(Spanned::new(
            Value::unresolved(why),
            Span::new(FileId(0), 0..0),
        ))
    };
    if providers.is_empty() {
        return unknown("no provider \"aws\" block in the root module");
    }
    let tagged = |f: &Field<Vec<KeyValue>>| match f.as_ref().map(|f| &f.value) {
        None => Some(false),
        Some(Value::Known(tags)) => Some(!tags.is_empty()),
        Some(_) => None,
    };
    let states: Vec<Option<bool>> = providers.iter().map(tagged).collect();
    if states.iter().all(|s| *s == Some(false)) {
        None
    } else if states.iter().all(|s| *s == Some(true)) {
        providers.into_iter().next().flatten()
    } else {
        unknown("provider default_tags that cannot be known")
    }
}

/// `[0]` or `["key"]`: how Terraform writes an instance key in an address.
fn instance_suffix(key: &Node) -> String {
    match &key.kind {
        NodeKind::Number(n) => format!("[{}]", format_number(*n)),
        _ => format!(
            "[{}]",
            serde_json::to_string(&key.scalar_text().unwrap_or_default()).unwrap_or_default()
        ),
    }
}

/// The instances a block with `count` or `for_each` stands for, each with the scope that binds
/// `count.index` or `each.key` / `each.value`. No meta-argument: one instance, no key. An
/// unknown collection: one instance with nothing bound (what depends on it is unknown). `None`
/// for an invalid one (reported).
fn instances_of(
    ev: &Eval,
    b: &Block,
    outer: &Scope,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<(Option<Node>, Scope)>> {
    let attr = |key: &str| {
        attributes(&b.body)
            .find(|(k, _)| *k == key)
            .map(|(_, e)| (ev.eval(e, outer, 0), ev.span(e)))
    };
    instances_from(ev, attr("count"), attr("for_each"), outer, diagnostics)
}

/// [`instances_of`] from the evaluated `count` and `for_each` (each with the span of its
/// expression), for `.tf` blocks and `.tf.json` objects alike.
fn instances_from(
    ev: &Eval,
    count: Option<(Node, Span)>,
    for_each: Option<(Node, Span)>,
    outer: &Scope,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<(Option<Node>, Scope)>> {
    if let Some((value, count)) = count {
        let n = match &value.kind {
            NodeKind::Number(n) => *n,
            NodeKind::Bool(_) | NodeKind::String(_) => {
                match super::node::Node::scalar_text(&value).and_then(|t| t.parse::<f64>().ok()) {
                    Some(n) => n,
                    None => {
                        diagnostics.push(parse_error(
                            count,
                            format!("invalid count: {} is not a number", value.describe()),
                        ));
                        return None;
                    }
                }
            }
            _ if value.is_unknown() => return Some(vec![(None, outer.clone())]),
            _ => {
                diagnostics.push(parse_error(count, "invalid count: not a number".to_owned()));
                return None;
            }
        };
        if n < 0.0 || n.fract() != 0.0 {
            diagnostics.push(parse_error(
                count,
                format!(
                    "invalid count: {} (Terraform needs a whole number, 0 or more)",
                    format_number(n)
                ),
            ));
            return None;
        }
        let mut out = Vec::new();
        for i in 0..n as u64 {
            if !ev.spend_at(STEP, &count) {
                return Some(vec![(None, outer.clone())]);
            }
            let index = Node::new(NodeKind::Number(i as f64), value.span);
            let mut scope = outer.clone();
            scope.bind(
                "count",
                Node::new(
                    NodeKind::Object(vec![(
                        Spanned::new("index".to_owned(), value.span),
                        index.clone(),
                    )]),
                    value.span,
                ),
            );
            out.push((Some(index), scope));
        }
        return Some(out);
    }
    if let Some((value, for_each)) = for_each {
        let entries: Vec<(Node, Node)> = match &value.kind {
            NodeKind::Object(_) => value.clone().into_entries().unwrap_or_default(),
            // A set of strings: key and value are the element.
            NodeKind::Array(items) => {
                if items.iter().any(Node::is_unknown) {
                    return Some(vec![(None, outer.clone())]);
                }
                items.iter().map(|i| (i.clone(), i.clone())).collect()
            }
            _ if value.is_unknown() => return Some(vec![(None, outer.clone())]),
            _ => {
                diagnostics.push(parse_error(
                    for_each,
                    format!(
                        "invalid for_each: {} is not a map or a set",
                        value.describe()
                    ),
                ));
                return None;
            }
        };
        let mut out = Vec::new();
        for (k, v) in entries {
            if !ev.spend_at(STEP, &for_each) {
                return Some(vec![(None, outer.clone())]);
            }
            let key = match k.scalar_text() {
                Some(t) => Node::new(NodeKind::String(t), k.span),
                None => return Some(vec![(None, outer.clone())]),
            };
            let mut scope = outer.clone();
            scope.bind(
                "each",
                Node::new(
                    NodeKind::Object(vec![
                        (Spanned::new("key".to_owned(), k.span), key.clone()),
                        (Spanned::new("value".to_owned(), v.span), v),
                    ]),
                    value.span,
                ),
            );
            out.push((Some(key), scope));
        }
        return Some(out);
    }
    Some(vec![(None, outer.clone())])
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

/// A module directory on its own: parsed, then evaluated as a root module (a file named on the
/// command line, the rule tests).
pub fn parse_module(ctx: &Ctx, dir: &Path, paths: &[PathBuf]) -> Parsed {
    let src = Arc::new(ModuleSource::parse(ctx, dir, paths, true));
    let mut out = source_findings(&src);
    out.extend(evaluate_root(ctx, src));
    out
}

/// What parsing a module directory found by itself: its files, syntax errors and notes
/// (reported once, however many callers it has).
pub fn source_findings(src: &ModuleSource) -> Parsed {
    Parsed {
        files: src.files.clone(),
        diagnostics: src.diagnostics.clone(),
        notes: src.notes.clone(),
        ..Parsed::default()
    }
}

/// Evaluate the root module in `dir` (canonical): parsed now unless another unit already did,
/// and released with the modules it used once done. `reach` is every directory the plan
/// expected it to use (see `ModuleCache::plan`).
pub fn evaluate_root_dir(ctx: &Ctx, dir: &Path, reach: &[PathBuf]) -> Parsed {
    let cache = ctx.terraform_modules;
    let (src, first) = cache.get_or_parse(ctx, dir, dir);
    let mut out = if first {
        source_findings(&src)
    } else {
        Parsed::default()
    };
    let (parsed, used) = evaluate(ctx, src);
    out.extend(parsed);
    let mut done: Vec<PathBuf> = reach.to_vec();
    done.push(dir.to_path_buf());
    done.extend(used);
    done.sort();
    done.dedup();
    for d in done {
        cache.release(&d);
    }
    out
}

/// Evaluate a root module: its variables from tfvars and `--var-file`, its module calls
/// expanded, its resources (and its modules') into one unit.
pub fn evaluate_root(ctx: &Ctx, src: Arc<ModuleSource>) -> Parsed {
    evaluate(ctx, src).0
}

fn evaluate(ctx: &Ctx, src: Arc<ModuleSource>) -> (Parsed, Vec<PathBuf>) {
    let mut out = Parsed::default();
    let (module, state) = root_module(ctx, src.clone(), &mut out);
    let mut unit = Unit::new(src.dir.clone(), Format::Terraform);
    let mut task_sets = Vec::new();
    module.collect(&mut unit, &mut task_sets);
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
    drop(module);
    out.notes.extend(state.notes.take());
    out.diagnostics.extend(state.diagnostics.take());
    out.diagnostics.extend(state.budget.diagnostic());
    unit.eval_units = state.budget.spent();
    unit.module_calls = state.calls.get();
    unit.module_calls_expanded = state.calls_expanded.get();
    unit.module_instances = state.instances.take();
    for child in state.first_parses.take() {
        out.extend(source_findings(&child));
    }
    if !(unit.task_definitions.is_empty()
        && unit.services.is_empty()
        && unit.log_groups.is_empty()
        && unit.clusters.is_empty()
        && unit.task_sets.is_empty()
        && unit.capacity_providers.is_empty()
        && unit.ecr_repositories.is_empty()
        && unit.region.is_none()
        && unit.module_calls == 0)
    {
        out.units.push(unit);
    }
    let used = state.used.take();
    (out, used)
}

/// The root instance of a module: variables from tfvars and `--var-file`, modules installed
/// by `terraform init` known.
fn root_module<'a>(
    ctx: &'a Ctx<'a>,
    src: Arc<ModuleSource>,
    out: &mut Parsed,
) -> (Module<'a>, Rc<UnitState>) {
    let listed = RootListing::read(&src.dir);
    let (installed, installed_file) = if listed.as_ref().is_none_or(|l| l.dot_terraform) {
        installed_modules(ctx, &src.dir, out)
    } else {
        (None, None)
    };
    let state = Rc::new(UnitState {
        budget: Budget::new(ctx.eval_budget),
        notes: RefCell::default(),
        diagnostics: RefCell::default(),
        installed,
        installed_file,
        calls: Cell::new(0),
        calls_expanded: Cell::new(0),
        instances: RefCell::default(),
        first_parses: RefCell::default(),
        used: RefCell::default(),
        errors: Cell::new(0),
    });
    let canonical = crate::source::absolute(&src.dir);
    let mut module = Module {
        ctx,
        dir: src.dir.clone(),
        src,
        inputs: HashMap::new(),
        prefix: String::new(),
        key: String::new(),
        depth: 0,
        ancestors: vec![canonical],
        cache: Default::default(),
        in_progress: Default::default(),
        children: RefCell::default(),
        state: state.clone(),
    };
    module.inputs = load_tfvars(&module, listed, out);
    (module, state)
}

/// `.terraform/modules/modules.json` of a root module, as `terraform init` writes it: module key
/// (`api`, `api.inner`) → installed directory (relative to the root).
fn installed_modules(
    ctx: &Ctx,
    root: &Path,
    out: &mut Parsed,
) -> (Option<HashMap<String, PathBuf>>, Option<PathBuf>) {
    let path = root.join(".terraform").join("modules").join("modules.json");
    if !path.is_file() {
        return (None, None);
    }
    let file = match ctx.load(&path) {
        Ok(f) => f,
        Err(e) => {
            out.notes.push(Note {
                path: path.clone(),
                message: e.to_string(),
            });
            return (None, Some(path));
        }
    };
    let node = match parse_json_file(&file) {
        Ok(Some(n)) => n,
        Ok(None) => return (None, Some(path)),
        Err(d) => {
            out.diagnostics.push(*d);
            return (None, Some(path));
        }
    };
    let mut map = HashMap::new();
    for m in node.get("Modules").and_then(Node::as_array).unwrap_or(&[]) {
        let (Some(key), Some(dir)) = (
            m.get("Key").and_then(Node::as_str),
            m.get("Dir").and_then(Node::as_str),
        ) else {
            continue;
        };
        if key.is_empty() {
            continue;
        }
        map.insert(key.to_owned(), root.join(dir));
    }
    (Some(map), Some(path))
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
/// of one type as a list), `dynamic` blocks expanded when their `for_each` is known.
fn block_node(
    ev: &Eval,
    b: &Block,
    json: &[&str],
    scope: &Scope,
    diagnostics: &mut Vec<Diagnostic>,
) -> Node {
    body_node(
        ev,
        &b.body,
        span_of(ev.file, b.span()),
        json,
        scope,
        diagnostics,
        0,
    )
}

/// The IAM policy an `aws_iam_policy_document` data source renders, from its evaluated block:
/// `statement` blocks become `Statement` entries (`effect` defaults to Allow), `principals` /
/// `not_principals` blocks merge into `Principal` / `NotPrincipal` by type, `condition` blocks
/// into `Condition` by test and variable.
fn iam_policy_from_data(data: &Node, span: Span) -> Node {
    let key = |k: &str, at: &Span| Spanned::new(k.to_owned(), *at);
    let blocks = |n: &Node, name: &str| -> Vec<Node> {
        match n.get(name) {
            Some(Node {
                kind: NodeKind::Array(items),
                ..
            }) => items.clone(),
            Some(block) => vec![block.clone()],
            None => Vec::new(),
        }
    };
    let mut statements = Vec::new();
    for st in blocks(data, "statement") {
        if st.is_unknown() {
            statements.push(st);
            continue;
        }
        let mut out: Vec<(Spanned<String>, Node)> = Vec::new();
        for (from, to) in [
            ("sid", "Sid"),
            ("effect", "Effect"),
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ] {
            if let Some((k, v)) = st.get_entry(from) {
                out.push((key(to, &k.span), v.clone()));
            }
        }
        if st.get("effect").is_none() {
            out.push((
                key("Effect", &st.span),
                Node::new(NodeKind::String("Allow".into()), st.span),
            ));
        }
        for (from, to) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            let list = blocks(&st, from);
            if list.is_empty() {
                continue;
            }
            let at = list[0].span;
            let mut by_type: Vec<(Spanned<String>, Node)> = Vec::new();
            let mut opaque = None;
            for p in &list {
                let (Some(ty), Some(ids)) =
                    (p.get("type").and_then(Node::as_str), p.get("identifiers"))
                else {
                    opaque = Some(p.span);
                    continue;
                };
                let ids: Vec<Node> = match &ids.kind {
                    NodeKind::Array(items) => items.clone(),
                    _ => vec![ids.clone()],
                };
                match by_type.iter_mut().find(|(k, _)| k.value == ty) {
                    Some((
                        _,
                        Node {
                            kind: NodeKind::Array(items),
                            ..
                        },
                    )) => items.extend(ids),
                    _ => by_type.push((key(ty, &p.span), Node::new(NodeKind::Array(ids), p.span))),
                }
            }
            let value = match opaque {
                Some(at) => Node::unresolved(from, at),
                None => Node::new(NodeKind::Object(by_type), at),
            };
            out.push((key(to, &at), value));
        }
        let conditions = blocks(&st, "condition");
        if !conditions.is_empty() {
            let at = conditions[0].span;
            let mut by_test: Vec<(Spanned<String>, Node)> = Vec::new();
            let mut opaque = None;
            for c in &conditions {
                let (Some(test), Some(variable), Some(values)) = (
                    c.get("test").and_then(Node::as_str),
                    c.get("variable").and_then(Node::as_str),
                    c.get("values"),
                ) else {
                    opaque = Some(c.span);
                    continue;
                };
                let entry = (key(variable, &c.span), values.clone());
                match by_test.iter_mut().find(|(k, _)| k.value == test) {
                    Some((
                        _,
                        Node {
                            kind: NodeKind::Object(vars),
                            ..
                        },
                    )) => vars.push(entry),
                    _ => by_test.push((
                        key(test, &c.span),
                        Node::new(NodeKind::Object(vec![entry]), c.span),
                    )),
                }
            }
            let value = match opaque {
                Some(at) => Node::unresolved("condition", at),
                None => Node::new(NodeKind::Object(by_test), at),
            };
            out.push((key("Condition", &at), value));
        }
        statements.push(Node::new(NodeKind::Object(out), st.span));
    }
    let version = data
        .get("version")
        .cloned()
        .unwrap_or_else(|| Node::new(NodeKind::String("2012-10-17".into()), span));
    Node::new(
        NodeKind::Object(vec![
            (key("Version", &version.span.clone()), version),
            (
                key("Statement", &span),
                Node::new(NodeKind::Array(statements), span),
            ),
        ]),
        span,
    )
}

/// Attributes whose JSON text (heredoc, `file()`, `templatefile()`) is parsed with spans into
/// its source: container definitions, and IAM policy documents (also in `inline_policy`
/// blocks).
fn json_attributes(kind: ResourceKind) -> &'static [&'static str] {
    match kind {
        ResourceKind::TaskDefinition => &["container_definitions"],
        ResourceKind::IamRole | ResourceKind::IamPolicy | ResourceKind::EcrRepositoryPolicy => {
            &["policy", "assume_role_policy"]
        }
        _ => &[],
    }
}

fn body_node(
    ev: &Eval,
    body: &Body,
    span: Span,
    json: &[&str],
    scope: &Scope,
    diagnostics: &mut Vec<Diagnostic>,
    depth: usize,
) -> Node {
    let mut props: Vec<(Spanned<String>, Node)> = Vec::new();
    let mut blocks: Vec<(Spanned<String>, Vec<Node>)> = Vec::new();
    fn add_block(
        blocks: &mut Vec<(Spanned<String>, Vec<Node>)>,
        name: String,
        name_span: Span,
        node: Node,
    ) {
        match blocks.iter_mut().find(|(k, _)| k.value == name) {
            Some((_, list)) => list.push(node),
            None => blocks.push((Spanned::new(name, name_span), vec![node])),
        }
    }
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = Spanned::new(a.key.value().to_string(), span_of(ev.file, a.key.span()));
                if matches!(a.key.value().as_str(), "count" | "for_each") && depth == 0 {
                    continue;
                }
                let value = if json.contains(&a.key.value().as_str()) {
                    json_attribute(ev, &a.value, scope, diagnostics, a.key.value().as_str())
                } else {
                    ev.eval(&a.value, scope, 0)
                };
                props.push((key, value));
            }
            Structure::Block(nested) if depth < 8 => {
                let nspan = span_of(ev.file, nested.span());
                let ident_span = span_of(ev.file, nested.ident.span());
                if nested.ident.value().as_str() != "dynamic" {
                    let node =
                        body_node(ev, &nested.body, nspan, json, scope, diagnostics, depth + 1);
                    add_block(
                        &mut blocks,
                        nested.ident.value().to_string(),
                        ident_span,
                        node,
                    );
                    continue;
                }
                let name = nested.labels.first().map(label).unwrap_or_default();
                match dynamic_blocks(ev, nested, &name, scope, diagnostics, depth) {
                    Some(list) if list.is_empty() => {
                        // No block at all: as if none were written (but say it was considered).
                        blocks.retain(|(k, _)| k.value != name);
                        if !props.iter().any(|(k, _)| k.value == name) {
                            props.push((
                                Spanned::new(name, ident_span),
                                Node::new(NodeKind::Null, nspan),
                            ));
                        }
                    }
                    Some(list) => {
                        for node in list {
                            add_block(&mut blocks, name.clone(), ident_span, node);
                        }
                    }
                    None => add_block(
                        &mut blocks,
                        name.clone(),
                        ident_span,
                        Node::unresolved(format!("dynamic \"{name}\""), nspan),
                    ),
                }
            }
            Structure::Block(_) => {}
        }
    }
    for (key, list) in blocks {
        let span = Span {
            file: ev.file,
            range: (list[0].span.range.start..list[list.len() - 1].span.range.end).into(),
        };
        let value = if list.iter().any(Node::is_unknown) {
            Node::unresolved(format!("{} blocks", key.value), span)
        } else {
            Node::new(NodeKind::Array(list), span)
        };
        props.retain(|(k, v)| !(k.value == key.value && matches!(v.kind, NodeKind::Null)));
        props.push((key, value));
    }
    Node::new(NodeKind::Object(props), span)
}

/// `dynamic "name" { for_each = ...; iterator = it; content { ... } }`: one block per element
/// when the collection is known (`None` when it is not).
fn dynamic_blocks(
    ev: &Eval,
    block: &Block,
    name: &str,
    scope: &Scope,
    diagnostics: &mut Vec<Diagnostic>,
    depth: usize,
) -> Option<Vec<Node>> {
    let for_each = attributes(&block.body).find(|(k, _)| *k == "for_each")?.1;
    let iterator = match attributes(&block.body).find(|(k, _)| *k == "iterator") {
        Some((_, Expression::Variable(v))) => v.value().to_string(),
        Some(_) => return None,
        None => name.to_owned(),
    };
    let content = block.body.iter().find_map(|s| match s {
        Structure::Block(b) if b.ident.value().as_str() == "content" => Some(b),
        _ => None,
    })?;
    let collection = ev.eval(for_each, scope, 0);
    let entries = match &collection.kind {
        NodeKind::Array(items) if items.iter().any(Node::is_unknown) => return None,
        _ => collection.clone().into_entries()?,
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        if !ev.spend(STEP, for_each) {
            return None;
        }
        let mut inner = scope.clone();
        inner.bind(
            iterator.clone(),
            Node::new(
                NodeKind::Object(vec![
                    (Spanned::new("key".to_owned(), k.span), k),
                    (Spanned::new("value".to_owned(), v.span), v),
                ]),
                collection.span,
            ),
        );
        out.push(body_node(
            ev,
            &content.body,
            span_of(ev.file, content.span()),
            &[],
            &inner,
            diagnostics,
            depth + 1,
        ));
    }
    Some(out)
}

/// `container_definitions` (or a policy document): JSON text from a heredoc, `file()` or
/// `templatefile()` is parsed with spans into its source; `jsonencode(...)` evaluates to the
/// structure itself.
fn json_attribute(
    ev: &Eval,
    expr: &Expression,
    scope: &Scope,
    diagnostics: &mut Vec<Diagnostic>,
    key: &str,
) -> Node {
    match render::json_source(ev, expr, scope, 0) {
        Some(Some(mapped)) => match mapped.decode() {
            Ok(Some(node)) => node,
            Ok(None) => Node::unresolved(ev.text(expr), ev.span(expr)),
            Err((span, message)) => {
                diagnostics.push(parse_error(
                    span,
                    format!("invalid JSON in {key}: {message}"),
                ));
                Node::unresolved(ev.text(expr), ev.span(expr))
            }
        },
        Some(None) => Node::unresolved(ev.text(expr), ev.span(expr)),
        None => ev.eval(expr, scope, 0),
    }
}

/// What a root module's directory holds besides its `.tf` files, from one listing: its
/// variable files and whether `terraform init` ran there (a `.terraform` entry). Probing each
/// name cost three path lookups per root module.
struct RootListing {
    /// `terraform.tfvars`, `terraform.tfvars.json`, then `*.auto.tfvars(.json)` sorted: the
    /// order Terraform applies them in.
    tfvars: Vec<PathBuf>,
    dot_terraform: bool,
}

impl RootListing {
    /// `None` when the directory cannot be listed (each name is then probed on its own).
    fn read(dir: &Path) -> Option<RootListing> {
        let mut base = [None, None];
        let mut auto = Vec::new();
        let mut dot_terraform = false;
        for entry in std::fs::read_dir(dir).ok()?.filter_map(Result::ok) {
            let name = entry.file_name();
            // Lossy, as before the listing: a name that is no UTF-8 can still end in `.auto.tfvars`.
            let name = name.to_string_lossy();
            match &*name {
                ".terraform" => dot_terraform = true,
                "terraform.tfvars" | "terraform.tfvars.json" => {
                    let path = entry.path();
                    // A directory of that name is no variable file; a link is followed.
                    let is_file = entry
                        .file_type()
                        .is_ok_and(|t| t.is_file() || (t.is_symlink() && path.is_file()));
                    if is_file {
                        base[usize::from(name.ends_with(".json"))] = Some(path);
                    }
                }
                _ if name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json") => {
                    auto.push(entry.path());
                }
                _ => {}
            }
        }
        auto.sort();
        let mut tfvars: Vec<PathBuf> = base.into_iter().flatten().collect();
        tfvars.append(&mut auto);
        Some(RootListing {
            tfvars,
            dot_terraform,
        })
    }

    /// [`read`](Self::read)'s variable files, name by name (a directory that cannot be
    /// listed may still be searchable).
    fn probe_tfvars(dir: &Path) -> Vec<PathBuf> {
        [
            dir.join("terraform.tfvars"),
            dir.join("terraform.tfvars.json"),
        ]
        .into_iter()
        .filter(|p| p.is_file())
        .collect()
    }
}

/// `terraform.tfvars`, `*.auto.tfvars` (and their `.json` forms) in the module directory, then
/// `--var-file` files: literal values, later files winning, as Terraform applies them.
fn load_tfvars(
    module: &Module,
    listed: Option<RootListing>,
    out: &mut Parsed,
) -> HashMap<String, Rc<Node>> {
    let mut values = HashMap::new();
    let mut paths = match listed {
        Some(l) => l.tfvars,
        None => RootListing::probe_tfvars(&module.dir),
    };
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
                        values.insert(k.value.clone(), Rc::new(v.clone()));
                    }
                }
                Ok(None) => {}
                Err(d) => out.diagnostics.push(*d),
            }
            continue;
        }
        match hcl_tree::parse_body(&file.text) {
            Ok(body) => {
                for (k, e) in attributes(&body) {
                    let v = ev.eval(e, &Scope::default(), 0);
                    values.insert(k.to_owned(), Rc::new(v));
                }
            }
            Err(e) => {
                let at = crate::source::char_range_at(&file.text, e.offset);
                out.diagnostics.push(parse_error(
                    Span::new(file.id, at),
                    format!("invalid HCL: {}", e.message),
                ));
            }
        }
    }
    values
}

/// Every span of `node` set to `span` (a value evaluated from text that has no place of its
/// own in a source file).
fn with_span(node: Node, span: &Span) -> Node {
    let kind = match node.kind {
        NodeKind::Array(items) => {
            NodeKind::Array(items.into_iter().map(|i| with_span(i, span)).collect())
        }
        NodeKind::Object(props) => NodeKind::Object(
            props
                .into_iter()
                .map(|(k, v)| (Spanned::new(k.value, *span), with_span(v, span)))
                .collect(),
        ),
        other => other,
    };
    Node::new(kind, *span)
}

/// `.tf.json` variable defaults with `${...}` are not evaluated (Terraform does not either).
pub(crate) fn templates_unknown(node: Node) -> Node {
    let Node { kind, span, via } = node;
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
    Node { kind, span, via }
}

fn json_resources(module: &Module, root: &Node, unit: &mut Unit, task_sets: &mut Vec<Node>) {
    // Module calls written in JSON are not expanded (the expansion reads HCL blocks): say so.
    for (name, call) in root.get("module").and_then(Node::as_object).unwrap_or(&[]) {
        let state = &module.state;
        state.calls.set(state.calls.get() + 1);
        let at = call.get("source").map_or(&name.span, |s| &s.span);
        state.diagnostics.borrow_mut().push(
            Diagnostic::new(
                MODULE_NOT_EXPANDED,
                Severity::Info,
                *at,
                format!(
                    "module `{}{}` not expanded: module calls in .tf.json are not expanded yet; \
                     what it declares is not checked",
                    module.prefix, name.value
                ),
            )
            .with_help(
                "scan the plan instead (`terraform show -json plan.out > plan.json`), or write \
                 the call in a .tf file"
                    .to_owned(),
            ),
        );
    }
    let Some(types) = root.get("resource").and_then(Node::as_object) else {
        return;
    };
    let outer = Scope::default();
    for (kind, named) in types {
        let Some(rk) = resource_kind(&kind.value) else {
            continue;
        };
        for (name, body) in named.as_object().unwrap_or(&[]) {
            let ev = Eval {
                module,
                file: name.span.file,
            };
            let meta = |key: &str| {
                body.get_entry(key).map(|(k, v)| {
                    let span = Span::new(
                        k.span.file,
                        k.span.range.start as usize..v.span.range.end as usize,
                    );
                    (module.json_value(v, &outer, 0), span)
                })
            };
            let Some(instances) = instances_from(
                &ev,
                meta("count"),
                meta("for_each"),
                &outer,
                &mut module.state.diagnostics.borrow_mut(),
            ) else {
                continue;
            };
            let fields = match &body.kind {
                NodeKind::Object(props) => Node::new(
                    NodeKind::Object(
                        props
                            .iter()
                            .filter(|(k, _)| !matches!(k.value.as_str(), "count" | "for_each"))
                            .cloned()
                            .collect(),
                    ),
                    body.span,
                ),
                _ => body.clone(),
            };
            for (key, scope) in instances {
                let address = format!(
                    "{}{}",
                    module.address(&kind.value, &name.value),
                    key.as_ref().map(instance_suffix).unwrap_or_default()
                );
                add_resource(
                    unit,
                    task_sets,
                    rk,
                    address,
                    name.span,
                    module.json_value(&fields, &scope, 0),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RootListing;

    /// One listing gives the variable files in the order Terraform applies them (a directory
    /// of a variable file's name is none) and whether `terraform init` ran.
    #[test]
    fn root_listing_finds_variable_files_in_order() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        for name in [
            "b.auto.tfvars",
            "a.auto.tfvars.json",
            "terraform.tfvars",
            "main.tf",
        ] {
            std::fs::write(dir.join(name), "").unwrap();
        }
        std::fs::create_dir(dir.join("terraform.tfvars.json")).unwrap();
        let listed = RootListing::read(dir).unwrap();
        let names: Vec<String> = listed
            .tfvars
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["terraform.tfvars", "a.auto.tfvars.json", "b.auto.tfvars"]
        );
        assert!(!listed.dot_terraform);
        std::fs::create_dir(dir.join(".terraform")).unwrap();
        std::fs::remove_dir(dir.join("terraform.tfvars.json")).unwrap();
        std::fs::write(dir.join("terraform.tfvars.json"), "{}").unwrap();
        let listed = RootListing::read(dir).unwrap();
        assert!(listed.dot_terraform);
        assert_eq!(listed.tfvars.len(), 4);
        assert_eq!(
            listed.tfvars[..2],
            [
                dir.join("terraform.tfvars"),
                dir.join("terraform.tfvars.json")
            ]
        );
        assert!(RootListing::read(&dir.join("missing")).is_none());
        // A name that is no UTF-8 is still an automatic variable file.
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let odd = dir.join(std::ffi::OsStr::from_bytes(b"\xff.auto.tfvars"));
            std::fs::write(&odd, "").unwrap();
            let listed = RootListing::read(dir).unwrap();
            assert_eq!(listed.tfvars.len(), 5);
            assert!(listed.tfvars.contains(&odd));
        }
    }
}
