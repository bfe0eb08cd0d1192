//! Terraform is the oracle: for every fixture under `testdata/terraform/modules/`, a real
//! `terraform plan` (Terraform 1.0.3, offline, with the fake provider in
//! `tests/terraform/fake_aws_provider.py`) is compared with ecslint's model of the same files.
//! Every resource Terraform plans must be in the model under the same address and vice versa;
//! every field ecslint calls known must equal the plan's value; a field ecslint cannot know must
//! be one the plan calls "known after apply".
//!
//! Needs `ECSLINT_TERRAFORM`: a directory made by
//! `../shared/recipes/terraform/setup_offline_terraform.sh` (`.ci/run` makes one). Without it
//! the test is compiled as ignored (see `build.rs`).

use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The model value of an `inspect` field, spans stripped; `Unknown` where ecslint could not
/// know it.
#[derive(Debug, Clone, PartialEq)]
enum Model {
    Known(Value),
    Unknown,
}

fn plain(field: &Value) -> Model {
    if field.get("unresolved").is_some() {
        return Model::Unknown;
    }
    let Some(value) = field.get("value") else {
        return Model::Known(Value::Null);
    };
    // A field is `{"value"|"unresolved", "span", "reference"?}`; anything else is an object of
    // the model (a container, an environment entry with its own `name` and `value` fields).
    fn is_field(o: &Map<String, Value>) -> bool {
        o.keys()
            .all(|k| matches!(k.as_str(), "value" | "unresolved" | "span" | "reference"))
            && (o.contains_key("value") || o.contains_key("unresolved"))
    }
    fn strip(v: &Value) -> Option<Value> {
        Some(match v {
            Value::Array(items) => Value::Array(items.iter().map(strip).collect::<Option<_>>()?),
            Value::Object(o) if is_field(o) && o.contains_key("unresolved") => return None,
            Value::Object(o) if is_field(o) => strip(&o["value"])?,
            Value::Object(o) => Value::Object(
                o.iter()
                    .filter(|(k, _)| *k != "span")
                    .map(|(k, v)| Some((k.clone(), strip(v)?)))
                    .collect::<Option<Map<_, _>>>()?,
            ),
            other => other.clone(),
        })
    }
    strip(value).map_or(Model::Unknown, Model::Known)
}

fn terraform_home() -> PathBuf {
    PathBuf::from(std::env::var_os("ECSLINT_TERRAFORM").expect("ECSLINT_TERRAFORM"))
}

/// `terraform plan` + `terraform show -json` of a copy of `fixture`.
fn plan(fixture: &Path) -> Value {
    let home = terraform_home();
    let work = tempfile::tempdir().unwrap();
    copy_dir(fixture, work.path());
    let provider_dir = work.path().join(".fake-provider");
    std::fs::create_dir_all(&provider_dir).unwrap();
    let provider =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/terraform/fake_aws_provider.py");
    let launcher = provider_dir.join("terraform-provider-aws");
    std::fs::write(
        &launcher,
        format!(
            "#!/bin/sh\nexec '{}' '{}' \"$@\"\n",
            home.join("venv/bin/python").display(),
            provider.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).unwrap();
    let rc = work.path().join(".terraformrc");
    std::fs::write(
        &rc,
        format!(
            "provider_installation {{\n  dev_overrides {{\n    \"hashicorp/aws\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            provider_dir.display()
        ),
    )
    .unwrap();
    let terraform = |args: &[&str]| {
        let out = Command::new(home.join("bin/terraform"))
            .args(args)
            .current_dir(work.path())
            .env("TF_CLI_CONFIG_FILE", &rc)
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("HOME", work.path())
            .output()
            .expect("run terraform");
        assert!(
            out.status.success(),
            "terraform {args:?} in {}:\n{}{}",
            fixture.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    // Local modules are registered by `terraform get` (`init` would ask a registry).
    terraform(&["get", "-no-color"]);
    terraform(&[
        "plan",
        "-no-color",
        "-input=false",
        "-lock=false",
        "-refresh=false",
        "-out=plan.bin",
    ]);
    serde_json::from_slice(&terraform(&["show", "-json", "plan.bin"])).unwrap()
}

/// `ecslint cost --format json` of `path`: resource name → (monthly USD, note).
fn cost(path: &Path) -> Vec<(String, Value, Value)> {
    let out = assert_cmd::Command::cargo_bin("ecslint")
        .unwrap()
        .args(["cost", "--format", "json", "--region", "us-east-1"])
        .arg(path)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut lines: Vec<(String, Value, Value)> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["monthly_usd"].clone(),
                r["count"].clone(),
            )
        })
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    lines
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn inspect(fixture: &Path) -> Vec<Value> {
    let out = assert_cmd::Command::cargo_bin("ecslint")
        .unwrap()
        .arg("inspect")
        .arg(fixture)
        .output()
        .unwrap();
    let model: Value = serde_json::from_slice(&out.stdout).unwrap();
    model["entities"].as_array().unwrap().clone()
}

/// A planned attribute: `None` when Terraform only knows it after apply.
fn planned<'a>(change: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut unknown = &change["after_unknown"];
    let mut after = &change["after"];
    for key in path {
        if unknown == &Value::Bool(true) {
            return None;
        }
        unknown = unknown.get(*key).unwrap_or(&Value::Null);
        after = after.get(*key).unwrap_or(&Value::Null);
    }
    if unknown == &Value::Bool(true) {
        None
    } else {
        Some(after)
    }
}

