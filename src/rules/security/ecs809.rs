//! ECS809: an EFS volume mounted without IAM authorization (opt-in).

use super::efs_volumes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Value;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS809",
    name: "efs-without-iam-authorization",
    family: Family::Security,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: ALL_FORMATS,
    summary: "EFS volume mounted without IAM authorization",
    doc: include_str!("../../../rules/ECS809.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for (label, efs, anchor) in efs_volumes(td) {
            let span = match (&efs.iam, &efs.authorization_config) {
                (Some(iam), _) => match &iam.value {
                    Value::Known(v) if v.eq_ignore_ascii_case("ENABLED") => continue,
                    Value::Known(_) => iam.span,
                    _ => continue,
                },
                // An authorization block we cannot see may enable it.
                (None, Some(auth)) if !matches!(auth.value, Value::Known(())) => continue,
                (None, _) => anchor,
            };
            out.push(
                ctx.diag(
                    span,
                    format!("{label} is mounted without IAM authorization: any task that can reach the mount target gets the file system policy's default access"),
                )
                .with_help("set `authorizationConfig.iam: ENABLED` (with `transitEncryption: ENABLED`) and grant the task role `elasticfilesystem:ClientMount`/`ClientWrite` in the file system policy"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(efs: &str) -> String {
        format!(
            r#"{{"family": "t", "volumes": [{{"name": "data", "efsVolumeConfiguration": {{"fileSystemId": "fs-1", "transitEncryption": "ENABLED"{efs}}}}}], "containerDefinitions": []}}"#
        )
    }

    #[test]
    fn cases() {
        assert!(
            run_json(
                &super::RULE,
                &td(r#", "authorizationConfig": {"iam": "ENABLED"}"#)
            )
            .is_empty()
        );
        assert_eq!(
            run_json(&super::RULE, &td("")),
            [
                "1:38 EFS volume `data` is mounted without IAM authorization: any task that can reach the mount target gets the file system policy's default access"
            ]
        );
        assert_eq!(
            run_json(
                &super::RULE,
                &td(r#", "authorizationConfig": {"accessPointId": "fsap-1", "iam": "DISABLED"}"#)
            ),
            [
                "1:187 EFS volume `data` is mounted without IAM authorization: any task that can reach the mount target gets the file system policy's default access"
            ]
        );
        let no_volumes = r#"{"family": "t", "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, no_volumes).is_empty());
    }
}
