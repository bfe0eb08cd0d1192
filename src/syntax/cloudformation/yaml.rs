//! YAML to `Node`, keeping byte spans and lowering short tags (`!Ref X`, `!Sub ...`) to the
//! long forms (`{"Ref": X}`, `{"Fn::Sub": ...}`) so YAML and JSON templates resolve alike.

use super::block_yaml;
use crate::source::{FileId, Span, Spanned};
use crate::syntax::node::{Node, NodeKind};
use saphyr::{MarkedYaml, Scalar, Tag, Yaml, YamlData, YamlLoader};
use saphyr_parser::{Event, Parser, SpannedEventReceiver};

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

    /// A span of saphyr's character indices, in bytes.
    fn span(&self, file: FileId, start: usize, end: usize) -> Span {
        let start = self.byte(start);
        Span::new(file, start..self.byte(end).max(start))
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
    // Most templates build straight into `Node`s; what only the general loader answers
    // exactly (anchors, aliases, keys that are collections, deep nesting) is parsed again by it.
    let mut builder = Builder::new(file, &offsets);
    // Block-style YAML is scanned without saphyr where it can be (see `block_yaml`).
    if block_yaml::events(text, &mut builder).is_err() {
        builder = Builder::new(file, &offsets);
        Parser::new_from_str(text)
            .load(&mut builder, true)
            .map_err(|e| error(&e))?;
    } else {
        #[cfg(fuzzing)]
        assert_eq!(
            block_yaml::saphyr_events(text),
            Ok(block_yaml::block_events(text).expect("accepted once")),
            "the block scanner and saphyr disagree"
        );
    }
    if !builder.general {
        // Under the fuzzer every input also checks that both ways agree.
        #[cfg(fuzzing)]
        assert_eq!(
            Ok(&builder.first),
            parse_general(text, file, &offsets)
                .as_ref()
                .map_err(|e| e.info()),
            "the YAML builder and the general loader disagree"
        );
        return Ok(builder.first);
    }
    parse_general(text, file, &offsets).map_err(|e| error(&e))
}

/// Through saphyr's own loader (a `MarkedYaml` tree), then lowered.
fn parse_general(
    text: &str,
    file: FileId,
    offsets: &Offsets,
) -> Result<Option<Node>, saphyr::ScanError> {
    let mut loader = YamlLoader::<MarkedYaml>::default();
    // CloudFormation keeps the last of duplicated keys (templates in the wild rely on it);
    // strict YAML would reject the whole file.
    loader.allow_duplicate_keys(true);
    Parser::new_from_str(text).load(&mut loader, true)?;
    if let Some(e) = loader.error() {
        return Err(e.clone());
    }
    let docs = loader.into_documents();
    Ok(docs.first().map(|d| lower(d, file, offsets, 0)))
}

/// Builds the first document's `Node` tree from the parser's events, as [`parse_general`]
/// would (the `fast_path_is_the_general_loader` test compares them), without saphyr's
/// `MarkedYaml` tree in between (a `LinkedHashMap` per mapping, built, lowered and dropped: the
/// synthetic N = 10,000 tree ran 11% faster without it). Gives up (`general`) on anchors and
/// aliases (their expansion budget), collections as keys (compared by value) and nesting near
/// `MAX_DEPTH`.
struct Builder<'t, 'input> {
    file: FileId,
    offsets: &'t Offsets<'t>,
    open: Vec<Open<'input>>,
    /// The depth `lower` would give the next node.
    depth: usize,
    first: Option<Node>,
    documents: usize,
    general: bool,
}

struct Open<'input> {
    /// Where the collection starts (saphyr's character index).
    start: usize,
    /// What it adds to the depth: one, two when it is tagged.
    levels: usize,
    tag: Option<std::borrow::Cow<'input, Tag>>,
    items: Items<'input>,
}

enum Items<'input> {
    Sequence(Vec<Node>),
    Mapping(Mapping<'input>),
}

/// A mapping being built. A repeated key replaces the value and moves to the end, keeping the
/// first key's place in the text (saphyr's loader with duplicate keys allowed); keys compare by
/// their YAML value (`1` and `01` are one key, `1` and `"1"` two).
#[derive(Default)]
struct Mapping<'input> {
    /// In order, each with its key's value; `None` where a key was repeated later.
    entries: Vec<Option<Entry<'input>>>,
    /// Key value → its entry, once there are too many entries to look through.
    index: Option<std::collections::HashMap<Yaml<'input>, usize>>,
    /// The key whose value comes next.
    key: Option<(Spanned<String>, Yaml<'input>)>,
}

type Entry<'input> = (Spanned<String>, Node, Yaml<'input>);