struct Check<'a> {
    address: &'a str,
    problems: &'a mut Vec<String>,
}

impl Check<'_> {
    /// Known in ecslint ⇒ equal to the plan; unknown in ecslint ⇒ unknown in the plan; absent
    /// in ecslint ⇒ null or empty in the plan.
    fn field(
        &mut self,
        name: &str,
        model: Option<Model>,
        plan: Option<&Value>,
        norm: fn(&Value) -> Value,
    ) {
        let plan = plan.map(norm);
        match (model, plan) {
            (Some(Model::Known(m)), Some(p)) if norm(&m) == p => {}
            (Some(Model::Unknown), None) | (None, None) => {}
            (None, Some(p)) if is_empty(&p) => {}
            (m, p) => self.problems.push(format!(
                "{} {name}: ecslint {m:?}, terraform {p:?}",
                self.address
            )),
        }
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn same(v: &Value) -> Value {
    v.clone()
}

/// Numbers and numeric strings compare as numbers (the provider stores cpu as a string).
fn number(v: &Value) -> Value {
    match v {
        Value::String(s) => s.parse::<f64>().map_or(v.clone(), |n| json!(n)),
        Value::Number(n) => json!(n.as_f64()),
        _ => v.clone(),
    }
}

fn sorted(v: &Value) -> Value {
    let mut items: Vec<Value> = v.as_array().cloned().unwrap_or_default();
    items.sort_by_key(|i| i.to_string());
    Value::Array(items)
}

/// A container as both sides can say it: the fields ecslint models, numbers as numbers, log
/// options as a map.
fn container(c: &Value) -> Value {
    let mut out = Map::new();
    for key in [
        "name",
        "image",
        "essential",
        "environment",
        "secrets",
        "portMappings",
        "healthCheck",
        "logConfiguration",
    ] {
        let Some(v) = c.get(key).filter(|v| !v.is_null()) else {
            continue;
        };
        let v = match key {
            "logConfiguration" => {
                let mut lc = v.clone();
                if let Some(Value::Array(options)) = v.get("options") {
                    // ecslint lists options as name/value pairs.
                    lc["options"] = Value::Object(
                        options
                            .iter()
                            .map(|o| {
                                (
                                    o["name"].as_str().unwrap_or("").to_owned(),
                                    o["value"].clone(),
                                )
                            })
                            .collect(),
                    );
                }
                lc
            }
            _ => v.clone(),
        };
        out.insert(key.to_owned(), numbers(&v));
    }
    Value::Object(out)
}

fn numbers(v: &Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(a) => Value::Array(a.iter().map(numbers).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), numbers(v))).collect()),
        other => other.clone(),
    }
}

fn containers(v: &Value) -> Value {
    let list = match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
        other => other.clone(),
    };
    Value::Array(
        list.as_array()
            .map(|l| l.iter().map(container).collect())
            .unwrap_or_default(),
    )
}

