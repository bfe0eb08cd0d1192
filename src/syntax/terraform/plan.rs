//! `terraform show -json` plans (format 0.x and 1.x): the planned values of ECS resources in
//! the root module and every child module. Plans carry no source positions of the .tf files,
//! so spans point into the plan JSON; `container_definitions` is a JSON string there, decoded
//! by `shape` with every inner span on that string.

use crate::model::{Format, Unit};
use crate::source::SourceFile;
use crate::source::Spanned;
use crate::syntax::node::{Node, NodeKind, parse_json_file};
use crate::syntax::{Ctx, Parsed, shape};
use std::collections::{HashMap, HashSet};

pub fn parse_plan(_ctx: &Ctx, file: &SourceFile) -> Parsed {
    let mut out = Parsed {
        files: vec![(file.id, Format::TerraformPlan)],
        ..Parsed::default()
    };
    let root = match parse_json_file(file) {
        Ok(Some(root)) => root,
        Ok(None) => return out,
        Err(d) => {
            out.diagnostics.push(*d);
            return out;
        }
    };
    let mut unit = Unit::new(file.path.to_path_buf(), Format::TerraformPlan);
    let mut resources: Vec<&Node> = Vec::new();
    if let Some(module) = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    {
        collect(module, &mut resources, 0);
    }
    let from_changes = resources.is_empty();
    let changes: Vec<Node>;
    if from_changes {
        // Older or partial plans: the `after` side of each change.
        changes = root
            .get("resource_changes")
            .and_then(Node::as_array)
            .unwrap_or(&[])
            .iter()
            .filter_map(|c| {
                let after = c.get("change")?.get("after")?.clone();
                let mut props = c.as_object()?.to_vec();
                props.retain(|(k, _)| k.value != "values");
                props.push((
                    crate::source::Spanned::new("values".to_owned(), after.span),
                    after,
                ));
                Some(Node::new(
                    crate::syntax::node::NodeKind::Object(props),
                    c.span,
                ))
            })
            .collect();
        resources.extend(changes.iter());
    }
    let references = root
        .get("configuration")
        .and_then(|c| c.get("root_module"))
        .map(|m| {
            let mut map = HashMap::new();
            configured_references(m, "", &mut map, 0);
            map
        })
        .unwrap_or_default();
    let addresses: HashSet<&str> = resources
        .iter()
        .filter_map(|r| r.get("address").and_then(Node::as_str))
        .collect();
    let mut task_sets = Vec::new();
    for r in &resources {
        let (Some(kind), Some(values)) = (r.get("type").and_then(Node::as_str), r.get("values"))
        else {
            continue;
        };
        let Some(rk) = super::resource_kind(kind) else {
            continue;
        };
        let address = r
            .get("address")
            .and_then(Node::as_str)
            .unwrap_or(kind)
            .to_owned();
        let header = r.get("address").map_or(r.span, |a| a.span);
        let mut values = values.clone();
        if matches!(
            rk,
            super::ResourceKind::TaskDefinition
                | super::ResourceKind::Service
                | super::ResourceKind::Cluster
        ) {
            tags_with_defaults(&mut values);
        }
        if rk == super::ResourceKind::Service {
            link_task_definition(&mut values, &address, &references, &addresses);
        }
        super::add_resource(&mut unit, &mut task_sets, rk, address, header, values);
    }
    for props in &task_sets {
        shape::apply_task_set(&mut unit, props);
    }
    out.units.push(unit);
    out
}

/// A plan's `tags_all` is a resource's tags with the provider's `default_tags` merged in: it
/// stands for `tags`. Absent (known only after apply), the tags are unknown.
fn tags_with_defaults(values: &mut Node) {
    let NodeKind::Object(props) = &mut values.kind else {
        return;
    };
    let all = props
        .iter()
        .find(|(k, _)| k.value == "tags_all")
        .map(|(_, v)| v.clone());
    let tags = match all {
        Some(all) if !matches!(all.kind, NodeKind::Null) => all,
        Some(_) => return,
        None => Node::unresolved("tags_all (known after apply)", values.span),
    };
    props.retain(|(k, _)| k.value != "tags");
    props.push((Spanned::new("tags".to_owned(), tags.span), tags));
}

/// `configuration` keeps what planned values lose: which resource a `task_definition = ...arn`
/// refers to (the ARN itself is known only after apply). Resource address without instance
/// keys (`module.svc.aws_ecs_service.this`) → the references of its `task_definition`.
fn configured_references(
    module: &Node,
    prefix: &str,
    out: &mut HashMap<String, Vec<String>>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    for r in module
        .get("resources")
        .and_then(Node::as_array)
        .unwrap_or(&[])
    {
        let (Some(address), Some(refs)) = (
            r.get("address").and_then(Node::as_str),
            r.get("expressions")
                .and_then(|e| e.get("task_definition"))
                .and_then(|t| t.get("references"))
                .and_then(Node::as_array),
        ) else {
            continue;
        };
        out.insert(
            format!("{prefix}{address}"),
            refs.iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect(),
        );
    }
    for (name, call) in module
        .get("module_calls")
        .and_then(Node::as_object)
        .unwrap_or(&[])
    {
        if let Some(child) = call.get("module") {
            configured_references(
                child,
                &format!("{prefix}module.{}.", name.value),
                out,
                depth + 1,
            );
        }
    }
}

/// An address without its instance keys: `module.a["x"].aws_ecs_service.s[0]` →
/// `module.a.aws_ecs_service.s`.
fn without_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let (mut depth, mut quoted) = (0usize, false);
    for c in address.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A service whose `task_definition` is unknown in the plan (an ARN) links to the task
/// definition its configuration refers to, in the same module instance.
fn link_task_definition(
    values: &mut Node,
    address: &str,
    references: &HashMap<String, Vec<String>>,
    planned: &HashSet<&str>,
) {
    if values
        .get("task_definition")
        .is_some_and(|t| !matches!(t.kind, NodeKind::Null))
    {
        return;
    }
    let Some(refs) = references.get(&without_keys(address)) else {
        return;
    };
    // `module.a["x"].` of `module.a["x"].aws_ecs_service.s[0]`, and the service's own key.
    let resource_start = address.rfind("aws_ecs_service.").unwrap_or(0);
    let instance_prefix = &address[..resource_start];
    let own_key = address[resource_start..]
        .find('[')
        .map(|i| &address[resource_start + i..]);
    let target = refs.iter().find_map(|r| {
        let exact = format!("{instance_prefix}{r}");
        if planned.contains(exact.as_str()) {
            return Some(exact);
        }
        let keyed = format!("{exact}{}", own_key?);
        planned.contains(keyed.as_str()).then_some(keyed)
    });
    if let (Some(target), NodeKind::Object(props)) = (target, &mut values.kind) {
        let span = values.span;
        props.push((
            Spanned::new("task_definition".to_owned(), span),
            Node::new(
                NodeKind::Ref {
                    expr: format!("{target}.arn"),
                    target,
                },
                span,
            ),
        ));
    }
}

fn collect<'n>(module: &'n Node, out: &mut Vec<&'n Node>, depth: usize) {
    if depth > 32 {
        return;
    }
    out.extend(
        module
            .get("resources")
            .and_then(Node::as_array)
            .unwrap_or(&[]),
    );
    for child in module
        .get("child_modules")
        .and_then(Node::as_array)
        .unwrap_or(&[])
    {
        collect(child, out, depth + 1);
    }
}
