//! Container and task hardening (ECS80x): privileges, namespaces, capabilities, storage
//! encryption.

pub mod ecs801;
pub mod ecs802;
pub mod ecs803;
pub mod ecs804;
pub mod ecs805;
pub mod ecs806;
pub mod ecs807;
pub mod ecs808;
pub mod ecs809;
pub mod ecs810;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{EfsVolumeConfiguration, TaskDefinition, known};
use crate::rules::util::start_of;
use crate::source::Span;

/// Raise a finding to an error when the task definition is Fargate-compatible: the setting is
/// not supported there and `RegisterTaskDefinition` rejects it.
pub fn error_on_fargate(td: &TaskDefinition, mut d: Diagnostic) -> Diagnostic {
    if td.is_fargate() {
        d.severity = Severity::Error;
    }
    d
}

/// The task's EFS volumes whose configuration is known: a label for messages (`EFS volume
/// `data``), the configuration, and where a "missing field" finding points (the volume's name,
/// else the start of its EFS configuration). Volumes that are not EFS (bind mounts, Docker
/// volumes) are not EFS findings; an unknown volume list gives nothing.
pub fn efs_volumes(td: &TaskDefinition) -> Vec<(String, &EfsVolumeConfiguration, Span)> {
    known(&td.volumes)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|v| {
            let efs = v.efs_volume_configuration.as_ref()?;
            let (label, anchor) = match &v.name {
                Some(n) if n.value.known().is_some() => {
                    (format!("EFS volume `{}`", n.value.known().unwrap()), n.span)
                }
                _ => ("EFS volume".to_owned(), start_of(&efs.span)),
            };
            efs.value.known().map(|e| (label, e, anchor))
        })
        .collect()
}
