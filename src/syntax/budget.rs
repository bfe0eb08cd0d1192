//! The evaluation budget of one unit. Depth limits alone do not bound what an evaluator builds:
//! a local that references the previous one twice doubles at every step, and a mapping that
//! contains itself twice does the same, so a template of a few hundred bytes can ask for
//! exabytes. Every evaluator path (CloudFormation intrinsics, Terraform expressions, functions,
//! `for`, templates, module expansion) spends from one budget per unit, in the units that grow:
//! roughly the bytes they make: a node copied or created costs its size, a string byte one, an
//! expression evaluated or a collection element iterated a fixed step (so time is bounded too).
//! When it runs out the value being built is `Unresolved` and the unit reports where (ECS020);
//! the scan goes on.

use super::node::{Node, NodeKind};
use crate::source::Span;
use std::cell::{Cell, RefCell};

/// What one expression evaluated, or one element iterated, costs: time, not memory.
pub const STEP: u64 = 16;
/// What a node copied or created costs: its size.
pub const NODE: u64 = std::mem::size_of::<Node>() as u64;
/// A byte rendered with its source map (the map keeps 8 bytes per output byte).
pub const MAPPED_BYTE: u64 = 9;

/// About 48 MB of values built (at most 3 million expressions evaluated): what the worst
/// hostile input of tests/budget.rs makes before it stops peaks at 75 MB of memory. The largest
/// unit of the real-input corpus (a consul-ecs example that expands its mesh-task module several
/// times) spends 575,888 units, 1.2 % of it (`ecslint inspect --stats`: `eval_units_max`); a
/// module expanded for 200 `for_each` keys stays far below it as well.
pub const DEFAULT_EVAL_BUDGET: u64 = 48_000_000;

#[derive(Debug)]
pub struct Budget {
    limit: u64,
    spent: Cell<u64>,
    /// Where the budget ran out first, and what was being evaluated there.
    exceeded_at: RefCell<Option<(Span, String)>>,
}

impl Budget {
    pub fn new(limit: u64) -> Self {
        Budget {
            limit,
            spent: Cell::new(0),
            exceeded_at: RefCell::new(None),
        }
    }

    /// Spend `units`; false once the budget is spent (and from then on, for the whole unit).
    pub fn spend(&self, units: u64) -> bool {
        let spent = self.spent.get().saturating_add(units);
        self.spent.set(spent);
        spent <= self.limit
    }

    pub fn exhausted(&self) -> bool {
        self.spent.get() > self.limit
    }

    pub fn spent(&self) -> u64 {
        self.spent.get()
    }

    /// Spend what a copy of `node` costs (its nodes and string bytes); the walk stops as soon
    /// as the budget is gone, so pricing a huge value is itself bounded.
    pub fn spend_copy(&self, node: &Node) -> bool {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            let units = NODE
                + match &n.kind {
                    NodeKind::String(s) => s.len() as u64,
                    NodeKind::Array(items) => {
                        stack.extend(items.iter());
                        0
                    }
                    NodeKind::Object(props) => {
                        stack.extend(props.iter().map(|(_, v)| v));
                        props.iter().map(|(k, _)| k.value.len() as u64).sum::<u64>()
                    }
                    _ => 0,
                };
            if !self.spend(units) {
                return false;
            }
        }
        true
    }

    /// Remember the first construct that found the budget spent.
    pub fn mark_exceeded(&self, span: &Span, what: &str) {
        let mut at = self.exceeded_at.borrow_mut();
        if at.is_none() {
            *at = Some((*span, what.to_owned()));
        }
    }

    /// The located ECS020 finding, when the budget ran out.
    pub fn diagnostic(&self) -> Option<crate::diagnostic::Diagnostic> {
        let (span, what) = self.exceeded_at.borrow().clone()?;
        Some(
            crate::diagnostic::Diagnostic::new(
                crate::diagnostic::BUDGET_EXCEEDED,
                crate::diagnostic::Severity::Info,
                span,
                format!(
                    "evaluation budget exceeded while evaluating `{what}`: this value and what \
                     is evaluated after it in this unit are treated as unknown"
                ),
            )
            .with_help(format!(
                "the budget is {} units (nodes, collection elements and string bytes built); \
                 raise it with --eval-budget if this input is legitimate",
                self.limit
            )),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Spanned};

    fn s(text: &str) -> Node {
        Node::new(NodeKind::String(text.into()), Span::new(FileId(0), 0..0))
    }

    #[test]
    fn copies_cost_their_size_and_exhaustion_sticks() {
        let b = Budget::new(2 * (2 * NODE + 5));
        let obj = Node::new(
            NodeKind::Object(vec![(
                Spanned::new("k".into(), Span::new(FileId(0), 0..0)),
                s("abcd"),
            )]),
            Span::new(FileId(0), 0..0),
        );
        // two nodes, a one-byte key and a four-byte string
        assert!(b.spend_copy(&obj));
        assert_eq!(b.spent(), 2 * NODE + 5);
        assert!(b.spend_copy(&obj));
        assert!(!b.spend_copy(&obj));
        assert!(b.exhausted());
        assert!(!b.spend(0));
    }

    #[test]
    fn the_first_place_is_reported() {
        let b = Budget::new(0);
        assert!(b.diagnostic().is_none());
        b.mark_exceeded(&Span::new(FileId(0), 3..4), "local.a");
        b.mark_exceeded(&Span::new(FileId(0), 9..10), "local.b");
        let d = b.diagnostic().unwrap();
        assert_eq!(d.primary.range, (3..4).into());
        assert!(d.message.contains("local.a"));
    }
}
