//! Container and task hardening (ECS80x): privileges, namespaces, capabilities, storage
//! encryption.

pub mod ecs801;
pub mod ecs802;
pub mod ecs803;
pub mod ecs804;
pub mod ecs805;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::TaskDefinition;

/// Raise a finding to an error when the task definition is Fargate-compatible: the setting is
/// not supported there and `RegisterTaskDefinition` rejects it.
pub fn error_on_fargate(td: &TaskDefinition, mut d: Diagnostic) -> Diagnostic {
    if td.is_fargate() {
        d.severity = Severity::Error;
    }
    d
}
