//! ECS106: Fargate platform constraints on storage, architecture and platform version.

use crate::diagnostic::{Diagnostic, Severity};
use crate::fargate::vcpu_label;
use crate::link;
use crate::model::known_spanned;
use crate::rules::util::is_windows;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS106",
    name: "fargate-platform-constraint",
    family: Family::Sizing,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Fargate platform constraint violated (ephemeral storage, ARM64/Windows, platform version)",
    doc: include_str!("../../../rules/ECS106.md"),
    check,
};

/// `1.3.0` → (1, 3, 0); `LATEST` and anything else → `None` (LATEST is 1.4.0 today).
fn version(v: &str) -> Option<(u32, u32, u32)> {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
    Some((
        parts.next()??,
        parts.next()??,
        parts.next().unwrap_or(Some(0))?,
    ))
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        if !td.is_fargate() {
            continue;
        }
        let windows = is_windows(td);
        if let Some((&gib, span)) = known_spanned(&td.ephemeral_storage_gib) {
            if windows {
                out.push(ctx.diag(*span, "configurable ephemeral storage is not supported for Windows tasks on Fargate")
                    .with_help("remove `ephemeralStorage`; Windows tasks get the platform's fixed storage"));
            } else if !(21..=200).contains(&gib) {
                out.push(
                    ctx.diag(
                        *span,
                        format!("ephemeral storage of {gib} GiB is outside Fargate's 21–200 GiB"),
                    )
                    .with_help(
                        "use 21 to 200 GiB, or remove `ephemeralStorage` for the default 20 GiB",
                    ),
                );
            }
        }
        if windows
            && let Some((arch, span)) = known_spanned(&td.cpu_architecture)
            && arch.eq_ignore_ascii_case("ARM64")
        {
            out.push(
                ctx.diag(*span, "Fargate runs Windows containers on X86_64 only")
                    .with_help(
                        "use `cpuArchitecture: X86_64` for Windows, or a Linux image for ARM64",
                    ),
            );
        }
        let Some((&cpu, cpu_span)) = known_spanned(&td.cpu) else {
            continue;
        };
        if cpu < 8192 {
            continue;
        }
        for service in link::services_of(ctx.unit, td) {
            if let Some((pv, span)) = known_spanned(&service.platform_version)
                && version(pv).is_some_and(|v| v < (1, 4, 0))
            {
                out.push(
                    ctx.diag(*span, format!("{} tasks need Fargate platform version 1.4.0 or later; this service pins {pv}", vcpu_label(cpu)))
                        .with_label(*cpu_span, "task cpu is declared here")
                        .with_help("use `platformVersion: LATEST` (or 1.4.0)"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf};

    #[test]
    fn cases() {
        let ok = r#"{"requiresCompatibilities": ["FARGATE"], "ephemeralStorage": {"sizeInGiB": 50}, "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, ok).is_empty());
        let small = r#"{"requiresCompatibilities": ["FARGATE"], "ephemeralStorage": {"sizeInGiB": 10}, "containerDefinitions": []}"#;
        assert_eq!(
            run_json(&super::RULE, small),
            ["1:76 ephemeral storage of 10 GiB is outside Fargate's 21–200 GiB"]
        );
        let tf = r#"
resource "aws_ecs_task_definition" "big" {
  family = "big"
  requires_compatibilities = ["FARGATE"]
  cpu = 8192
  memory = 16384
  container_definitions = jsonencode([])
}
resource "aws_ecs_service" "big" {
  name = "big"
  task_definition = aws_ecs_task_definition.big.arn
  platform_version = "1.3.0"
}
"#;
        assert_eq!(
            run_tf(&super::RULE, tf),
            [
                "12:22 8 vCPU tasks need Fargate platform version 1.4.0 or later; this service pins 1.3.0"
            ]
        );
    }
}
