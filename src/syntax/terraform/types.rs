//! Variable type constraints (`type = map(object({ cpu = optional(number, 256) }))`) and the
//! conversion Terraform applies to a variable's value: strings to numbers and back, object
//! attributes the type does not declare dropped, and absent `optional(...)` attributes added
//! with their default or null. Modules such as terraform-aws-modules' read `each.value.command`
//! for every container: without the conversion, every such read would be a missing attribute.

use super::eval::Eval;
use super::hcl_tree::{Expression, ObjectKey};
use crate::source::Spanned;
use crate::syntax::budget::NODE;
use crate::syntax::node::{Node, NodeKind, format_number};

#[derive(Debug, Clone, Default)]
pub enum Type {
    #[default]
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Map(Box<Type>),
    Object(Vec<Attribute>),
    Tuple(Vec<Type>),
}

#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Expression>,
}

/// Read a type constraint; anything not understood is `any` (no conversion, never a guess).
pub fn parse(expr: &Expression) -> Type {
    match expr {
        Expression::Variable(v) => match v.value().as_str() {
            "string" => Type::String,
            "number" => Type::Number,
            "bool" => Type::Bool,
            _ => Type::Any,
        },
        Expression::FuncCall(call) => {
            let args: Vec<&Expression> = call.args.iter().collect();
            let inner = || args.first().map_or(Type::Any, |a| parse(a));
            match call.name.name.value().as_str() {
                "list" | "set" => Type::List(Box::new(inner())),
                "map" => Type::Map(Box::new(inner())),
                "tuple" => match args.first() {
                    Some(Expression::Array(items)) => {
                        Type::Tuple(items.iter().map(parse).collect())
                    }
                    _ => Type::Any,
                },
                "object" => match args.first() {
                    Some(Expression::Object(obj)) => Type::Object(
                        obj.iter()
                            .filter_map(|(k, v)| {
                                let name = match k {
                                    ObjectKey::Ident(i) => i.value().to_string(),
                                    ObjectKey::Expression(Expression::String(s)) => {
                                        s.value().clone()
                                    }
                                    _ => return None,
                                };
                                Some(attribute(name, v.expr()))
                            })
                            .collect(),
                    ),
                    _ => Type::Any,
                },
                _ => Type::Any,
            }
        }
        _ => Type::Any,
    }
}

fn attribute(name: String, expr: &Expression) -> Attribute {
    if let Expression::FuncCall(call) = expr
        && call.name.name.value().as_str() == "optional"
    {
        let args: Vec<&Expression> = call.args.iter().collect();
        return Attribute {
            name,
            ty: args.first().map_or(Type::Any, |a| parse(a)),
            optional: true,
            default: args.get(1).map(|e| (*e).clone()),
        };
    }
    Attribute {
        name,
        ty: parse(expr),
        optional: false,
        default: None,
    }
}

/// `node` converted to `ty`; what cannot be converted is unknown (Terraform would stop with an
/// error). `ev` evaluates `optional()` defaults in the file that declares the type.
pub fn convert(ev: &Eval, node: Node, ty: &Type) -> Node {
    if node.is_unknown() || matches!(node.kind, NodeKind::Null) || matches!(ty, Type::Any) {
        return node;
    }
    if !ev.module.budget().spend(NODE) {
        return Node::unresolved(node.describe(), node.span);
    }
    let span = node.span;
    let fail = |n: &Node| Node::unresolved(n.describe(), n.span);
    match (ty, node.kind) {
        (Type::String, NodeKind::String(s)) => Node::new(NodeKind::String(s), span),
        (Type::String, NodeKind::Number(n)) => Node::new(NodeKind::String(format_number(n)), span),
        (Type::String, NodeKind::Bool(b)) => Node::new(NodeKind::String(b.to_string()), span),
        (Type::Number, NodeKind::Number(n)) => Node::new(NodeKind::Number(n), span),
        (Type::Number, NodeKind::String(s)) => match s.trim().parse::<f64>() {
            Ok(n) => Node::new(NodeKind::Number(n), span),
            Err(_) => Node::unresolved(s, span),
        },
        (Type::Bool, NodeKind::Bool(b)) => Node::new(NodeKind::Bool(b), span),
        (Type::Bool, NodeKind::String(s)) if s == "true" || s == "false" => {
            Node::new(NodeKind::Bool(s == "true"), span)
        }
        (Type::List(inner), NodeKind::Array(items)) => Node::new(
            NodeKind::Array(items.into_iter().map(|i| convert(ev, i, inner)).collect()),
            span,
        ),
        (Type::Tuple(types), NodeKind::Array(items)) if types.len() == items.len() => Node::new(
            NodeKind::Array(
                items
                    .into_iter()
                    .zip(types)
                    .map(|(i, t)| convert(ev, i, t))
                    .collect(),
            ),
            span,
        ),
        (Type::Map(inner), NodeKind::Object(props)) => Node::new(
            NodeKind::Object(
                props
                    .into_iter()
                    .map(|(k, v)| (k, convert(ev, v, inner)))
                    .collect(),
            ),
            span,
        ),
        (Type::Object(attrs), NodeKind::Object(props)) => {
            let mut props = props;
            let mut out = Vec::with_capacity(attrs.len());
            for a in attrs {
                match props.iter().position(|(k, _)| k.value == a.name) {
                    Some(i) => {
                        let (k, v) = props.swap_remove(i);
                        out.push((k, convert(ev, v, &a.ty)));
                    }
                    None if a.optional => {
                        let value = match &a.default {
                            Some(d) => {
                                convert(ev, ev.eval(d, &super::eval::Scope::default(), 0), &a.ty)
                            }
                            None => Node::new(NodeKind::Null, span),
                        };
                        out.push((Spanned::new(a.name.clone(), span), value));
                    }
                    // A required attribute missing: Terraform rejects the value.
                    None => {
                        return Node::unresolved(format!("(no attribute `{}`)", a.name), span);
                    }
                }
            }
            Node::new(NodeKind::Object(out), span)
        }
        (_, kind) => fail(&Node::new(kind, span)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> Type {
        let body = crate::syntax::terraform::hcl_tree::parse_body(&format!("t = {src}")).unwrap();
        let expr = body
            .iter()
            .find_map(|s| match s {
                crate::syntax::terraform::hcl_tree::Structure::Attribute(a) => {
                    Some(a.value.clone())
                }
                _ => None,
            })
            .unwrap();
        parse(&expr)
    }

    #[test]
    fn parses_nested_constraints() {
        match ty("map(object({ create = optional(bool, true), image = string }))") {
            Type::Map(inner) => match *inner {
                Type::Object(attrs) => {
                    assert_eq!(attrs.len(), 2);
                    assert!(attrs[0].optional && attrs[0].default.is_some());
                    assert!(!attrs[1].optional);
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        assert!(matches!(ty("list(string)"), Type::List(_)));
        assert!(matches!(ty("any"), Type::Any));
        assert!(matches!(ty("custom(thing)"), Type::Any));
    }
}
