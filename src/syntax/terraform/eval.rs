//! A static evaluator for Terraform expressions over hcl-edit's spanned syntax tree. It knows
//! literals, templates, `var.*` (defaults, tfvars), `local.*`, `path.module`, `for`
//! expressions, conditionals, arithmetic and the functions ECS modules use; a reference to a
//! resource becomes a `Ref`; everything else (data sources, module outputs, `each`, `count`,
//! unknown functions) is `Unresolved` with its source text. It never guesses.

use super::Module;
use super::hcl_tree::{
    BinaryOperator, Decorated, Directive, Element, Expression, FuncCall, ObjectKey, Template,
    TraversalOperator, UnaryOperator,
};
use crate::model::Part;
use crate::source::{FileId, Span, Spanned};
use crate::syntax::budget::{NODE, STEP};
use crate::syntax::node::{Node, NodeKind, format_number, same_value};
use std::rc::Rc;

const MAX_DEPTH: usize = 64;
/// Output bound for `for` expressions and `range`-like growth on hostile input.
const MAX_ITEMS: usize = 10_000;

/// Names bound by `for` expressions, `count` / `each` and `templatefile` variables: a chain of
/// frames, innermost first. A nested `for` extends the scope once per element, so cloning one
/// must cost nothing (a pointer) and bound values are shared, never copied.
#[derive(Clone, Default)]
pub struct Scope {
    innermost: Option<Rc<Frame>>,
}

struct Frame {
    name: String,
    value: Rc<Node>,
    outer: Option<Rc<Frame>>,
}

impl Scope {
    pub fn bind(&mut self, name: impl Into<String>, value: Node) {
        self.innermost = Some(Rc::new(Frame {
            name: name.into(),
            value: Rc::new(value),
            outer: self.innermost.take(),
        }));
    }

    pub fn get(&self, name: &str) -> Option<&Node> {
        let mut frame = self.innermost.as_deref();
        while let Some(f) = frame {
            if f.name == name {
                return Some(&f.value);
            }
            frame = f.outer.as_deref();
        }
        None
    }
}

pub struct Eval<'m, 'a> {
    pub module: &'m Module<'a>,
    pub file: FileId,
}

pub fn span_of(file: FileId, range: Option<std::ops::Range<usize>>) -> Span {
    Span::new(file, range.unwrap_or(0..0))
}

impl Eval<'_, '_> {
    pub fn span(&self, expr: &Expression) -> Span {
        span_of(self.file, expr.span())
    }

    /// The expression's source text, for `Unresolved` values.
    pub fn text(&self, expr: &Expression) -> String {
        let file = self.module.ctx.db.get(self.file);
        let span = self.span(expr);
        let text = file.slice(&span.range);
        if text.len() > 200 {
            let cut = (0..=200)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            format!("{}…", &text[..cut])
        } else {
            text.to_owned()
        }
    }

    fn unresolved(&self, expr: &Expression) -> Node {
        Node::unresolved(self.text(expr), self.span(expr))
    }

    /// Terraform would stop with an error here: counted, so that `try` / `can` tell an error
    /// (try the next argument) from an unknown value (the result is unknown too).
    fn error(&self) {
        let errors = &self.module.state.errors;
        errors.set(errors.get() + 1);
    }

    fn errors(&self) -> u64 {
        self.module.state.errors.get()
    }

    /// The budget ran out at `expr`: remember the place, and the value is unknown.
    fn over_budget(&self, expr: &Expression) -> Node {
        let text = self.text(expr);
        self.module.budget().mark_exceeded(&self.span(expr), &text);
        Node::unresolved(text, self.span(expr))
    }

    /// Spend `units` for building a part of `expr`; false (and the place remembered) when the
    /// budget is gone.
    pub fn spend(&self, units: u64, expr: &Expression) -> bool {
        if self.module.budget().spend(units) {
            return true;
        }
        self.module
            .budget()
            .mark_exceeded(&self.span(expr), &self.text(expr));
        false
    }

    /// [`Eval::spend`] for a place given by its span.
    pub fn spend_at(&self, units: u64, at: &Span) -> bool {
        if self.module.budget().spend(units) {
            return true;
        }
        let text = self.module.ctx.db.get(at.file).slice(&at.range).to_owned();
        self.module.budget().mark_exceeded(at, &text);
        false
    }

    /// A copy of a shared value, paid for.
    fn copy_of(&self, node: &Node, expr: &Expression) -> Node {
        if self.module.budget().spend_copy(node) {
            node.clone()
        } else {
            self.over_budget(expr)
        }
    }

