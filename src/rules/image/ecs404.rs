//! ECS404: an ECR repository of the unit whose image tags can be overwritten.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::start_of;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS404",
    name: "ecr-mutable-tags",
    family: Family::Image,
    severity: Severity::Info,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "ECR repository allows image tags to be overwritten",
    doc: include_str!("../../../rules/ECS404.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for repo in &ctx.unit.ecr_repositories {
        let (span, message) = match &repo.image_tag_mutability {
            None => (
                start_of(&repo.span),
                "ECR repository without `imageTagMutability` is MUTABLE: a push can overwrite a tag that task definitions use".to_owned(),
            ),
            Some(m) => match m.value.known().map(|v| v.to_ascii_uppercase()) {
                Some(v) if v == "MUTABLE" || v == "MUTABLE_WITH_EXCLUSION" => (
                    m.span,
                    format!("image tags are {v}: a push can overwrite a tag that task definitions use"),
                ),
                _ => continue,
            },
        };
        out.push(ctx.diag(span, message).with_help(
            "set `imageTagMutability: IMMUTABLE` (or IMMUTABLE_WITH_EXCLUSION for a moving tag such as `latest`)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(extra: &str) -> String {
        format!("resource \"aws_ecr_repository\" \"r\" {{\n  name = \"r\"\n{extra}\n}}\n")
    }

    #[test]
    fn cases() {
        assert_eq!(run_tf(&super::RULE, &tf("")).len(), 1);
        assert_eq!(
            run_tf(&super::RULE, &tf("  image_tag_mutability = \"MUTABLE\"")).len(),
            1
        );
        assert!(run_tf(&super::RULE, &tf("  image_tag_mutability = \"IMMUTABLE\"")).is_empty());
        assert!(
            run_tf(
                &super::RULE,
                &tf("  image_tag_mutability = \"IMMUTABLE_WITH_EXCLUSION\"")
            )
            .is_empty()
        );
        assert!(
            run_tf(
                &super::RULE,
                &format!(
                    "variable \"m\" {{}}\n{}",
                    tf("  image_tag_mutability = var.m")
                )
            )
            .is_empty()
        );
    }
}
