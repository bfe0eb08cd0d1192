//! ECS405: an ECR repository of the unit that does not scan images on push.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Value;
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::start_of;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS405",
    name: "ecr-scan-on-push-disabled",
    family: Family::Image,
    severity: Severity::Info,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "ECR repository does not scan images on push",
    doc: include_str!("../../../rules/ECS405.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    // A registry scanning configuration of the unit decides for every repository (and
    // overrides the repository setting); its filters are not evaluated.
    if !ctx.unit.ecr_registry_scanning.is_empty() {
        return;
    }
    for repo in &ctx.unit.ecr_repositories {
        let span = match (&repo.image_scanning_configuration, &repo.scan_on_push) {
            (_, Some(s)) => match s.value {
                Value::Known(false) => s.span,
                _ => continue,
            },
            (Some(block), None) => match block.value {
                Value::Known(()) => start_of(&block.span),
                _ => continue,
            },
            (None, None) => start_of(&repo.span),
        };
        out.push(
            ctx.diag(
                span,
                "ECR repository does not scan images on push: known vulnerabilities in new images go unnoticed",
            )
            .with_help("set `imageScanningConfiguration.scanOnPush: true`, or configure registry-level scanning (`aws_ecr_registry_scanning_configuration`)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(extra: &str) -> String {
        format!(
            "variable \"s\" {{}}\nresource \"aws_ecr_repository\" \"r\" {{\n  name = \"r\"\n{extra}\n}}\n"
        )
    }

    #[test]
    fn cases() {
        assert_eq!(run_tf(&super::RULE, &tf("")).len(), 1);
        let scan = |v: &str| {
            tf(&format!(
                "  image_scanning_configuration {{\n    scan_on_push = {v}\n  }}"
            ))
        };
        assert_eq!(run_tf(&super::RULE, &scan("false")).len(), 1);
        assert!(run_tf(&super::RULE, &scan("true")).is_empty());
        assert!(run_tf(&super::RULE, &scan("var.s")).is_empty());
        let registry = format!(
            "{}resource \"aws_ecr_registry_scanning_configuration\" \"c\" {{\n  scan_type = \"ENHANCED\"\n}}\n",
            tf("")
        );
        assert!(run_tf(&super::RULE, &registry).is_empty());
    }
}
