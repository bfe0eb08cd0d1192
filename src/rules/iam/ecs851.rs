//! ECS851: a Fargate task definition without an execution role, although Fargate needs one to
//! pull its private ECR images or to send its awslogs logs.

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::{TaskDefinition, Unit, Value, known};
use crate::rules::util::{container_label, runs_on_fargate, start_of};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS851",
    name: "execution-role-missing",
    family: Family::Iam,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Fargate task definition needs an execution role it does not have",
    doc: include_str!("../../../rules/ECS851.md"),
    check,
};

/// `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1` (also `.amazonaws.com.cn`), or a
/// CloudFormation `!Sub` whose literal parts say so.
fn private_ecr(text: &str) -> bool {
    text.contains(".dkr.ecr.") && text.contains(".amazonaws.com")
}

fn fargate(unit: &Unit, td: &TaskDefinition) -> bool {
    td.is_fargate() || link::services_of(unit, td).any(|s| runs_on_fargate(unit, s))
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for td in &unit.task_definitions {
        // Absent, or an empty string (Terraform modules default it to "").
        let no_role = match &td.execution_role_arn {
            None => true,
            Some(r) => r.value.known().is_some_and(|v| v.is_empty()),
        };
        if !no_role || !fargate(unit, td) {
            continue;
        }
        let mut needs = Vec::new();
        for c in td.containers() {
            if let Some(l) = known(&c.log_configuration)
                && let Some(d) = &l.log_driver
                && d.value.known().is_some_and(|d| d == "awslogs")
            {
                needs.push((
                    d.span,
                    format!("{} sends logs with awslogs", container_label(c)),
                ));
            }
            if let Some(i) = &c.image {
                // A partly known image (`${AWS::AccountId}.dkr.ecr.${AWS::Region}...`) shows
                // the registry in its known text.
                let text = match &i.value {
                    Value::Known(t) => t.clone(),
                    Value::Partial(parts) => crate::model::parts_text(parts),
                    _ => continue,
                };
                if private_ecr(&text) {
                    needs.push((
                        i.span,
                        format!("{} pulls a private ECR image", container_label(c)),
                    ));
                }
            }
        }
        let Some((_, first)) = needs.first() else {
            continue;
        };
        let mut d = ctx
            .diag(
                start_of(&td.span),
                format!(
                    "Fargate task definition has no `executionRoleArn`, but {first}: Fargate needs the execution role for that"
                ),
            )
            .with_help("set `executionRoleArn` to a role with the AmazonECSTaskExecutionRolePolicy managed policy (ECR pull, CloudWatch Logs)");
        for (span, label) in needs {
            d = d.with_label(span, label);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    fn td(role: &str, image: &str, log: &str) -> String {
        format!(
            r#"{{"family": "app", "requiresCompatibilities": ["FARGATE"], {role}"containerDefinitions": [{{"name": "app", "image": "{image}"{log}}}]}}"#
        )
    }

    const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1";
    const AWSLOGS: &str = r#", "logConfiguration": {"logDriver": "awslogs"}"#;

    #[test]
    fn cases() {
        assert!(
            run_json(
                &super::RULE,
                &td(
                    r#""executionRoleArn": "arn:aws:iam::1:role/x", "#,
                    ECR,
                    AWSLOGS
                )
            )
            .is_empty()
        );
        // A public image without awslogs needs no execution role.
        assert!(run_json(&super::RULE, &td("", "nginx:1.27", "")).is_empty());
        assert_eq!(
            run_json(&super::RULE, &td("", ECR, "")),
            [
                "1:1 Fargate task definition has no `executionRoleArn`, but container `app` pulls a private ECR image: Fargate needs the execution role for that"
            ]
        );
        assert_eq!(
            run_json(&super::RULE, &td("", "nginx:1.27", AWSLOGS)).len(),
            1
        );
    }
}
