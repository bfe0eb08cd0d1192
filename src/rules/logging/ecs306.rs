//! ECS306: a cluster with Container Insights turned off, or left to the account default.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Value, known};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS306",
    name: "container-insights-disabled",
    family: Family::Logging,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "Cluster has Container Insights disabled (or left to the account default)",
    doc: include_str!("../../../rules/ECS306.md"),
    check,
};

const HELP: &str = "add the cluster setting `containerInsights` = `enhanced` (or `enabled`)";

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    // Capacity-provider associations (`cluster` set) carry no settings.
    for cluster in ctx.unit.clusters.iter().filter(|c| c.cluster.is_none()) {
        let settings = match &cluster.settings {
            None => None,
            Some(s) => match &s.value {
                Value::Known(list) => Some(list),
                // A `dynamic "setting"`, a variable: nothing can be said.
                _ => continue,
            },
        };
        let insights = settings.into_iter().flatten().find(|kv| {
            known(&kv.name).is_some_and(|n| n.eq_ignore_ascii_case("containerInsights"))
        });
        match insights {
            Some(kv) => {
                let Some(value) = &kv.value else { continue };
                let Value::Known(v) = &value.value else {
                    continue;
                };
                if v.eq_ignore_ascii_case("disabled") {
                    out.push(
                        ctx.diag(
                            value.span,
                            "Container Insights is disabled on this cluster: no task-level CPU, memory, network or restart metrics",
                        )
                        .with_help(HELP),
                    );
                }
            }
            None => {
                // A setting whose name is unknown may be the one.
                if settings
                    .into_iter()
                    .flatten()
                    .any(|kv| known(&kv.name).is_none())
                {
                    continue;
                }
                let mut d = ctx
                    .diag(
                        cluster.span,
                        "cluster does not set `containerInsights`: it inherits the account default, which is off unless changed",
                    )
                    .with_help(HELP);
                d.severity = Severity::Info;
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(body: &str) -> String {
        format!("resource \"aws_ecs_cluster\" \"main\" {{\n  name = \"main\"\n{body}\n}}\n")
    }

    fn setting(value: &str) -> String {
        format!("  setting {{\n    name  = \"containerInsights\"\n    value = {value}\n  }}")
    }

    #[test]
    fn cases() {
        assert!(run_tf(&super::RULE, &tf(&setting("\"enabled\""))).is_empty());
        assert!(run_tf(&super::RULE, &tf(&setting("\"enhanced\""))).is_empty());
        // Unknown value or unknown settings: silent.
        assert!(
            run_tf(
                &super::RULE,
                &format!("variable \"ci\" {{}}\n{}", tf(&setting("var.ci")))
            )
            .is_empty()
        );
        let dynamic = "  dynamic \"setting\" {\n    for_each = var.settings\n    content {\n      name  = setting.key\n      value = setting.value\n    }\n  }";
        assert!(
            run_tf(
                &super::RULE,
                &format!("variable \"settings\" {{}}\n{}", tf(dynamic))
            )
            .is_empty()
        );
        assert_eq!(
            run_tf(&super::RULE, &tf(&setting("\"disabled\""))),
            [
                "5:13 Container Insights is disabled on this cluster: no task-level CPU, memory, network or restart metrics"
            ]
        );
        assert_eq!(
            run_tf(&super::RULE, &tf("")),
            [
                "1:1 cluster does not set `containerInsights`: it inherits the account default, which is off unless changed"
            ]
        );
    }
}
