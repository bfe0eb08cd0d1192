//! ECS101: a Fargate task's cpu/memory pair is not one Fargate offers.

use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fargate::{cpus, memory_for, smallest_fit, vcpu_label};
use crate::model::known_spanned;
use crate::rules::util::is_windows;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS101",
    name: "invalid-fargate-task-size",
    family: Family::Sizing,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Fargate task cpu/memory is not a valid combination",
    doc: include_str!("../../../rules/ECS101.md"),
    check,
};

fn list(values: &[u32]) -> String {
    values
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        if !td.is_fargate() {
            continue;
        }
        let (Some((&cpu, cpu_span)), Some((&memory, memory_span))) =
            (known_spanned(&td.cpu), known_spanned(&td.memory))
        else {
            continue;
        };
        let windows = is_windows(td);
        let os = if windows { "Windows" } else { "Linux" };
        let valid = memory_for(cpu, windows);
        if valid.contains(&memory) {
            continue;
        }
        let nearest = smallest_fit(cpu, memory, windows)
            .map(|(c, m)| {
                format!("; the smallest valid size that holds it is cpu {c} / memory {m}")
            })
            .unwrap_or_default();
        let diag = if valid.is_empty() {
            ctx.diag(
                *cpu_span,
                format!("Fargate ({os}) has no task size with cpu {cpu}"),
            )
            .with_label(*memory_span, format!("memory {memory} MiB"))
            .with_help(format!(
                "valid cpu values on {os}: {}{nearest}",
                list(cpus(windows))
            ))
        } else {
            let mut d = ctx
                .diag(
                    *memory_span,
                    format!(
                        "Fargate memory {memory} MiB is not valid with cpu {cpu} ({})",
                        vcpu_label(cpu)
                    ),
                )
                .with_label(*cpu_span, "task cpu is declared here")
                .with_help(format!(
                    "valid memory for {} on {os}: {} MiB{nearest}",
                    vcpu_label(cpu),
                    list(&valid)
                ));
            if let Some(&up) = valid.iter().find(|&&m| m > memory) {
                let file = ctx.sources.get(memory_span.file);
                if let Some(replacement) = replace_number(file.slice(&memory_span.range), up) {
                    d = d.with_fix(Fix {
                        description: format!("round memory up to {up}"),
                        edits: vec![Edit {
                            span: *memory_span,
                            replacement,
                        }],
                    });
                }
            }
            d
        };
        out.push(diag);
    }
}

/// `3000` → `3072`, `"3000"` → `"3072"`; anything else (a unit string, an expression) gets no
/// automatic fix.
fn replace_number(text: &str, value: u32) -> Option<String> {
    let (open, inner, close) = match text.as_bytes().first()? {
        q @ (b'"' | b'\'') if text.len() >= 2 && text.as_bytes()[text.len() - 1] == *q => (
            &text[..1],
            &text[1..text.len() - 1],
            &text[text.len() - 1..],
        ),
        _ => ("", text, ""),
    };
    (!inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{open}{value}{close}"))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(cpu: &str, memory: &str, extra: &str) -> String {
        format!(
            r#"{{"family": "app", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
"cpu": {cpu}, "memory": {memory}{extra}, "containerDefinitions": []}}"#
        )
    }

    #[test]
    fn passes() {
        for (cpu, mem) in [
            ("256", "512"),
            ("\"1 vCPU\"", "\"2 GB\""),
            ("\"16384\"", "\"122880\""),
            ("32768", "249856"),
        ] {
            assert!(
                run_json(&super::RULE, &td(cpu, mem, "")).is_empty(),
                "{cpu}/{mem}"
            );
        }
        // Not Fargate, unresolved values: silent.
        let ec2 = r#"{"requiresCompatibilities": ["EC2"], "cpu": "300", "memory": "300", "containerDefinitions": []}"#;
        assert!(run_json(&super::RULE, ec2).is_empty());
        assert!(run_json(&super::RULE, &td("\"{{ must_env `CPU` }}\"", "3000", "")).is_empty());
    }

    #[test]
    fn fails() {
        assert_eq!(
            run_json(&super::RULE, &td("1024", "3000", "")),
            ["2:24 Fargate memory 3000 MiB is not valid with cpu 1024 (1 vCPU)"]
        );
        assert_eq!(
            run_json(&super::RULE, &td("300", "512", "")),
            ["2:8 Fargate (Linux) has no task size with cpu 300"]
        );
        let windows =
            r#", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}"#;
        assert_eq!(
            run_json(&super::RULE, &td("512", "1024", windows)),
            ["2:8 Fargate (Windows) has no task size with cpu 512"]
        );
    }

    #[test]
    fn fix_keeps_quoting() {
        assert_eq!(
            super::replace_number("\"3000\"", 3072).as_deref(),
            Some("\"3072\"")
        );
        assert_eq!(super::replace_number("3000", 3072).as_deref(), Some("3072"));
        assert_eq!(super::replace_number("\"3 GB\"", 3072), None);
    }
}
