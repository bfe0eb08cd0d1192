//! Small helpers the rules share: where to point for a missing field, platform facts.

use crate::model::{ContainerDefinition, TaskDefinition, Unit, known};
use crate::source::Span;

/// The first character of a span: a "missing field" finding points at the start of its object
/// (resource header, container), not at all its lines.
pub fn start_of(span: &Span) -> Span {
    let end = span
        .range
        .start
        .saturating_add(1)
        .min(span.range.end.max(span.range.start + 1));
    Span {
        file: span.file,
        range: span.range.start..end,
    }
}

/// Where a container is named (its `name` value), else its first character.
pub fn container_anchor(c: &ContainerDefinition) -> Span {
    c.name
        .as_ref()
        .map_or_else(|| start_of(&c.span), |n| n.span.clone())
}

/// `container `web`` for messages.
pub fn container_label(c: &ContainerDefinition) -> String {
    known(&c.name).map_or_else(|| "container".to_owned(), |n| format!("container `{n}`"))
}

pub fn is_windows(td: &TaskDefinition) -> bool {
    known(&td.operating_system_family)
        .is_some_and(|os| os.to_ascii_uppercase().starts_with("WINDOWS"))
}

pub fn network_mode(td: &TaskDefinition) -> Option<&str> {
    known(&td.network_mode).map(String::as_str)
}

/// Raw task-definition JSON has no services, log groups or modules around it.
pub fn has_neighbours(unit: &Unit) -> bool {
    !matches!(unit.format, crate::model::Format::TaskDefJson)
}
