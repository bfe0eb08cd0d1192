//! Raw task-definition JSON: the `register-task-definition --cli-input-json` shape, the
//! `describe-task-definition` output shape (`{"taskDefinition": {...}, "tags": [...]}`), and a
//! bare array of container definitions.

use super::node::{Node, NodeKind, parse_json_file};
use super::{Ctx, Parsed, shape};
use crate::model::{Format, Unit, Value};
use crate::source::{SourceFile, Span};

pub fn parse(ctx: &Ctx, file: &SourceFile) -> Parsed {
    let mut out = Parsed {
        files: vec![(file.id, Format::TaskDefJson)],
        ..Parsed::default()
    };
    let mut root = match parse_json_file(file) {
        Ok(Some(root)) => root,
        Ok(None) => return out,
        Err(d) => {
            out.diagnostics.push(*d);
            return out;
        }
    };
    mark_placeholders_unresolved(&mut root);
    let mut unit = Unit::new(file.path.to_path_buf(), Format::TaskDefJson);
    if let Some(region) = ctx.region {
        unit.region = Some(crate::source::Spanned::new(
            Value::Known(region.to_owned()),
            Span::new(file.id, 0..0),
        ));
    }
    let file_stem = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match &root.kind {
        NodeKind::Array(_) => {
            // A bare container-definitions array: a task definition with nothing but containers.
            let mut td = shape::task_definition(file_stem, root.span, &empty(&root));
            td.container_definitions = shape::container_definitions(Some(&root));
            // Only containers: the task definition's tags are given wherever it is registered.
            td.tags = Some(crate::source::Spanned::new(
                Value::unresolved("a container-definitions array (no task-level tags)"),
                td.span,
            ));
            unit.task_definitions.push(td);
        }
        NodeKind::Object(_) => {
            let described = root
                .get("taskDefinition")
                .filter(|n| n.as_object().is_some());
            let body = described.unwrap_or(&root);
            let name = body
                .get("family")
                .and_then(Node::as_str)
                .map_or(file_stem, str::to_owned);
            let mut td = shape::task_definition(name, header_span(body), body);
            if described.is_some() {
                // `describe-task-definition` gives the tags beside `taskDefinition`, and only
                // with `--include TAGS`: without the key they are not known to be absent.
                // (ecspresso also reads them inside `taskDefinition`.)
                td.tags = match root.get("tags").or_else(|| body.get("tags")) {
                    Some(tags) => shape::tags(Some(tags)),
                    None => Some(crate::source::Spanned::new(
                        Value::unresolved("describe-task-definition output without `tags`"),
                        td.span,
                    )),
                };
            }
            unit.task_definitions.push(td);
        }
        _ => {}
    }
    out.units.push(unit);
    out
}

fn empty(at: &Node) -> Node {
    Node::new(NodeKind::Object(Vec::new()), at.span)
}

/// The opening brace of an object: "missing field" findings point there, not at the whole file.
fn header_span(node: &Node) -> Span {
    Span {
        file: node.span.file,
        range: (node.span.range.start..node.span.range.start + 1).into(),
    }
}

/// Template placeholders make a value unknowable: `{{ must_env `TAG` }}` (ecspresso),
/// `${Region}` (envsubst, CloudFormation-style), `{{x}}`, `<SERVICE_PORT>`, `$NAME`.
pub fn is_placeholder(s: &str) -> bool {
    // Every string of every template and task definition is asked: most have none of the
    // characters that start a placeholder.
    if memchr::memchr3(b'{', b'$', b'<', s.as_bytes()).is_none() {
        return false;
    }
    let template = s.contains("{{") && s.contains("}}");
    let interpolation = s.find("${").is_some_and(|i| s[i..].contains('}'));
    let angle = s.find('<').is_some_and(|start| {
        s[start + 1..].find('>').is_some_and(|len| {
            let inner = &s[start + 1..start + 1 + len];
            !inner.is_empty()
                && inner
                    .bytes()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_' || c == b'-')
        })
    });
    // `$NAME` envsubst style; a lone `$` in a password-like literal stays a literal.
    let env = s.split('$').skip(1).any(|rest| {
        rest.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
            && rest
                .bytes()
                .take_while(|c| c.is_ascii_uppercase() || *c == b'_' || c.is_ascii_digit())
                .count()
                >= 2
    });
    template || interpolation || angle || env
}

/// In place: every node of a task definition is visited, and few are placeholders.
fn mark_placeholders_unresolved(node: &mut Node) {
    match &mut node.kind {
        NodeKind::String(s) if is_placeholder(s) => {
            node.kind = NodeKind::Unresolved {
                expr: std::mem::take(s),
            }
        }
        NodeKind::Array(items) => items.iter_mut().for_each(mark_placeholders_unresolved),
        NodeKind::Object(props) => props
            .iter_mut()
            .for_each(|(_, v)| mark_placeholders_unresolved(v)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "{{ must_env `TAG` }}",
            "${Region}",
            "{{x}}",
            "<SERVICE_PORT>",
            "app:$TAG",
            "$NAME",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for l in ["nginx:1.25", "p@$$w0rd", "a < b > c", "<html>", "$5"] {
            assert!(!is_placeholder(l), "{l}");
        }
    }
}
