//! ECS308: ECS Exec in use on a cluster without a KMS key for its sessions (opt-in).

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::{Value, known};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::start_of;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS308",
    name: "exec-command-without-kms",
    family: Family::Logging,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: SERVICE_FORMATS,
    summary: "ECS Exec sessions are not encrypted with a customer managed KMS key",
    doc: include_str!("../../../rules/ECS308.md"),
    check,
};

const HELP: &str = "set `executeCommandConfiguration.kmsKeyId` (`kms_key_id`) to a KMS key the task role may use for decryption";

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for cluster in unit.clusters.iter().filter(|c| c.cluster.is_none()) {
        if cluster.execute_command_kms_key_id.is_some() {
            continue;
        }
        match &cluster.execute_command_configuration {
            Some(c) => {
                if !matches!(c.value, Value::Known(())) {
                    continue;
                }
                out.push(
                    ctx.diag(
                        start_of(&c.span),
                        "ECS Exec is configured without `kmsKeyId`: session data is not encrypted with a key you control",
                    )
                    .with_help(HELP),
                );
            }
            None => {
                // No exec configuration: report only when a service of this unit turns ECS
                // Exec on in this cluster.
                let Some(service) = unit.services.iter().find(|s| {
                    known(&s.enable_execute_command) == Some(&true)
                        && link::cluster_of(unit, s).is_some_and(|c| std::ptr::eq(c, cluster))
                }) else {
                    continue;
                };
                let exec = service.enable_execute_command.as_ref().unwrap();
                out.push(
                    ctx.diag(
                        cluster.span,
                        "a service enables ECS Exec on this cluster, which has no `executeCommandConfiguration.kmsKeyId`: session data is not encrypted with a key you control",
                    )
                    .with_label(exec.span, "ECS Exec enabled here")
                    .with_help(HELP),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(cluster: &str, service: &str) -> String {
        format!(
            r#"resource "aws_ecs_cluster" "main" {{
  name = "main"
{cluster}
}}
resource "aws_ecs_service" "api" {{
  name    = "api"
  cluster = aws_ecs_cluster.main.id
{service}
}}
"#
        )
    }

    fn exec(body: &str) -> String {
        format!(
            "  configuration {{\n    execute_command_configuration {{\n      logging = \"DEFAULT\"\n{body}\n    }}\n  }}"
        )
    }

    const EXEC: &str = "  enable_execute_command = true";

    #[test]
    fn cases() {
        let kms = "      kms_key_id = aws_kms_key.exec.arn";
        assert!(run_tf(&super::RULE, &tf(&exec(kms), EXEC)).is_empty());
        // ECS Exec not used: nothing to encrypt.
        assert!(run_tf(&super::RULE, &tf("", "")).is_empty());
        assert_eq!(
            run_tf(&super::RULE, &tf(&exec(""), "")),
            [
                "4:5 ECS Exec is configured without `kmsKeyId`: session data is not encrypted with a key you control"
            ]
        );
        assert_eq!(
            run_tf(&super::RULE, &tf("", EXEC)),
            [
                "1:1 a service enables ECS Exec on this cluster, which has no `executeCommandConfiguration.kmsKeyId`: session data is not encrypted with a key you control"
            ]
        );
    }
}
