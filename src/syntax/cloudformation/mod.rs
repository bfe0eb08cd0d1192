//! CloudFormation front-end: YAML (with short tags) and JSON templates, SAM and CDK output.
//! Intrinsics are resolved statically where every input is known (parameter defaults, mappings,
//! conditions over known values); anything else is `Unresolved`, and a `Ref`/`GetAtt` to a
//! resource of the template is a `Ref` the linker can follow.

mod block_yaml;
pub mod yaml;

use super::budget::{Budget, NODE, STEP};
use super::node::{Node, NodeKind, parse_json_file, same_value};
use super::{Ctx, Parsed, shape};
use crate::diagnostic::parse_error;
use crate::model::{Format, Part, Unit, Value};
use crate::source::{SourceFile, Span, Spanned};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

const MAX_DEPTH: usize = 96;

pub fn parse(ctx: &Ctx, file: &SourceFile, format: Format) -> Parsed {
    let mut out = Parsed {
        files: vec![(file.id, format)],
        ..Parsed::default()
    };
    let root = match format {
        Format::CloudFormationYaml => yaml::parse(&file.text, file.id).map_err(|e| {
            Box::new(parse_error(
                Span::new(file.id, crate::source::char_range_at(&file.text, e.offset)),
                format!("invalid YAML: {}", e.message),
            ))
        }),
        _ => parse_json_file(file),
    };
    let root = match root {
        Ok(Some(root)) => root,
        Ok(None) => return out,
        Err(d) => {
            out.diagnostics.push(*d);
            return out;
        }
    };
    let mut facts = super::TemplateFacts {
        metadata: crate::suppress::template_metadata(file, &root),
        ..super::TemplateFacts::default()
    };
    for (k, v) in root
        .get("Resources")
        .and_then(Node::as_object)
        .unwrap_or(&[])
    {
        facts.resources.insert(
            k.value.clone(),
            k.span.start()..v.span.end().max(k.span.end()),
        );
    }
    out.templates.push((file.id, facts));
    let mut unit = Unit::new(file.path.to_path_buf(), format);
    if let Some(region) = ctx.region {
        unit.region = Some(Spanned::new(
            Value::Known(region.to_owned()),
            Span::new(file.id, 0..0),
        ));
    }
    let template = Template::new(&root, ctx.region, ctx.eval_budget);
    let mut task_sets = Vec::new();
    if let Some(resources) = root.get("Resources").and_then(Node::as_object) {
        for (id, resource) in resources {
            let Some(kind) = resource.get("Type").and_then(Node::as_str) else {
                continue;
            };
            let empty = Node::new(NodeKind::Object(Vec::new()), id.span);
            let props = resource.get("Properties").unwrap_or(&empty);
            // Only resources the model has a place for are resolved (a copy of their
            // properties): a template's VPCs, routes and queues are not.
            let resolved = || template.resolve(props, 0).unwrap_or(empty.clone());
            let name = id.value.clone();
            let header = id.span;
            match kind {
                "AWS::ECS::TaskDefinition" => {
                    unit.task_definitions
                        .push(shape::task_definition(name, header, &resolved()))
                }
                "AWS::ECS::Service" => {
                    unit.services
                        .push(shape::service(name, header, &resolved()))
                }
                "AWS::Logs::LogGroup" => {
                    unit.log_groups
                        .push(shape::log_group(name, header, &resolved()))
                }
                "AWS::ECS::Cluster" | "AWS::ECS::ClusterCapacityProviderAssociations" => unit
                    .clusters
                    .push(shape::cluster(name, header, &resolved())),
                "AWS::ECS::TaskSet" => {
                    let resolved = resolved();
                    unit.task_sets
                        .push(shape::task_set(name, header, &resolved));
                    task_sets.push(resolved);
                }
                "AWS::ECS::CapacityProvider" => unit
                    .capacity_providers
                    .push(shape::capacity_provider(name, header, &resolved())),
                "AWS::EC2::SecurityGroup" => {
                    unit.security_groups
                        .push(shape::security_group(name, header, &resolved()))
                }
                "AWS::EC2::SecurityGroupIngress" => unit
                    .ingress_rules
                    .push(shape::standalone_ingress_rule(name, header, &resolved())),
                "AWS::ECR::Repository" => {
                    unit.ecr_repositories
                        .push(shape::ecr_repository(name, header, &resolved()))
                }
                "AWS::ElasticLoadBalancingV2::TargetGroup" => unit
                    .target_groups
                    .push(shape::target_group(name, header, &resolved())),
                "AWS::IAM::Role" => unit
                    .iam_roles
                    .push(shape::iam_role(name, header, &resolved())),
                "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => unit
                    .iam_policies
                    .push(shape::iam_policy(name, header, &resolved())),
                "AWS::ECR::RegistryScanningConfiguration" => {
                    unit.ecr_registry_scanning.push(header)
                }
                _ => {}
            }
        }
    }
    for props in &task_sets {
        shape::apply_task_set(&mut unit, props);
    }
    out.diagnostics.extend(template.budget.diagnostic());
    unit.eval_units = template.budget.spent();
    // Copilot deploys every stack with tags (`copilot-application`, `copilot-environment`,
    // `copilot-service`) that CloudFormation gives every resource: stack tags, like Terraform's
    // default tags, are tags we cannot see. Its workload templates take these three parameters.
    if ["AppName", "EnvName", "WorkloadName"]
        .iter()
        .all(|p| template.parameters.contains_key(p))
    {
        unit.default_tags = Some(Spanned::new(
            Value::unresolved("Copilot stack tags"),
            Span::new(file.id, 0..0),
        ));
    }
    let mut no_echo: Vec<String> = template.no_echo.iter().map(|p| (*p).to_owned()).collect();
    no_echo.sort();
    unit.no_echo_parameters = no_echo;
    out.units.push(unit);
    out
}

