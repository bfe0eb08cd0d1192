//! ECS407: an ECR repository of the unit not encrypted with a customer managed KMS key.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Value;
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::start_of;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS407",
    name: "ecr-without-cmk",
    family: Family::Image,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: SERVICE_FORMATS,
    summary: "ECR repository is not encrypted with a customer managed KMS key",
    doc: include_str!("../../../rules/ECS407.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for repo in &ctx.unit.ecr_repositories {
        if matches!(
            repo.encryption_configuration.as_ref().map(|e| &e.value),
            Some(v) if !matches!(v, Value::Known(()))
        ) {
            continue;
        }
        let (span, message) = match &repo.encryption_type {
            None => (
                repo.encryption_configuration
                    .as_ref()
                    .map_or_else(|| start_of(&repo.span), |e| start_of(&e.span)),
                "ECR repository is encrypted with an AWS owned key (AES256, the default), not a customer managed KMS key",
            ),
            Some(t) => match t.value.known().map(|v| v.to_ascii_uppercase()).as_deref() {
                Some("AES256") => (
                    t.span,
                    "ECR repository is encrypted with an AWS owned key (AES256), not a customer managed KMS key",
                ),
                Some("KMS" | "KMS_DSSE") if repo.kms_key.is_none() => (
                    t.span,
                    "KMS encryption without `kmsKey` uses the AWS managed key `aws/ecr`, not a customer managed key",
                ),
                _ => continue,
            },
        };
        out.push(ctx.diag(span, message).with_help(
            "set `encryptionConfiguration` to `encryptionType: KMS` with `kmsKey` naming a customer managed key (it cannot be changed after creation)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(extra: &str) -> String {
        format!(
            "variable \"k\" {{}}\nresource \"aws_ecr_repository\" \"r\" {{\n  name = \"r\"\n{extra}\n}}\n"
        )
    }

    #[test]
    fn cases() {
        assert_eq!(run_tf(&super::RULE, &tf("")).len(), 1);
        let enc = |body: &str| tf(&format!("  encryption_configuration {{\n{body}\n  }}"));
        assert_eq!(
            run_tf(&super::RULE, &enc("    encryption_type = \"AES256\"")).len(),
            1
        );
        assert_eq!(
            run_tf(&super::RULE, &enc("    encryption_type = \"KMS\"")).len(),
            1
        );
        assert!(
            run_tf(
                &super::RULE,
                &enc("    encryption_type = \"KMS\"\n    kms_key = var.k")
            )
            .is_empty()
        );
    }
}
