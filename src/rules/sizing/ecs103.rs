//! ECS103: the containers ask for more cpu or memory than the task has.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Field, known_spanned};
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};
use crate::source::Span;

pub static RULE: Rule = Rule {
    id: "ECS103",
    name: "containers-exceed-task-size",
    family: Family::Sizing,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Containers reserve more cpu or memory than the task has",
    doc: include_str!("../../../rules/ECS103.md"),
    check,
};

/// Sum of known values; `None` as soon as one is set but unknown (a sum of half the terms
/// proves nothing). The span is where the running sum first crosses `limit`.
fn sum_over<'a>(
    terms: impl Iterator<Item = Option<&'a Field<u32>>>,
    limit: u32,
) -> Option<(u64, Option<Span>)> {
    let mut total: u64 = 0;
    let mut crossing = None;
    for term in terms {
        let Some(field) = term.and_then(|f| f.as_ref()) else {
            continue;
        };
        let value = *field.value.known()?;
        total += u64::from(value);
        if crossing.is_none() && total > u64::from(limit) {
            crossing = Some(field.span);
        }
    }
    Some((total, crossing))
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let containers = td.containers();
        if let Some((&cpu, cpu_span)) = known_spanned(&td.cpu)
            && let Some((total, Some(at))) = sum_over(containers.iter().map(|c| Some(&c.cpu)), cpu)
        {
            out.push(
                ctx.diag(
                    at,
                    format!(
                        "containers reserve {total} cpu units in total, more than the task's {cpu}"
                    ),
                )
                .with_label(*cpu_span, format!("task cpu is {cpu}"))
                .with_help("lower the containers' `cpu` or raise the task's `cpu` (equal is fine)"),
            );
        }
        let Some((&memory, memory_span)) = known_spanned(&td.memory) else {
            continue;
        };
        let mut single = false;
        for c in containers {
            if let Some((&m, span)) = known_spanned(&c.memory)
                && m > memory
            {
                single = true;
                out.push(
                    ctx.diag(*span, format!("{} has a memory limit of {m} MiB, more than the task's {memory} MiB", container_label(c)))
                        .with_label(*memory_span, format!("task memory is {memory} MiB"))
                        .with_help("a container cannot use more memory than its task; lower `memory` or raise the task's"),
                );
            }
        }
        if single {
            continue;
        }
        // Each container counts its hard limit, or its reservation where it has none.
        let terms = containers.iter().map(|c| {
            if c.memory.is_some() {
                Some(&c.memory)
            } else {
                Some(&c.memory_reservation)
            }
        });
        if let Some((total, Some(at))) = sum_over(terms, memory) {
            out.push(
                ctx.diag(at, format!("containers reserve {total} MiB of memory in total, more than the task's {memory} MiB"))
                    .with_label(*memory_span, format!("task memory is {memory} MiB"))
                    .with_help("lower the containers' `memory`/`memoryReservation` or raise the task's `memory`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(containers: &str) -> String {
        format!(r#"{{"cpu": "512", "memory": "1024", "containerDefinitions": [{containers}]}}"#)
    }

    #[test]
    fn cases() {
        let ok = r#"{"name": "a", "cpu": 256, "memory": 512}, {"name": "b", "cpu": 256, "memoryReservation": 512}"#;
        assert!(run_json(&super::RULE, &td(ok)).is_empty());
        let over = r#"{"name": "a", "cpu": 384, "memory": 512}, {"name": "b", "cpu": 256, "memoryReservation": 768}"#;
        assert_eq!(
            run_json(&super::RULE, &td(over)),
            [
                "1:122 containers reserve 640 cpu units in total, more than the task's 512",
                "1:148 containers reserve 1280 MiB of memory in total, more than the task's 1024 MiB"
            ]
        );
        let single = r#"{"name": "a", "memory": 2048}"#;
        assert_eq!(run_json(&super::RULE, &td(single)).len(), 1);
        let unknown =
            r#"{"name": "a", "memory": 900}, {"name": "b", "memory": "{{ must_env `MEM` }}"}"#;
        assert!(run_json(&super::RULE, &td(unknown)).is_empty());
    }
}
