//! ECS104: a container's memory settings cannot be registered.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known_spanned;
use crate::rules::util::{container_anchor, container_label};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS104",
    name: "container-memory-inconsistent",
    family: Family::Sizing,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Container memory settings are inconsistent",
    doc: include_str!("../../../rules/ECS104.md"),
    check,
};

/// Docker 20.10 reserves 6 MiB; a smaller limit cannot start (ContainerDefinition.memory).
const MIN_MIB: u32 = 6;

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            let label = container_label(c);
            if let (Some((&hard, hard_span)), Some((&soft, soft_span))) = (
                known_spanned(&c.memory),
                known_spanned(&c.memory_reservation),
            ) && soft >= hard
            {
                out.push(
                    ctx.diag(*soft_span, format!("{label}: memoryReservation {soft} MiB is not below its memory limit {hard} MiB"))
                        .with_label(*hard_span, "memory limit is declared here")
                        .with_help("`memory` (the hard limit) must be greater than `memoryReservation` (the soft limit)"),
                );
            }
            for (field, name) in [
                (&c.memory, "memory"),
                (&c.memory_reservation, "memoryReservation"),
            ] {
                if let Some((&m, span)) = known_spanned(field)
                    && m < MIN_MIB
                {
                    out.push(
                        ctx.diag(
                            *span,
                            format!("{label}: {name} {m} MiB is below the 6 MiB Docker reserves"),
                        )
                        .with_help("give the container at least 6 MiB (realistically far more)"),
                    );
                }
            }
            if td.memory.is_none() && c.memory.is_none() && c.memory_reservation.is_none() {
                out.push(
                    ctx.diag(container_anchor(c), format!("{label} has neither `memory` nor `memoryReservation`, and the task has no task-level `memory`"))
                        .with_help("set `memoryReservation` (and optionally `memory`) on the container, or task-level `memory`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let ok =
            r#"{"containerDefinitions": [{"name": "a", "memory": 512, "memoryReservation": 256}]}"#;
        assert!(run_json(&super::RULE, ok).is_empty());
        let task_level = r#"{"memory": "512", "containerDefinitions": [{"name": "a"}]}"#;
        assert!(run_json(&super::RULE, task_level).is_empty());
        let bad = r#"{"containerDefinitions": [{"name": "a", "memory": 256, "memoryReservation": 512}, {"name": "b"}, {"name": "c", "memory": 4}]}"#;
        assert_eq!(
            run_json(&super::RULE, bad),
            [
                "1:77 container `a`: memoryReservation 512 MiB is not below its memory limit 256 MiB",
                "1:92 container `b` has neither `memory` nor `memoryReservation`, and the task has no task-level `memory`",
                "1:122 container `c`: memory 4 MiB is below the 6 MiB Docker reserves"
            ]
        );
    }
}
