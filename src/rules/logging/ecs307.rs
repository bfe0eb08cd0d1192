//! ECS307: ECS Exec sessions that are not logged: the cluster turns exec logging off, or a
//! service enables ECS Exec on a cluster whose default logging has nowhere to write.

use crate::diagnostic::{Diagnostic, Severity};
use crate::link;
use crate::model::{Cluster, Service, Unit, Value, known};
use crate::rules::network::SERVICE_FORMATS;
use crate::rules::{Family, Rule, RuleCtx};

pub static RULE: Rule = Rule {
    id: "ECS307",
    name: "exec-command-logging-disabled",
    family: Family::Logging,
    severity: Severity::Warning,
    enabled_by_default: true,
    formats: SERVICE_FORMATS,
    summary: "ECS Exec sessions are not logged",
    doc: include_str!("../../../rules/ECS307.md"),
    check,
};

/// The service's ECS Exec output goes nowhere under the cluster's `DEFAULT` logging: its task
/// definition is declared here and no container uses the `awslogs` driver. Anything unknown
/// (the task definition, a container's log configuration or driver) gives `false`.
fn default_logging_goes_nowhere(unit: &Unit, service: &Service) -> bool {
    let Some(td) = link::task_definition_of(unit, service) else {
        return false;
    };
    let Some(containers) = known(&td.container_definitions) else {
        return false;
    };
    containers.iter().all(|c| match &c.log_configuration {
        None => true,
        Some(l) => match &l.value {
            Value::Known(l) => match &l.log_driver {
                None => true,
                Some(d) => matches!(&d.value, Value::Known(d) if d != "awslogs"),
            },
            _ => false,
        },
    })
}

/// `DEFAULT` logging, stated or by omission; `false` when the configuration is unknown.
fn default_logging(cluster: &Cluster) -> bool {
    match &cluster.execute_command_logging {
        None => !matches!(
            cluster
                .execute_command_configuration
                .as_ref()
                .map(|c| &c.value),
            Some(Value::Ref { .. } | Value::Unresolved { .. })
        ),
        Some(l) => matches!(&l.value, Value::Known(v) if v == "DEFAULT"),
    }
}

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {
    let unit = ctx.unit;
    for cluster in unit.clusters.iter().filter(|c| c.cluster.is_none()) {
        if let Some(l) = &cluster.execute_command_logging
            && matches!(&l.value, Value::Known(v) if v == "NONE")
        {
            out.push(
                ctx.diag(
                    l.span,
                    "ECS Exec logging is `NONE`: commands run in this cluster's containers leave no record",
                )
                .with_help("set `logging` to `DEFAULT` (the task's awslogs configuration) or `OVERRIDE` with a `logConfiguration` (CloudWatch Logs or S3)"),
            );
        }
    }
    for service in &unit.services {
        let Some(exec) = &service.enable_execute_command else {
            continue;
        };
        if exec.value.known() != Some(&true) {
            continue;
        }
        let Some(cluster) = link::cluster_of(unit, service) else {
            continue;
        };
        if !default_logging(cluster) || !default_logging_goes_nowhere(unit, service) {
            continue;
        }
        let mut d = ctx
            .diag(
                exec.span,
                "service enables ECS Exec, but its cluster logs sessions only through the task's awslogs driver, which no container uses: sessions are not logged",
            )
            .with_label(cluster.span, "exec logging left at DEFAULT here")
            .with_help("give the cluster an `executeCommandConfiguration` with `logging` `OVERRIDE` and a log destination, or use the awslogs driver");
        d.severity = Severity::Info;
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::run_tf;

    fn tf(cluster: &str, service: &str, log: &str) -> String {
        format!(
            r#"resource "aws_ecs_cluster" "main" {{
  name = "main"
{cluster}
}}
resource "aws_ecs_task_definition" "app" {{
  family = "app"
  container_definitions = jsonencode([{{ name = "app", image = "app:1"{log} }}])
}}
resource "aws_ecs_service" "api" {{
  name            = "api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
{service}
}}
"#
        )
    }

    fn logging(value: &str) -> String {
        format!(
            "  configuration {{\n    execute_command_configuration {{\n      logging = {value}\n    }}\n  }}"
        )
    }

    const EXEC: &str = "  enable_execute_command = true";
    const AWSLOGS: &str = r#", logConfiguration = { logDriver = "awslogs", options = {} }"#;

    #[test]
    fn cases() {
        assert!(run_tf(&super::RULE, &tf(&logging("\"OVERRIDE\""), EXEC, "")).is_empty());
        assert!(run_tf(&super::RULE, &tf(&logging("\"DEFAULT\""), EXEC, AWSLOGS)).is_empty());
        assert!(run_tf(&super::RULE, &tf("", "", "")).is_empty());
        assert!(
            run_tf(
                &super::RULE,
                &format!("variable \"l\" {{}}\n{}", tf(&logging("var.l"), EXEC, ""))
            )
            .is_empty()
        );
        assert_eq!(
            run_tf(&super::RULE, &tf(&logging("\"NONE\""), "", "")),
            [
                "5:17 ECS Exec logging is `NONE`: commands run in this cluster's containers leave no record"
            ]
        );
        assert_eq!(
            run_tf(&super::RULE, &tf("", EXEC, "")),
            [
                "13:28 service enables ECS Exec, but its cluster logs sessions only through the task's awslogs driver, which no container uses: sessions are not logged"
            ]
        );
    }
}