    pub fn eval(&self, expr: &Expression, scope: &Scope, depth: usize) -> Node {
        let span = self.span(expr);
        if depth > MAX_DEPTH {
            return self.unresolved(expr);
        }
        if !self.module.budget().spend(STEP) {
            return self.over_budget(expr);
        }
        let kind = match expr {
            Expression::Null(_) => NodeKind::Null,
            Expression::Bool(b) => NodeKind::Bool(*b.value()),
            Expression::Number(n) => match n.value().as_f64() {
                Some(v) => NodeKind::Number(v),
                None => return self.unresolved(expr),
            },
            Expression::String(s) => NodeKind::String(s.value().clone()),
            Expression::Array(items) => NodeKind::Array(
                items
                    .iter()
                    .map(|e| self.eval(e, scope, depth + 1))
                    .collect(),
            ),
            Expression::Object(obj) => {
                let mut props = Vec::with_capacity(obj.len());
                for (key, value) in obj.iter() {
                    let (name, key_span) = match key {
                        ObjectKey::Ident(id) => {
                            (id.value().to_string(), span_of(self.file, id.span()))
                        }
                        ObjectKey::Expression(k) => {
                            let n = self.eval(k, scope, depth + 1);
                            match &n.kind {
                                NodeKind::String(s) => (s.clone(), n.span),
                                NodeKind::Number(x) => (format_number(*x), n.span),
                                _ => return self.unresolved(expr),
                            }
                        }
                    };
                    props.push((
                        Spanned::new(name, key_span),
                        self.eval(value.expr(), scope, depth + 1),
                    ));
                }
                NodeKind::Object(props)
            }
            Expression::StringTemplate(t) => return self.template(t, expr, scope, depth),
            Expression::HeredocTemplate(h) => {
                return self.template(&h.template, expr, scope, depth);
            }
            Expression::Parenthesis(p) => return self.eval(p.inner(), scope, depth + 1),
            // A bound name keeps the span of the value it stands for: that is what one edits.
            Expression::Variable(v) => match scope.get(v.value().as_str()) {
                Some(n) => return self.copy_of(n, expr),
                None => return self.unresolved(expr),
            },
            Expression::Traversal(t) => {
                return self.traversal(&t.expr, &t.operators, expr, scope, depth);
            }
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, scope, depth + 1);
                return match cond.kind {
                    NodeKind::Bool(true) => self.eval(&c.true_expr, scope, depth + 1),
                    NodeKind::Bool(false) => self.eval(&c.false_expr, scope, depth + 1),
                    _ => {
                        let a = self.eval(&c.true_expr, scope, depth + 1);
                        let b = self.eval(&c.false_expr, scope, depth + 1);
                        if same_value(&a, &b) {
                            a
                        } else {
                            self.unresolved(expr)
                        }
                    }
                };
            }
            Expression::FuncCall(call) => return self.call(call, expr, scope, depth),
            Expression::UnaryOp(op) => {
                let v = self.eval(&op.expr, scope, depth + 1);
                match (op.operator.value(), &v.kind) {
                    (UnaryOperator::Neg, NodeKind::Number(n)) => NodeKind::Number(-n),
                    (UnaryOperator::Not, NodeKind::Bool(b)) => NodeKind::Bool(!b),
                    _ => return self.unresolved(expr),
                }
            }
            Expression::BinaryOp(op) => {
                let a = self.eval(&op.lhs_expr, scope, depth + 1);
                let b = self.eval(&op.rhs_expr, scope, depth + 1);
                match binary(*op.operator.value(), &a, &b) {
                    Some(k) => k,
                    None => return self.unresolved(expr),
                }
            }
            Expression::ForExpr(f) => {
                let coll = self.eval(&f.intro.collection_expr, scope, depth + 1);
                let Some(entries) = coll.into_entries() else {
                    return self.unresolved(expr);
                };
                if entries.len() > MAX_ITEMS {
                    return self.unresolved(expr);
                }
                let mut array = Vec::new();
                let mut object: Vec<(Spanned<String>, Node)> = Vec::new();
                for (k, v) in entries {
                    if !self.spend(STEP, expr) {
                        return self.unresolved(expr);
                    }
                    let mut inner = scope.clone();
                    if let Some(kv) = &f.intro.key_var {
                        inner.bind(kv.value().to_string(), k);
                    }
                    inner.bind(f.intro.value_var.value().to_string(), v);
                    if let Some(cond) = &f.cond {
                        match self.eval(&cond.expr, &inner, depth + 1).kind {
                            NodeKind::Bool(true) => {}
                            NodeKind::Bool(false) => continue,
                            _ => return self.unresolved(expr),
                        }
                    }
                    let value = self.eval(&f.value_expr, &inner, depth + 1);
                    match &f.key_expr {
                        None => array.push(value),
                        Some(key_expr) => {
                            let key = self.eval(key_expr, &inner, depth + 1);
                            let Some(name) = key.scalar_text() else {
                                return self.unresolved(expr);
                            };
                            object.push((Spanned::new(name, key.span), value));
                        }
                    }
                }
                if f.key_expr.is_some() {
                    NodeKind::Object(object)
                } else {
                    NodeKind::Array(array)
                }
            }
        };
        Node::new(kind, span)
    }

    fn template(
        &self,
        template: &Template,
        whole: &Expression,
        scope: &Scope,
        depth: usize,
    ) -> Node {
        let Some(parts) = self.template_parts(template, scope, depth) else {
            return self.unresolved(whole);
        };
        let built: usize = parts
            .iter()
            .map(|p| match p {
                Part::Text(t) | Part::Hole(t) => t.len(),
            })
            .sum();
        if !self.spend(built as u64, whole) {
            return self.unresolved(whole);
        }
        Node::partial(parts, self.span(whole))
    }

    /// A template as known text and unknown holes (`"${var.registry}/app:latest"` keeps its
    /// `/app:latest`); `None` when a directive depends on something unknown.
    pub fn template_parts(
        &self,
        template: &Template,
        scope: &Scope,
        depth: usize,
    ) -> Option<Vec<Part>> {
        let mut parts = Vec::new();
        for element in template.iter() {
            match element {
                Element::Literal(l) => parts.push(Part::Text(l.value().to_string())),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr, scope, depth + 1);
                    match &v.kind {
                        NodeKind::Partial(inner) => parts.extend(inner.iter().cloned()),
                        _ => match interpolate(&v) {
                            Some(text) => parts.push(Part::Text(text)),
                            None => parts.push(Part::Hole(self.text(&i.expr))),
                        },
                    }
                }
                Element::Directive(_) => {
                    let single = Template::from(vec![element.clone()]);
                    parts.push(Part::Text(self.render_template(
                        &single,
                        scope,
                        depth + 1,
                    )?));
                }
            }
        }
        Some(parts)
    }

    /// A template's text when every part is known.
    pub fn render_template(
        &self,
        template: &Template,
        scope: &Scope,
        depth: usize,
    ) -> Option<String> {
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(l) => out.push_str(l.value()),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr, scope, depth + 1);
                    let text = interpolate(&v)?;
                    if !self.spend(text.len() as u64, &i.expr) {
                        return None;
                    }
                    out.push_str(&text);
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(ifd) => {
                        let cond = self.eval(&ifd.if_expr.cond_expr, scope, depth + 1);
                        match cond.kind {
                            NodeKind::Bool(true) => out.push_str(&self.render_template(
                                &ifd.if_expr.template,
                                scope,
                                depth + 1,
                            )?),
                            NodeKind::Bool(false) => {
                                if let Some(e) = &ifd.else_expr {
                                    out.push_str(&self.render_template(
                                        &e.template,
                                        scope,
                                        depth + 1,
                                    )?);
                                }
                            }
                            _ => return None,
                        }
                    }
                    Directive::For(ford) => {
                        let f = &ford.for_expr;
                        let coll = self.eval(&f.collection_expr, scope, depth + 1);
                        let items = coll.into_entries()?;
                        for (k, v) in items.into_iter().take(MAX_ITEMS) {
                            if !self.spend(STEP, &f.collection_expr) {
                                return None;
                            }
                            let mut inner = scope.clone();
                            if let Some(kv) = &f.key_var {
                                inner.bind(kv.value().to_string(), k);
                            }
                            inner.bind(f.value_var.value().to_string(), v);
                            out.push_str(&self.render_template(&f.template, &inner, depth + 1)?);
                        }
                    }
                },
            }
        }
        Some(out)
    }

    fn traversal(
        &self,
        root: &Expression,
        ops: &[Decorated<TraversalOperator>],
        whole: &Expression,
        scope: &Scope,
        depth: usize,
    ) -> Node {
        let span = self.span(whole);
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.value().to_string()),
            _ => None,
        };
        // The root is borrowed (shared values are not copied to be walked); only the part the
        // traversal ends on is copied, and paid for.
        let owned;
        let shared;
        // Set when the value came into the module from outside (see `Node::via`).
        let mut from_outside = false;
        let (base, rest): (&Node, usize) = match root {
            Expression::Variable(v) => {
                let name = v.value().as_str();
                if let Some(bound) = scope.get(name) {
                    (bound, 0)
                } else {
                    match name {
                        "var" => match attr(0).and_then(|n| self.module.variable_from(&n, depth)) {
                            Some((n, outside)) => {
                                shared = n;
                                from_outside = outside;
                                (&*shared, 1)
                            }
                            None => return self.unresolved(whole),
                        },
                        "local" => match attr(0).and_then(|n| self.module.local(&n, depth)) {
                            Some(n) => {
                                shared = n;
                                (&*shared, 1)
                            }
                            None => return self.unresolved(whole),
                        },
                        "path" if attr(0).as_deref() == Some("module") => {
                            owned = Node::new(
                                NodeKind::String(self.module.dir.to_string_lossy().into_owned()),
                                span,
                            );
                            (&owned, 1)
                        }
                        // `module.CALL.OUTPUT` or `module.CALL[KEY].OUTPUT`.
                        "module" => {
                            let Some(call) = attr(0) else {
                                return self.unresolved(whole);
                            };
                            let (key, at) = match ops.get(1).map(|o| o.value()) {
                                Some(TraversalOperator::Index(i)) => {
                                    (Some(self.eval(i, scope, depth + 1)), 2)
                                }
                                Some(TraversalOperator::LegacyIndex(i)) => (
                                    Some(Node::new(NodeKind::Number(*i.value() as f64), span)),
                                    2,
                                ),
                                _ => (None, 1),
                            };
                            if key.as_ref().is_some_and(Node::is_unknown) {
                                return self.unresolved(whole);
                            }
                            match attr(at) {
                                // The whole module (or instance) as a value.
                                None => {
                                    match self.module.module_value(&call, key.as_ref(), depth) {
                                        Some(n) => {
                                            owned = n;
                                            (&owned, at)
                                        }
                                        None => return self.unresolved(whole),
                                    }
                                }
                                Some(output) => match self.module.module_output(
                                    &call,
                                    key.as_ref(),
                                    &output,
                                    depth,
                                ) {
                                    Some(n) => {
                                        shared = n;
                                        (&*shared, at + 1)
                                    }
                                    None => return self.unresolved(whole),
                                },
                            }
                        }
                        // `data.aws_iam_policy_document.NAME.json` (or `NAME[0].json` with
                        // `count` / `for_each`): rendered from its blocks.
                        "data" if attr(0).as_deref() == Some("aws_iam_policy_document") => {
                            let is_json = |i: usize| {
                                matches!(attr(i).as_deref(), Some("json" | "minified_json"))
                            };
                            let indexed = matches!(
                                ops.get(2).map(|o| o.value()),
                                Some(
                                    TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)
                                )
                            );
                            let after = if is_json(2) {
                                3
                            } else if indexed && is_json(3) {
                                4
                            } else {
                                return self.unresolved(whole);
                            };
                            match attr(1).and_then(|n| self.module.policy_document(&n)) {
                                Some(n) => {
                                    shared = n;
                                    (&*shared, after)
                                }
                                None => return self.unresolved(whole),
                            }
                        }
                        "data" | "each" | "count" | "self" | "terraform" | "path" => {
                            return self.unresolved(whole);
                        }
                        resource_type => match attr(0) {
                            Some(res) if self.module.has_resource(resource_type, &res) => {
                                let mut target = self.module.address(resource_type, &res);
                                // `aws_ecs_task_definition.app[0]`: the instance, when known.
                                if let Some(TraversalOperator::Index(i)) =
                                    ops.get(1).map(|o| o.value())
                                {
                                    let k = self.eval(i, scope, depth + 1);
                                    if !k.is_unknown() {
                                        target.push_str(&super::instance_suffix(&k));
                                    }
                                }
                                return Node::new(
                                    NodeKind::Ref {
                                        target,
                                        expr: self.text(whole),
                                    },
                                    span,
                                );
                            }
                            _ => return self.unresolved(whole),
                        },
                    }
                }
            }
            other => {
                owned = self.eval(other, scope, depth + 1);
                (&owned, 0)
            }
        };
        let mut node = base;
        for op in &ops[rest..] {
            let next = match op.value() {
                TraversalOperator::GetAttr(name) => node
                    .as_object()
                    .and_then(|p| p.iter().find(|(k, _)| k.value == name.value().as_str()))
                    .map(|(_, v)| v),
                TraversalOperator::Index(i) => {
                    let idx = self.eval(i, scope, depth + 1);
                    index(node, &idx)
                }
                TraversalOperator::LegacyIndex(i) => {
                    index(node, &Node::new(NodeKind::Number(*i.value() as f64), span))
                }
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => {
                    // A missing attribute or key of a known value is an error in Terraform
                    // (what `try` and `can` test for), not an unknown.
                    if !node.is_unknown() {
                        self.error();
                    }
                    return self.unresolved(whole);
                }
            }
        }
        if node.is_opaque() {
            return self.unresolved(whole);
        }
        let mut value = self.copy_of(node, whole);
        // The innermost use wins: a value passed down two levels takes effect in the module
        // that finally uses it.
        if from_outside && value.span.file != span.file {
            value.via = Some(Box::new(span));
        }
        value
    }

    fn call(&self, call: &FuncCall, whole: &Expression, scope: &Scope, depth: usize) -> Node {
        let name = call.name.name.value().as_str();
        let span = self.span(whole);
        let args: Vec<&Expression> = call.args.iter().collect();
        let arg = |i: usize| args.get(i).map(|e| self.eval(e, scope, depth + 1));
        let all = || -> Vec<Node> {
            args.iter()
                .map(|e| self.eval(e, scope, depth + 1))
                .collect()
        };
        let unknown = || self.unresolved(whole);
        let known_all = |nodes: &[Node]| nodes.iter().all(|n| !n.is_unknown());
        let result: Option<NodeKind> = match name {
            // jsonencode keeps the structure: a container definition list stays a Node tree
            // with the spans of the HCL values; text is made only where a string is needed.
            "jsonencode" | "yamlencode" => {
                return arg(0)
                    .map(|n| with_span_if_empty(n, span))
                    .unwrap_or_else(unknown);
            }
            "jsondecode" => {
                let s = arg(0);
                match s.as_ref().and_then(Node::as_str) {
                    Some(text) => {
                        let at = s.as_ref().map(|n| n.span).unwrap_or(span);
                        return crate::syntax::node::parse_json(text, &|_| at)
                            .ok()
                            .flatten()
                            .filter(|n| self.module.budget().spend_copy(n))
                            .unwrap_or_else(unknown);
                    }
                    None => None,
                }
            }
            "file" => {
                return match arg(0).as_ref().and_then(Node::as_str) {
                    Some(path) => match self.module.load_relative(path) {
                        Some(f) if self.spend(f.text.len() as u64, whole) => Node::new(
                            NodeKind::String(f.text.clone()),
                            Span::new(f.id, 0..f.text.len()),
                        ),
                        _ => unknown(),
                    },
                    None => unknown(),
                };
            }
            "templatefile" => {
                return match super::render::templatefile(self, &args, scope, depth) {
                    Some(m) if self.spend(m.text.len() as u64, whole) => {
                        Node::new(NodeKind::String(m.text), span)
                    }
                    _ => unknown(),
                };
            }
            "merge" => {
                let nodes = all();
                let mut out: Vec<(Spanned<String>, Node)> = Vec::new();
                for n in &nodes {
                    match &n.kind {
                        NodeKind::Object(props) => {
                            for (k, v) in props {
                                out.retain(|(ok, _)| ok.value != k.value);
                                out.push((k.clone(), v.clone()));
                            }
                        }
                        NodeKind::Null => {}
                        _ => return unknown(),
                    }
                }
                Some(NodeKind::Object(out))
            }
            "concat" => {
                let mut out = Vec::new();
                for n in all() {
                    match n.kind {
                        NodeKind::Array(items) => out.extend(items),
                        _ => return unknown(),
                    }
                }
                Some(NodeKind::Array(out))
            }
            "flatten" => {
                fn flat(n: Node, out: &mut Vec<Node>) -> bool {
                    match n.kind {
                        NodeKind::Array(items) => items.into_iter().all(|i| flat(i, out)),
                        NodeKind::Unresolved { .. } | NodeKind::Ref { .. } => false,
                        _ => {
                            out.push(n);
                            true
                        }
                    }
                }
                let mut out = Vec::new();
                arg(0)
                    .and_then(|n| flat(n, &mut out).then_some(()))
                    .map(|_| NodeKind::Array(out))
            }
            "lookup" => {
                let nodes = all();
                match (nodes.first(), nodes.get(1).and_then(Node::scalar_text)) {
                    (Some(map), Some(key)) if map.as_object().is_some() => {
                        match map
                            .as_object()
                            .and_then(|p| p.iter().find(|(k, _)| k.value == key))
                        {
                            Some((_, v)) => return v.clone(),
                            None => {
                                return nodes.get(2).cloned().unwrap_or_else(|| {
                                    self.error();
                                    unknown()
                                });
                            }
                        }
                    }
                    _ => None,
                }
            }
            // The first argument that is not an error; an unknown one makes the result unknown
            // (it might be an error or not once known), as Terraform evaluates it.
            "try" => {
                for e in &args {
                    let before = self.errors();
                    let n = self.eval(e, scope, depth + 1);
                    if !n.is_unknown() {
                        return n;
                    }
                    if self.errors() == before {
                        return unknown();
                    }
                }
                None
            }
            "coalesce" => {
                let nodes = all();
                for n in nodes {
                    match &n.kind {
                        NodeKind::Null => continue,
                        NodeKind::String(s) if s.is_empty() => continue,
                        NodeKind::Unresolved { .. } | NodeKind::Ref { .. } => return unknown(),
                        _ => return n,
                    }
                }
                None
            }
            "coalescelist" => {
                for n in all() {
                    match &n.kind {
                        NodeKind::Array(items) if items.is_empty() => continue,
                        NodeKind::Array(_) => return n,
                        _ => return unknown(),
                    }
                }
                None
            }
            "tonumber" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Number(n)) => Some(NodeKind::Number(n)),
                Some(NodeKind::String(s)) => s.trim().parse().ok().map(NodeKind::Number),
                _ => None,
            },
            "tostring" => arg(0)
                .as_ref()
                .and_then(Node::scalar_text)
                .map(NodeKind::String),
            "tolist" | "tomap" | "nonsensitive" | "sensitive" => {
                return arg(0).unwrap_or_else(unknown);
            }
            // A set has no duplicates (and Terraform orders a set of strings lexically).
            "toset" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Array(items)) if known_all(&items) => {
                    let mut out: Vec<Node> = Vec::new();
                    for i in items {
                        if !out.iter().any(|o| same_value(o, &i)) {
                            out.push(i);
                        }
                    }
                    if out.iter().all(|n| n.as_str().is_some()) {
                        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                    }
                    Some(NodeKind::Array(out))
                }
                _ => None,
            },
            "zipmap" => {
                let n = all();
                match (
                    n.first().and_then(Node::as_array),
                    n.get(1).and_then(Node::as_array),
                ) {
                    (Some(keys), Some(values)) if keys.len() == values.len() => keys
                        .iter()
                        .zip(values)
                        .map(|(k, v)| Some((Spanned::new(k.scalar_text()?, k.span), v.clone())))
                        .collect::<Option<Vec<_>>>()
                        .map(NodeKind::Object),
                    _ => None,
                }
            }
            // The only element of a list of at most one (null for none); more is an error.
            "one" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Array(mut items)) if items.len() <= 1 => {
                    return items
                        .pop()
                        .unwrap_or_else(|| Node::new(NodeKind::Null, span));
                }
                Some(NodeKind::Array(_)) => {
                    self.error();
                    None
                }
                _ => None,
            },
            "startswith" | "endswith" => {
                let n = all();
                match (
                    n.first().and_then(Node::as_str),
                    n.get(1).and_then(Node::as_str),
                ) {
                    (Some(s), Some(affix)) => Some(NodeKind::Bool(if name == "startswith" {
                        s.starts_with(affix)
                    } else {
                        s.ends_with(affix)
                    })),
                    _ => None,
                }
            }
            "trimprefix" | "trimsuffix" => {
                let n = all();
                match (
                    n.first().and_then(Node::as_str),
                    n.get(1).and_then(Node::as_str),
                ) {
                    (Some(s), Some(affix)) => Some(NodeKind::String(
                        if name == "trimprefix" {
                            s.strip_prefix(affix)
                        } else {
                            s.strip_suffix(affix)
                        }
                        .unwrap_or(s)
                        .to_owned(),
                    )),
                    _ => None,
                }
            }
            "substr" => {
                let n = all();
                match (
                    n.first().and_then(Node::as_str),
                    n.get(1).and_then(number),
                    n.get(2).and_then(number),
                ) {
                    (Some(s), Some(offset), Some(length)) if offset >= 0.0 => {
                        let chars: Vec<char> = s.chars().collect();
                        let start = (offset as usize).min(chars.len());
                        let end = if length < 0.0 {
                            chars.len()
                        } else {
                            (start + length as usize).min(chars.len())
                        };
                        Some(NodeKind::String(chars[start..end].iter().collect()))
                    }
                    _ => None,
                }
            }
            "abs" | "ceil" | "floor" => arg(0).as_ref().and_then(number).map(|x| {
                NodeKind::Number(match name {
                    "abs" => x.abs(),
                    "ceil" => x.ceil(),
                    _ => x.floor(),
                })
            }),
            "alltrue" | "anytrue" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Array(items)) => items
                    .iter()
                    .map(|i| match &i.kind {
                        NodeKind::Bool(b) => Some(*b),
                        NodeKind::String(s) if s == "true" || s == "false" => Some(s == "true"),
                        _ => None,
                    })
                    .collect::<Option<Vec<bool>>>()
                    .map(|v| {
                        NodeKind::Bool(if name == "alltrue" {
                            v.iter().all(|b| *b)
                        } else {
                            v.iter().any(|b| *b)
                        })
                    }),
                _ => None,
            },
            "reverse" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Array(mut items)) => {
                    items.reverse();
                    Some(NodeKind::Array(items))
                }
                _ => None,
            },
            "sort" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Array(items)) => items
                    .iter()
                    .map(Node::scalar_text)
                    .collect::<Option<Vec<String>>>()
                    .map(|mut texts| {
                        texts.sort();
                        NodeKind::Array(
                            texts
                                .into_iter()
                                .map(|t| Node::new(NodeKind::String(t), span))
                                .collect(),
                        )
                    }),
                _ => None,
            },
            // Bounded like `for`: a hostile `range(1e9)` is unknown, not a billion nodes.
            "range" => {
                let n: Option<Vec<f64>> = all().iter().map(number).collect();
                let (start, limit, step) = match n.as_deref() {
                    Some([limit]) => (0.0, *limit, 1.0),
                    Some([start, limit]) => {
                        (*start, *limit, if limit >= start { 1.0 } else { -1.0 })
                    }
                    Some([start, limit, step]) => (*start, *limit, *step),
                    _ => return unknown(),
                };
                if step == 0.0 || ((limit - start) / step) > MAX_ITEMS as f64 {
                    return unknown();
                }
                let mut items = Vec::new();
                let mut x = start;
                while (step > 0.0 && x < limit) || (step < 0.0 && x > limit) {
                    items.push(Node::new(NodeKind::Number(x), span));
                    x += step;
                }
                Some(NodeKind::Array(items))
            }
            "lower" | "upper" | "trimspace" => arg(0).as_ref().and_then(Node::as_str).map(|s| {
                NodeKind::String(match name {
                    "lower" => s.to_lowercase(),
                    "upper" => s.to_uppercase(),
                    _ => s.trim().to_owned(),
                })
            }),
            "replace" => {
                let n = all();
                match (
                    n.first().and_then(Node::as_str),
                    n.get(1).and_then(Node::as_str),
                    n.get(2).and_then(Node::as_str),
                ) {
                    (Some(s), Some(from), Some(to))
                        if !(from.is_empty() || from.starts_with('/') && from.ends_with('/')) =>
                    {
                        Some(NodeKind::String(s.replace(from, to)))
                    }
                    _ => None,
                }
            }
            "join" => {
                let n = all();
                match (n.first().and_then(Node::as_str), n.get(1)) {
                    (Some(sep), Some(list)) => list.as_array().and_then(|items| {
                        items
                            .iter()
                            .map(Node::scalar_text)
                            .collect::<Option<Vec<_>>>()
                            .map(|v| NodeKind::String(v.join(sep)))
                    }),
                    _ => None,
                }
            }
            "split" => {
                let n = all();
                match (
                    n.first().and_then(Node::as_str),
                    n.get(1).and_then(Node::as_str),
                ) {
                    (Some(sep), Some(s)) if !sep.is_empty() => Some(NodeKind::Array(
                        s.split(sep)
                            .map(|p| Node::new(NodeKind::String(p.to_owned()), span))
                            .collect(),
                    )),
                    _ => None,
                }
            }
            "format" => {
                let n = all();
                known_all(&n)
                    .then(|| format_fn(&n))
                    .flatten()
                    .map(NodeKind::String)
            }
            "length" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Array(a)) => Some(NodeKind::Number(a.len() as f64)),
                Some(NodeKind::Object(o)) => Some(NodeKind::Number(o.len() as f64)),
                Some(NodeKind::String(s)) => Some(NodeKind::Number(s.chars().count() as f64)),
                _ => None,
            },
            "compact" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Array(items)) if known_all(&items) => Some(NodeKind::Array(
                    items
                        .into_iter()
                        .filter(|i| !matches!(&i.kind, NodeKind::Null) && i.as_str() != Some(""))
                        .collect(),
                )),
                _ => None,
            },
            "distinct" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Array(items)) if known_all(&items) => {
                    let mut out: Vec<Node> = Vec::new();
                    for i in items {
                        if !out.iter().any(|o| same_value(o, &i)) {
                            out.push(i);
                        }
                    }
                    Some(NodeKind::Array(out))
                }
                _ => None,
            },
            "element" => {
                let n = all();
                match (
                    n.first().and_then(Node::as_array),
                    n.get(1).and_then(number),
                ) {
                    (Some(items), Some(i)) if !items.is_empty() && i >= 0.0 => {
                        return items[(i as usize) % items.len()].clone();
                    }
                    _ => None,
                }
            }
            "keys" | "values" => match arg(0).map(|n| n.kind) {
                Some(NodeKind::Object(props)) => {
                    let mut props = props;
                    props.sort_by(|a, b| a.0.value.cmp(&b.0.value));
                    Some(NodeKind::Array(
                        props
                            .into_iter()
                            .map(|(k, v)| {
                                if name == "keys" {
                                    Node::new(NodeKind::String(k.value), k.span)
                                } else {
                                    v
                                }
                            })
                            .collect(),
                    ))
                }
                _ => None,
            },
            "contains" => {
                let n = all();
                match (n.first().and_then(Node::as_array), n.get(1)) {
                    (Some(items), Some(v)) if known_all(items) && !v.is_unknown() => {
                        Some(NodeKind::Bool(items.iter().any(|i| same_value(i, v))))
                    }
                    _ => None,
                }
            }
            "max" | "min" | "sum" => {
                let n = all();
                let nums: Option<Vec<f64>> = if name == "sum" {
                    n.first()
                        .and_then(Node::as_array)
                        .and_then(|a| a.iter().map(number).collect())
                } else {
                    n.iter().map(number).collect()
                };
                nums.filter(|v| !v.is_empty()).map(|v| {
                    NodeKind::Number(match name {
                        "max" => v.iter().cloned().fold(f64::MIN, f64::max),
                        "min" => v.iter().cloned().fold(f64::MAX, f64::min),
                        _ => v.iter().sum(),
                    })
                })
            }
            "can" => {
                let before = self.errors();
                match arg(0) {
                    Some(n) if !n.is_unknown() => Some(NodeKind::Bool(true)),
                    Some(_) if self.errors() > before => Some(NodeKind::Bool(false)),
                    _ => None,
                }
            }
            _ => None,
        };
        // What a function builds is paid for like any other value: strings by their bytes,
        // collections by their elements.
        let cost = match &result {
            Some(NodeKind::String(s)) => s.len() as u64,
            Some(NodeKind::Array(items)) => items.len() as u64 * NODE,
            Some(NodeKind::Object(props)) => props.len() as u64 * NODE,
            _ => 0,
        };
        match result {
            Some(kind) if self.spend(cost, whole) => Node::new(kind, span),
            _ => unknown(),
        }
    }
}