/// What intrinsics may look up: parameters, mappings, conditions and the resources' ids.
struct Template<'a> {
    parameters: HashMap<&'a str, Option<&'a Node>>,
    /// Parameters declared `NoEcho: true`: their value (even a default) is never read.
    no_echo: HashSet<&'a str>,
    mappings: Option<&'a Node>,
    conditions: Option<&'a Node>,
    resources: HashMap<&'a str, &'a str>,
    region: Option<&'a str>,
    budget: Budget,
    /// `Fn::FindInMap` results by (map, top key, second key): resolved once, handed out as
    /// paid-for copies; a mapping that reaches itself is unknown, not a loop.
    found_in_map: RefCell<HashMap<[String; 3], Resolved>>,
    mapping_in_progress: RefCell<HashSet<[String; 3]>>,
    /// Named conditions, evaluated once (a condition naming another twice must not double).
    conditions_known: RefCell<HashMap<String, Option<bool>>>,
    condition_in_progress: RefCell<HashSet<String>>,
}

/// Result of resolving a node: `None` is `AWS::NoValue` (the property disappears).
type Resolved = Option<Node>;

impl<'a> Template<'a> {
    fn new(root: &'a Node, region: Option<&'a str>, budget: u64) -> Self {
        let parameters = root
            .get("Parameters")
            .and_then(Node::as_object)
            .map(|ps| {
                ps.iter()
                    .map(|(k, v)| (k.value.as_str(), v.get("Default")))
                    .collect()
            })
            .unwrap_or_default();
        let no_echo = root
            .get("Parameters")
            .and_then(Node::as_object)
            .map(|ps| {
                ps.iter()
                    .filter(|(_, v)| v.get("NoEcho").is_some_and(is_true))
                    .map(|(k, _)| k.value.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let resources = root
            .get("Resources")
            .and_then(Node::as_object)
            .map(|rs| {
                rs.iter()
                    .map(|(k, v)| {
                        (
                            k.value.as_str(),
                            v.get("Type").and_then(Node::as_str).unwrap_or(""),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Template {
            parameters,
            no_echo,
            mappings: root.get("Mappings"),
            conditions: root.get("Conditions"),
            resources,
            region,
            budget: Budget::new(budget),
            found_in_map: RefCell::default(),
            mapping_in_progress: RefCell::default(),
            conditions_known: RefCell::default(),
            condition_in_progress: RefCell::default(),
        }
    }

    /// The value is unknown because the budget is spent; the first such place is reported.
    fn over_budget(&self, span: &Span, what: &str) -> Resolved {
        self.budget.mark_exceeded(span, what);
        Some(Node::unresolved(
            format!("{what} (evaluation budget exceeded)"),
            *span,
        ))
    }

    fn resolve(&self, node: &Node, depth: usize) -> Resolved {
        if depth > MAX_DEPTH {
            return Some(Node::unresolved("(nested too deeply)", node.span));
        }
        // Resolving copies the node (and evaluates it).
        let cost = NODE
            + match &node.kind {
                NodeKind::String(s) => s.len() as u64,
                _ => 0,
            };
        if !self.budget.spend(cost) {
            return self.over_budget(&node.span, "this value");
        }
        match &node.kind {
            NodeKind::Object(props) => {
                if let [(key, arg)] = props.as_slice()
                    && (key.value == "Ref" || key.value.starts_with("Fn::"))
                {
                    return self.intrinsic(&key.value, arg, node, depth);
                }
                let mut out = Vec::with_capacity(props.len());
                for (k, v) in props {
                    if let Some(v) = self.resolve(v, depth + 1) {
                        out.push((k.clone(), v));
                    }
                }
                Some(Node::new(NodeKind::Object(out), node.span))
            }
            NodeKind::Array(items) => Some(Node::new(
                NodeKind::Array(
                    items
                        .iter()
                        .filter_map(|i| self.resolve(i, depth + 1))
                        .collect(),
                ),
                node.span,
            )),
            // `${X}` outside `Fn::Sub` is literal to CloudFormation, but in practice it is some
            // other tool's placeholder (copilot overrides, envsubst): unknown, not a value.
            NodeKind::String(s) if super::taskdef_json::is_placeholder(s) => {
                Some(Node::unresolved(s.clone(), node.span))
            }
            _ => Some(node.clone()),
        }
    }

    fn intrinsic(&self, name: &str, arg: &Node, whole: &Node, depth: usize) -> Resolved {
        let span = whole.span;
        let unresolved = |expr: String| Some(Node::unresolved(expr, span));
        match name {
            "Ref" => {
                let Some(target) = arg.as_str() else {
                    return unresolved("!Ref (not a name)".into());
                };
                self.reference(target, &span)
            }
            "Fn::GetAtt" => {
                let (res, attr) = match &arg.kind {
                    NodeKind::String(s) => match s.split_once('.') {
                        Some((r, a)) => (r.to_owned(), a.to_owned()),
                        None => (s.clone(), String::new()),
                    },
                    NodeKind::Array(items) if items.len() == 2 => (
                        items[0].as_str().unwrap_or_default().to_owned(),
                        items[1].describe(),
                    ),
                    _ => return unresolved("!GetAtt".into()),
                };
                let expr = format!("!GetAtt {res}.{attr}");
                if self.resources.contains_key(res.as_str()) {
                    Some(Node::new(NodeKind::Ref { target: res, expr }, span))
                } else {
                    unresolved(expr)
                }
            }
            "Fn::Sub" => self.sub(arg, &span, depth),
            "Fn::Join" => self.join(arg, &span, depth),
            "Fn::Select" => {
                let items = arg.as_array().filter(|a| a.len() == 2)?;
                let index = self.resolve(&items[0], depth + 1)?;
                let list = self.resolve(&items[1], depth + 1)?;
                let i = match &index.kind {
                    NodeKind::Number(n) => Some(*n as usize),
                    NodeKind::String(s) => s.parse().ok(),
                    _ => None,
                };
                match (i, list.as_array()) {
                    (Some(i), Some(list)) if i < list.len() && !list[i].is_unknown() => {
                        Some(Node::new(list[i].kind.clone(), span))
                    }
                    _ => unresolved("!Select".into()),
                }
            }
            "Fn::Split" => {
                let items = arg.as_array().filter(|a| a.len() == 2)?;
                let sep = self.resolve(&items[0], depth + 1)?;
                let text = self.resolve(&items[1], depth + 1)?;
                match (sep.as_str(), text.as_str()) {
                    (Some(sep), Some(text)) if !sep.is_empty() => Some(Node::new(
                        NodeKind::Array(
                            text.split(sep)
                                .map(|p| Node::new(NodeKind::String(p.to_owned()), span))
                                .collect(),
                        ),
                        span,
                    )),
                    _ => unresolved("!Split".into()),
                }
            }
            "Fn::FindInMap" => {
                let items = arg.as_array().filter(|a| a.len() >= 3)?;
                let keys: Vec<Option<String>> = items[..3]
                    .iter()
                    .map(|k| self.resolve(k, depth + 1).and_then(|n| n.scalar_text()))
                    .collect();
                let (Some(m), Some(a), Some(b)) = (&keys[0], &keys[1], &keys[2]) else {
                    return unresolved(find_in_map_text(&keys));
                };
                let key = [m.clone(), a.clone(), b.clone()];
                let cached = self.found_in_map.borrow().get(&key).cloned();
                let value = match cached {
                    Some(v) => v,
                    None => {
                        let found = self
                            .mappings
                            .and_then(|ms| exact(ms, m))
                            .and_then(|t| exact(t, a))
                            .and_then(|t| exact(t, b));
                        let Some(found) = found else {
                            return unresolved(find_in_map_text(&keys));
                        };
                        if !self.mapping_in_progress.borrow_mut().insert(key.clone()) {
                            return unresolved(format!(
                                "{} (refers to itself)",
                                find_in_map_text(&keys)
                            ));
                        }
                        let v = self.resolve(found, depth + 1);
                        self.mapping_in_progress.borrow_mut().remove(&key);
                        self.found_in_map.borrow_mut().insert(key, v.clone());
                        v
                    }
                };
                match value {
                    Some(v) if !self.budget.spend_copy(&v) => {
                        self.over_budget(&span, &find_in_map_text(&keys))
                    }
                    Some(mut v) => {
                        v.span = span;
                        Some(v)
                    }
                    None => None,
                }
            }
            "Fn::If" => {
                let items = arg.as_array().filter(|a| a.len() == 3)?;
                let cond = items[0].as_str().and_then(|c| self.condition(c, depth + 1));
                match cond {
                    Some(true) => self.resolve(&items[1], depth + 1),
                    Some(false) => self.resolve(&items[2], depth + 1),
                    None => {
                        let a = self.resolve(&items[1], depth + 1);
                        let b = self.resolve(&items[2], depth + 1);
                        match (a, b) {
                            (Some(a), Some(b)) if same_value(&a, &b) => Some(a),
                            _ => unresolved(format!(
                                "!If [{}, ...]",
                                items[0].as_str().unwrap_or("?")
                            )),
                        }
                    }
                }
            }
            _ => unresolved(format!("!{}", name.trim_start_matches("Fn::"))),
        }
    }

    fn reference(&self, target: &str, span: &Span) -> Resolved {
        let expr = format!("!Ref {target}");
        if target == "AWS::NoValue" {
            return None;
        }
        if target == "AWS::Region" {
            return Some(match self.region {
                Some(r) => Node::new(NodeKind::String(r.to_owned()), *span),
                None => Node::unresolved(expr, *span),
            });
        }
        if self.no_echo.contains(target) {
            return Some(Node::unresolved(expr, *span));
        }
        if let Some(default) = self.parameters.get(target) {
            return Some(match default {
                Some(d) if !matches!(d.kind, NodeKind::Object(_) | NodeKind::Array(_)) => {
                    Node::new(d.kind.clone(), *span)
                }
                _ => Node::unresolved(expr, *span),
            });
        }
        if self.resources.contains_key(target) {
            return Some(Node::new(
                NodeKind::Ref {
                    target: target.to_owned(),
                    expr,
                },
                *span,
            ));
        }
        Some(Node::unresolved(expr, *span))
    }

    /// `Fn::Sub`: known when every `${...}` is. Otherwise `Unresolved` whose expression is the
    /// template text with known variables substituted, so a rule can still read a literal tail
    /// (e.g. the `:latest` of an image after `${AWS::AccountId}.dkr.ecr...`).
    fn sub(&self, arg: &Node, span: &Span, depth: usize) -> Resolved {
        let (template, vars) = match &arg.kind {
            NodeKind::String(s) => (s.as_str(), None),
            NodeKind::Array(items) if !items.is_empty() => (items[0].as_str()?, items.get(1)),
            _ => return Some(Node::unresolved("!Sub", *span)),
        };
        let mut parts: Vec<Part> = Vec::new();
        let mut text = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(i) = rest.find("${") {
            text.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(end) = after.find('}') else {
                text.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                text.push_str("${");
                text.push_str(literal);
                text.push('}');
                continue;
            }
            let value = match vars
                .and_then(|v| v.get_entry(name))
                .filter(|(k, _)| k.value == name)
            {
                Some((_, v)) => self.resolve(v, depth + 1),
                None if name.contains('.') => None,
                None => self.reference(name, span),
            };
            match value.as_ref().map(|v| &v.kind) {
                Some(NodeKind::Partial(inner)) => {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                    parts.extend(inner.iter().cloned());
                }
                _ => match value.as_ref().and_then(Node::scalar_text) {
                    Some(s) => text.push_str(&s),
                    None => {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                        parts.push(Part::Hole(name.to_owned()));
                    }
                },
            }
        }
        text.push_str(rest);
        parts.push(Part::Text(text));
        let built: usize = parts
            .iter()
            .map(|p| match p {
                Part::Text(t) | Part::Hole(t) => t.len(),
            })
            .sum();
        if !self.budget.spend(built as u64) {
            return self.over_budget(span, "!Sub");
        }
        Some(Node::partial(parts, *span))
    }

    fn join(&self, arg: &Node, span: &Span, depth: usize) -> Resolved {
        let items = arg.as_array().filter(|a| a.len() == 2)?;
        let sep = self
            .resolve(&items[0], depth + 1)
            .and_then(|n| n.scalar_text())?;
        let list = self.resolve(&items[1], depth + 1)?;
        let Some(parts) = list.as_array() else {
            return Some(Node::unresolved(
                format!("!Join [{sep:?}, {}]", list.describe()),
                *span,
            ));
        };
        let mut pieces: Vec<Part> = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                pieces.push(Part::Text(sep.clone()));
            }
            match &p.kind {
                NodeKind::Partial(inner) => pieces.extend(inner.iter().cloned()),
                _ => pieces.push(match p.scalar_text() {
                    Some(t) => Part::Text(t),
                    None => Part::Hole(p.describe()),
                }),
            }
        }
        let built: usize = pieces
            .iter()
            .map(|p| match p {
                Part::Text(t) | Part::Hole(t) => t.len(),
            })
            .sum();
        if !self.budget.spend(built as u64) {
            return self.over_budget(span, "!Join");
        }
        Some(Node::partial(pieces, *span))
    }

    /// A named condition, when it only compares values that are known.
    fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        if let Some(known) = self.conditions_known.borrow().get(name) {
            return *known;
        }
        let body = exact(self.conditions?, name)?;
        if !self
            .condition_in_progress
            .borrow_mut()
            .insert(name.to_owned())
        {
            return None;
        }
        let value = self.eval_condition(body, depth);
        self.condition_in_progress.borrow_mut().remove(name);
        self.conditions_known
            .borrow_mut()
            .insert(name.to_owned(), value);
        value
    }

    fn eval_condition(&self, node: &Node, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH || !self.budget.spend(STEP) {
            return None;
        }
        let [(key, arg)] = node.as_object()? else {
            return None;
        };
        match key.value.as_str() {
            "Condition" => self.condition(arg.as_str()?, depth + 1),
            "Fn::Equals" => {
                let items = arg.as_array().filter(|a| a.len() == 2)?;
                let a = self
                    .resolve(&items[0], depth + 1)
                    .and_then(|n| n.scalar_text())?;
                let b = self
                    .resolve(&items[1], depth + 1)
                    .and_then(|n| n.scalar_text())?;
                Some(a == b)
            }
            "Fn::Not" => Some(!self.eval_condition(arg.as_array()?.first()?, depth + 1)?),
            "Fn::And" => arg
                .as_array()?
                .iter()
                .map(|c| self.eval_condition(c, depth + 1))
                .try_fold(true, |acc, c| Some(acc && c?)),
            "Fn::Or" => arg
                .as_array()?
                .iter()
                .map(|c| self.eval_condition(c, depth + 1))
                .try_fold(false, |acc, c| Some(acc || c?)),
            _ => None,
        }
    }
}

/// `NoEcho: true` or `"true"` (CloudFormation takes either).
fn is_true(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Bool(b) => *b,
        NodeKind::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn find_in_map_text(keys: &[Option<String>]) -> String {
    format!(
        "!FindInMap [{}]",
        keys.iter()
            .map(|k| k.as_deref().unwrap_or("?"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Mapping and condition names are case-sensitive, unlike the ECS property names.
fn exact<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    node.as_object()?
        .iter()
        .find(|(k, _)| k.value == key)
        .map(|(_, v)| v)
}
