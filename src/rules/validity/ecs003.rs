//! ECS003: a literal of the wrong type where the API wants a number or a boolean, or a field
//! the API (or the CloudFormation schema) requires left out. Required members come from the
//! table generated from the API models ([`super::api_model`]).

use super::{api_required, cfn_required};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Field, Format, Value};
use crate::rules::util::{container_label, start_of};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};
use crate::source::Span;
use crate::syntax::taskdef_json::is_placeholder;

pub static RULE: Rule = Rule {
    id: "ECS003",
    name: "invalid-literal",
    family: Family::Validity,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Literal of the wrong type, or a required field missing",
    doc: include_str!("../../../rules/ECS003.md"),
    check,
};

const TD: &str = "RegisterTaskDefinition";
const CONTAINER: &str = "AWS::ECS::TaskDefinition#ContainerDefinition";
const SECRET: &str = "RegisterTaskDefinition.containerDefinitions[].secrets[]";
const LOG: &str = "RegisterTaskDefinition.containerDefinitions[].logConfiguration";
const HEALTH: &str = "RegisterTaskDefinition.containerDefinitions[].healthCheck";
const EFS: &str = "RegisterTaskDefinition.volumes[].efsVolumeConfiguration";

/// Every (path, member) this rule relies on (the unit test checks each is in the table).
#[cfg(test)]
const REQUIRED: &[(&str, &str)] = &[
    (TD, "family"),
    (TD, "containerDefinitions"),
    (SECRET, "name"),
    (SECRET, "valueFrom"),
    (LOG, "logDriver"),
    (HEALTH, "command"),
    (EFS, "fileSystemId"),
];
#[cfg(test)]
const CFN: &[(&str, &str)] = &[(CONTAINER, "Name"), (CONTAINER, "Image")];

/// YAML 1.1 spellings of booleans: CloudFormation's reading of them in YAML is not certain,
/// so there they are not reported.
const YAML11_BOOLEANS: &[&str] = &["yes", "no", "on", "off", "y", "n"];

/// The value at `span` is written as a literal in the source — a quoted string whose content is
/// `expr`, a bare number or boolean, or (YAML) a bare scalar — not an expression, reference or
/// template placeholder that evaluated to something the model could not use. In Terraform the
/// span of a value that came through a variable is the variable's default, a literal too.
fn written_literally(ctx: &RuleCtx, span: &Span, expr: &str) -> bool {
    if is_placeholder(expr) || expr.is_empty() {
        return false;
    }
    let file = ctx.sources.get(span.file);
    let text = file.slice(&span.range).trim();
    if let Some(inner) = ['"', '\'']
        .iter()
        .find_map(|q| text.strip_prefix(*q).and_then(|t| t.strip_suffix(*q)))
    {
        return inner == expr;
    }
    // A YAML tag (`!Ref TaskCPU`, `!Sub ...`) is an intrinsic function, not a literal.
    text == expr
        && !text.starts_with('!')
        && (ctx.unit.format == Format::CloudFormationYaml
            || expr.parse::<f64>().is_ok()
            || expr == "true"
            || expr == "false")
}

/// A number or boolean field whose literal could not be read as one.
fn literal<T>(
    ctx: &RuleCtx,
    out: &mut Vec<Diagnostic>,
    field: &Field<T>,
    name: &str,
    expected: &str,
) {
    let Some(f) = field else { return };
    let Value::Unresolved { expr } = &f.value else {
        return;
    };
    if !written_literally(ctx, &f.span, expr) {
        return;
    }
    if expected == BOOLEAN
        && ctx.unit.format == Format::CloudFormationYaml
        && YAML11_BOOLEANS
            .iter()
            .any(|b| b.eq_ignore_ascii_case(expr.as_str()))
    {
        return;
    }
    out.push(
        ctx.diag(
            f.span,
            format!("`{expr}` is not a valid `{name}`: the API takes {expected}"),
        )
        .with_help(format!(
            "write {expected}, or a reference or parameter that gives one"
        )),
    );
}

fn missing(ctx: &RuleCtx, out: &mut Vec<Diagnostic>, at: &Span, what: String, member: &str) {
    out.push(
        ctx.diag(
            start_of(at),
            format!("{what} has no `{member}`, which the API requires"),
        )
        .with_help(format!("add `{member}`")),
    );
}