fn with_span_if_empty(mut node: Node, span: Span) -> Node {
    if node.span.range.is_empty() {
        node.span = span;
    }
    node
}

fn number(n: &Node) -> Option<f64> {
    match &n.kind {
        NodeKind::Number(x) => Some(*x),
        NodeKind::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn index<'n>(node: &'n Node, idx: &Node) -> Option<&'n Node> {
    match (&node.kind, &idx.kind) {
        (NodeKind::Array(items), NodeKind::Number(i)) if *i >= 0.0 && i.fract() == 0.0 => {
            items.get(*i as usize)
        }
        (NodeKind::Object(props), _) => {
            let key = idx.scalar_text()?;
            props.iter().find(|(k, _)| k.value == key).map(|(_, v)| v)
        }
        _ => None,
    }
}

/// What a value becomes inside a string template; `None` when Terraform could not know it
/// either (or would refuse it: a list or map in a string).
pub fn interpolate(v: &Node) -> Option<String> {
    match &v.kind {
        NodeKind::String(s) => Some(s.clone()),
        NodeKind::Number(_) | NodeKind::Bool(_) => Some(v.describe()),
        // jsonencode returns structure here; in a string it is the JSON text.
        NodeKind::Array(_) | NodeKind::Object(_) => to_json(v),
        _ => None,
    }
}

