//! ECS706: a Fargate service pinned to a platform version older than the current one.

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::known_spanned;
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::{is_windows, platform_version, runs_on_fargate};
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS706",
    name: "fargate-platform-version-outdated",
    family: Family::Deployment,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Fargate service pins an outdated platform version",
    doc: include_str!("../../../rules/ECS706.md"),
    check,
};

/// The current Fargate platform versions (what `LATEST` resolves to), per OS; see
/// `../shared/reference/ecs-limits.md` §2. Linux and Windows are numbered independently.
const LINUX_LATEST: (u32, u32, u32) = (1, 4, 0);
const WINDOWS_LATEST: (u32, u32, u32) = (1, 0, 0);

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for s in &unit.services {
        let Some((pv, span)) = known_spanned(&s.platform_version) else {
            continue;
        };
        let Some(v) = platform_version(pv) else {
            continue; // LATEST, or not a version number
        };
        if !runs_on_fargate(unit, s) {
            continue;
        }
        // Windows numbering is known only through the task definition declared here.
        let windows = link::task_definition_of(unit, s).is_some_and(is_windows);
        let (latest, os) = if windows {
            (WINDOWS_LATEST, "Windows")
        } else {
            (LINUX_LATEST, "Linux")
        };
        if v >= latest {
            continue;
        }
        out.push(
            ctx.diag(
                *span,
                format!(
                    "Fargate platform version {pv} is older than the current {os} version {}.{}.{}: the service misses its security patches and features",
                    latest.0, latest.1, latest.2
                ),
            )
            .with_help("use `LATEST` (the default), or pin the current version"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(launch: &str, version: &str) -> String {
        format!(
            "resource \"aws_ecs_service\" \"s\" {{\n  name = \"s\"\n  launch_type = \"{launch}\"\n  platform_version = \"{version}\"\n}}\n"
        )
    }

    #[test]
    fn cases() {
        assert!(run_tf(&super::RULE, &tf("FARGATE", "LATEST")).is_empty());
        // 1.4.0 is the current Linux version (checkov CKV_AWS_332 fails it).
        assert!(run_tf(&super::RULE, &tf("FARGATE", "1.4.0")).is_empty());
        assert!(run_tf(&super::RULE, &tf("EC2", "1.3.0")).is_empty());
        assert_eq!(
            run_tf(&super::RULE, &tf("FARGATE", "1.3.0")),
            [
                "4:22 Fargate platform version 1.3.0 is older than the current Linux version 1.4.0: the service misses its security patches and features"
            ]
        );
    }
}
