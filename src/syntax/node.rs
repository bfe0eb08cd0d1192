//! A format-neutral, spanned value tree. Every front-end lowers its syntax to `Node`s (JSON as
//! parsed, YAML with intrinsics resolved, HCL as evaluated) and [`super::shape`] turns them into
//! the ECS model, so the mapping from field names to the model exists once.

use crate::model::{Part, parts_text};
use crate::source::{FileId, Span, Spanned};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    /// Where a Terraform module used this value when it came from outside the module (a caller's
    /// argument, a tfvars line): `span` is where a person edits it, `via` where it takes effect.
    /// Boxed: rare, and a `Node` stays small.
    pub via: Option<Box<Span>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(Spanned<String>, Node)>),
    /// A reference to another resource of the same unit (see [`crate::model::Value::Ref`]).
    Ref {
        target: String,
        expr: String,
    },
    Unresolved {
        expr: String,
    },
    /// A string with known text and unknown holes (see [`crate::model::Value::Partial`]).
    Partial(Vec<Part>),
}

impl Node {
    pub fn new(kind: NodeKind, span: Span) -> Self {
        Node {
            kind,
            span,
            via: None,
        }
    }

    pub fn unresolved(expr: impl Into<String>, span: Span) -> Self {
        Node::new(NodeKind::Unresolved { expr: expr.into() }, span)
    }

    pub fn as_object(&self) -> Option<&[(Spanned<String>, Node)]> {
        match &self.kind {
            NodeKind::Object(props) => Some(props),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(
            self.kind,
            NodeKind::Unresolved { .. } | NodeKind::Ref { .. } | NodeKind::Partial(_)
        )
    }

    /// Nothing of the value is known (a partially known string is not opaque).
    pub fn is_opaque(&self) -> bool {
        matches!(
            self.kind,
            NodeKind::Unresolved { .. } | NodeKind::Ref { .. }
        )
    }

    /// A string made of known text and unknown holes; plain `Unresolved` when no text is known
    /// (nothing to judge), a plain string when nothing is unknown.
    pub fn partial(parts: Vec<Part>, span: Span) -> Node {
        let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
        for p in parts {
            match (merged.last_mut(), p) {
                (_, Part::Text(t)) if t.is_empty() => {}
                (Some(Part::Text(a)), Part::Text(b)) => a.push_str(&b),
                (_, p) => merged.push(p),
            }
        }
        let kind = match merged.as_slice() {
            [] => NodeKind::String(String::new()),
            [Part::Text(t)] => NodeKind::String(t.clone()),
            parts if parts.iter().all(|p| matches!(p, Part::Hole(_))) => NodeKind::Unresolved {
                expr: parts_text(parts),
            },
            _ => NodeKind::Partial(merged),
        };
        Node::new(kind, span)
    }

    /// Property `key` of an object, matched on the API name whatever the casing:
    /// `containerDefinitions`, `ContainerDefinitions` and `container_definitions` are one key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|(_, v)| v)
    }

    pub fn get_entry(&self, key: &str) -> Option<&(Spanned<String>, Node)> {
        self.as_object()?
            .iter()
            .find(|(k, _)| same_key(&k.value, key))
    }

    /// The text of a scalar (what it becomes inside a string); `None` for anything else.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::String(s) => Some(s.clone()),
            NodeKind::Number(_) | NodeKind::Bool(_) => Some(self.describe()),
            _ => None,
        }
    }

    /// Key/value pairs of a collection, as Terraform's `for` expressions see them: index → item
    /// for a list, key → value for an object in lexical key order (Terraform iterates maps and
    /// objects sorted by key, whatever order they were written in). Consumes the collection:
    /// its items move, nothing is copied.
    pub fn into_entries(self) -> Option<Vec<(Node, Node)>> {
        match self.kind {
            NodeKind::Array(items) => Some(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (Node::new(NodeKind::Number(i as f64), v.span), v))
                    .collect(),
            ),
            NodeKind::Object(mut props) => {
                props.sort_by(|a, b| a.0.value.cmp(&b.0.value));
                Some(
                    props
                        .into_iter()
                        .map(|(k, v)| (Node::new(NodeKind::String(k.value), k.span), v))
                        .collect(),
                )
            }
            _ => None,
        }
    }

    /// Short text for an `Unresolved` expression built from this node.
    pub fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Null => "null".into(),
            NodeKind::Bool(b) => b.to_string(),
            NodeKind::Number(n) => format_number(*n),
            NodeKind::String(s) => s.clone(),
            NodeKind::Array(_) => "[...]".into(),
            NodeKind::Object(_) => "{...}".into(),
            NodeKind::Ref { expr, .. } | NodeKind::Unresolved { expr } => expr.clone(),
            NodeKind::Partial(parts) => parts_text(parts),
        }
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Equal values, whatever their spans. Unknown values are never equal (two unresolved
/// expressions may differ), and a number equals the string of that number (`60` and `"60"`).
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Array(x), NodeKind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (NodeKind::Object(x), NodeKind::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1.value == k2.value && same_value(v1, v2))
        }
        (NodeKind::Unresolved { .. } | NodeKind::Ref { .. } | NodeKind::Partial(_), _)
        | (_, NodeKind::Unresolved { .. } | NodeKind::Ref { .. } | NodeKind::Partial(_)) => false,
        (NodeKind::Number(x), NodeKind::String(s)) | (NodeKind::String(s), NodeKind::Number(x)) => {
            s.trim().parse::<f64>().ok() == Some(*x)
        }
        (x, y) => x == y,
    }
}