const NUMBER: &str = "a whole number";
const BOOLEAN: &str = "a boolean";

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for td in &unit.task_definitions {
        // CloudFormation makes up a family; raw JSON and Terraform must give one.
        if matches!(unit.format, Format::TaskDefJson | Format::Terraform) {
            if td.container_definitions.is_none() && api_required(TD, "containerDefinitions") {
                missing(
                    ctx,
                    out,
                    &td.span,
                    "task definition".into(),
                    "containerDefinitions",
                );
            }
            if td.family.is_none() && unit.format == Format::Terraform && api_required(TD, "family")
            {
                missing(ctx, out, &td.span, "task definition".into(), "family");
            }
        }
        literal(
            ctx,
            out,
            &td.cpu,
            "cpu",
            "a number of CPU units (or `1 vCPU`)",
        );
        literal(
            ctx,
            out,
            &td.memory,
            "memory",
            "a number of MiB (or `2 GB`)",
        );
        literal(
            ctx,
            out,
            &td.ephemeral_storage_gib,
            "ephemeralStorage.sizeInGiB",
            NUMBER,
        );
        for (label, efs, anchor) in crate::rules::security::efs_volumes(td) {
            if efs.file_system_id.is_none() && api_required(EFS, "fileSystemId") {
                missing(ctx, out, &anchor, label, "fileSystemId");
            }
        }
        for c in td.containers() {
            let label = container_label(c);
            if c.name.is_none() && cfn_required(CONTAINER, "Name") {
                missing(ctx, out, &c.span, label.clone(), "name");
            }
            if c.image.is_none() && cfn_required(CONTAINER, "Image") {
                missing(ctx, out, &c.span, label.clone(), "image");
            }
            literal(ctx, out, &c.cpu, "cpu", NUMBER);
            literal(ctx, out, &c.memory, "memory", NUMBER);
            literal(ctx, out, &c.memory_reservation, "memoryReservation", NUMBER);
            literal(ctx, out, &c.essential, "essential", BOOLEAN);
            literal(ctx, out, &c.privileged, "privileged", BOOLEAN);
            literal(
                ctx,
                out,
                &c.readonly_root_filesystem,
                "readonlyRootFilesystem",
                BOOLEAN,
            );
            if let Some(Value::Known(ports)) = c.port_mappings.as_ref().map(|p| &p.value) {
                for p in ports {
                    literal(ctx, out, &p.container_port, "containerPort", NUMBER);
                    literal(ctx, out, &p.host_port, "hostPort", NUMBER);
                }
            }
            if let Some(Value::Known(secrets)) = c.secrets.as_ref().map(|s| &s.value) {
                for s in secrets {
                    if s.name.is_none() && api_required(SECRET, "name") {
                        missing(ctx, out, &s.span, format!("{label}: secret"), "name");
                    }
                    if s.value_from.is_none() && api_required(SECRET, "valueFrom") {
                        missing(ctx, out, &s.span, format!("{label}: secret"), "valueFrom");
                    }
                }
            }
            if let Some(l) = &c.log_configuration
                && let Value::Known(log) = &l.value
                && log.log_driver.is_none()
                // An empty `{}` (a module's default) is left alone: tools drop it.
                && log.options.is_some()
                && api_required(LOG, "logDriver")
            {
                missing(
                    ctx,
                    out,
                    &l.span,
                    format!("{label}: logConfiguration"),
                    "logDriver",
                );
            }
            if let Some(h) = &c.health_check
                && let Value::Known(health) = &h.value
            {
                let any_field = health.interval.is_some()
                    || health.timeout.is_some()
                    || health.retries.is_some()
                    || health.start_period.is_some();
                if health.command.is_none() && any_field && api_required(HEALTH, "command") {
                    missing(
                        ctx,
                        out,
                        &h.span,
                        format!("{label}: healthCheck"),
                        "command",
                    );
                }
                literal(ctx, out, &health.interval, "healthCheck.interval", NUMBER);
                literal(ctx, out, &health.timeout, "healthCheck.timeout", NUMBER);
                literal(ctx, out, &health.retries, "healthCheck.retries", NUMBER);
                literal(
                    ctx,
                    out,
                    &health.start_period,
                    "healthCheck.startPeriod",
                    NUMBER,
                );
            }
        }
    }
    for s in &unit.services {
        literal(ctx, out, &s.desired_count, "desiredCount", NUMBER);
        literal(
            ctx,
            out,
            &s.deployment_minimum_healthy_percent,
            "minimumHealthyPercent",
            NUMBER,
        );
        literal(
            ctx,
            out,
            &s.deployment_maximum_percent,
            "maximumPercent",
            NUMBER,
        );
        literal(
            ctx,
            out,
            &s.health_check_grace_period_seconds,
            "healthCheckGracePeriodSeconds",
            NUMBER,
        );
        literal(
            ctx,
            out,
            &s.enable_execute_command,
            "enableExecuteCommand",
            BOOLEAN,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf, run_yaml};

    #[test]
    fn every_member_is_in_the_generated_tables() {
        for (path, member) in super::REQUIRED {
            assert!(super::api_required(path, member), "{path}.{member}");
        }
        for (path, member) in super::CFN {
            assert!(super::cfn_required(path, member), "{path}.{member}");
        }
    }

    #[test]
    fn cases() {
        let ok = r#"{"family": "app", "cpu": "1 vCPU", "memory": "2 GB", "containerDefinitions": [{"name": "app", "image": "app:1", "essential": true, "portMappings": [{"containerPort": 8080}]}]}"#;
        assert!(run_json(&super::RULE, ok).is_empty());
        // CloudFormation YAML intrinsics are not literals.
        assert!(
            run_yaml(
                &super::RULE,
                "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  TaskCPU:\n    Type: Number\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Cpu: !Ref TaskCPU\n      ContainerDefinitions:\n        - Name: a\n          Image: a:1\n          LogConfiguration: {}\n"
            )
            .is_empty()
        );
        // Template placeholders are unknown values, not literals.
        let template = r#"{"family": "app", "cpu": "{{ must_env `CPU` }}", "containerDefinitions": [{"name": "app", "image": "app:1"}]}"#;
        assert!(run_json(&super::RULE, template).is_empty());
        assert_eq!(
            run_json(
                &super::RULE,
                r#"{"family": "app", "cpu": "ContainerCpu", "containerDefinitions": [{"name": "app", "essential": "yes"}]}"#
            ),
            [
                "1:26 `ContainerCpu` is not a valid `cpu`: the API takes a number of CPU units (or `1 vCPU`)",
                "1:67 container `app` has no `image`, which the API requires",
                "1:96 `yes` is not a valid `essential`: the API takes a boolean",
            ]
        );
        // A variable without a value is not a literal.
        assert!(
            run_tf(
                &super::RULE,
                "variable \"cpu\" {}\nresource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  cpu = var.cpu\n  container_definitions = \"[]\"\n}\n"
            )
            .is_empty()
        );
        assert_eq!(
            run_tf(
                &super::RULE,
                "resource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  network_mode = \"none\"\n}\n"
            ),
            ["1:1 task definition has no `containerDefinitions`, which the API requires"]
        );
    }
}
