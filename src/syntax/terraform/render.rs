//! Templates that hold JSON — heredocs, `file()`, `templatefile()` — rendered to text with a
//! byte map back to the source, so the container definitions parsed from that text keep the
//! spans of the characters a person edits. Interpolations that cannot be known are rendered as
//! sentinel strings and come back as `Unresolved` values at their own spot; the rest of the
//! JSON stays known.

use super::eval::{Eval, Scope, interpolate, span_of};
use super::hcl_tree::{self, Element, Expression, Template};
use crate::model::Part;
use crate::source::{FileId, Span};
use crate::syntax::budget::MAPPED_BYTE;
use crate::syntax::node::{Node, NodeKind, parse_json};

const SENTINEL: char = '\u{E000}';

pub struct Mapped {
    pub file: FileId,
    pub text: String,
    /// For each output byte, the source range it came from.
    map: Vec<(u32, u32)>,
    /// Source text of each unknown interpolation, by sentinel number.
    unknowns: Vec<String>,
    in_string: bool,
    escaped: bool,
}

impl Mapped {
    fn new(file: FileId) -> Self {
        Mapped {
            file,
            text: String::new(),
            map: Vec::new(),
            unknowns: Vec::new(),
            in_string: false,
            escaped: false,
        }
    }

    fn track(&mut self, s: &str) {
        for b in s.bytes() {
            if self.escaped {
                self.escaped = false;
            } else if self.in_string && b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = !self.in_string;
            }
        }
    }

    /// A literal whose source is `source` at `base`; the value may differ from the source by
    /// escapes and heredoc indentation, which only ever remove characters, so a greedy walk
    /// aligns every kept character with its source position.
    fn push_literal(&mut self, value: &str, source: &str, base: usize) {
        let src = source.as_bytes();
        let mut j = 0;
        for (i, ch) in value.char_indices() {
            let bytes = &value.as_bytes()[i..i + ch.len_utf8()];
            while j < src.len() && !src[j..].starts_with(bytes) {
                j += 1;
            }
            let at = (base + j.min(src.len())) as u32;
            for _ in 0..bytes.len() {
                self.map.push((at, at + bytes.len() as u32));
            }
            j = (j + bytes.len()).min(src.len());
        }
        self.track(value);
        self.text.push_str(value);
    }

    fn push_value(&mut self, value: &str, range: std::ops::Range<usize>) {
        for _ in 0..value.len() {
            self.map.push((range.start as u32, range.end as u32));
        }
        self.track(value);
        self.text.push_str(value);
    }

    fn push_unknown(&mut self, expr: String, range: std::ops::Range<usize>) {
        let marker = format!("{SENTINEL}{}{SENTINEL}", self.unknowns.len());
        self.unknowns.push(expr);
        let text = if self.in_string {
            marker
        } else {
            format!("\"{marker}\"")
        };
        for _ in 0..text.len() {
            self.map.push((range.start as u32, range.end as u32));
        }
        // The quotes (if any) balance each other: string state is unchanged.
        self.text.push_str(&text);
    }

    /// Parse the rendered text as JSON with spans mapped back to the source.
    pub fn decode(self) -> Result<Option<Node>, (Span, String)> {
        let file = self.file;
        let map = &self.map;
        let span_of = |r: std::ops::Range<usize>| {
            if map.is_empty() {
                return Span::new(file, 0..0);
            }
            let a = map[r.start.min(map.len() - 1)].0 as usize;
            let b = map[r.end.saturating_sub(1).min(map.len() - 1)].1 as usize;
            Span::new(file, a..b.max(a))
        };
        match parse_json(&self.text, &span_of) {
            Ok(node) => Ok(node.map(|n| replace_sentinels(n, &self.unknowns))),
            Err(e) => Err((span_of(e.range.clone()), e.message)),
        }
    }
}

fn replace_sentinels(node: Node, unknowns: &[String]) -> Node {
    let Node { kind, span, via } = node;
    let kind = match kind {
        NodeKind::String(s) if s.contains(SENTINEL) => {
            let mut parts = Vec::new();
            for (i, piece) in s.split(SENTINEL).enumerate() {
                if i % 2 == 0 {
                    parts.push(Part::Text(piece.to_owned()));
                } else {
                    let n: usize = piece.parse().unwrap_or(usize::MAX);
                    parts.push(Part::Hole(
                        unknowns.get(n).map_or("?", String::as_str).to_owned(),
                    ));
                }
            }
            return Node::partial(parts, span);
        }
        NodeKind::Array(items) => NodeKind::Array(
            items
                .into_iter()
                .map(|n| replace_sentinels(n, unknowns))
                .collect(),
        ),
        NodeKind::Object(props) => NodeKind::Object(
            props
                .into_iter()
                .map(|(k, v)| (k, replace_sentinels(v, unknowns)))
                .collect(),
        ),
        other => other,
    };
    Node { kind, span, via }
}

