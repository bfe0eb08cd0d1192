//! Small helpers the rules share: where to point for a missing field, platform facts.

use crate::link;
use crate::model::{
    CapacityProviderItem, ContainerDefinition, Service, TaskDefinition, Unit, known,
};
use crate::source::Span;

/// The first character of a span: a "missing field" finding points at the start of its object
/// (resource header, container), not at all its lines. Its first byte here (there is no text at
/// hand): `engine::check_unit` widens it to the whole character.
pub fn start_of(span: &Span) -> Span {
    let end = span
        .range
        .start
        .saturating_add(1)
        .min(span.range.end.max(span.range.start + 1));
    Span {
        file: span.file,
        range: (span.range.start..end).into(),
    }
}

/// Where a container is named (its `name` value), else its first character.
pub fn container_anchor(c: &ContainerDefinition) -> Span {
    c.name
        .as_ref()
        .map_or_else(|| start_of(&c.span), |n| n.span)
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

fn is_fargate_provider(items: &[CapacityProviderItem]) -> bool {
    items
        .iter()
        .any(|i| known(&i.capacity_provider).is_some_and(|p| p.starts_with("FARGATE")))
}

/// The service runs on Fargate: by launch type, by its capacity-provider strategy, or (with
/// neither) by its cluster's default strategy. Anything unknown gives `false`.
pub fn runs_on_fargate(unit: &Unit, s: &Service) -> bool {
    match (&s.launch_type, &s.capacity_provider_strategy) {
        (Some(l), _) => l.value.known().is_some_and(|l| l == "FARGATE"),
        (None, Some(strategy)) => strategy
            .value
            .known()
            .is_some_and(|items| is_fargate_provider(items)),
        (None, None) => link::default_strategy_of(unit, s)
            .and_then(|f| known(f))
            .is_some_and(|items| is_fargate_provider(items)),
    }
}

/// A platform version `1.4.0` (or `1.4`) as numbers; `None` for `LATEST` and anything else.
pub fn platform_version(v: &str) -> Option<(u32, u32, u32)> {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().unwrap_or(Some(0))?,
    ))
}
