//! ECS402: an image reference has no tag (it means `latest`).

use super::image;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS402",
    name: "image-without-tag",
    family: Family::Image,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Container image has no tag (implicitly latest)",
    doc: include_str!("../../../rules/ECS402.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            let Some(found) = image(ctx.unit, c) else {
                continue;
            };
            let parsed = found.parsed();
            if !found.repository_known()
                || parsed.tag.is_some()
                || parsed.digest.is_some()
                || parsed.repository.is_empty()
            {
                continue;
            }
            let shown = found.shown();
            out.push(
                ctx.diag(
                    *found.span,
                    format!("image `{shown}` has no tag, so it means `latest`"),
                )
                .with_help("add a release tag (`repo:1.2.3`) or pin a digest (`repo@sha256:...`)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(image: &str) -> String {
        format!(r#"{{"containerDefinitions": [{{"name": "a", "image": "{image}"}}]}}"#)
    }

    #[test]
    fn cases() {
        for ok in [
            "nginx:1.27",
            "registry:5000/app:2",
            "app@sha256:abc",
            "{{ must_env `IMAGE` }}",
        ] {
            assert!(run_json(&super::RULE, &td(ok)).is_empty(), "{ok}");
        }
        assert_eq!(
            run_json(&super::RULE, &td("registry:5000/team/app")),
            ["1:50 image `registry:5000/team/app` has no tag, so it means `latest`"]
        );
    }
}
