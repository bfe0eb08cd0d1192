//! Cross-resource references inside a unit: service → task definition, container log group →
//! declared log group. A link that cannot be made is `None`, and rules that need it stay silent.

use crate::model::{
    CapacityProviderItem, Cluster, Field, LogGroup, Service, TaskDefinition, Unit, Value, known,
};

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
        Value::Unresolved { .. } | Value::Partial(_) => None,
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
        Value::Unresolved { .. } | Value::Partial(_) => None,
    }
}

/// The cluster resource a service names, when the unit declares it.
pub fn cluster_of<'a>(unit: &'a Unit, service: &Service) -> Option<&'a Cluster> {
    let target = &service.cluster.as_ref()?.value;
    unit.clusters
        .iter()
        .find(|c| c.cluster.is_none() && names_cluster(target, c))
}

fn names_cluster(value: &Value<String>, cluster: &Cluster) -> bool {
    match value {
        Value::Ref { target, .. } => target == &cluster.name,
        // `cluster = "main"` or an ARN ending in `cluster/main`.
        Value::Known(text) => known(&cluster.cluster_name)
            .is_some_and(|n| n == text || text.rsplit('/').next() == Some(n.as_str())),
        Value::Unresolved { .. } | Value::Partial(_) => false,
    }
}

/// The default capacity-provider strategy of the service's cluster, from the cluster itself or
/// an association resource that configures it. `None` when the cluster is not declared here or
/// declares no default strategy.
pub fn default_strategy_of<'a>(
    unit: &'a Unit,
    service: &Service,
) -> Option<&'a Field<Vec<CapacityProviderItem>>> {
    let cluster = cluster_of(unit, service)?;
    unit.clusters
        .iter()
        .filter(|a| {
            a.cluster
                .as_ref()
                .is_some_and(|c| names_cluster(&c.value, cluster))
        })
        .chain(std::iter::once(cluster))
        .map(|c| &c.default_capacity_provider_strategy)
        .find(|s| s.is_some())
}