impl<'input> Mapping<'input> {
    /// Looked through up to this many entries (most mappings), hashed beyond.
    const LINEAR: usize = 16;

    fn insert(&mut self, key: Spanned<String>, value: Yaml<'input>, node: Node) {
        let repeated = match &self.index {
            Some(index) => index.get(&value).copied(),
            None => self
                .entries
                .iter()
                .position(|e| e.as_ref().is_some_and(|(_, _, k)| *k == value)),
        };
        let entry = match repeated {
            // The first key stays (with its place), the last value wins.
            Some(at) => {
                let (first, _, value) = self.entries[at].take().expect("a live entry");
                (first, node, value)
            }
            None => (key, node, value),
        };
        if let Some(index) = &mut self.index {
            index.insert(entry.2.clone(), self.entries.len());
        }
        self.entries.push(Some(entry));
        if self.index.is_none() && self.entries.len() > Self::LINEAR {
            let live = self.entries.iter().enumerate();
            let index = live.filter_map(|(i, e)| e.as_ref().map(|(_, _, k)| (k.clone(), i)));
            self.index = Some(index.collect());
        }
    }

    fn into_entries(self) -> Vec<(Spanned<String>, Node)> {
        let live = self.entries.into_iter().flatten();
        live.map(|(key, node, _)| (key, node)).collect()
    }
}

impl<'t, 'input> Builder<'t, 'input> {
    /// Half of `MAX_DEPTH`: the cut at `MAX_DEPTH` is made by the general path.
    const MAX_OPEN: usize = MAX_DEPTH / 2;

    fn new(file: FileId, offsets: &'t Offsets<'t>) -> Self {
        Builder {
            file,
            offsets,
            open: Vec::new(),
            depth: 0,
            first: None,
            documents: 0,
            general: false,
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.offsets.span(self.file, start, end)
    }

    /// A finished node, into its parent (as a value or an item) or as the document. (Scalar
    /// keys never become nodes; a collection as a key is the general loader's.)
    fn add(&mut self, node: Node) {
        match self.open.last_mut() {
            None => {
                if self.documents == 0 {
                    self.first = Some(node);
                }
            }
            Some(Open {
                items: Items::Sequence(items),
                ..
            }) => items.push(node),
            Some(Open {
                items: Items::Mapping(map),
                ..
            }) => match map.key.take() {
                None => self.general = true,
                Some((key, value)) => map.insert(key, value, node),
            },
        }
    }

    fn open(
        &mut self,
        at: saphyr_parser::Span,
        tag: Option<std::borrow::Cow<'input, Tag>>,
        items: Items<'input>,
    ) {
        // A tagged collection is two levels of `lower`'s depth.
        let levels = 1 + usize::from(tag.as_ref().is_some_and(|t| !t.is_yaml_core_schema()));
        if self.depth + levels + 2 > Self::MAX_OPEN {
            self.general = true;
            return;
        }
        self.depth += levels;
        self.open.push(Open {
            start: at.start.index(),
            levels,
            tag,
            items,
        });
    }

    fn close(&mut self, end: usize) {
        let Some(open) = self.open.pop() else {
            return;
        };
        self.depth -= open.levels;
        let raw = self.span(open.start, end);
        let span = close_flow(raw, self.offsets.text);
        let kind = match open.items {
            Items::Sequence(items) => NodeKind::Array(items),
            Items::Mapping(map) => NodeKind::Object(map.into_entries()),
        };
        let node = Node::new(kind, span);
        let node = match open.tag {
            Some(tag) if !tag.is_yaml_core_schema() => {
                let outer = Span {
                    file: self.file,
                    range: (raw.range.start..raw.range.end.max(node.span.range.end)).into(),
                };
                tagged(&tag, node, outer)
            }
            _ => node,
        };
        self.add(node);
    }
}

impl<'input> SpannedEventReceiver<'input> for Builder<'_, 'input> {
    fn on_event(&mut self, event: Event<'input>, at: saphyr_parser::Span) {
        if self.general {
            return;
        }
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) => {}
            Event::DocumentEnd => {
                if self.open.is_empty() && self.documents == 0 && self.first.is_none() {
                    let span = self.span(at.start.index(), at.end.index());
                    self.first = Some(Node::unresolved("(unsupported YAML node)", span));
                }
                self.documents += 1;
            }
            Event::Alias(_)
            | Event::Scalar(_, _, 1.., _)
            | Event::SequenceStart(1.., _)
            | Event::MappingStart(1.., _) => self.general = true,
            Event::SequenceStart(_, tag) => self.open(at, tag, Items::Sequence(Vec::new())),
            Event::MappingStart(_, tag) => self.open(at, tag, Items::Mapping(Mapping::default())),
            Event::SequenceEnd | Event::MappingEnd => self.close(at.start.index()),
            Event::Scalar(value, style, _, tag) => {
                let span = self.span(at.start.index(), at.end.index());
                let yaml = Yaml::value_from_cow_and_metadata(value, style, tag.as_ref());
                match self.open.last_mut() {
                    // A key: its text, and its value to tell repeated keys; never a node.
                    Some(Open {
                        items: Items::Mapping(map),
                        ..
                    }) if map.key.is_none() => {
                        let text = key_text(&yaml).unwrap_or_default();
                        map.key = Some((Spanned::new(text, span), yaml));
                    }
                    _ => self.add(scalar_node(yaml, span)),
                }
            }
        }
    }
}
fn span_of(y: &MarkedYaml, file: FileId, offsets: &Offsets) -> Span {
    offsets.span(file, y.span.start.index(), y.span.end.index())
}

