//! ECS403: an image is not pinned by digest (off by default).

use super::{image, reference};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS403",
    name: "image-not-pinned-by-digest",
    family: Family::Image,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: ALL_FORMATS,
    summary: "Container image is not pinned by digest",
    doc: include_str!("../../../rules/ECS403.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            let Some(found) = image(ctx.unit, c) else {
                continue;
            };
            if found.partial || reference::parse(found.text).digest.is_some() {
                continue;
            }
            out.push(
                ctx.diag(*found.span, format!("image `{}` is not pinned by digest", found.text))
                    .with_help("pin `repo:tag@sha256:<digest>` so the exact image is deployed; a tag can be moved"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let td =
            |i: &str| format!(r#"{{"containerDefinitions": [{{"name": "a", "image": "{i}"}}]}}"#);
        assert!(run_json(&super::RULE, &td("app:1@sha256:0123")).is_empty());
        assert_eq!(run_json(&super::RULE, &td("app:1")).len(), 1);
    }
}