/// JSON text of a fully known value (Terraform's `jsonencode`).
pub fn to_json(n: &Node) -> Option<String> {
    Some(match &n.kind {
        NodeKind::Null => "null".into(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Number(x) => format_number(*x),
        NodeKind::String(s) => serde_json::to_string(s).ok()?,
        NodeKind::Array(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(to_json)
                    .collect::<Option<Vec<_>>>()?
                    .join(",")
            )
        }
        NodeKind::Object(props) => format!(
            "{{{}}}",
            props
                .iter()
                .map(|(k, v)| Some(format!(
                    "{}:{}",
                    serde_json::to_string(&k.value).ok()?,
                    to_json(v)?
                )))
                .collect::<Option<Vec<_>>>()?
                .join(",")
        ),
        _ => return None,
    })
}

fn format_fn(args: &[Node]) -> Option<String> {
    let spec = args.first()?.as_str()?;
    let mut out = String::new();
    let mut rest = args[1..].iter();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' => out.push_str(&rest.next()?.scalar_text()?),
            _ => return None,
        }
    }
    Some(out)
}

fn binary(op: BinaryOperator, a: &Node, b: &Node) -> Option<NodeKind> {
    use BinaryOperator::*;
    if a.is_unknown() || b.is_unknown() {
        return None;
    }
    Some(match op {
        Eq => NodeKind::Bool(same_value(a, b)),
        NotEq => NodeKind::Bool(!same_value(a, b)),
        And | Or => match (&a.kind, &b.kind) {
            (NodeKind::Bool(x), NodeKind::Bool(y)) => {
                NodeKind::Bool(if op == And { *x && *y } else { *x || *y })
            }
            _ => return None,
        },
        _ => {
            let (x, y) = (number(a)?, number(b)?);
            match op {
                Plus => NodeKind::Number(x + y),
                Minus => NodeKind::Number(x - y),
                Mul => NodeKind::Number(x * y),
                Div if y != 0.0 => NodeKind::Number(x / y),
                Mod if y != 0.0 => NodeKind::Number(x % y),
                Less => NodeKind::Bool(x < y),
                LessEq => NodeKind::Bool(x <= y),
                Greater => NodeKind::Bool(x > y),
                GreaterEq => NodeKind::Bool(x >= y),
                _ => return None,
            }
        }
    })
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
