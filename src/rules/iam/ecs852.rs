//! ECS852: a task definition whose task role is also its execution role.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Part, Value};
use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS852",
    name: "same-task-and-execution-role",
    family: Family::Iam,
    severity: Severity::Info,
    enabled_by_default: false,
    formats: ALL_FORMATS,
    summary: "Task role and execution role are the same role",
    doc: include_str!("../../../rules/ECS852.md"),
    check,
};

/// A known role value as the role it names: `(account part, name)`; the account part is `None`
/// for a short name (the task definition's own account).
fn role(text: &str) -> Option<(Option<&str>, &str)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.split_once(":role/") {
        // `arn:aws:iam::123456789012:role/path/name`: the name is the last path element.
        Some((prefix, path)) => Some((Some(prefix), path.rsplit('/').next().unwrap_or(path))),
        None if text.starts_with("arn:") => None,
        None => Some((None, text)),
    }
}

/// Both values are known to name one role: the same reference (`aws_iam_role.app.arn` twice,
/// or `.arn` and `.name` of one role), the same partly known text, or known texts naming the
/// same role. Unresolved values are never compared, even when written the same way.
fn same_role(a: &Value<String>, b: &Value<String>) -> bool {
    match (a, b) {
        (Value::Ref { target: x, .. }, Value::Ref { target: y, .. }) => x == y,
        (Value::Known(x), Value::Known(y)) => match (role(x), role(y)) {
            (Some((ax, nx)), Some((ay, ny))) => {
                nx == ny && (ax.is_none() || ay.is_none() || ax == ay)
            }
            _ => false,
        },
        (Value::Partial(x), Value::Partial(y)) => {
            x == y
                && x.iter()
                    .any(|p| matches!(p, Part::Text(t) if t.contains(":role/")))
        }
        _ => false,
    }
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    for td in &ctx.unit.task_definitions {
        let (Some(task), Some(exec)) = (&td.task_role_arn, &td.execution_role_arn) else {
            continue;
        };
        if !same_role(&task.value, &exec.value) {
            continue;
        }
        out.push(
            ctx.diag(
                task.span,
                "the task role is also the execution role: the application gets the permissions ECS needs to pull images, read secrets and write logs",
            )
            .with_label(exec.span, "the execution role")
            .with_help("give the task its own role with only the permissions the application uses, and keep the execution role for ECS"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run_json, run_tf};

    fn td(task: &str, exec: &str) -> String {
        format!(
            r#"{{"family": "a", "taskRoleArn": "{task}", "executionRoleArn": "{exec}", "containerDefinitions": [{{"name": "a", "image": "a:1"}}]}}"#
        )
    }

    #[test]
    fn cases() {
        let arn = "arn:aws:iam::123456789012:role/app";
        assert_eq!(run_json(&super::RULE, &td(arn, arn)).len(), 1);
        assert_eq!(run_json(&super::RULE, &td("app", arn)).len(), 1);
        assert_eq!(
            run_json(
                &super::RULE,
                &td(arn, "arn:aws:iam::123456789012:role/service-role/app")
            )
            .len(),
            1
        );
        assert!(
            run_json(
                &super::RULE,
                &td(arn, "arn:aws:iam::123456789012:role/exec")
            )
            .is_empty()
        );
        // Same name in another account is another role.
        assert!(run_json(&super::RULE, &td(arn, "arn:aws:iam::210987654321:role/app")).is_empty());
        assert!(run_json(&super::RULE, &td("", "")).is_empty());
        let tf = |exec: &str| {
            format!(
                "variable \"role\" {{}}\nresource \"aws_iam_role\" \"app\" {{}}\nresource \"aws_iam_role\" \"exec\" {{}}\nresource \"aws_ecs_task_definition\" \"t\" {{\n  family = \"t\"\n  task_role_arn = aws_iam_role.app.arn\n  execution_role_arn = {exec}\n  container_definitions = jsonencode([{{ name = \"a\", image = \"a:1\" }}])\n}}\n"
            )
        };
        assert_eq!(run_tf(&super::RULE, &tf("aws_iam_role.app.arn")).len(), 1);
        assert!(run_tf(&super::RULE, &tf("aws_iam_role.exec.arn")).is_empty());
        // An unresolved value is never judged.
        assert!(run_tf(&super::RULE, &tf("var.role")).is_empty());
    }
}
