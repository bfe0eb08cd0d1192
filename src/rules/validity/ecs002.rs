//! ECS002: a key that is not a field of the task definition or container, or is spelled with
//! the wrong case. Field names come from the tables generated from the API model and the
//! CloudFormation schema ([`super::api_model`]).

use super::api_model::{API_TASK_DEFINITION_MEMBERS, CFN_TASK_DEFINITION_MEMBERS};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Format, RawKey};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};
use crate::syntax::node::same_key;

pub static RULE: Rule = Rule {
    id: "ECS002",
    name: "unknown-or-miscased-key",
    family: Family::Validity,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Key is not a task-definition field, or is spelled with the wrong case",
    doc: include_str!("../../../rules/ECS002.md"),
    check,
};

type Table = &'static [(&'static str, &'static [&'static str])];

/// The key is written at its span as itself (quoted or bare): keys of JSON decoded from a
/// Terraform string (a heredoc, `file()`) all carry the string's span and cannot be pointed at.
fn written_here(ctx: &RuleCtx, k: &RawKey) -> bool {
    let file = ctx.sources.get(k.key.span.file);
    let text = file.slice(&k.key.span.range).trim();
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|q| text.strip_prefix(*q).and_then(|t| t.strip_suffix(*q)))
        .unwrap_or(text);
    unquoted == k.key.value
}

/// How the format treats keys: CloudFormation rejects unknown and mis-cased properties (the
/// schemas forbid additional properties); the Terraform provider decodes container
/// definitions case-insensitively and drops unknown keys; the AWS CLI rejects unknown
/// parameters in raw task-definition JSON, other deployers drop them.
struct Policy {
    table: Table,
    report_case: bool,
    severity: Severity,
    consequence: &'static str,
}

fn policy(format: Format) -> Policy {
    match format {
        Format::CloudFormationYaml | Format::CloudFormationJson => Policy {
            table: CFN_TASK_DEFINITION_MEMBERS,
            report_case: true,
            severity: Severity::Error,
            consequence: "CloudFormation rejects the template",
        },
        Format::TaskDefJson => Policy {
            table: API_TASK_DEFINITION_MEMBERS,
            report_case: true,
            severity: Severity::Warning,
            consequence: "the AWS CLI rejects it; other deployers silently drop it",
        },
        _ => Policy {
            table: API_TASK_DEFINITION_MEMBERS,
            report_case: false,
            severity: Severity::Warning,
            consequence: "the Terraform provider silently drops it",
        },
    }
}

fn one(ctx: &RuleCtx, out: &mut Vec<Diagnostic>, p: &Policy, path: &str, k: &RawKey) {
    let Some((_, names)) = p.table.iter().find(|(t, _)| *t == path) else {
        return; // free keys (labels, log options) or an object the tables do not describe
    };
    let key = k.key.value.as_str();
    if names.contains(&key) || !written_here(ctx, k) {
        return;
    }
    let object = match path {
        "" => "a task definition".to_owned(),
        "containerdefinitions[]" => "a container definition".to_owned(),
        _ => format!("`{path}`"),
    };
    let mut d = match names.iter().find(|n| same_key(n, key)) {
        Some(right) => {
            if !p.report_case {
                return;
            }
            ctx.diag(
                k.key.span,
                format!(
                    "`{key}` should be spelled `{right}`: names are case-sensitive, and {}",
                    p.consequence
                ),
            )
            .with_help(format!("write `{right}`"))
        }
        None => ctx
            .diag(
                k.key.span,
                format!("`{key}` is not a field of {object}: {}", p.consequence),
            )
            .with_help("check the spelling and where the key sits against the API reference"),
    };
    d.severity = p.severity;
    out.push(d);
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let p = policy(ctx.unit.format);
    // Terraform's own attributes are HCL (checked by `terraform validate`); only the JSON of
    // `container_definitions` is the API's.
    let task_level = !ctx.unit.format.is_terraform();
    for td in &ctx.unit.task_definitions {
        if task_level {
            for k in &td.keys {
                one(ctx, out, &p, &k.parent, k);
            }
        }
        for c in td.containers() {
            for k in &c.keys {
                let path = if k.parent.is_empty() {
                    "containerdefinitions[]".to_owned()
                } else {
                    format!("containerdefinitions[].{}", k.parent)
                };
                one(ctx, out, &p, &path, k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf, run_yaml};

    #[test]
    fn cases() {
        let ok = r#"{"family": "app", "containerDefinitions": [{"name": "app", "image": "app:1", "privileged": false,
  "dockerLabels": {"Any-Key": "x"}, "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "g"}}}]}"#;
        assert!(run_json(&super::RULE, ok).is_empty());
        // describe-task-definition output keys are fields too.
        assert!(run_json(&super::RULE, r#"{"family": "app", "revision": 3, "status": "ACTIVE", "containerDefinitions": []}"#).is_empty());
        assert_eq!(
            run_json(
                &super::RULE,
                r#"{"family": "app", "containerDefinitions": [{"name": "app", "image": "app:1", "privilege": true, "Essential": true}]}"#
            ),
            [
                "1:78 `privilege` is not a field of a container definition: the AWS CLI rejects it; other deployers silently drop it",
                "1:97 `Essential` should be spelled `essential`: names are case-sensitive, and the AWS CLI rejects it; other deployers silently drop it",
            ]
        );
        // Terraform: HCL attributes are not checked; mis-cased JSON keys are decoded anyway.
        let tf = "resource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  container_definitions = jsonencode([{ name = \"a\", image = \"a:1\", Essential = true, pidMode = \"host\" }])\n}\n";
        assert_eq!(
            run_tf(&super::RULE, tf),
            [
                "3:86 `pidMode` is not a field of a container definition: the Terraform provider silently drops it"
            ]
        );
        let cfn = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      requiresCompatibilities: [FARGATE]\n      ContainerDefinitions:\n        - Name: a\n          Image: a:1\n";
        assert_eq!(
            run_yaml(&super::RULE, cfn),
            [
                "6:7 `requiresCompatibilities` should be spelled `RequiresCompatibilities`: names are case-sensitive, and CloudFormation rejects the template"
            ]
        );
    }
}