fn scalar_text(y: &MarkedYaml) -> Option<String> {
    match &y.data {
        YamlData::Value(scalar) => Some(scalar_string(scalar)),
        YamlData::Representation(s, _, _) => Some(s.to_string()),
        YamlData::Tagged(_, inner) => scalar_text(inner),
        _ => None,
    }
}

/// A scalar key's text (`1` → "1", `~` → "null").
fn scalar_string(scalar: &Scalar) -> String {
    match scalar {
        Scalar::String(s) => s.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::FloatingPoint(f) => f.to_string(),
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Null => "null".into(),
    }
}

/// A scalar value as a node's kind.
fn scalar_kind(scalar: &Scalar) -> NodeKind {
    match scalar {
        Scalar::Null => NodeKind::Null,
        Scalar::Boolean(b) => NodeKind::Bool(*b),
        Scalar::Integer(i) => NodeKind::Number(*i as f64),
        Scalar::FloatingPoint(f) => NodeKind::Number(f.into_inner()),
        Scalar::String(s) => NodeKind::String(s.to_string()),
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
        YamlData::Value(scalar) => scalar_kind(scalar),
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
            return tagged(tag, value, span);
        }
        YamlData::Alias(_) | YamlData::BadValue => NodeKind::Unresolved {
            expr: "(unsupported YAML node)".into(),
        },
    };
    Node::new(kind, span)
}

