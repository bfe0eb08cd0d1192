//! `ecslint inspect`: the model as JSON (how front-ends are tested and coverage is measured),
//! and `--stats` counts.

use super::display_path;
use crate::engine::Scan;
use crate::model::*;
use crate::source::{FileId, SourceDb, Span, Spanned};
use serde_json::{Map, Value as Json, json};
use std::collections::BTreeMap;

struct Ctx<'a> {
    db: &'a SourceDb,
    /// The entity's own file: spans elsewhere (a `file()` target) also name their file.
    home: FileId,
}

impl Ctx<'_> {
    fn span(&self, span: &Span) -> Json {
        let file = self.db.get(span.file);
        let range = file.describe_range(&span.range);
        if span.file == self.home {
            json!(range)
        } else {
            json!(format!("{}:{range}", display_path(&file.path)))
        }
    }
}

trait Inspect {
    fn inspect(&self, cx: &Ctx) -> Json;
}

impl Inspect for String {
    fn inspect(&self, _: &Ctx) -> Json {
        json!(self)
    }
}
impl Inspect for u32 {
    fn inspect(&self, _: &Ctx) -> Json {
        json!(self)
    }
}
impl Inspect for bool {
    fn inspect(&self, _: &Ctx) -> Json {
        json!(self)
    }
}
impl Inspect for () {
    fn inspect(&self, _: &Ctx) -> Json {
        json!(true)
    }
}
impl Inspect for Span {
    fn inspect(&self, cx: &Ctx) -> Json {
        json!({ "span": cx.span(self) })
    }
}
impl<T: Inspect> Inspect for Vec<T> {
    fn inspect(&self, cx: &Ctx) -> Json {
        Json::Array(self.iter().map(|v| v.inspect(cx)).collect())
    }
}

impl<T: Inspect> Inspect for Spanned<Value<T>> {
    fn inspect(&self, cx: &Ctx) -> Json {
        let mut m = Map::new();
        match &self.value {
            Value::Known(v) => {
                m.insert("value".into(), v.inspect(cx));
            }
            Value::Ref { target, expr } => {
                m.insert("unresolved".into(), json!(expr));
                m.insert("reference".into(), json!(target));
            }
            Value::Unresolved { expr } => {
                m.insert("unresolved".into(), json!(expr));
            }
            Value::Partial(parts) => {
                m.insert("unresolved".into(), json!(crate::model::parts_text(parts)));
                m.insert("known_tail".into(), json!(crate::model::known_tail(parts)));
            }
        }
        m.insert("span".into(), cx.span(&self.span));
        Json::Object(m)
    }
}

/// Builds an object from `name => field` pairs, leaving out fields the input does not set.
macro_rules! object {
    ($cx:expr, $( $name:literal => $field:expr ),* $(,)?) => {{
        let mut m = Map::new();
        $( if let Some(f) = &$field { m.insert($name.into(), f.inspect($cx)); } )*
        Json::Object(m)
    }};
}

impl Inspect for LoadBalancer {
    fn inspect(&self, cx: &Ctx) -> Json {
        self.span.inspect(cx)
    }
}
impl Inspect for Volume {
    fn inspect(&self, cx: &Ctx) -> Json {
        object!(cx, "name" => self.name)
    }
}
impl Inspect for PortMapping {
    fn inspect(&self, cx: &Ctx) -> Json {
        object!(cx, "containerPort" => self.container_port, "hostPort" => self.host_port, "protocol" => self.protocol)
    }
}
impl Inspect for KeyValue {
    fn inspect(&self, cx: &Ctx) -> Json {
        object!(cx, "name" => self.name, "value" => self.value)
    }
}
impl Inspect for Secret {
    fn inspect(&self, cx: &Ctx) -> Json {
        object!(cx, "name" => self.name, "valueFrom" => self.value_from)
    }
}
impl Inspect for LogConfiguration {
    fn inspect(&self, cx: &Ctx) -> Json {
        object!(cx, "logDriver" => self.log_driver, "options" => self.options)
    }
}
impl Inspect for HealthCheck {
    fn inspect(&self, cx: &Ctx) -> Json {
        object!(cx, "command" => self.command, "interval" => self.interval, "timeout" => self.timeout,
            "retries" => self.retries, "startPeriod" => self.start_period)
    }
}
impl Inspect for CapacityProviderItem {
    fn inspect(&self, cx: &Ctx) -> Json {
        object!(cx, "capacityProvider" => self.capacity_provider, "weight" => self.weight, "base" => self.base)
    }
}
impl Inspect for ContainerDefinition {
    fn inspect(&self, cx: &Ctx) -> Json {
        let mut v = object!(cx,
            "name" => self.name, "image" => self.image, "cpu" => self.cpu, "memory" => self.memory,
            "memoryReservation" => self.memory_reservation, "essential" => self.essential,
            "portMappings" => self.port_mappings, "environment" => self.environment,
            "secrets" => self.secrets, "logConfiguration" => self.log_configuration,
            "healthCheck" => self.health_check, "privileged" => self.privileged,
            "readonlyRootFilesystem" => self.readonly_root_filesystem, "user" => self.user,
            "dependsOn" => self.depends_on,
        );
        v["span"] = cx.span(&self.span);
        v
    }
}

