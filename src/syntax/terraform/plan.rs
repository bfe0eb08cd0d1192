//! `terraform show -json` plans (format 0.x and 1.x): the planned values of ECS resources in
//! the root module and every child module. Plans carry no source positions of the .tf files,
//! so spans point into the plan JSON; `container_definitions` is a JSON string there, decoded
//! by `shape` with every inner span on that string.

use crate::model::{Format, Unit};
use crate::source::SourceFile;
use crate::syntax::node::{Node, parse_json_file};
use crate::syntax::{Ctx, Parsed, shape};

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
    let mut unit = Unit::new(file.path.clone(), Format::TerraformPlan);
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
                    crate::source::Spanned::new("values".to_owned(), after.span.clone()),
                    after,
                ));
                Some(Node::new(
                    crate::syntax::node::NodeKind::Object(props),
                    c.span.clone(),
                ))
            })
            .collect();
        resources.extend(changes.iter());
    }
    for r in resources {
        let (Some(kind), Some(values)) = (r.get("type").and_then(Node::as_str), r.get("values"))
        else {
            continue;
        };
        let address = r
            .get("address")
            .and_then(Node::as_str)
            .unwrap_or(kind)
            .to_owned();
        let header = r.get("address").map_or(r.span.clone(), |a| a.span.clone());
        match kind {
            "aws_ecs_task_definition" => unit
                .task_definitions
                .push(shape::task_definition(address, header, values)),
            "aws_ecs_service" => unit.services.push(shape::service(address, header, values)),
            "aws_cloudwatch_log_group" => unit
                .log_groups
                .push(shape::log_group(address, header, values)),
            _ => {}
        }
    }
    out.units.push(unit);
    out
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