fn compare(fixture: &Path, problems: &mut Vec<String>) {
    let plan = plan(fixture);
    // The plan JSON of the same code is one more input ecslint reads: one resource table, one
    // linking, so every resource must price the same from the plan as from the .tf files.
    let plan_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(plan_file.path(), plan.to_string()).unwrap();
    let (from_tf, from_plan) = (cost(fixture), cost(plan_file.path()));
    if from_tf != from_plan {
        problems.push(format!(
            "{}: cost from .tf {from_tf:?} but from its plan {from_plan:?}",
            fixture.display()
        ));
    }
    let entities = inspect(fixture);
    let changes: Vec<&Value> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            matches!(
                c["type"].as_str(),
                Some("aws_ecs_task_definition" | "aws_ecs_service")
            )
        })
        .collect();
    let modelled: Vec<&Value> = entities
        .iter()
        .filter(|e| matches!(e["kind"].as_str(), Some("task_definition" | "service")))
        .collect();
    let mut plan_addresses: Vec<&str> = changes
        .iter()
        .map(|c| c["address"].as_str().unwrap())
        .collect();
    let mut model_addresses: Vec<&str> = modelled
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    plan_addresses.sort();
    model_addresses.sort();
    if plan_addresses != model_addresses {
        problems.push(format!(
            "{}: terraform plans {plan_addresses:?}, ecslint models {model_addresses:?}",
            fixture.display()
        ));
    }
    for change in changes {
        let address = change["address"].as_str().unwrap();
        let Some(entity) = modelled.iter().find(|e| e["name"] == address) else {
            continue;
        };
        let change = &change["change"];
        let fields = &entity["fields"];
        let model = |name: &str| fields.get(name).map(plain);
        let label = format!(
            "{}: {address}",
            fixture.file_name().unwrap().to_string_lossy()
        );
        let mut check = Check {
            address: &label,
            problems,
        };
        if entity["kind"] == "task_definition" {
            check.field(
                "family",
                model("family"),
                planned(change, &["family"]),
                same,
            );
            check.field("cpu", model("cpu"), planned(change, &["cpu"]), number);
            check.field(
                "memory",
                model("memory"),
                planned(change, &["memory"]),
                number,
            );
            check.field(
                "network_mode",
                model("networkMode"),
                planned(change, &["network_mode"]),
                same,
            );
            check.field(
                "requires_compatibilities",
                model("requiresCompatibilities"),
                planned(change, &["requires_compatibilities"]),
                sorted,
            );
            check.field(
                "container_definitions",
                model("containerDefinitions"),
                planned(change, &["container_definitions"]),
                containers,
            );
        } else {
            check.field(
                "name",
                model("serviceName"),
                planned(change, &["name"]),
                same,
            );
            check.field(
                "desired_count",
                model("desiredCount"),
                planned(change, &["desired_count"]),
                number,
            );
            check.field(
                "launch_type",
                model("launchType"),
                planned(change, &["launch_type"]),
                same,
            );
            // A reference to a task definition is what ecslint links by; Terraform knows the
            // value only when it is configured (a family), not computed (an ARN).
            let td = fields.get("taskDefinition");
            if td.is_some_and(|t| t.get("reference").is_none()) {
                check.field(
                    "task_definition",
                    td.map(plain),
                    planned(change, &["task_definition"]),
                    same,
                );
            }
            let breaker = |key: &'static str| -> Option<&Value> {
                planned(change, &["deployment_circuit_breaker"]).and_then(|b| {
                    b.as_array()
                        .and_then(|a| a.first())
                        .map(|first| first.get(key).unwrap_or(&Value::Null))
                        .or(Some(&Value::Null))
                })
            };
            check.field(
                "circuit_breaker.enable",
                model("circuitBreakerEnable"),
                breaker("enable"),
                same,
            );
            check.field(
                "circuit_breaker.rollback",
                model("circuitBreakerRollback"),
                breaker("rollback"),
                same,
            );
            let public_ip = planned(change, &["network_configuration"]).and_then(|n| {
                n.as_array()
                    .and_then(|a| a.first())
                    .map(|first| first.get("assign_public_ip").unwrap_or(&Value::Null))
                    .or(Some(&Value::Null))
            });
            check.field("assign_public_ip", model("assignPublicIp"), public_ip, same);
            let count = |v: &Value| match v.as_array().map_or(0, Vec::len) {
                0 => Value::Null,
                n => json!(n),
            };
            check.field(
                "load_balancer",
                model("loadBalancers"),
                planned(change, &["load_balancer"]),
                count,
            );
        }
    }
}

#[test]
#[cfg_attr(
    not(ecslint_terraform),
    ignore = "needs ECSLINT_TERRAFORM (an offline Terraform; .ci/run sets it up)"
)]
fn terraform_plans_agree_with_the_model() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform/modules");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 6, "{fixtures:?}");
    let mut problems = Vec::new();
    for fixture in &fixtures {
        compare(fixture, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
