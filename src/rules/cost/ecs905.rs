//! ECS905: an ECS cluster, service or task definition without tags, or a service that does not
//! propagate tags to its tasks.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Field, Format, KeyValue, Value, known_spanned};
use crate::rules::util::start_of;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};
use crate::source::Span;

pub static RULE: Rule = Rule {
    id: "ECS905",
    name: "untagged-ecs-resource",
    family: Family::Cost,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: ALL_FORMATS,
    summary: "ECS cluster, service or task definition without tags",
    doc: include_str!("../../../rules/ECS905.md"),
    check,
};

/// Is the entity untagged, and where does the finding point? `None`: tagged, or not knowable.
fn untagged(
    tags: &Field<Vec<KeyValue>>,
    default_tags: &Field<Vec<KeyValue>>,
    header: &Span,
) -> Option<Span> {
    match default_tags.as_ref().map(|d| &d.value) {
        None => {}
        Some(Value::Known(d)) if d.is_empty() => {}
        // Provider default tags reach every resource (or cannot be known).
        Some(_) => return None,
    }
    match tags {
        None => Some(start_of(header)),
        Some(t) => match &t.value {
            Value::Known(list) if list.is_empty() => Some(t.span),
            _ => None,
        },
    }
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    let defaults = &unit.default_tags;
    let help = if unit.format == Format::Terraform || unit.format == Format::TerraformJson {
        "add `tags` (or `default_tags` in the root's `provider \"aws\"` block) with at least the cost-allocation keys your organisation uses"
    } else {
        "add tags (`Tags` / `tags`) with at least the cost-allocation keys your organisation uses"
    };
    for cluster in &unit.clusters {
        // Capacity-provider associations name their cluster; they carry no tags of their own.
        if cluster.cluster.is_some() {
            continue;
        }
        if let Some(span) = untagged(&cluster.tags, defaults, &cluster.span) {
            out.push(
                ctx.diag(
                    span,
                    "ECS cluster without tags: its cost cannot be allocated",
                )
                .with_help(help),
            );
        }
    }
    for td in &unit.task_definitions {
        if let Some(span) = untagged(&td.tags, defaults, &td.span) {
            out.push(
                ctx.diag(
                    span,
                    "task definition without tags: its cost cannot be allocated",
                )
                .with_help(help),
            );
        }
    }
    for service in &unit.services {
        if let Some(span) = untagged(&service.tags, defaults, &service.span) {
            out.push(
                ctx.diag(
                    span,
                    "ECS service without tags: its cost cannot be allocated",
                )
                .with_help(help),
            );
        }
        // Tasks are tagged only when the service propagates its own or the task definition's
        // tags (absent is NONE).
        let none_at = match &service.propagate_tags {
            None => Some(start_of(&service.span)),
            Some(_) => known_spanned(&service.propagate_tags)
                .filter(|(v, _)| v.eq_ignore_ascii_case("NONE"))
                .map(|(_, span)| *span),
        };
        if let Some(span) = none_at {
            out.push(
                ctx.diag(span, "ECS service does not propagate tags to its tasks: task costs cannot be allocated")
                    .with_help("set `propagate_tags` / `PropagateTags` to `SERVICE` or `TASK_DEFINITION`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf, run_tf_json, run_yaml};

    const SERVICE: &str = "resource \"aws_ecs_service\" \"s\" {\n  name = \"s\"\n";

    #[test]
    fn terraform() {
        let tf = |provider: &str, body: &str| {
            format!("variable \"tags\" {{}}\n{provider}\n{SERVICE}{body}}}\n")
        };
        let p = "provider \"aws\" {\n  region = \"eu-west-1\"\n}";
        assert_eq!(run_tf(&super::RULE, &tf(p, "")).len(), 2);
        assert_eq!(
            run_tf(
                &super::RULE,
                &tf(p, "  tags = {}\n  propagate_tags = \"NONE\"\n")
            ),
            [
                "7:10 ECS service without tags: its cost cannot be allocated",
                "8:20 ECS service does not propagate tags to its tasks: task costs cannot be allocated"
            ]
        );
        let fine = "  tags = { team = \"a\" }\n  propagate_tags = \"SERVICE\"\n";
        assert!(run_tf(&super::RULE, &tf(p, fine)).is_empty());
        // Unknown tags, unknown default tags, no provider block: not reported.
        let unknown = "  tags = var.tags\n  propagate_tags = \"SERVICE\"\n";
        assert!(run_tf(&super::RULE, &tf(p, unknown)).is_empty());
        let propagated = "  propagate_tags = \"SERVICE\"\n";
        let defaults = "provider \"aws\" {\n  default_tags {\n    tags = { team = \"a\" }\n  }\n}";
        assert!(run_tf(&super::RULE, &tf(defaults, propagated)).is_empty());
        let unknown_defaults = "provider \"aws\" {\n  default_tags {\n    tags = var.tags\n  }\n}";
        assert!(run_tf(&super::RULE, &tf(unknown_defaults, propagated)).is_empty());
        assert!(run_tf(&super::RULE, &tf("", propagated)).is_empty());
        let empty_defaults = "provider \"aws\" {\n  default_tags {\n    tags = {}\n  }\n}";
        assert_eq!(
            run_tf(&super::RULE, &tf(empty_defaults, propagated)).len(),
            1
        );
    }

    #[test]
    fn terraform_json() {
        let tf = |provider: &str| {
            format!(
                r#"{{{provider}"resource": {{"aws_ecs_cluster": {{"c": {{"name": "c"}}, "t": {{"name": "t", "tags": {{}}}}}}}}}}"#
            )
        };
        let plain = r#""provider": {"aws": [{"region": "eu-west-1"}]},"#;
        assert_eq!(
            run_tf_json(&super::RULE, &tf(plain)),
            [
                "1:82 ECS cluster without tags: its cost cannot be allocated",
                "1:129 ECS cluster without tags: its cost cannot be allocated"
            ]
        );
        // CDK for Terraform writes the provider's default tags in JSON.
        let defaults = r#""provider": {"aws": [{"default_tags": [{"tags": {"team": "a"}}]}]},"#;
        assert!(run_tf_json(&super::RULE, &tf(defaults)).is_empty());
        let unknown = r#""variable": {"t": {}}, "provider": {"aws": [{"default_tags": [{"tags": "${var.t}"}]}]},"#;
        assert!(run_tf_json(&super::RULE, &tf(unknown)).is_empty());
        assert!(run_tf_json(&super::RULE, &tf("")).is_empty());
    }

    #[test]
    fn raw_json() {
        assert_eq!(run_json(&super::RULE, r#"{"family": "a"}"#).len(), 1);
        assert_eq!(
            run_json(&super::RULE, r#"{"family": "a", "tags": []}"#),
            ["1:25 task definition without tags: its cost cannot be allocated"]
        );
        assert!(
            run_json(
                &super::RULE,
                r#"{"family": "a", "tags": [{"key": "team", "value": "a"}]}"#
            )
            .is_empty()
        );
        // The describe-task-definition shape: tags beside the task definition, when included.
        assert!(run_json(&super::RULE, r#"{"taskDefinition": {"family": "a"}}"#).is_empty());
        assert_eq!(
            run_json(
                &super::RULE,
                r#"{"taskDefinition": {"family": "a"}, "tags": []}"#
            )
            .len(),
            1
        );
        assert!(run_json(&super::RULE, "[]").is_empty());
        let inside = r#"{"taskDefinition": {"family": "a", "tags": [{"key": "k", "value": "v"}]}}"#;
        assert!(run_json(&super::RULE, inside).is_empty());
        let inside_empty = r#"{"taskDefinition": {"family": "a", "tags": []}}"#;
        assert_eq!(run_json(&super::RULE, inside_empty).len(), 1);
    }

    #[test]
    fn cloudformation() {
        let yaml = "Parameters:\n  Tags:\n    Type: String\nResources:\n  C:\n    Type: AWS::ECS::Cluster\n  D:\n    Type: AWS::ECS::Cluster\n    Properties:\n      Tags:\n        - Key: team\n          Value: !Ref Tags\n";
        assert_eq!(
            run_yaml(&super::RULE, yaml),
            ["5:3 ECS cluster without tags: its cost cannot be allocated"]
        );
        // A Copilot template: Copilot deploys it with stack tags.
        let copilot = "Parameters:\n  AppName: {Type: String}\n  EnvName: {Type: String}\n  WorkloadName: {Type: String}\nResources:\n  C:\n    Type: AWS::ECS::Cluster\n";
        assert!(run_yaml(&super::RULE, copilot).is_empty());
    }
}
