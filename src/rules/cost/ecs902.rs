//! ECS902: a Linux/x86 Fargate task would cost less on ARM64 (Graviton).

use super::{monthly, region};
use crate::cost::{Arch, Os, TaskSize};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};
use crate::source::Span;

pub static RULE: Rule = Rule {
    id: "ECS902",
    name: "fargate-arm64-saving",
    family: Family::Cost,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: ALL_FORMATS,
    summary: "Linux/x86 Fargate task would cost less on ARM64",
    doc: include_str!("../../../rules/ECS902.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let (region, assumed) = region(ctx.unit);
    for td in &ctx.unit.task_definitions {
        if !td.is_fargate() {
            continue;
        }
        let Ok(size) = TaskSize::of(td) else { continue };
        if size.os != Os::Linux || size.arch != Arch::X86_64 {
            continue;
        }
        let arm = TaskSize {
            arch: Arch::Arm64,
            ..size
        };
        let (Some(x86), Some(arm)) = (monthly(region, &size), monthly(region, &arm)) else {
            continue;
        };
        if arm >= x86 {
            continue;
        }
        // Point at the architecture when it is written, else at the resource.
        let span = td
            .cpu_architecture
            .as_ref()
            .map(|a| a.span)
            .unwrap_or_else(|| Span {
                file: td.span.file,
                range: td.span.range,
            });
        out.push(
            ctx.diag(
                span,
                format!(
                    "this Linux/x86_64 task would cost about ${} less per task per month on ARM64 in {region}{} (${} instead of ${})",
                    crate::cost::cents(x86 - arm),
                    if assumed { " (region assumed)" } else { "" },
                    crate::cost::cents(arm),
                    crate::cost::cents(x86),
                ),
            )
            .with_help("set `runtimePlatform.cpuArchitecture` to `ARM64` if every image of the task is published for linux/arm64"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn passes() {
        let arm = r#"{"requiresCompatibilities": ["FARGATE"], "cpu": "1024", "memory": "2048",
            "runtimePlatform": {"cpuArchitecture": "ARM64"}, "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, arm).is_empty());
        let windows = r#"{"requiresCompatibilities": ["FARGATE"], "cpu": "1024", "memory": "2048",
            "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}, "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, windows).is_empty());
    }

    #[test]
    fn fails() {
        // us-east-1 (assumed): x86 (0.04048 + 2 × 0.004445) × 730 = 36.0401;
        // ARM (0.03238 + 2 × 0.00356) × 730 = 28.835; saving 7.2051 → $7.21.
        let x86 = r#"{"requiresCompatibilities": ["FARGATE"], "cpu": "1024", "memory": "2048", "containerDefinitions": []}"#;
        let found = run_json(&super::RULE, x86);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("about $7.21 less"), "{}", found[0]);
        assert!(
            found[0].contains("($28.84 instead of $36.04)"),
            "{}",
            found[0]
        );
    }
}
