//! ECS808: an EFS volume without transit encryption (an error when IAM authorization or an
//! access point needs it).

use super::efs_volumes;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Value, known};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS808",
    name: "efs-transit-encryption-disabled",
    family: Family::Security,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "EFS volume without transit encryption",
    doc: include_str!("../../../rules/ECS808.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for (label, efs, anchor) in efs_volumes(td) {
            let span = match &efs.transit_encryption {
                None => anchor,
                Some(t) => match &t.value {
                    Value::Known(v) if v.eq_ignore_ascii_case("ENABLED") => continue,
                    Value::Known(_) => t.span,
                    _ => continue,
                },
            };
            // The API rejects IAM authorization or an access point without TLS.
            let needs_tls = if known(&efs.iam).is_some_and(|v| v.eq_ignore_ascii_case("ENABLED")) {
                Some("IAM authorization")
            } else if efs
                .access_point_id
                .as_ref()
                .is_some_and(|a| !matches!(a.value, Value::Unresolved { .. }))
            {
                Some("an access point")
            } else {
                None
            };
            let d = match needs_tls {
                Some(what) => {
                    let mut d = ctx
                        .diag(
                            span,
                            format!("{label} uses {what} without transit encryption: registration fails"),
                        )
                        .with_help("set `transitEncryption: ENABLED` in its EFS volume configuration");
                    d.severity = Severity::Error;
                    d
                }
                None => ctx
                    .diag(
                        span,
                        format!("{label} does not encrypt data in transit: NFS traffic to the file system is plain text"),
                    )
                    .with_help("set `transitEncryption: ENABLED` in its EFS volume configuration (the default is DISABLED)"),
            };
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf};

    fn td(efs: &str) -> String {
        format!(
            r#"{{"family": "t", "volumes": [{{"name": "bind"}}, {{"name": "data", "efsVolumeConfiguration": {{"fileSystemId": "fs-1"{efs}}}}}], "containerDefinitions": []}}"#
        )
    }

    #[test]
    fn passes() {
        assert!(run_json(&super::RULE, &td(r#", "transitEncryption": "ENABLED""#)).is_empty());
        // No EFS volume at all: nothing to encrypt (checkov CKV_AWS_97 fails these).
        let bind = r#"{"family": "t", "volumes": [{"name": "scratch", "host": {}}], "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, bind).is_empty());
        let tf = r#"
variable "transit" {}
variable "volumes" { default = {} }
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = "[]"
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = "fs-1"
      transit_encryption = var.transit
    }
  }
}
resource "aws_ecs_task_definition" "u" {
  family                = "u"
  container_definitions = "[]"
  dynamic "volume" {
    for_each = var.volumes
    content {
      name = volume.key
      efs_volume_configuration {
        file_system_id = volume.value
      }
    }
  }
}
"#;
        assert!(run_tf(&super::RULE, tf).is_empty());
    }

    #[test]
    fn fails() {
        assert_eq!(
            run_json(&super::RULE, &td("")),
            [
                "1:56 EFS volume `data` does not encrypt data in transit: NFS traffic to the file system is plain text"
            ]
        );
        assert_eq!(
            run_json(
                &super::RULE,
                &td(
                    r#", "transitEncryption": "DISABLED", "authorizationConfig": {"iam": "ENABLED"}"#
                )
            ),
            [
                "1:136 EFS volume `data` uses IAM authorization without transit encryption: registration fails"
            ]
        );
        // Every EFS volume counts, not only the first.
        let two = r#"
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = "[]"
  volume {
    name = "a"
    efs_volume_configuration {
      file_system_id     = "fs-1"
      transit_encryption = "ENABLED"
    }
  }
  volume {
    name = "b"
    efs_volume_configuration {
      file_system_id = "fs-2"
      authorization_config {
        access_point_id = "fsap-1"
      }
    }
  }
}
"#;
        assert_eq!(
            run_tf(&super::RULE, two),
            [
                "13:12 EFS volume `b` uses an access point without transit encryption: registration fails"
            ]
        );
    }
}