/// Render a template (heredoc or quoted) of `ev`'s file.
pub fn render(ev: &Eval, template: &Template, scope: &Scope, depth: usize) -> Option<Mapped> {
    let file = ev.module.ctx.db.get(ev.file);
    let mut out = Mapped::new(ev.file);
    render_into(ev, &file.text, template, scope, depth, &mut out)?;
    Some(out)
}

fn render_into(
    ev: &Eval,
    source: &str,
    template: &Template,
    scope: &Scope,
    depth: usize,
    out: &mut Mapped,
) -> Option<()> {
    for element in template.iter() {
        match element {
            Element::Literal(l) => {
                if !ev
                    .module
                    .budget()
                    .spend(l.value().len() as u64 * MAPPED_BYTE)
                {
                    return None;
                }
                let range = l.span().unwrap_or(0..0);
                let src = source.get(range.clone()).unwrap_or("");
                out.push_literal(l.value(), src, range.start);
            }
            Element::Interpolation(i) => {
                let value = ev.eval(&i.expr, scope, depth + 1);
                let range = i.expr.span().unwrap_or(0..0);
                match interpolate(&value) {
                    Some(text) if !ev.spend(text.len() as u64 * MAPPED_BYTE, &i.expr) => {
                        return None;
                    }
                    Some(text) => out.push_value(&text, range),
                    None => out.push_unknown(ev.text(&i.expr), range),
                }
            }
            // `%{ if }` / `%{ for }` inside JSON: render when fully known, else give up on the
            // whole template (a partial render would be wrong JSON, not unknown JSON).
            Element::Directive(_) => {
                let single = Template::from(vec![element.clone()]);
                let text = ev.render_template(&single, scope, depth + 1)?;
                let range = element.span().unwrap_or(0..0);
                out.push_value(&text, range);
            }
        }
    }
    Some(())
}

/// The JSON text an attribute holds, mapped to its source: a heredoc or string template in
/// the .tf file, `file(...)` or `templatefile(...)`. `None` for anything else (evaluate it).
pub fn json_source(
    ev: &Eval,
    expr: &Expression,
    scope: &Scope,
    depth: usize,
) -> Option<Option<Mapped>> {
    match expr {
        Expression::HeredocTemplate(h) => Some(render(ev, &h.template, scope, depth)),
        Expression::StringTemplate(t) => Some(render(ev, t, scope, depth)),
        Expression::String(s) => {
            let mut out = Mapped::new(ev.file);
            let range = s.span().unwrap_or(0..0);
            let file = ev.module.ctx.db.get(ev.file);
            out.push_literal(
                s.value(),
                file.text.get(range.clone()).unwrap_or(""),
                range.start,
            );
            Some(Some(out))
        }
        Expression::FuncCall(call) => {
            let args: Vec<&Expression> = call.args.iter().collect();
            match call.name.name.value().as_str() {
                "file" => {
                    let path = ev.eval(args.first()?, scope, depth + 1);
                    let loaded = path.as_str().and_then(|p| ev.module.load_relative(p));
                    Some(loaded.map(|f| {
                        let mut out = Mapped::new(f.id);
                        out.push_literal(&f.text, &f.text, 0);
                        out
                    }))
                }
                "templatefile" => Some(templatefile(ev, &args, scope, depth)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `templatefile(path, vars)`: the file (read through the scan-root check) parsed as a
/// template and rendered with `vars` as its only names, as Terraform does.
pub fn templatefile(
    ev: &Eval,
    args: &[&Expression],
    scope: &Scope,
    depth: usize,
) -> Option<Mapped> {
    let path = ev.eval(args.first()?, scope, depth + 1);
    let file = ev.module.load_relative(path.as_str()?)?;
    let vars = match args.get(1) {
        Some(v) => ev.eval(v, scope, depth + 1),
        None => Node::new(NodeKind::Object(Vec::new()), span_of(ev.file, None)),
    };
    let mut inner = Scope::default();
    for (k, v) in vars.as_object()? {
        inner.bind(k.value.clone(), v.clone());
    }
    let template = hcl_tree::parse_template(&file.text).ok()?;
    let tev = Eval {
        module: ev.module,
        file: file.id,
    };
    let mut out = Mapped::new(file.id);
    render_into(&tev, &file.text, &template, &inner, depth + 1, &mut out)?;
    Some(out)
}
