//! Fixes: which are safe, the fixes that live outside the rules (ECS202, ECS603), and applying
//! byte-range edits without touching any other byte.
//!
//! A fix is **safe** only when ECS rejects or cannot run the current value, exactly one minimal
//! edit makes it valid without lowering anything the user wrote, and the edited value is a
//! literal written at the finding's own resource (not a variable default shared by others).

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::model::{Unit, known, known_spanned};
use crate::rules::suppression as meta;
use crate::source::{SourceDb, Span};
use std::ops::Range;

/// Whether [`classify_unit`] needs to know if the finding lies in a resource's own block (its
/// `in_resource`, which costs a look at the unit's extents): only a memory fix does.
pub fn needs_owner(d: &Diagnostic) -> bool {
    d.rule_id == "ECS101" && d.fix.is_some()
}

/// Attach the fixes computed here (ECS101 from the unit's model, ECS202, ECS603) and decide
/// their applicability. Runs inside the scan, while the unit and its files are whole. `in_resource`: the finding lies
/// in a resource of the unit (its identity has a resource).
pub fn classify_unit(
    unit: &Unit,
    db: &SourceDb,
    d: &mut Diagnostic,
    in_resource: bool,
    region: Option<&str>,
) {
    match d.rule_id {
        "ECS101" if d.fix.is_none() => {
            // Memory above what the cpu allows: raising cpu changes the cost class.
            if let Some(fix) = ecs101_raise_cpu(unit, db, &d.primary) {
                d.fix = Some(Box::new(fix));
                d.fix_applicability = Applicability::Unsafe;
            }
        }
        "ECS101" => {
            let Some(fix) = &mut d.fix else { return };
            // The memory literal must sit in the task definition's own block (not in a
            // variable default or tfvars, which other resources may share).
            d.fix_applicability = if in_resource {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            if let Some(title) = ecs101_title(unit, d.primary, fix, region) {
                fix.description = title;
            }
        }
        "ECS202" => {
            if let Some(fix) = ecs202(unit, db, &d.primary) {
                d.fix = Some(Box::new(fix));
                d.fix_applicability = Applicability::Safe;
            }
        }
        "ECS603" => {
            if let Some(fix) = ecs603(db, &d.primary) {
                d.fix = Some(Box::new(fix));
                d.fix_applicability = Applicability::Safe;
            }
        }
        _ => {}
    }
}

/// Decide the applicability of the fixes attached after the scan (suppression removals).
pub fn classify(diagnostics: &mut [Diagnostic]) {
    for d in diagnostics.iter_mut() {
        match d.rule_id {
            meta::UNUSED if d.fix.is_some() => d.fix_applicability = Applicability::Safe,
            "ECS401" if std::env::var_os("ECSLINT_TEST_FIX").is_some() => {
                // Test hooks: `broken` (FIX-7) breaks the file's syntax and must be refused;
                // `endless` (FIX-6) never converges.
                let broken = std::env::var_os("ECSLINT_TEST_FIX").is_some_and(|v| v == "broken");
                let at = d.primary.start();
                d.fix = Some(Box::new(Fix {
                    description: "test-only fix".into(),
                    edits: vec![if broken {
                        Edit {
                            span: d.primary,
                            replacement: "\"unterminated".into(),
                        }
                    } else {
                        Edit {
                            span: Span::new(d.primary.file, at..at),
                            replacement: " ".into(),
                        }
                    }],
                }));
                d.fix_applicability = Applicability::Safe;
            }
            _ => {}
        }
    }
}

/// The embedded price table, parsed once (only fix titles that quote a price need it).
fn pricing() -> &'static crate::cost::pricing::Pricing {
    static PRICING: std::sync::OnceLock<crate::cost::pricing::Pricing> = std::sync::OnceLock::new();
    PRICING.get_or_init(crate::cost::pricing::Pricing::embedded)
}

