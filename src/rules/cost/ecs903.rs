//! ECS903: an ECR repository of the unit without a lifecycle policy.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{EcrRepository, Value, known};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::util::start_of;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS903",
    name: "ecr-without-lifecycle-policy",
    family: Family::Cost,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: SERVICE_FORMATS,
    summary: "ECR repository without a lifecycle policy",
    doc: include_str!("../../../rules/ECS903.md"),
    check,
};

/// Does a lifecycle policy's `repository` name this repository?
fn names(value: &Value<String>, repo: &EcrRepository) -> bool {
    match value {
        Value::Ref { target, .. } => target == &repo.name,
        Value::Known(name) => known(&repo.repository_name).is_some_and(|n| n == name),
        Value::Unresolved { .. } | Value::Partial(_) => false,
    }
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let policies = &ctx.unit.ecr_lifecycle_policies;
    // A policy whose repository cannot be known may be any repository's.
    if policies
        .iter()
        .any(|p| !matches!(p.value, Value::Ref { .. } | Value::Known(_)))
    {
        return;
    }
    for repo in &ctx.unit.ecr_repositories {
        if repo.lifecycle_policy.is_some() || policies.iter().any(|p| names(&p.value, repo)) {
            continue;
        }
        out.push(
            ctx.diag(
                start_of(&repo.span),
                "ECR repository without a lifecycle policy: every pushed image is kept (and billed) forever",
            )
            .with_help("add a lifecycle policy (`aws_ecr_lifecycle_policy`, `LifecyclePolicy`) that expires untagged images and keeps the last N tagged ones"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    const REPO: &str = "resource \"aws_ecr_repository\" \"r\" {\n  name = \"app\"\n}\n";

    #[test]
    fn cases() {
        assert_eq!(run_tf(&super::RULE, REPO).len(), 1);
        for repository in ["aws_ecr_repository.r.name", "\"app\"", "var.repo"] {
            let tf = format!(
                "variable \"repo\" {{}}\n{REPO}resource \"aws_ecr_lifecycle_policy\" \"p\" {{\n  repository = {repository}\n  policy = \"{{}}\"\n}}\n"
            );
            assert!(run_tf(&super::RULE, &tf).is_empty(), "{repository}");
        }
    }
}
