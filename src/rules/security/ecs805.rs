//! ECS805: the task shares the host's IPC namespace (an error on Fargate).

use super::error_on_fargate;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known_spanned;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS805",
    name: "host-ipc-namespace",
    family: Family::Security,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Task shares the host's IPC namespace (ipcMode host)",
    doc: include_str!("../../../rules/ECS805.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let Some((mode, span)) = known_spanned(&td.ipc_mode) else {
            continue;
        };
        if mode != "host" {
            continue;
        }
        let d = if td.is_fargate() {
            ctx.diag(
                *span,
                "`ipcMode` is not supported on Fargate: registration fails",
            )
            .with_help("remove `ipcMode`")
        } else {
            ctx.diag(*span, "`ipcMode: host` shares the container instance's shared memory, semaphores and message queues with the task")
                .with_help("remove `ipcMode`, or use `task` to share IPC resources between the task's own containers")
        };
        out.push(error_on_fargate(td, d));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let td = |compat: &str, mode: &str| {
            format!(
                r#"{{"requiresCompatibilities": ["{compat}"], "ipcMode": "{mode}", "containerDefinitions": []}}"#
            )
        };
        assert!(run_json(&super::RULE, &td("EC2", "task")).is_empty());
        assert!(run_json(&super::RULE, &td("EC2", "none")).is_empty());
        assert_eq!(
            run_json(&super::RULE, &td("EC2", "host")),
            [
                "1:49 `ipcMode: host` shares the container instance's shared memory, semaphores and message queues with the task"
            ]
        );
        assert_eq!(
            run_json(&super::RULE, &td("FARGATE", "host")),
            ["1:53 `ipcMode` is not supported on Fargate: registration fails"]
        );
    }
}
