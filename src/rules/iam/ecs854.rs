//! ECS854: a task role whose trust policy lets ECS tasks assume it without `aws:SourceAccount`
//! or `aws:SourceArn` conditions (opt-in).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{IamRole, Value, known};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS854",
    name: "task-role-trust-without-source-condition",
    family: Family::Iam,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: SERVICE_FORMATS,
    summary: "Task role trust policy without a source account or source ARN condition",
    doc: include_str!("../../../rules/ECS854.md"),
    check,
};

fn names(value: &Value<String>, role: &IamRole) -> bool {
    match value {
        Value::Ref { target, .. } => target == &role.name,
        Value::Known(text) => {
            let name = text.rsplit('/').next().unwrap_or(text);
            known(&role.role_name).is_some_and(|n| n == name)
        }
        Value::Unresolved { .. } | Value::Partial(_) => false,
    }
}

const SOURCE_KEYS: [&str; 4] = [
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
];

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for role in &unit.iam_roles {
        let Some(used_at) = unit.task_definitions.iter().find_map(|td| {
            let f = td.task_role_arn.as_ref()?;
            names(&f.value, role).then_some(f.span)
        }) else {
            continue;
        };
        for st in known(&role.assume_role_policy).map_or(&[][..], Vec::as_slice) {
            if !known(&st.effect).is_some_and(|e| e.eq_ignore_ascii_case("Allow"))
                || st
                    .condition_keys
                    .iter()
                    .any(|k| SOURCE_KEYS.contains(&k.as_str()))
            {
                continue;
            }
            // An unknown condition may hold the keys.
            if st.condition && st.condition_keys.is_empty() {
                continue;
            }
            for (kind, principal) in &st.principals {
                if kind.eq_ignore_ascii_case("Service")
                    && principal
                        .value
                        .known()
                        .is_some_and(|p| p == "ecs-tasks.amazonaws.com")
                {
                    out.push(
                        ctx.diag(
                            principal.span,
                            "the task role trusts `ecs-tasks.amazonaws.com` without an `aws:SourceAccount` or `aws:SourceArn` condition (confused deputy)",
                        )
                        .with_label(used_at, "the task role")
                        .with_help("add a `Condition` with `aws:SourceAccount` (your account id) or `ArnLike` `aws:SourceArn` (`arn:aws:ecs:<region>:<account>:*`)"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(condition: &str) -> String {
        format!(
            "resource \"aws_iam_role\" \"task\" {{\n  name = \"task\"\n  assume_role_policy = jsonencode({{ Statement = [{{ Effect = \"Allow\", Principal = {{ Service = \"ecs-tasks.amazonaws.com\" }}, Action = \"sts:AssumeRole\"{condition} }}] }})\n}}\nresource \"aws_ecs_task_definition\" \"t\" {{\n  family = \"t\"\n  task_role_arn = aws_iam_role.task.arn\n  container_definitions = jsonencode([{{ name = \"a\", image = \"a:1\" }}])\n}}\n"
        )
    }

    #[test]
    fn cases() {
        assert_eq!(run_tf(&super::RULE, &tf("")).len(), 1);
        assert!(
            run_tf(
                &super::RULE,
                &tf(
                    ", Condition = { StringEquals = { \"aws:SourceAccount\" = \"123456789012\" } }"
                )
            )
            .is_empty()
        );
    }
}
