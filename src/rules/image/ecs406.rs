//! ECS406: an ECR repository policy of the unit that allows any principal.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Field, PolicyStatement, known};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS406",
    name: "ecr-public-repository-policy",
    family: Family::Image,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "ECR repository policy allows anyone",
    doc: include_str!("../../../rules/ECS406.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    let docs: Vec<&Field<Vec<PolicyStatement>>> = unit
        .ecr_repositories
        .iter()
        .map(|r| &r.repository_policy)
        .chain(unit.ecr_repository_policies.iter())
        .collect();
    for doc in docs {
        for st in known(doc).map_or(&[][..], Vec::as_slice) {
            // Any condition (aws:PrincipalOrgID, aws:SourceAccount...) may restrict who it is.
            if !known(&st.effect).is_some_and(|e| e.eq_ignore_ascii_case("Allow")) || st.condition {
                continue;
            }
            for (kind, principal) in &st.principals {
                let anyone = (kind == "*" || kind.eq_ignore_ascii_case("AWS"))
                    && principal.value.known().is_some_and(|p| p == "*");
                if anyone {
                    out.push(
                        ctx.diag(
                            principal.span,
                            "the repository policy allows any AWS principal (`\"*\"`) without a condition: anyone can use the repository as far as its actions allow",
                        )
                        .with_help("name the accounts or roles that need access, or restrict `\"*\"` with a condition such as `aws:PrincipalOrgID`"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(principal: &str, condition: &str) -> String {
        format!(
            "resource \"aws_ecr_repository\" \"r\" {{\n  name = \"r\"\n}}\nresource \"aws_ecr_repository_policy\" \"p\" {{\n  repository = aws_ecr_repository.r.name\n  policy = jsonencode({{ Statement = [{{ Effect = \"Allow\", Principal = {principal}, Action = [\"ecr:BatchGetImage\"]{condition} }}] }})\n}}\n"
        )
    }

    #[test]
    fn cases() {
        assert_eq!(run_tf(&super::RULE, &tf("\"*\"", "")).len(), 1);
        assert_eq!(run_tf(&super::RULE, &tf("{ AWS = \"*\" }", "")).len(), 1);
        assert!(
            run_tf(
                &super::RULE,
                &tf("{ AWS = \"arn:aws:iam::123456789012:root\" }", "")
            )
            .is_empty()
        );
        assert!(
            run_tf(
                &super::RULE,
                &tf(
                    "\"*\"",
                    ", Condition = { StringEquals = { \"aws:PrincipalOrgID\" = \"o-abc\" } }"
                )
            )
            .is_empty()
        );
    }
}
