//! The HCL syntax tree the Terraform evaluator reads: hcl-edit's shapes (so the evaluator reads
//! like hcl-edit's documentation), without the decor (whitespace and comments) it keeps for
//! round-tripping, with the byte span of every part. Two readers fill it: [`hcl_parser`] for
//! the common case (fast, strict, gives up at the first thing it does not know), and hcl-edit
//! for everything else, converted here ([`from_edit`]); both give equal trees, spans included.
//!
//! [`hcl_parser`]: super::hcl_parser

use hcl::edit::Span as _;
use hcl::edit::expr as edit_expr;
use hcl::edit::structure as edit_structure;
use hcl::edit::template as edit_template;
use std::ops::Range;

pub use hcl::Number;
pub use hcl::edit::expr::{BinaryOperator, UnaryOperator};

/// A byte range of the file, compact: trees are built for every `.tf` file of a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// No place in the file: what hcl-edit keeps for a function call's arguments.
    pub const NONE: Span = Span {
        start: u32::MAX,
        end: u32::MAX,
    };

    /// A span of the file; files are bounded by the size limit, far below 4 GiB.
    pub fn new(range: Range<usize>) -> Span {
        match (u32::try_from(range.start), u32::try_from(range.end)) {
            (Ok(start), Ok(end)) if start != u32::MAX => Span { start, end },
            _ => Span::NONE,
        }
    }

    fn of(range: Option<Range<usize>>) -> Span {
        range.map_or(Span::NONE, Span::new)
    }

    pub fn get(self) -> Option<Range<usize>> {
        (self != Span::NONE).then_some(self.start as usize..self.end as usize)
    }
}

/// A value and the span of its text (hcl-edit's `Decorated`, `Formatted` and `Spanned`).
#[derive(Debug, Clone, PartialEq)]
pub struct Decorated<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Decorated<T> {
    pub fn new(value: T, span: Span) -> Decorated<T> {
        Decorated { value, span }
    }

    pub fn value(&self) -> &T {
        &self.value
    }

    pub fn span(&self) -> Option<Range<usize>> {
        self.span.get()
    }
}

pub type Ident = String;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    pub structures: Vec<Structure>,
}

