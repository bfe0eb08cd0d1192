//! ECS810: a cluster running Fargate services without a customer managed key for their
//! ephemeral storage (opt-in).

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::{Value, known};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::runs_on_fargate;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS810",
    name: "fargate-ephemeral-storage-without-cmk",
    family: Family::Security,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: SERVICE_FORMATS,
    summary: "Cluster runs Fargate services without a customer managed key for ephemeral storage",
    doc: include_str!("../../../rules/ECS810.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for cluster in unit.clusters.iter().filter(|c| c.cluster.is_none()) {
        match &cluster.fargate_ephemeral_storage_kms_key_id {
            Some(key) if !matches!(&key.value, Value::Known(k) if k.trim().is_empty()) => continue,
            _ => {}
        }
        let Some(service) = unit.services.iter().find(|s| {
            link::cluster_of(unit, s).is_some_and(|c| std::ptr::eq(c, cluster))
                && runs_on_fargate(unit, s)
        }) else {
            continue;
        };
        let label = known(&service.service_name).map_or_else(
            || format!("Fargate service `{}` runs here", service.name),
            |n| format!("Fargate service `{n}` runs here"),
        );
        out.push(
            ctx.diag(
                cluster.span,
                "cluster runs Fargate tasks whose ephemeral storage is encrypted with an AWS-owned key, not a customer managed key",
            )
            .with_label(service.span, label)
            .with_help("set `configuration.managedStorageConfiguration.fargateEphemeralStorageKmsKeyId` to a KMS key whose policy lets Fargate use it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(cluster_body: &str, service: &str) -> String {
        format!(
            r#"
resource "aws_ecs_cluster" "main" {{
  name = "main"
{cluster_body}
}}
resource "aws_ecs_service" "api" {{
  name    = "api"
  cluster = aws_ecs_cluster.main.id
{service}
}}
"#
        )
    }

    #[test]
    fn cases() {
        let cmk = r#"  configuration {
    managed_storage_configuration {
      fargate_ephemeral_storage_kms_key_id = aws_kms_key.storage.id
    }
  }"#;
        assert!(run_tf(&super::RULE, &tf(cmk, r#"  launch_type = "FARGATE""#)).is_empty());
        // EC2 services: no Fargate ephemeral storage.
        assert!(run_tf(&super::RULE, &tf("", r#"  launch_type = "EC2""#)).is_empty());
        // Unknown configuration: silent.
        let dynamic = r#"  dynamic "configuration" {
    for_each = var.configuration
    content {}
  }"#;
        assert!(
            run_tf(
                &super::RULE,
                &format!(
                    "variable \"configuration\" {{}}\n{}",
                    tf(dynamic, r#"  launch_type = "FARGATE""#)
                )
            )
            .is_empty()
        );
        assert_eq!(
            run_tf(&super::RULE, &tf("", r#"  launch_type = "FARGATE""#)),
            [
                "2:1 cluster runs Fargate tasks whose ephemeral storage is encrypted with an AWS-owned key, not a customer managed key"
            ]
        );
        let spot = r#"  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }"#;
        assert_eq!(run_tf(&super::RULE, &tf("", spot)).len(), 1);
    }
}
