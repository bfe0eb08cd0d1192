//! Cross-resource references inside a unit: service → task definition, container log group →
//! declared log group. A link that cannot be made is `None`, and rules that need it stay silent.

use crate::model::{LogGroup, Service, TaskDefinition, Unit, Value, known};

/// The task definition a service runs, when the unit declares it: by reference
/// (`aws_ecs_task_definition.app.arn`, `!Ref TaskDef`) or by family name.
pub fn task_definition_of<'a>(unit: &'a Unit, service: &Service) -> Option<&'a TaskDefinition> {
    match &service.task_definition.as_ref()?.value {
        Value::Ref { target, .. } => unit.task_definitions.iter().find(|td| &td.name == target),
        Value::Known(text) => {
            // `family` or `family:revision`; an ARN ends in `task-definition/family:rev`.
            let family = text.rsplit('/').next().unwrap_or(text);
            let family = family.split(':').next().unwrap_or(family);
            unit.task_definitions
                .iter()
                .find(|td| known(&td.family).is_some_and(|f| f == family))
        }
        Value::Unresolved { .. } => None,
    }
}

/// Services of the unit that run `td`.
pub fn services_of<'a>(
    unit: &'a Unit,
    td: &'a TaskDefinition,
) -> impl Iterator<Item = &'a Service> + 'a {
    unit.services
        .iter()
        .filter(move |s| task_definition_of(unit, s).is_some_and(|t| std::ptr::eq(t, td)))
}

/// The declared log group an `awslogs-group` value names, by reference or by literal name.
pub fn log_group_of<'a>(unit: &'a Unit, group: &Value<String>) -> Option<&'a LogGroup> {
    match group {
        Value::Ref { target, .. } => unit.log_groups.iter().find(|g| &g.name == target),
        Value::Known(name) => unit
            .log_groups
            .iter()
            .find(|g| known(&g.log_group_name).is_some_and(|n| n == name)),
        Value::Unresolved { .. } => None,
    }
}
