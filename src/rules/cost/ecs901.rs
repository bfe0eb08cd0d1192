//! ECS901: the containers' declared cpu and memory fit in a smaller Fargate size.

use super::{monthly, region};
use crate::cost::{Os, TaskSize};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fargate::{smallest_fit, vcpu_label};
use crate::model::{ContainerDefinition, known, known_spanned};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS901",
    name: "fargate-rightsizing",
    family: Family::Cost,
    severity: Severity::Info,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Containers fit in a smaller (cheaper) Fargate task size",
    doc: include_str!("../../../rules/ECS901.md"),
    check,
};

/// What the containers ask for, when every container says: cpu, and memory (the hard limit,
/// or the reservation where there is none).
fn declared(containers: &[ContainerDefinition]) -> Option<(u32, u32)> {
    let mut cpu = 0u32;
    let mut memory = 0u32;
    for c in containers {
        cpu = cpu.checked_add(*known(&c.cpu)?)?;
        let m = known(&c.memory).or_else(|| known(&c.memory_reservation))?;
        memory = memory.checked_add(*m)?;
    }
    Some((cpu, memory))
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let (region, assumed) = region(ctx.unit);
    for td in &ctx.unit.task_definitions {
        if !td.is_fargate()
            || td.containers().is_empty()
            || known(&td.container_definitions).is_none()
        {
            continue;
        }
        let (Some((&cpu, cpu_span)), Some((&memory, memory_span))) =
            (known_spanned(&td.cpu), known_spanned(&td.memory))
        else {
            continue;
        };
        let Ok(size) = TaskSize::of(td) else { continue };
        let windows = size.os == Os::Windows;
        let Some((need_cpu, need_memory)) = declared(td.containers()) else {
            continue;
        };
        let Some((fit_cpu, fit_memory)) =
            smallest_fit(need_cpu.max(1), need_memory.max(1), windows)
        else {
            continue;
        };
        if fit_cpu > cpu || fit_memory > memory || (fit_cpu == cpu && fit_memory == memory) {
            continue;
        }
        let smaller = TaskSize {
            vcpu: fit_cpu as f64 / 1024.0,
            gb: fit_memory as f64 / 1024.0,
            ..size
        };
        let saving = match (monthly(region, &size), monthly(region, &smaller)) {
            (Some(now), Some(then)) if now > then => format!(
                "; about ${} less per task per month in {region}{}",
                crate::cost::cents(now - then),
                if assumed { " (region assumed)" } else { "" }
            ),
            (Some(_), Some(_)) => continue,
            _ => format!("; no price for {region} to say how much"),
        };
        out.push(
            ctx.diag(
                *cpu_span,
                format!(
                    "containers declare {need_cpu} cpu units and {need_memory} MiB; the task reserves cpu {cpu} / memory {memory}"
                ),
            )
            .with_label(*memory_span, "task memory is declared here")
            .with_help(format!(
                "cpu {fit_cpu} ({}) / memory {fit_memory} is the smallest Fargate size that holds them{saving}",
                vcpu_label(fit_cpu)
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(cpu: u32, memory: u32, containers: &str) -> String {
        format!(
            r#"{{"requiresCompatibilities": ["FARGATE"], "cpu": "{cpu}", "memory": "{memory}", "containerDefinitions": [{containers}]}}"#
        )
    }

    #[test]
    fn passes() {
        let c = r#"{"name": "a", "image": "a:1", "cpu": 512, "memory": 1024}"#;
        assert!(run_json(&super::RULE, &td(512, 1024, c)).is_empty());
        // A container without cpu takes what is left: nothing to rightsize.
        let open = r#"{"name": "a", "image": "a:1", "memory": 256}"#;
        assert!(run_json(&super::RULE, &td(2048, 4096, open)).is_empty());
    }

    #[test]
    fn fails() {
        let c = r#"{"name": "a", "image": "a:1", "cpu": 256, "memory": 400}, {"name": "b", "image": "b:1", "cpu": 128, "memoryReservation": 200}"#;
        let found = run_json(&super::RULE, &td(2048, 8192, c));
        assert_eq!(
            found,
            [
                "1:49 containers declare 384 cpu units and 600 MiB; the task reserves cpu 2048 / memory 8192"
            ]
        );
    }
}