impl Body {
    pub fn iter(&self) -> std::slice::Iter<'_, Structure> {
        self.structures.iter()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Structure {
    Attribute(Attribute),
    Block(Block),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: Decorated<Ident>,
    pub value: Expression,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub ident: Decorated<Ident>,
    pub labels: Vec<BlockLabel>,
    pub body: Body,
    pub span: Span,
}

impl Block {
    pub fn span(&self) -> Option<Range<usize>> {
        self.span.get()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum BlockLabel {
    Ident(Decorated<Ident>),
    String(Decorated<String>),
}

impl BlockLabel {
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            BlockLabel::Ident(i) => i.span(),
            BlockLabel::String(s) => s.span(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    Null(Decorated<()>),
    Bool(Decorated<bool>),
    Number(Decorated<Number>),
    String(Decorated<String>),
    Array(Array),
    Object(Object),
    StringTemplate(Template),
    HeredocTemplate(Box<HeredocTemplate>),
    Parenthesis(Box<Parenthesis>),
    Variable(Decorated<Ident>),
    Conditional(Box<Conditional>),
    FuncCall(Box<FuncCall>),
    Traversal(Box<Traversal>),
    UnaryOp(Box<UnaryOp>),
    BinaryOp(Box<BinaryOp>),
    ForExpr(Box<ForExpr>),
}

impl Expression {
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            Expression::Null(v) => v.span(),
            Expression::Bool(v) => v.span(),
            Expression::Number(v) => v.span(),
            Expression::String(v) => v.span(),
            Expression::Variable(v) => v.span(),
            Expression::Array(v) => v.span.get(),
            Expression::Object(v) => v.span.get(),
            Expression::StringTemplate(v) => v.span.get(),
            Expression::HeredocTemplate(v) => v.span.get(),
            Expression::Parenthesis(v) => v.span.get(),
            Expression::Conditional(v) => v.span.get(),
            Expression::FuncCall(v) => v.span.get(),
            Expression::Traversal(v) => v.span.get(),
            Expression::UnaryOp(v) => v.span.get(),
            Expression::BinaryOp(v) => v.span.get(),
            Expression::ForExpr(v) => v.span.get(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Array {
    pub items: Vec<Expression>,
    pub span: Span,
}

impl Array {
    pub fn iter(&self) -> std::slice::Iter<'_, Expression> {
        self.items.iter()
    }
}

/// An object's entries in source order (a key written twice is a syntax error).
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub entries: Vec<(ObjectKey, ObjectValue)>,
    pub span: Span,
}

impl Object {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&ObjectKey, &ObjectValue)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectKey {
    Ident(Decorated<Ident>),
    Expression(Expression),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectValue {
    pub expr: Expression,
}

impl ObjectValue {
    pub fn expr(&self) -> &Expression {
        &self.expr
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeredocTemplate {
    pub template: Template,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parenthesis {
    pub inner: Expression,
    pub span: Span,
}

impl Parenthesis {
    pub fn inner(&self) -> &Expression {
        &self.inner
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conditional {
    pub cond_expr: Expression,
    pub true_expr: Expression,
    pub false_expr: Expression,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncName {
    pub namespace: Vec<Decorated<Ident>>,
    pub name: Decorated<Ident>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncArgs {
    pub args: Vec<Expression>,
    pub expand_final: bool,
    pub span: Span,
}

impl FuncArgs {
    pub fn iter(&self) -> std::slice::Iter<'_, Expression> {
        self.args.iter()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncCall {
    pub name: FuncName,
    pub args: FuncArgs,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Traversal {
    pub expr: Expression,
    pub operators: Vec<Decorated<TraversalOperator>>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TraversalOperator {
    AttrSplat,
    FullSplat,
    GetAttr(Decorated<Ident>),
    Index(Expression),
    LegacyIndex(Decorated<u64>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnaryOp {
    pub operator: Decorated<UnaryOperator>,
    pub expr: Expression,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BinaryOp {
    pub lhs_expr: Expression,
    pub operator: Decorated<BinaryOperator>,
    pub rhs_expr: Expression,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForExpr {
    pub intro: ForIntro,
    pub key_expr: Option<Expression>,
    pub value_expr: Expression,
    pub grouping: bool,
    pub cond: Option<ForCond>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForIntro {
    pub key_var: Option<Decorated<Ident>>,
    pub value_var: Decorated<Ident>,
    pub collection_expr: Expression,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForCond {
    pub expr: Expression,
}

/// A quoted string with interpolations or directives, a heredoc's body, a template file.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub elements: Vec<Element>,
    pub span: Span,
}

impl Template {
    pub fn iter(&self) -> std::slice::Iter<'_, Element> {
        self.elements.iter()
    }
}

impl From<Vec<Element>> for Template {
    fn from(elements: Vec<Element>) -> Template {
        Template {
            elements,
            span: Span::NONE,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    Literal(Decorated<String>),
    Interpolation(Interpolation),
    Directive(Box<Directive>),
}

impl Element {
    pub fn span(&self) -> Option<Range<usize>> {
        match self {
            Element::Literal(l) => l.span(),
            Element::Interpolation(i) => i.span.get(),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => d.span.get(),
                Directive::For(d) => d.span.get(),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interpolation {
    pub expr: Expression,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Directive {
    If(IfDirective),
    For(ForDirective),
}

#[derive(Debug, Clone, PartialEq)]
pub struct IfDirective {
    pub if_expr: IfTemplateExpr,
    pub else_expr: Option<ElseTemplateExpr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IfTemplateExpr {
    pub cond_expr: Expression,
    pub template: Template,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ElseTemplateExpr {
    pub template: Template,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForDirective {
    pub for_expr: ForTemplateExpr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForTemplateExpr {
    pub key_var: Option<Decorated<Ident>>,
    pub value_var: Decorated<Ident>,
    pub collection_expr: Expression,
    pub template: Template,
}

/// A syntax error: where, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

impl From<hcl::edit::parser::Error> for SyntaxError {
    fn from(e: hcl::edit::parser::Error) -> SyntaxError {
        SyntaxError {
            offset: e.location().offset(),
            message: e.message().to_owned(),
        }
    }
}

/// A `.tf` file's body: by the fast reader when it can, else by hcl-edit (whose errors are the
/// ones reported), unless something is left open (see [`guard`]).
pub fn parse_body(text: &str) -> Result<Body, SyntaxError> {
    if let Some(body) = super::hcl_parser::parse_body(text) {
        // Under the fuzzer every file read the quick way is read by hcl-edit too, where it
        // answers in time: it backtracks exponentially on deep nesting, valid or not (a
        // string in an interpolation in a string... ten deep took it over 10 s).
        #[cfg(fuzzing)]
        if nesting_depth(text) < 10 {
            let general = hcl::edit::parser::parse_body(text).map(|b| from_edit::body(&b));
            assert!(
                matches!(&general, Ok(b) if *b == body),
                "hcl_parser and hcl-edit disagree on {text:?}:\n{body:?}\n{general:?}"
            );
        }
        return Ok(body);
    }
    guard(text, false)?;
    Ok(from_edit::body(&hcl::edit::parser::parse_body(text)?))
}

/// A template file (`templatefile`) or a JSON string holding `${...}`.
pub fn parse_template(text: &str) -> Result<Template, SyntaxError> {
    guard(text, true)?;
    Ok(from_edit::template(&hcl::edit::parser::parse_template(
        text,
    )?))
}

/// hcl-edit backtracks exponentially on some brackets left open: `a = x[y*w+x[y*w+...1]`
/// took it 5 s at 800 bytes, twice as long with every `x[y*w+` more (found by the `hcl_reader`
/// fuzz target). A text with a bracket, string, heredoc, directive or comment left open is a
/// syntax error, said here without asking hcl-edit.
fn guard(text: &str, template: bool) -> Result<(), SyntaxError> {
    let Some(error) = super::hcl_parser::unbalanced_bracket(text, template) else {
        return Ok(());
    };
    // Under the fuzzer, hcl-edit is asked too where it can answer in time.
    #[cfg(fuzzing)]
    if text.bytes().filter(|b| b"[{(".contains(b)).count() < 12 {
        let general = if template {
            hcl::edit::parser::parse_template(text).map(|_| ())
        } else {
            hcl::edit::parser::parse_body(text).map(|_| ())
        };
        assert!(
            general.is_err(),
            "unbalanced_bracket rejects {text:?} ({error:?}), hcl-edit reads it"
        );
    }
    Err(error)
}

/// How deep brackets nest, counted without regard to strings or comments: a bound on what
/// hcl-edit's backtracking costs, for the checks that compare with it.
#[cfg(fuzzing)]
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'[' | b'{' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// hcl-edit's tree, converted.
pub mod from_edit {
    use super::*;

    fn ident(i: &hcl::edit::Decorated<hcl::edit::Ident>) -> Decorated<Ident> {
        Decorated::new(i.value().to_string(), Span::of(i.span()))
    }

    pub fn body(b: &edit_structure::Body) -> Body {
        Body {
            structures: b.iter().map(structure).collect(),
        }
    }

    fn structure(s: &edit_structure::Structure) -> Structure {
        match s {
            edit_structure::Structure::Attribute(a) => Structure::Attribute(Attribute {
                key: ident(&a.key),
                value: expression(&a.value),
                span: Span::of(a.span()),
            }),
            edit_structure::Structure::Block(b) => Structure::Block(Block {
                ident: ident(&b.ident),
                labels: b
                    .labels
                    .iter()
                    .map(|l| match l {
                        edit_structure::BlockLabel::Ident(i) => BlockLabel::Ident(ident(i)),
                        edit_structure::BlockLabel::String(s) => BlockLabel::String(
                            Decorated::new(s.value().clone(), Span::of(s.span())),
                        ),
                    })
                    .collect(),
                body: body(&b.body),
                span: Span::of(b.span()),
            }),
        }
    }

    pub fn expression(e: &edit_expr::Expression) -> Expression {
        use edit_expr::Expression as E;
        let span = Span::of(e.span());
        match e {
            E::Null(_) => Expression::Null(Decorated::new((), span)),
            E::Bool(b) => Expression::Bool(Decorated::new(*b.value(), span)),
            E::Number(n) => Expression::Number(Decorated::new(*n.value(), span)),
            E::String(s) => Expression::String(Decorated::new(s.value().clone(), span)),
            E::Array(a) => Expression::Array(Array {
                items: a.iter().map(expression).collect(),
                span,
            }),
            E::Object(o) => Expression::Object(Object {
                entries: o
                    .iter()
                    .map(|(k, v)| {
                        let key = match k {
                            edit_expr::ObjectKey::Ident(i) => ObjectKey::Ident(ident(i)),
                            edit_expr::ObjectKey::Expression(k) => {
                                ObjectKey::Expression(expression(k))
                            }
                        };
                        (
                            key,
                            ObjectValue {
                                expr: expression(v.expr()),
                            },
                        )
                    })
                    .collect(),
                span,
            }),
            E::StringTemplate(t) => Expression::StringTemplate(Template {
                elements: t.iter().map(element).collect(),
                span,
            }),
            E::HeredocTemplate(h) => Expression::HeredocTemplate(Box::new(HeredocTemplate {
                template: template(&h.template),
                span,
            })),
            E::Parenthesis(p) => Expression::Parenthesis(Box::new(Parenthesis {
                inner: expression(p.inner()),
                span,
            })),
            E::Variable(v) => Expression::Variable(ident(v)),
            E::Conditional(c) => Expression::Conditional(Box::new(Conditional {
                cond_expr: expression(&c.cond_expr),
                true_expr: expression(&c.true_expr),
                false_expr: expression(&c.false_expr),
                span,
            })),
            E::FuncCall(f) => Expression::FuncCall(Box::new(FuncCall {
                name: FuncName {
                    namespace: f.name.namespace.iter().map(ident).collect(),
                    name: ident(&f.name.name),
                },
                args: FuncArgs {
                    args: f.args.iter().map(expression).collect(),
                    expand_final: f.args.expand_final(),
                    span: Span::of(f.args.span()),
                },
                span,
            })),
            E::Traversal(t) => Expression::Traversal(Box::new(Traversal {
                expr: expression(&t.expr),
                operators: t
                    .operators
                    .iter()
                    .map(|o| {
                        use edit_expr::TraversalOperator as T;
                        let op = match o.value() {
                            T::AttrSplat(_) => TraversalOperator::AttrSplat,
                            T::FullSplat(_) => TraversalOperator::FullSplat,
                            T::GetAttr(i) => TraversalOperator::GetAttr(ident(i)),
                            T::Index(e) => TraversalOperator::Index(expression(e)),
                            T::LegacyIndex(i) => TraversalOperator::LegacyIndex(Decorated::new(
                                *i.value(),
                                Span::of(i.span()),
                            )),
                        };
                        Decorated::new(op, Span::of(o.span()))
                    })
                    .collect(),
                span,
            })),
            E::UnaryOp(u) => Expression::UnaryOp(Box::new(UnaryOp {
                operator: Decorated::new(*u.operator.value(), Span::of(u.operator.span())),
                expr: expression(&u.expr),
                span,
            })),
            E::BinaryOp(b) => Expression::BinaryOp(Box::new(BinaryOp {
                lhs_expr: expression(&b.lhs_expr),
                operator: Decorated::new(*b.operator.value(), Span::of(b.operator.span())),
                rhs_expr: expression(&b.rhs_expr),
                span,
            })),
            E::ForExpr(f) => Expression::ForExpr(Box::new(ForExpr {
                intro: ForIntro {
                    key_var: f.intro.key_var.as_ref().map(ident),
                    value_var: ident(&f.intro.value_var),
                    collection_expr: expression(&f.intro.collection_expr),
                },
                key_expr: f.key_expr.as_ref().map(expression),
                value_expr: expression(&f.value_expr),
                grouping: f.grouping,
                cond: f.cond.as_ref().map(|c| ForCond {
                    expr: expression(&c.expr),
                }),
                span,
            })),
        }
    }

    pub fn template(t: &edit_template::Template) -> Template {
        Template {
            elements: t.iter().map(element).collect(),
            span: Span::of(t.span()),
        }
    }

    fn element(e: &edit_template::Element) -> Element {
        use edit_template::{Directive as D, Element as E};
        match e {
            E::Literal(l) => {
                Element::Literal(Decorated::new(l.value().clone(), Span::of(l.span())))
            }
            E::Interpolation(i) => Element::Interpolation(Interpolation {
                expr: expression(&i.expr),
                span: Span::of(i.span()),
            }),
            E::Directive(d) => Element::Directive(Box::new(match d.as_ref() {
                D::If(d) => Directive::If(IfDirective {
                    if_expr: IfTemplateExpr {
                        cond_expr: expression(&d.if_expr.cond_expr),
                        template: template(&d.if_expr.template),
                    },
                    else_expr: d.else_expr.as_ref().map(|e| ElseTemplateExpr {
                        template: template(&e.template),
                    }),
                    span: Span::of(d.span()),
                }),
                D::For(d) => Directive::For(ForDirective {
                    for_expr: ForTemplateExpr {
                        key_var: d.for_expr.key_var.as_ref().map(ident),
                        value_var: ident(&d.for_expr.value_var),
                        collection_expr: expression(&d.for_expr.collection_expr),
                        template: template(&d.for_expr.template),
                    },
                    span: Span::of(d.span()),
                }),
            })),
        }
    }
}