/// Compare keys ignoring ASCII case and underscores.
pub fn same_key(a: &str, b: &str) -> bool {
    let mut x = a.bytes().filter(|&c| c != b'_');
    let mut y = b.bytes().filter(|&c| c != b'_');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(&q) => {}
            _ => return false,
        }
    }
}

/// A JSON syntax error with its byte range in the parsed text.
#[derive(Debug, Clone)]
pub struct JsonError {
    pub message: String,
    pub range: Range<usize>,
}

/// Parse strict JSON (no comments, no trailing or missing commas) into a `Node` tree whose spans
/// are made by `span_of` from byte ranges in `text`. Nesting is limited by the parser (512
/// levels), so hostile input cannot exhaust the stack.
pub fn parse_json(
    text: &str,
    span_of: &dyn Fn(Range<usize>) -> Span,
) -> Result<Option<Node>, JsonError> {
    if let Some(node) = super::strict_json::parse(text, span_of) {
        // Under the fuzzer every document read the quick way is read the general way too.
        #[cfg(fuzzing)]
        {
            let general = parse_json_with_jsonc(text, span_of);
            assert!(
                matches!(&general, Ok(Some(n)) if *n == node),
                "strict_json and jsonc-parser disagree on {text:?}: {general:?}"
            );
        }
        return Ok(Some(node));
    }
    parse_json_with_jsonc(text, span_of)
}

/// [`parse_json`] by `jsonc-parser`: every document [`super::strict_json`] leaves, and the
/// errors.
pub(super) fn parse_json_with_jsonc(
    text: &str,
    span_of: &dyn Fn(Range<usize>) -> Span,
) -> Result<Option<Node>, JsonError> {
    use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
        let r = e.range();
        JsonError {
            message: e.kind().to_string(),
            range: r.start..r.end,
        }
    })?;
    Ok(parsed.value.map(|v| json_to_node(&v, span_of)))
}

/// A whole file as JSON; a syntax error is the located `ECS000` diagnostic.
pub fn parse_json_file(
    file: &crate::source::SourceFile,
) -> Result<Option<Node>, Box<crate::diagnostic::Diagnostic>> {
    parse_json_at(&file.text, file.id, 0).map_err(|e| {
        Box::new(crate::diagnostic::parse_error(
            Span::new(file.id, e.range),
            format!("invalid JSON: {}", e.message),
        ))
    })
}

/// Convenience for JSON that sits verbatim in `file` starting at byte `base`.
pub fn parse_json_at(text: &str, file: FileId, base: usize) -> Result<Option<Node>, JsonError> {
    parse_json(text, &|r: Range<usize>| {
        Span::new(file, r.start + base..r.end + base)
    })
}

fn json_to_node(value: &jsonc_parser::ast::Value, span_of: &dyn Fn(Range<usize>) -> Span) -> Node {
    use jsonc_parser::ast::{ObjectPropName, Value as J};
    let range = |r: &jsonc_parser::common::Range| span_of(r.start..r.end);
    match value {
        J::StringLit(s) => Node::new(NodeKind::String(s.value.to_string()), range(&s.range)),
        J::NumberLit(n) => match n.value.parse::<f64>() {
            Ok(v) => Node::new(NodeKind::Number(v), range(&n.range)),
            Err(_) => Node::unresolved(n.value, range(&n.range)),
        },
        J::BooleanLit(b) => Node::new(NodeKind::Bool(b.value), range(&b.range)),
        J::NullKeyword(n) => Node::new(NodeKind::Null, range(&n.range)),
        J::Array(a) => Node::new(
            NodeKind::Array(
                a.elements
                    .iter()
                    .map(|e| json_to_node(e, span_of))
                    .collect(),
            ),
            range(&a.range),
        ),
        J::Object(o) => Node::new(
            NodeKind::Object(
                o.properties
                    .iter()
                    .map(|p| {
                        let key = match &p.name {
                            ObjectPropName::String(s) => {
                                Spanned::new(s.value.to_string(), range(&s.range))
                            }
                            ObjectPropName::Word(w) => {
                                Spanned::new(w.value.to_string(), range(&w.range))
                            }
                        };
                        (key, json_to_node(&p.value, span_of))
                    })
                    .collect(),
            ),
            range(&o.range),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_across_casings() {
        assert!(same_key("containerDefinitions", "container_definitions"));
        assert!(same_key("ContainerDefinitions", "containerDefinitions"));
        assert!(!same_key("container", "containerDefinitions"));
    }

    #[test]
    fn json_spans_and_strictness() {
        let text = r#"{"cpu": 256, "x": [true, null]}"#;
        let node = parse_json_at(text, FileId(0), 10).unwrap().unwrap();
        let cpu = node.get("CPU").unwrap();
        assert_eq!(cpu.kind, NodeKind::Number(256.0));
        assert_eq!(cpu.span.range, (18..21).into());
        assert!(parse_json_at(r#"{"a": 1,}"#, FileId(0), 0).is_err());
        assert!(parse_json_at(r#"{"a": 1 "b": 2}"#, FileId(0), 0).is_err());
        let deep = "[".repeat(100_000);
        assert!(parse_json_at(&deep, FileId(0), 0).is_err());
    }
}
