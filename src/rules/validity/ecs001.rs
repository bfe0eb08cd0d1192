//! ECS001: a literal value outside the ECS API's enum for its field. The values come from the
//! table generated from the API model ([`super::api_model`]).

use super::api_enum;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Field, known_spanned};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};
use crate::source::Span;

pub static RULE: Rule = Rule {
    id: "ECS001",
    name: "invalid-enum-value",
    family: Family::Validity,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Value is not one the ECS API accepts for its field",
    doc: include_str!("../../../rules/ECS001.md"),
    check,
};

const NETWORK_MODE: &str = "RegisterTaskDefinition.networkMode";
const PID_MODE: &str = "RegisterTaskDefinition.pidMode";
const IPC_MODE: &str = "RegisterTaskDefinition.ipcMode";
const COMPATIBILITIES: &str = "RegisterTaskDefinition.requiresCompatibilities[]";
const OS_FAMILY: &str = "RegisterTaskDefinition.runtimePlatform.operatingSystemFamily";
const CPU_ARCHITECTURE: &str = "RegisterTaskDefinition.runtimePlatform.cpuArchitecture";
const TRANSIT_ENCRYPTION: &str =
    "RegisterTaskDefinition.volumes[].efsVolumeConfiguration.transitEncryption";
const EFS_IAM: &str =
    "RegisterTaskDefinition.volumes[].efsVolumeConfiguration.authorizationConfig.iam";
const LOG_DRIVER: &str = "RegisterTaskDefinition.containerDefinitions[].logConfiguration.logDriver";
const PROTOCOL: &str = "RegisterTaskDefinition.containerDefinitions[].portMappings[].protocol";
const LAUNCH_TYPE: &str = "CreateService.launchType";
const SCHEDULING_STRATEGY: &str = "CreateService.schedulingStrategy";
const DEPLOYMENT_CONTROLLER: &str = "CreateService.deploymentController.type";
const CLUSTER_SETTING: &str = "CreateCluster.settings[].name";
const EXEC_LOGGING: &str = "CreateCluster.configuration.executeCommandConfiguration.logging";

/// Every API path this rule reads (the unit test checks each is in the generated table).
#[cfg(test)]
const PATHS: &[&str] = &[
    NETWORK_MODE,
    PID_MODE,
    IPC_MODE,
    COMPATIBILITIES,
    OS_FAMILY,
    CPU_ARCHITECTURE,
    TRANSIT_ENCRYPTION,
    EFS_IAM,
    LOG_DRIVER,
    PROTOCOL,
    LAUNCH_TYPE,
    SCHEDULING_STRATEGY,
    DEPLOYMENT_CONTROLLER,
    CLUSTER_SETTING,
    EXEC_LOGGING,
];

/// The member's name for messages: `networkMode`, `protocol`; with its parent when the name
/// alone says little (`settings[].name`, `deploymentController.type`).
fn member(path: &str) -> String {
    let mut parts = path.rsplit('.');
    let last = parts.next().unwrap_or(path);
    match (last.trim_end_matches("[]"), parts.next()) {
        (name @ ("name" | "type" | "iam" | "logging"), Some(parent)) => format!("{parent}.{name}"),
        (name, _) => name.to_owned(),
    }
}

fn value(ctx: &RuleCtx, out: &mut Vec<Diagnostic>, path: &str, text: &str, span: &Span) {
    let Some(values) = api_enum(path) else {
        return;
    };
    // An empty string is how Terraform modules often spell "not set".
    if text.is_empty() || values.contains(&text) {
        return;
    }
    let name = member(path);
    let (message, help) = match values.iter().find(|v| v.eq_ignore_ascii_case(text)) {
        Some(v) => (
            format!("`{text}` is not a valid `{name}`: the API's values are case-sensitive"),
            format!("write `{v}`"),
        ),
        None => (
            format!("`{text}` is not a valid `{name}`"),
            format!(
                "use one of {}",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    };
    out.push(ctx.diag(*span, message).with_help(help));
}

fn field(ctx: &RuleCtx, out: &mut Vec<Diagnostic>, path: &str, f: &Field<String>) {
    if let Some((text, span)) = known_spanned(f) {
        value(ctx, out, path, text, span);
    }
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for td in &unit.task_definitions {
        field(ctx, out, NETWORK_MODE, &td.network_mode);
        field(ctx, out, PID_MODE, &td.pid_mode);
        field(ctx, out, IPC_MODE, &td.ipc_mode);
        if let Some((list, span)) = known_spanned(&td.requires_compatibilities) {
            for c in list {
                value(ctx, out, COMPATIBILITIES, c, span);
            }
        }
        field(ctx, out, OS_FAMILY, &td.operating_system_family);
        field(ctx, out, CPU_ARCHITECTURE, &td.cpu_architecture);
        for (_, efs, _) in crate::rules::security::efs_volumes(td) {
            field(ctx, out, TRANSIT_ENCRYPTION, &efs.transit_encryption);
            field(ctx, out, EFS_IAM, &efs.iam);
        }
        for c in td.containers() {
            if let Some((log, _)) = known_spanned(&c.log_configuration) {
                field(ctx, out, LOG_DRIVER, &log.log_driver);
            }
            if let Some((ports, _)) = known_spanned(&c.port_mappings) {
                for p in ports {
                    field(ctx, out, PROTOCOL, &p.protocol);
                }
            }
        }
    }
    for s in &unit.services {
        field(ctx, out, LAUNCH_TYPE, &s.launch_type);
        field(ctx, out, SCHEDULING_STRATEGY, &s.scheduling_strategy);
        field(ctx, out, DEPLOYMENT_CONTROLLER, &s.deployment_controller);
    }
    for c in unit.clusters.iter().filter(|c| c.cluster.is_none()) {
        if let Some((settings, _)) = known_spanned(&c.settings) {
            for kv in settings {
                field(ctx, out, CLUSTER_SETTING, &kv.name);
            }
        }
        field(ctx, out, EXEC_LOGGING, &c.execute_command_logging);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf};

    #[test]
    fn every_path_is_in_the_generated_table() {
        for path in super::PATHS {
            assert!(
                super::api_enum(path).is_some(),
                "{path} not in api_model.rs"
            );
        }
    }

    fn td(network: &str, protocol: &str) -> String {
        format!(
            r#"{{"family": "app", "networkMode": "{network}", "containerDefinitions": [{{"name": "app", "image": "app:1",
  "portMappings": [{{"containerPort": 80, "protocol": "{protocol}"}}]}}]}}"#
        )
    }

    #[test]
    fn cases() {
        assert!(run_json(&super::RULE, &td("awsvpc", "tcp")).is_empty());
        assert!(run_json(&super::RULE, &td("", "udp")).is_empty());
        assert_eq!(
            run_json(&super::RULE, &td("awsvpc", "http")),
            ["2:54 `http` is not a valid `protocol`"]
        );
        assert_eq!(
            run_json(&super::RULE, &td("AWSVPC", "tcp")),
            ["1:34 `AWSVPC` is not a valid `networkMode`: the API's values are case-sensitive"]
        );
        // Unknown values: silent.
        assert!(
            run_tf(
                &super::RULE,
                "variable \"lt\" {}\nresource \"aws_ecs_service\" \"s\" {\n  name = \"s\"\n  launch_type = var.lt\n}\n"
            )
            .is_empty()
        );
        assert_eq!(
            run_tf(
                &super::RULE,
                "resource \"aws_ecs_service\" \"s\" {\n  name = \"s\"\n  launch_type = \"SPOT\"\n}\n"
            ),
            ["3:17 `SPOT` is not a valid `launchType`"]
        );
    }
}
