//! ECS401: an image uses the mutable `latest` tag.

use super::image;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS401",
    name: "image-latest-tag",
    family: Family::Image,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Container image uses the `latest` tag",
    doc: include_str!("../../../rules/ECS401.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for container in td.containers() {
            let Some(found) = image(ctx.unit, container) else {
                continue;
            };
            let span = found.span;
            let parsed = found.parsed();
            if parsed.digest.is_none() && parsed.tag == Some("latest") {
                let repository = if parsed.repository.is_empty() {
                    "repository"
                } else {
                    parsed.repository
                };
                out.push(
                    ctx.diag(
                        *span,
                        format!("image `{}` uses the `latest` tag", found.shown()),
                    )
                    .with_help(format!(
                        "pin a release tag (`{repository}:1.2.3`) or a digest (`{repository}@sha256:...`) so every task runs the same image"
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(image: &str) -> String {
        format!(
            r#"{{"family": "app", "containerDefinitions": [{{"name": "app", "image": "{image}"}}]}}"#
        )
    }

    #[test]
    fn passes() {
        for image in [
            "nginx:1.27",
            "nginx",
            "registry:5000/app",
            "app:latest@sha256:0123",
            "app:{{ must_env `TAG` }}",
        ] {
            assert!(run_json(&super::RULE, &td(image)).is_empty(), "{image}");
        }
    }

    #[test]
    fn fails() {
        assert_eq!(
            run_json(&super::RULE, &td("registry:5000/team/app:latest")),
            ["1:69 image `registry:5000/team/app:latest` uses the `latest` tag"]
        );
    }
}
