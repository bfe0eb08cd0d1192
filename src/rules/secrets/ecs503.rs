//! ECS503: a secret's `valueFrom` is not a secret reference, or there is no execution role to
//! fetch it with.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Value, known};
use crate::rules::util::{container_label, start_of};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS503",
    name: "invalid-secret-reference",
    family: Family::Secrets,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "secrets[].valueFrom is not a Secrets Manager/SSM reference, or no execution role",
    doc: include_str!("../../../rules/ECS503.md"),
    check,
};

/// `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>[:json-key:stage:version]`,
/// `arn:<partition>:ssm:<region>:<account>:parameter/<name>`, or an SSM parameter name.
pub fn is_secret_reference(v: &str) -> bool {
    let parts: Vec<&str> = v.splitn(7, ':').collect();
    if parts.first() == Some(&"arn") {
        return parts.len() >= 6
            && parts[1].starts_with("aws")
            && match parts[2] {
                "secretsmanager" => {
                    parts[5] == "secret" && parts.get(6).is_some_and(|n| !n.is_empty())
                }
                "ssm" => parts[5].starts_with("parameter/") && parts[5].len() > "parameter/".len(),
                _ => false,
            };
    }
    !v.is_empty()
        && v.len() <= 2048
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let mut uses_secrets = false;
        for c in td.containers() {
            for s in known(&c.secrets).map_or(&[][..], Vec::as_slice) {
                uses_secrets = true;
                let Some(from) = &s.value_from else { continue };
                if let Value::Known(v) = &from.value
                    && !is_secret_reference(v)
                {
                    out.push(
                        ctx.diag(from.span, format!("{}: `valueFrom` is neither a Secrets Manager or SSM parameter ARN nor an SSM parameter name", container_label(c)))
                            .with_help("use `arn:aws:secretsmanager:<region>:<account>:secret:<name>` or an SSM parameter (`/app/db-password` or its ARN); the value itself belongs in the secret store"),
                    );
                }
            }
        }
        // Absent, or an empty string (Terraform modules default it to ""): nothing fetches them.
        let no_role = match &td.execution_role_arn {
            None => true,
            Some(r) => r.value.known().is_some_and(|v| v.is_empty()),
        };
        if uses_secrets && no_role {
            out.push(
                ctx.diag(start_of(&td.span), "containers use `secrets`, but the task definition has no `executionRoleArn` to fetch them with")
                    .with_help("set `executionRoleArn` to a role allowed secretsmanager:GetSecretValue / ssm:GetParameters (and kms:Decrypt for customer keys)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run_json;

    #[test]
    fn references() {
        assert!(is_secret_reference(
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
        ));
        assert!(is_secret_reference(
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::"
        ));
        assert!(is_secret_reference(
            "arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/app/db"
        ));
        assert!(is_secret_reference("/app/db-password"));
        assert!(!is_secret_reference("hunter2 with spaces"));
        assert!(!is_secret_reference("arn:aws:s3:::bucket/key"));
    }

    #[test]
    fn cases() {
        let td = |role: &str, from: &str| {
            format!(
                r#"{{{role}"containerDefinitions": [{{"name": "a", "secrets": [{{"name": "X", "valueFrom": "{from}"}}]}}]}}"#
            )
        };
        assert!(
            run_json(
                &super::RULE,
                &td(r#""executionRoleArn": "arn:aws:iam::1:role/e", "#, "/app/x")
            )
            .is_empty()
        );
        assert_eq!(run_json(&super::RULE, &td("", "/app/x")).len(), 1);
        assert_eq!(
            run_json(
                &super::RULE,
                &td(
                    r#""executionRoleArn": "arn:aws:iam::1:role/e", "#,
                    "s3://bucket/secret"
                )
            )
            .len(),
            1
        );
    }
}