/// A tagged node: CloudFormation's short forms (`!Ref x`) as their long forms
/// (`{"Ref": x}`); the core schema's own tags (`!!str 5`) as the value.
fn tagged(tag: &Tag, value: Node, span: Span) -> Node {
    if tag.handle != "!" {
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
    Node::new(
        NodeKind::Object(vec![(Spanned::new(name, span), value)]),
        span,
    )
}

/// A scalar event's value (as the loader resolves it) as a `Node`, as `lower` makes it; its
/// text moved, not copied.
fn scalar_node(y: Yaml, span: Span) -> Node {
    let kind = match y {
        Yaml::Tagged(tag, inner) => return tagged(&tag, scalar_node(*inner, span), span),
        Yaml::Value(Scalar::String(s)) | Yaml::Representation(s, _, _) => {
            NodeKind::String(s.into_owned())
        }
        Yaml::Value(scalar) => scalar_kind(&scalar),
        _ => NodeKind::Unresolved {
            expr: "(unsupported YAML node)".into(),
        },
    };
    Node::new(kind, span)
}

/// A scalar key's text, as `scalar_text` gives it.
fn key_text(y: &Yaml) -> Option<String> {
    match y {
        Yaml::Value(scalar) => Some(scalar_string(scalar)),
        Yaml::Representation(s, _, _) => Some(s.to_string()),
        Yaml::Tagged(_, inner) => key_text(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The builder's answer, or `None` where it hands over to the general loader.
    fn built(text: &str) -> Option<Result<Option<Node>, String>> {
        let offsets = Offsets::new(text);
        let mut builder = Builder::new(FileId(0), &offsets);
        let parsed = Parser::new_from_str(text).load(&mut builder, true);
        match parsed {
            Err(e) => Some(Err(e.info().to_owned())),
            Ok(()) if builder.general => None,
            Ok(()) => Some(Ok(builder.first)),
        }
    }

    fn general(text: &str) -> Result<Option<Node>, String> {
        parse_general(text, FileId(0), &Offsets::new(text)).map_err(|e| e.info().to_owned())
    }

    /// The edge cases, and every YAML file of testdata/, the fuzz seeds and the corpus (when
    /// `ECSLINT_CORPUS` is set).
    fn texts() -> Vec<String> {
        let cases = [
            "",
            "# only a comment\n",
            "---\n",
            "---\n...\n",
            "a: 1\nb: [1, 2.5, true, null, ~, 'x']\nc: {d: e}\n",
            "a:\nb: !Ref X\nc: !GetAtt A.B\nd: !Sub\n  - '${x}'\n  - {x: 1}\n",
            "a: !If [c, !Ref A, !Ref 'AWS::NoValue']\nb: !Condition C\n",
            "a: !!str 5\nb: !!int 7\nc: !!binary aGk=\nd: !!map {x: 1}\ne: !!int nope\n",
            "a: 1\nb: 2\na: 3\n",
            "1: x\n01: y\n\"1\": z\n1.0: f\n1.00: g\ntrue: t\nTrue: u\nnull: n\n~: m\n",
            "!Ref a: 1\n!Ref a: 2\n? !Sub b\n: 3\n",
            "a: {b: 1, b: 2, c: [x, {d: y}]}\n",
            "t: !Tagged {a: 1}\nu: !Seq [1]\nv: !Empty\n",
            "doc: 1\n---\ndoc: 2\n",
            "- 1\n- - 2\n  - 3\n",
            "name: caf\u{e9} \u{1f680}\nk\u{e9}y: \"\u{e9}\"\n",
            "a: |\n  line\n  line\nb: >-\n  folded\n  text\n",
            "a: &anchor 1\nb: *anchor\n",
            "? [complex, key]\n: value\n",
            "? {a: 1}\n: value\n",
            "a: [unclosed\n",
            "a: b: c\n",
        ];
        let mut texts: Vec<String> = cases.iter().map(|s| s.to_string()).collect();
        // Past `Mapping::LINEAR` keys, repeated before and after the index is built.
        let keys: Vec<String> = (0..40).map(|i| format!("k{}: {i}\n", i % 23)).collect();
        texts.push(format!("k3: first\nk0: x\n{}", keys.concat()));
        for n in [1, 20, 31, 32, 33, 40, 63, 64, 65, 70, 130] {
            texts.push(format!("a: {}\n", deep(n, "")));
            texts.push(format!("a: {}\n", deep(n, "!If ")));
        }
        let files = crate::syntax::sample_files(
            "fuzz/seeds/cloudformation_yaml",
            &["yaml", "yml", "template"],
        );
        for f in &files {
            if let Ok(text) = std::fs::read_to_string(f) {
                texts.push(text);
            }
        }
        texts
    }

    fn deep(n: usize, tag: &str) -> String {
        format!("{}1{}", format!("{tag}[").repeat(n), "]".repeat(n))
    }

    #[test]
    fn fast_path_is_the_general_loader() {
        let texts = texts();
        let mut fast = 0;
        for text in &texts {
            let Some(built) = built(text) else {
                continue;
            };
            fast += 1;
            assert_eq!(built, general(text), "{text:?}");
        }
        // Most inputs take the fast path, or the comparison says little.
        assert!(fast * 10 >= texts.len() * 8, "{fast} of {}", texts.len());
        // What it hands over is what only the general loader answers exactly.
        for handed_over in [
            "a: &anchor 1\nb: *anchor\n",
            "? [complex, key]\n: value\n",
            &format!("a: {}\n", deep(70, "")),
        ] {
            assert!(built(handed_over).is_none(), "{handed_over:?}");
        }
    }

    /// Block-style YAML, what `block_yaml` reads itself, and what it must give up on.
    const BLOCK_CASES: &[&str] = &[
        "a: 1\n",
        "a: 1",
        "a:\n  b: 1\n",
        "a:\n- 1\n- 2\nb: 3\n",
        "a:\n  - 1\n  - 2\nb: 3\n",
        "- a: 1\n  b: 2\n- c: 3\n",
        "-   a: 1\n    b: 2\n-\n  c: 3\n",
        "a: x # c\nb: 'q' # c\nc: \"d\"   # e\n",
        "a: \"x\"\nb: ''\nc: \"\"\n",
        "a: 'it''s'\n",
        "a: \"e\\n\"\n",
        "a: b\n  c\n",
        "a: b # c\n  d\n",
        "a: 1\n  b: 2\n",
        "a:\n  b: 1\n c: 2\n",
        "  a: 1\n  b: 2\n",
        "  a: 1\nb: 2\n",
        "a: 1\n\n\n# c\n      # indented comment\nb: 2\n\n# end\n\n",
        "a: !Ref X\nb: !Sub 'x-${Y}'\nc: !GetAtt A.Arn\n",
        "a: !GetAtt\n  - A\n  - B\nb: !Sub\n  - x\n  - y: 1\n",
        "- !Ref a\n- !If\n  - c\n  - x\n",
        "a: !Ref\nb: 1\n",
        "a: !Tagged\n  b: 1\nc: 2\n",
        "a: !Ref  X\n",
        "a: !Ref 'X'\n",
        "a: !!str x\n",
        "a: !<tag:x> x\n",
        "a: ! x\n",
        "a: !Fn::Sub x\n",
        "a:\n  - b:\n      c: 1\n    d: 2\n",
        "a: b:c\nd: Fn::Sub\nFn::Sub: x\narn: arn:aws:iam::123456789012:role/x\n",
        "a:    \n  b: 1\n",
        "a: 1   \nb: 2 \n",
        "a: x#y\n",
        "a:#b\n",
        "key with spaces: value with spaces\n",
        "a: -1\nb: -x\n",
        "a: :x\n",
        "a: ?x\n",
        "-\n  a: 1\n",
        "- \n  a: 1\n",
        "- # comment\n  a: 1\n",
        "a: 'x' y\n",
        "a: \"x\"y\n",
        "a: \"x\" #c\n",
        "a: 'x'#c\n",
        "'a b': 1\n\"c d\": 2\n",
        "\"a\" : 1\n",
        "a: 1\n...\n",
        "a: 1\n---\nb: 2\n",
        "%YAML 1.2\n---\na: 1\n",
        "a:\n  !Ref x: 1\n",
        "- - a\n",
        "-a\n",
        "a\n",
        "a: b\n- c\n",
        "- a\nb: c\n",
        "a:\n  - x\n  y: 1\n",
        "a:\n- x\n  y: 1\n",
        "a: [\n",
        "a: \"unterminated\n",
        "a: 'x\n  y'\n",
        "a: 1\na: 2\n",
        "a: yes\nb: No\nc: ~\nd: null\ne: 0x1F\nf: 1e3\ng: .inf\nh: 0o17\ni: 2012-10-17\n",
        "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
        "a: x\tb\n",
        "a: x\r\nb: y\r\n",
        "a: \u{e9}\n",
        "a: b\n# c\n  d\n",
        "a: b\n\n  d\n",
        "- a\n# c\n  - b\n",
        "a: b c  d\n",
        "a: b #\n",
        "<<: x\n",
        "a: @x\n",
        "a: `x\n",
        "a: %x\n",
        "a: x%\n",
        "a: ,x\n",
        "a: x,]{}\n",
        "a:\n- # c\n  b: 1\n",
        "a:\n-\n  b: 1\n",
        "a:\n-   x\nb:\n  -   y\n",
        "- --port\n- -b\n- ?x\n- :y\n- x:y\n",
        "a: \"x\"   \nb: 'y'\n",
        "a:\n  b: 1\n  # c\nc: 2\n",
        "a:\n  b: 1\n\n",
        "- a:\n  - x\n  b: 1\n- a:\n  - y\n- z\n",
        "a: b\n  # c\nd: 1\n",
        "a: b\n\n  c\n",
        "a:\n  b: !Split\n    - \",\"\n    - x,y\n  c: !Join\n  - ''\n  - - a\n",
    ];

    #[test]
    fn block_events_are_saphyrs() {
        let mut texts = texts();
        texts.extend(BLOCK_CASES.iter().map(|s| s.to_string()));
        let chain = |n: usize| -> String {
            (0..n)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>()
                + &format!("{}v: 1\n", " ".repeat(n))
        };
        for n in [10, 47, 48, 49, 100] {
            texts.push(chain(n));
        }
        let mut accepted = 0;
        for text in &texts {
            let Some(block) = super::super::block_yaml::block_events(text) else {
                continue;
            };
            accepted += 1;
            assert_eq!(
                super::super::block_yaml::saphyr_events(text),
                Ok(block),
                "{text:?}"
            );
            // And through the builder, the general loader's nodes.
            assert_eq!(
                parse(text, FileId(0)).map_err(|e| e.message),
                general(text),
                "{text:?}"
            );
        }
        // Enough of them are block-style, or the comparison says little.
        assert!(accepted >= 40, "{accepted} of {}", texts.len());
        // What it must leave to saphyr.
        for handed_over in [
            "a: 'it''s'\n",
            "a: b\n  c\n",
            "a: &anchor 1\nb: *anchor\n",
            "a: [1]\n",
            "a: |\n  x\n",
            &chain(100),
        ] {
            assert!(
                super::super::block_yaml::block_events(handed_over).is_none(),
                "{handed_over:?}"
            );
        }
    }
}
