//! ECS502: the same name in `secrets` and `environment`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::known;
use crate::rules::util::container_label;
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS502",
    name: "secret-and-environment-clash",
    family: Family::Secrets,
    severity: Severity::Error,
    enabled_by_default: true,
    formats: ALL_FORMATS,
    summary: "Same variable name in secrets and environment",
    doc: include_str!("../../../rules/ECS502.md"),
    check,
};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        for c in td.containers() {
            let (Some(env), Some(secrets)) = (known(&c.environment), known(&c.secrets)) else {
                continue;
            };
            for var in env {
                let Some(name) = known(&var.name) else {
                    continue;
                };
                let Some(secret) = secrets.iter().find(|s| known(&s.name) == Some(name)) else {
                    continue;
                };
                let mut d = ctx.diag(
                    var.name.as_ref().map_or(var.span, |n| n.span),
                    format!(
                        "{}: `{name}` is both a plain environment variable and a secret",
                        container_label(c)
                    ),
                );
                if let Some(n) = &secret.name {
                    d = d.with_label(n.span, "the secret of the same name");
                }
                out.push(d.with_help("keep it in `secrets` only (CloudFormation rejects the duplicate; elsewhere one silently wins)"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_json;

    #[test]
    fn cases() {
        let td = |env: &str| {
            format!(
                r#"{{"executionRoleArn": "arn:aws:iam::1:role/x", "containerDefinitions": [{{"name": "a", "environment": [{{"name": "{env}", "value": "x"}}], "secrets": [{{"name": "DB_PASSWORD", "valueFrom": "/db/pw"}}]}}]}}"#
            )
        };
        assert!(run_json(&super::RULE, &td("DB_HOST")).is_empty());
        assert_eq!(run_json(&super::RULE, &td("DB_PASSWORD")).len(), 1);
    }
}