/// "Round memory up to 3072 (+$0.23/month per task in us-east-1)".
fn ecs101_title(unit: &Unit, primary: Span, fix: &Fix, run_region: Option<&str>) -> Option<String> {
    let pricing = pricing();
    let new: u32 = fix
        .edits
        .first()?
        .replacement
        .trim_matches(['"', '\''])
        .parse()
        .ok()?;
    for td in &unit.task_definitions {
        let Some((&old, span)) = known_spanned(&td.memory) else {
            continue;
        };
        if *span != primary {
            continue;
        }
        let region = known(&unit.region)
            .map(String::as_str)
            .or(run_region)
            .unwrap_or("us-east-1");
        let prices = pricing.regions.get(region)?;
        let arm = known(&td.cpu_architecture).is_some_and(|a| a.eq_ignore_ascii_case("ARM64"));
        let rate = if arm {
            prices.linux_arm.as_ref()
        } else {
            prices.linux_x86.as_ref()
        }?;
        let delta =
            f64::from(new.saturating_sub(old)) / 1024.0 * rate.gb_hour * pricing.hours_per_month;
        return Some(format!(
            "Round memory up to {new} (+${delta:.2}/month per task in {region})"
        ));
    }
    Some(format!("Round memory up to {new}"))
}

/// `3000` → `3072`, `"3000"` → `"3072"`: digits only, quoting kept.
fn replace_number(text: &str, value: u32) -> Option<String> {
    let q = text.as_bytes().first().copied();
    let (open, inner, close) = match q {
        Some(b'"' | b'\'') if text.len() >= 2 && text.as_bytes()[text.len() - 1] == q? => (
            &text[..1],
            &text[1..text.len() - 1],
            &text[text.len() - 1..],
        ),
        _ => ("", text, ""),
    };
    (!inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{open}{value}{close}"))
}

/// Memory above the cpu's maximum: the smallest valid size that holds it (cpu raised, memory
/// rounded up), when both are literals in one file.
fn ecs101_raise_cpu(unit: &Unit, db: &SourceDb, primary: &Span) -> Option<Fix> {
    use crate::fargate::{memory_for, smallest_fit};
    {
        for td in &unit.task_definitions {
            let (Some((&cpu, cpu_span)), Some((&memory, mem_span))) =
                (known_spanned(&td.cpu), known_spanned(&td.memory))
            else {
                continue;
            };
            if mem_span != primary || cpu_span.file != mem_span.file {
                continue;
            }
            let windows = known(&td.operating_system_family)
                .is_some_and(|o| o.to_ascii_uppercase().contains("WINDOWS"));
            let valid = memory_for(cpu, windows);
            if valid.is_empty() || valid.iter().any(|&m| m >= memory) {
                return None;
            }
            let (c, m) = smallest_fit(cpu, memory, windows)?;
            let file = db.get(mem_span.file);
            let mut edits = vec![Edit {
                span: *cpu_span,
                replacement: replace_number(file.slice(&cpu_span.range), c)?,
            }];
            if m != memory {
                edits.push(Edit {
                    span: *mem_span,
                    replacement: replace_number(file.slice(&mem_span.range), m)?,
                });
            }
            return Some(Fix {
                description: format!("Raise cpu to {c} (memory {m}): changes the task's cost"),
                edits,
            });
        }
    }
    None
}

/// `hostPort` := `containerPort` (the only value awsvpc accepts).
fn ecs202(unit: &Unit, db: &SourceDb, primary: &Span) -> Option<Fix> {
    {
        for td in &unit.task_definitions {
            for c in known(&td.container_definitions).into_iter().flatten() {
                for pm in known(&c.port_mappings).into_iter().flatten() {
                    let Some((_, host)) = known_spanned(&pm.host_port) else {
                        continue;
                    };
                    if host != primary {
                        continue;
                    }
                    let (port, container) = known_spanned(&pm.container_port)?;
                    if container.file != host.file {
                        return None;
                    }
                    let file = db.get(host.file);
                    let text = file.slice(&container.range).to_string();
                    return Some(Fix {
                        description: format!("Set hostPort to {port} (the containerPort)"),
                        edits: vec![Edit {
                            span: *host,
                            replacement: text,
                        }],
                    });
                }
            }
        }
    }
    None
}

/// Prepend `"CMD"` to an exec-form health-check command written as an array literal.
fn ecs603(db: &SourceDb, primary: &Span) -> Option<Fix> {
    let file = db.get(primary.file);
    let text = file.slice(&primary.range);
    let items: Vec<String> = serde_json::from_str(text).ok()?;
    if items.is_empty() {
        return None;
    }
    let after = &text[1..];
    let insert = if let Some(rest) = after
        .strip_prefix("\r\n")
        .or_else(|| after.strip_prefix('\n'))
    {
        let newline = if after.starts_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let indent: String = rest
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        format!("{newline}{indent}\"CMD\",")
    } else {
        "\"CMD\", ".to_string()
    };
    let at = primary.start() + 1;
    Some(Fix {
        description: "Prepend \"CMD\" (exec form, runs the same argv)".into(),
        edits: vec![Edit {
            span: Span::new(primary.file, at..at),
            replacement: insert,
        }],
    })
}

/// Does `--fix` (with `unsafe_fixes` or not) apply this finding's fix?
pub fn wanted(d: &Diagnostic, unsafe_fixes: bool) -> bool {
    d.fix.is_some()
        && match d.fix_applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::DisplayOnly => false,
        }
}

