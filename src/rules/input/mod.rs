//! Findings about the input itself that front-ends report while they read it (the rule
//! functions here never find anything: there is nothing left to judge once a unit is built).
//! They are rules so that they have ids, pages, and can be selected or ignored like any other.

pub mod ecs020;
pub mod ecs021;

use crate::diagnostic::Diagnostic;
use crate::rules::RuleCtx;

/// Reported by the front-ends, not computed from the model.
pub(crate) fn reported_by_front_end(_: &RuleCtx, _: &mut Vec<Diagnostic>) {}
