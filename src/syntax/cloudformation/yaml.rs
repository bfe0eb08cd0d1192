//! YAML to `Node`, keeping byte spans and lowering short tags (`!Ref X`, `!Sub ...`) to the
//! long forms (`{"Ref": X}`, `{"Fn::Sub": ...}`) so YAML and JSON templates resolve alike.

use crate::source::{FileId, Span, Spanned};
use crate::syntax::node::{Node, NodeKind};
use saphyr::{MarkedYaml, Scalar, YamlData, YamlLoader};
use saphyr_parser::Parser;

/// Deeper nesting than this is no template anyone wrote by hand; it becomes `Unresolved`.
const MAX_DEPTH: usize = 128;

pub struct YamlError {
    pub message: String,
    pub offset: usize,
}

/// saphyr counts characters; spans are bytes. The table exists only for non-ASCII text.
struct Offsets<'a> {
    text: &'a str,
    char_to_byte: Option<Vec<u32>>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let char_to_byte = (!text.is_ascii()).then(|| {
            let mut v: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
            v.push(text.len() as u32);
            v
        });
        Offsets { text, char_to_byte }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_to_byte {
            Some(v) => v.get(char_index).map_or(self.text.len(), |&b| b as usize),
            None => char_index.min(self.text.len()),
        }
    }
}

pub fn parse(text: &str, file: FileId) -> Result<Option<Node>, YamlError> {
    let offsets = Offsets::new(text);
    let error = |e: &saphyr::ScanError| YamlError {
        message: e.info().to_owned(),
        offset: offsets.byte(e.marker().index()),
    };
    let mut loader = YamlLoader::<MarkedYaml>::default();
    // CloudFormation keeps the last of duplicated keys (templates in the wild rely on it);
    // strict YAML would reject the whole file.
    loader.allow_duplicate_keys(true);
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut loader, true).map_err(|e| error(&e))?;
    if let Some(e) = loader.error() {
        return Err(error(e));
    }
    let docs = loader.into_documents();
    Ok(docs.first().map(|d| lower(d, file, &offsets, 0)))
}

fn span_of(y: &MarkedYaml, file: FileId, offsets: &Offsets) -> Span {
    let start = offsets.byte(y.span.start.index());
    let end = offsets.byte(y.span.end.index()).max(start);
    Span::new(file, start..end)
}

fn scalar_text(y: &MarkedYaml) -> Option<String> {
    match &y.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        YamlData::Value(Scalar::Integer(i)) => Some(i.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        YamlData::Value(Scalar::Null) => Some("null".into()),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        YamlData::Tagged(_, inner) => scalar_text(inner),
        _ => None,
    }
}

/// saphyr ends a flow collection's span at its closing bracket; include the bracket.
fn close_flow(mut span: Span, text: &str) -> Span {
    let end = span.end();
    if matches!(text.as_bytes().get(end), Some(b']' | b'}')) {
        span.range.end += 1;
    }
    span
}

fn lower(y: &MarkedYaml, file: FileId, offsets: &Offsets, depth: usize) -> Node {
    let mut span = span_of(y, file, offsets);
    if matches!(y.data, YamlData::Sequence(_) | YamlData::Mapping(_)) {
        span = close_flow(span, offsets.text);
    }
    if depth > MAX_DEPTH {
        return Node::unresolved("(nested too deeply)", span);
    }
    let kind = match &y.data {
        YamlData::Value(Scalar::Null) => NodeKind::Null,
        YamlData::Value(Scalar::Boolean(b)) => NodeKind::Bool(*b),
        YamlData::Value(Scalar::Integer(i)) => NodeKind::Number(*i as f64),
        YamlData::Value(Scalar::FloatingPoint(f)) => NodeKind::Number(f.into_inner()),
        YamlData::Value(Scalar::String(s)) => NodeKind::String(s.to_string()),
        YamlData::Representation(s, _, _) => NodeKind::String(s.to_string()),
        YamlData::Sequence(items) => NodeKind::Array(
            items
                .iter()
                .map(|i| lower(i, file, offsets, depth + 1))
                .collect(),
        ),
        YamlData::Mapping(map) => NodeKind::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = Spanned::new(
                        scalar_text(k).unwrap_or_default(),
                        span_of(k, file, offsets),
                    );
                    (key, lower(v, file, offsets, depth + 1))
                })
                .collect(),
        ),
        YamlData::Tagged(tag, inner) => {
            let mut value = lower(inner, file, offsets, depth + 1);
            // The inner node of a tagged scalar has an empty span: use the tag's.
            if value.span.range.is_empty() {
                value.span = span;
            }
            let span = Span {
                file,
                range: (span.range.start..span.range.end.max(value.span.range.end)).into(),
            };
            if tag.handle != "!" {
                // `!!str 5` and friends: the core schema's own tags.
                return match (tag.suffix.as_str(), &value.kind) {
                    ("str", _) => Node::new(NodeKind::String(value.describe()), span),
                    _ => value,
                };
            }
            let name = match tag.suffix.as_str() {
                "Ref" => "Ref".to_owned(),
                "Condition" => "Condition".to_owned(),
                other => format!("Fn::{other}"),
            };
            return Node::new(
                NodeKind::Object(vec![(Spanned::new(name, span), value)]),
                span,
            );
        }
        YamlData::Alias(_) | YamlData::BadValue => NodeKind::Unresolved {
            expr: "(unsupported YAML node)".into(),
        },
    };
    Node::new(kind, span)
}
