//! ECS401: an image uses the mutable `latest` tag.

use super::{image, reference};
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
            let (image, span) = (found.text, found.span);
            let parsed = reference::parse(image);
            if parsed.digest.is_none() && parsed.tag == Some("latest") {
                out.push(
                    ctx.diag(span.clone(), format!("image `{image}` uses the `latest` tag"))
                        .with_help(format!(
                            "pin a release tag (`{}:1.2.3`) or a digest (`{}@sha256:...`) so every task runs the same image",
                            parsed.repository, parsed.repository
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
