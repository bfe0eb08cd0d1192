//! ECS853: a task or execution role of the unit whose policies allow `*` (or `service:*`) on
//! every resource, or that has an administrator managed policy.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{
    Field, IamPolicy, IamRole, Item, PolicyStatement, Unit, Value, known, known_tail,
};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};
use crate::source::Span;

pub static RULE: Rule = Rule {
    id: "ECS853",
    name: "task-role-wildcard-policy",
    family: Family::Iam,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Task or execution role allows every action or every action of a service on every resource",
    doc: include_str!("../../../rules/ECS853.md"),
    check,
};

/// Does a role-valued field (`taskRoleArn`, a policy's `role`) name this role?
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

/// The text of an ARN item, as far as it is known at its end.
fn arn_text(value: &Value<String>) -> Option<&str> {
    match value {
        Value::Known(t) => Some(t),
        Value::Partial(parts) => Some(known_tail(parts)),
        _ => None,
    }
}

/// AWS managed policies that grant (nearly) everything.
fn admin_policy(arn: &str) -> Option<(&'static str, Severity)> {
    if arn.ends_with(":policy/AdministratorAccess") {
        Some(("AdministratorAccess", Severity::Error))
    } else if arn.ends_with(":policy/PowerUserAccess") {
        Some(("PowerUserAccess", Severity::Warning))
    } else {
        None
    }
}

fn is_star(items: &[Item<String>]) -> bool {
    items
        .iter()
        .any(|i| i.value.known().is_some_and(|v| v == "*"))
}

/// Wildcard actions of an `Allow` statement on `Resource: "*"` without a condition: each
/// with its severity.
fn wildcards(st: &PolicyStatement) -> Vec<(&Item<String>, Severity)> {
    let allow = known(&st.effect).is_some_and(|e| e.eq_ignore_ascii_case("Allow"));
    let every_resource = known(&st.resources).is_some_and(|r| is_star(r));
    if !allow || !every_resource || st.not_action || st.not_resource || st.condition {
        return Vec::new();
    }
    known(&st.actions)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|a| {
            let v = a.value.known()?;
            if v == "*" || v == "*:*" {
                Some((a, Severity::Error))
            } else if v.ends_with(":*") && !v[..v.len() - 2].contains('*') {
                Some((a, Severity::Warning))
            } else {
                None
            }
        })
        .collect()
}

fn statements(doc: &Field<Vec<PolicyStatement>>) -> &[PolicyStatement] {
    known(doc).map_or(&[][..], Vec::as_slice)
}

fn attached_to(p: &IamPolicy, role: &IamRole) -> bool {
    known(&p.roles).is_some_and(|rs| rs.iter().any(|r| names(&r.value, role)))
}

/// Where a task definition names the role: (its span, "task role" / "execution role").
fn uses(unit: &Unit, role: &IamRole) -> Option<(Span, &'static str)> {
    unit.task_definitions.iter().find_map(|td| {
        [
            (&td.task_role_arn, "the task role"),
            (&td.execution_role_arn, "the execution role"),
        ]
        .into_iter()
        .find_map(|(f, label)| {
            let f = f.as_ref()?;
            names(&f.value, role).then_some((f.span, label))
        })
    })
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for role in &unit.iam_roles {
        let Some((used_at, label)) = uses(unit, role) else {
            continue;
        };
        let mut found: Vec<(Span, String, Severity)> = Vec::new();
        // Documents: inline, policies naming the role, managed policies of the unit attached
        // to it (by the role's list or by an attachment).
        let mut docs: Vec<&Field<Vec<PolicyStatement>>> = role.inline_policies.iter().collect();
        let mut arns: Vec<&Item<String>> = known(&role.managed_policy_arns)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .collect();
        for p in unit.iam_policies.iter().filter(|p| attached_to(p, role)) {
            docs.push(&p.document);
            if let Some(a) = &p.policy_arn {
                arns.push(a);
            }
        }
        for arn in arns {
            match &arn.value {
                Value::Ref { target, .. } => {
                    if let Some(p) = unit.iam_policies.iter().find(|p| &p.name == target) {
                        docs.push(&p.document);
                    }
                }
                v => {
                    if let Some((policy, severity)) = arn_text(v).and_then(admin_policy) {
                        found.push((
                            arn.span,
                            format!("{label} has the AWS managed policy {policy}: the application can do almost anything in the account"),
                            severity,
                        ));
                    }
                }
            }
        }
        for doc in docs {
            for st in statements(doc) {
                for (action, severity) in wildcards(st) {
                    let a = action.value.known().map_or("*", String::as_str);
                    let what = if severity == Severity::Error {
                        "every action".to_owned()
                    } else {
                        format!("every `{}` action", a.trim_end_matches(":*"))
                    };
                    found.push((
                        action.span,
                        format!("{label} is allowed {what} (`{a}`) on every resource (`\"*\"`)"),
                        severity,
                    ));
                }
            }
        }
        for (span, message, severity) in found {
            let mut d = ctx
                .diag(span, message)
                .with_label(used_at, label)
                .with_help("allow only the actions the application calls, on the resources it uses (its table, bucket, queue ARNs)");
            d.severity = severity;
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(policy: &str) -> String {
        format!(
            r#"variable "doc" {{}}
resource "aws_iam_role" "task" {{
  name = "task"
  assume_role_policy = "{{}}"
}}
resource "aws_iam_role_policy" "p" {{
  role = aws_iam_role.task.id
  policy = {policy}
}}
resource "aws_ecs_task_definition" "t" {{
  family = "t"
  task_role_arn = aws_iam_role.task.arn
  container_definitions = jsonencode([{{ name = "a", image = "a:1" }}])
}}
"#
        )
    }

    fn doc(action: &str, resource: &str) -> String {
        format!(
            "jsonencode({{ Version = \"2012-10-17\", Statement = [{{ Effect = \"Allow\", Action = {action}, Resource = {resource} }}] }})"
        )
    }

    #[test]
    fn cases() {
        assert_eq!(
            run_tf(&super::RULE, &tf(&doc("\"*\"", "\"*\""))),
            ["8:91 the task role is allowed every action (`*`) on every resource (`\"*\"`)"]
        );
        assert_eq!(
            run_tf(&super::RULE, &tf(&doc("[\"s3:*\"]", "\"*\""))).len(),
            1
        );
        assert!(run_tf(&super::RULE, &tf(&doc("\"s3:*\"", "\"arn:aws:s3:::b/*\""))).is_empty());
        assert!(run_tf(&super::RULE, &tf(&doc("\"s3:GetObject\"", "\"*\""))).is_empty());
        assert!(run_tf(&super::RULE, &tf("var.doc")).is_empty());
        let heredoc = "<<EOF\n{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}\nEOF";
        assert_eq!(run_tf(&super::RULE, &tf(heredoc)).len(), 1);
    }
}