fn entity(cx: &Ctx, kind: &str, name: &str, span: &Span, fields: Json) -> Json {
    let file = cx.db.get(span.file);
    json!({
        "kind": kind,
        "file": display_path(&file.path),
        "name": name,
        "span": file.describe_range(&span.range),
        "fields": fields,
    })
}

pub fn model_json(scan: &Scan) -> Json {
    let mut entities = Vec::new();
    for unit in &scan.units {
        for td in &unit.task_definitions {
            let cx = Ctx {
                db: &scan.db,
                home: td.span.file,
            };
            let fields = object!(&cx,
                "family" => td.family, "cpu" => td.cpu, "memory" => td.memory,
                "networkMode" => td.network_mode, "requiresCompatibilities" => td.requires_compatibilities,
                "operatingSystemFamily" => td.operating_system_family, "cpuArchitecture" => td.cpu_architecture,
                "executionRoleArn" => td.execution_role_arn, "taskRoleArn" => td.task_role_arn,
                "ephemeralStorageGiB" => td.ephemeral_storage_gib, "pidMode" => td.pid_mode,
                "ipcMode" => td.ipc_mode, "volumes" => td.volumes,
                "containerDefinitions" => td.container_definitions,
            );
            entities.push(entity(&cx, "task_definition", &td.name, &td.span, fields));
        }
        for s in &unit.services {
            let cx = Ctx {
                db: &scan.db,
                home: s.span.file,
            };
            let fields = object!(&cx,
                "serviceName" => s.service_name, "cluster" => s.cluster, "taskDefinition" => s.task_definition,
                "launchType" => s.launch_type, "capacityProviderStrategy" => s.capacity_provider_strategy,
                "desiredCount" => s.desired_count, "schedulingStrategy" => s.scheduling_strategy,
                "platformVersion" => s.platform_version,
                "minimumHealthyPercent" => s.deployment_minimum_healthy_percent,
                "maximumPercent" => s.deployment_maximum_percent,
                "circuitBreakerEnable" => s.deployment_circuit_breaker_enable,
                "circuitBreakerRollback" => s.deployment_circuit_breaker_rollback,
                "deploymentController" => s.deployment_controller,
                "healthCheckGracePeriodSeconds" => s.health_check_grace_period_seconds,
                "loadBalancers" => s.load_balancers, "networkConfiguration" => s.network_configuration,
                "assignPublicIp" => s.assign_public_ip,
            );
            let mut e = entity(&cx, "service", &s.name, &s.span, fields);
            if let Some(td) = crate::link::task_definition_of(unit, s) {
                e["links"] = json!({ "taskDefinition": td.name });
            }
            entities.push(e);
        }
        for g in &unit.log_groups {
            let cx = Ctx {
                db: &scan.db,
                home: g.span.file,
            };
            let fields = object!(&cx, "logGroupName" => g.log_group_name, "retentionInDays" => g.retention_in_days);
            entities.push(entity(&cx, "log_group", &g.name, &g.span, fields));
        }
        if let Some(region) = &unit.region {
            let cx = Ctx {
                db: &scan.db,
                home: region.span.file,
            };
            entities.push(json!({
                "kind": "region",
                "file": display_path(&unit.path),
                "name": "region",
                "fields": { "region": region.inspect(&cx) },
            }));
        }
    }
    json!({ "entities": entities })
}