/// Apply non-overlapping fixes to `text`, in order of their first edit; a fix overlapping one
/// already taken is left for the next pass. Returns the new text and the indices taken.
pub fn apply(text: &str, fixes: &[Vec<(Range<usize>, String)>]) -> (String, Vec<usize>) {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| fixes[i].iter().map(|(r, _)| r.start).min().unwrap_or(0));
    let mut taken: Vec<(Range<usize>, &str)> = Vec::new();
    let mut used = Vec::new();
    for i in order {
        let overlaps = fixes[i].iter().any(|(r, _)| {
            taken
                .iter()
                .any(|(t, _)| r.start < t.end.max(t.start + 1) && t.start < r.end.max(r.start + 1))
        });
        let in_bounds = fixes[i].iter().all(|(r, _)| {
            r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        });
        if overlaps || !in_bounds {
            continue;
        }
        taken.extend(fixes[i].iter().map(|(r, s)| (r.clone(), s.as_str())));
        used.push(i);
    }
    taken.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, s) in taken {
        out.push_str(&text[at..r.start]);
        out.push_str(s);
        at = r.end;
    }
    out.push_str(&text[at..]);
    (out, used)
}

/// A unified diff of one file (`--- a/path`, `+++ b/path`) that `git apply` accepts.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // Common prefix and suffix, then one hunk with 3 lines of context around the change.
    let mut pre = 0;
    while pre < a.len() && pre < b.len() && a[pre] == b[pre] {
        pre += 1;
    }
    let mut suf = 0;
    while suf < a.len() - pre && suf < b.len() - pre && a[a.len() - 1 - suf] == b[b.len() - 1 - suf]
    {
        suf += 1;
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let ctx = 3;
    // Hunks: split the changed middle where unchanged runs are long, via a line-level LCS
    // would be better; one hunk spanning the changed region is always correct.
    let start = pre.saturating_sub(ctx);
    let a_end = (a.len() - suf + ctx).min(a.len());
    let b_end = (b.len() - suf + ctx).min(b.len());
    let line = |s: &str, sign: char, out: &mut String| {
        out.push(sign);
        out.push_str(s);
        if !s.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    let range = |start: usize, len: usize| {
        if len == 0 {
            format!("{start},0")
        } else {
            format!("{},{len}", start + 1)
        }
    };
    out.push_str(&format!(
        "@@ -{} +{} @@\n",
        range(start, a_end - start),
        range(start, b_end - start)
    ));
    for s in &a[start..pre] {
        line(s, ' ', &mut out);
    }
    for s in &a[pre..a.len() - suf] {
        line(s, '-', &mut out);
    }
    for s in &b[pre..b.len() - suf] {
        line(s, '+', &mut out);
    }
    for s in &a[a.len() - suf..a_end] {
        line(s, ' ', &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_keeps_every_other_byte_and_skips_overlaps() {
        let text = "a\r\n\tb = 3000 # c\r\n";
        let fixes = vec![
            vec![(8..12, "3072".to_string())],
            vec![(9..10, "X".to_string())],
            vec![(0..0, "\u{feff}".to_string())],
        ];
        let (out, used) = apply(text, &fixes);
        assert_eq!(out, "\u{feff}a\r\n\tb = 3072 # c\r\n");
        assert_eq!(used, [2, 0]);
    }

    #[test]
    fn diff_shape() {
        let d = unified_diff("x.tf", "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(
            d,
            "--- a/x.tf\n+++ b/x.tf\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
    }
}