#[derive(Debug, Default, serde::Serialize)]
pub struct Stats {
    pub files: usize,
    pub files_by_format: BTreeMap<&'static str, usize>,
    pub units: usize,
    pub task_definitions: usize,
    pub services: usize,
    pub log_groups: usize,
    pub containers: usize,
    pub task_definitions_known_cpu: usize,
    pub task_definitions_known_memory: usize,
    pub task_definitions_known_containers: usize,
    pub services_linked_to_task_definition: usize,
    pub parse_errors: usize,
    pub skipped_notes: usize,
    /// The most evaluation units one unit spent (see `syntax::budget`): how far real inputs
    /// are from `--eval-budget`.
    pub eval_units_max: u64,
    /// Terraform module calls, and how many could be expanded (the rest have an ECS021).
    pub module_calls: usize,
    pub module_calls_expanded: usize,
    pub module_calls_unexpanded: usize,
}

pub fn stats(scan: &Scan) -> Stats {
    let mut s = Stats {
        files: scan.files.len(),
        units: scan.units.len(),
        parse_errors: scan
            .parse_errors
            .iter()
            .filter(|d| d.rule_id == crate::diagnostic::PARSE_ERROR)
            .count(),
        skipped_notes: scan.notes.len(),
        ..Stats::default()
    };
    for (_, format) in &scan.files {
        *s.files_by_format.entry(format.as_str()).or_default() += 1;
    }
    for unit in &scan.units {
        s.eval_units_max = s.eval_units_max.max(unit.eval_units);
        s.module_calls += unit.module_calls;
        s.module_calls_expanded += unit.module_calls_expanded;
        s.module_calls_unexpanded += unit.module_calls - unit.module_calls_expanded;
        s.task_definitions += unit.task_definitions.len();
        s.services += unit.services.len();
        s.log_groups += unit.log_groups.len();
        s.services_linked_to_task_definition += unit
            .services
            .iter()
            .filter(|svc| crate::link::task_definition_of(unit, svc).is_some())
            .count();
        for td in &unit.task_definitions {
            s.containers += td.containers().len();
            s.task_definitions_known_cpu += usize::from(known(&td.cpu).is_some());
            s.task_definitions_known_memory += usize::from(known(&td.memory).is_some());
            s.task_definitions_known_containers +=
                usize::from(known(&td.container_definitions).is_some());
        }
    }
    s
}

pub fn stats_human(s: &Stats) -> String {
    let mut out = format!("files                             {}\n", s.files);
    for (format, n) in &s.files_by_format {
        out.push_str(&format!("  {format:<31} {n}\n"));
    }
    let pct = |n: usize| {
        if s.task_definitions == 0 {
            String::new()
        } else {
            format!(" ({:.1}%)", 100.0 * n as f64 / s.task_definitions as f64)
        }
    };
    out.push_str(&format!(
        "units                             {}\ntask definitions                  {}\nservices                          {}\nlog groups                        {}\ncontainers                        {}\ntask definitions, known cpu       {}{}\ntask definitions, known memory    {}{}\ntask definitions, known containers {}{}\nservices linked to a task def     {}\nparse errors                      {}\nskipped (notes)                   {}\nevaluation units, largest unit    {}\nmodule calls                      {}\n  expanded                        {}\n  not expanded (ECS021)           {}\n",
        s.units, s.task_definitions, s.services, s.log_groups, s.containers,
        s.task_definitions_known_cpu, pct(s.task_definitions_known_cpu),
        s.task_definitions_known_memory, pct(s.task_definitions_known_memory),
        s.task_definitions_known_containers, pct(s.task_definitions_known_containers),
        s.services_linked_to_task_definition, s.parse_errors, s.skipped_notes, s.eval_units_max,
        s.module_calls, s.module_calls_expanded, s.module_calls_unexpanded
    ));
    out
}
