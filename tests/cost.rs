//! `ecslint cost` end to end: Infracost's golden ECS test (found through `ECSLINT_REFERENCE`,
//! which `.ci/run` sets), `--compare`, `--pricing`, and the bundled example.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn cost(dir: &Path, args: &[&str]) -> Value {
    let out = Command::cargo_bin("ecslint")
        .unwrap()
        .current_dir(dir)
        .arg("cost")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn cents(v: &Value) -> i64 {
    (v.as_f64().unwrap() * 100.0).round() as i64
}

#[test]
fn infracost_golden_agrees_line_by_line() {
    let Some(reference) = std::env::var_os("ECSLINT_REFERENCE") else {
        eprintln!("ECSLINT_REFERENCE is not set: golden comparison skipped (.ci/run sets it)");
        return;
    };
    let golden = Path::new(&reference).join("infracost-ecs-golden/ecs_service_test.tf");
    assert!(golden.is_file(), "{} missing", golden.display());
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&golden, dir.path().join("main.tf")).unwrap();
    let report = cost(dir.path(), &[".", "--format", "json"]);
    let line = |name: &str| -> Value {
        report["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == "service" && r["name"] == format!("aws_ecs_service.{name}"))
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    // Infracost's golden: GB line + vCPU line per service (us-east-1, 730 h).
    for (name, infracost) in [
        ("ecs_fargate5", 3245 + 14775),
        ("task_set", 2596 + 11820),
        ("ecs_fargate2", 1298 + 5910),
        ("ecs_fargate_no_cluster_2", 1298 + 5910),
        ("ecs_fargate11_family", 649 + 2955),
        ("ecs_fargate_no_cluster_1", 649 + 2955),
    ] {
        assert_eq!(cents(&line(name)["monthly_usd"]), infracost, "{name}");
    }
    // Where we differ on purpose: these services name no launch type and their clusters have no
    // default capacity-provider strategy, so ECS runs them with the EC2 launch type
    // (CreateService); Infracost prices them as Fargate because the cluster lists FARGATE.
    for name in ["ecs_fargate1", "ecs_fargate3", "ecs_fargate4"] {
        let l = line(name);
        assert!(l["monthly_usd"].is_null(), "{name}");
        assert!(
            l["note"].as_str().unwrap().contains("EC2 launch type"),
            "{name}"
        );
    }
    // $828.92 − (36.04 + 108.12 + 144.16) = $540.60.
    assert_eq!(cents(&report["total_monthly_usd"]), 54060);
}

#[test]
fn compare_shows_the_difference() {
    let base = tempfile::tempdir().unwrap();
    let head = tempfile::tempdir().unwrap();
    let td = |memory: u32| {
        format!(
            "resource \"aws_ecs_task_definition\" \"app\" {{\n  family = \"app\"\n  requires_compatibilities = [\"FARGATE\"]\n  cpu = 1024\n  memory = {memory}\n  container_definitions = jsonencode([{{ name = \"app\", image = \"app:1\" }}])\n}}\nresource \"aws_ecs_service\" \"app\" {{\n  name = \"app\"\n  launch_type = \"FARGATE\"\n  desired_count = 3\n  task_definition = aws_ecs_task_definition.app.arn\n}}\n"
        )
    };
    std::fs::write(base.path().join("main.tf"), td(2048)).unwrap();
    std::fs::write(head.path().join("main.tf"), td(4096)).unwrap();
    let report = cost(
        Path::new("."),
        &[
            head.path().to_str().unwrap(),
            "--compare",
            base.path().to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    // 3 tasks × 2 GB more × 0.004445 $/GB-h × 730 h = 19.4691 → $19.47.
    assert_eq!(cents(&report["difference_monthly_usd"]), 1947);
    let service = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"].as_str().unwrap().starts_with("service"))
        .unwrap();
    assert_eq!(cents(&service["difference_monthly_usd"]), 1947);
}

#[test]
fn pricing_file_overrides_the_table_and_missing_rates_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pricing.json"),
        r#"{"as_of": "2027-01-01", "regions": {"us-east-1": {"linux_x86": {"vcpu_hour": 0.1, "gb_hour": 0.01}}}}"#,
    )
    .unwrap();
    std::fs::copy(
        "testdata/rules/ECS902/fail.json",
        dir.path().join("td.json"),
    )
    .unwrap();
    std::fs::copy(
        "testdata/taskdef/describe-output.json",
        dir.path().join("arm.json"),
    )
    .unwrap();
    let report = cost(
        dir.path(),
        &[".", "--pricing", "pricing.json", "--format", "json"],
    );
    let lines = report["resources"].as_array().unwrap();
    let x86 = lines
        .iter()
        .find(|r| r["name"] == "search-indexer")
        .unwrap();
    // (1 × 0.1 + 2 × 0.01) × 730 = 87.60
    assert_eq!(cents(&x86["monthly_usd"]), 8760);
    let arm = lines.iter().find(|r| r["name"] == "ledger").unwrap();
    assert!(arm["monthly_usd"].is_null());
    assert_eq!(arm["note"], "no price for Fargate Linux/ARM64 in us-east-1");
    assert_eq!(report["pricing_as_of"], "2027-01-01");
}

#[test]
fn example_project_cost_table() {
    let out = Command::cargo_bin("ecslint")
        .unwrap()
        .args(["cost", "testdata/example"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!("example_cost", String::from_utf8(out.stdout).unwrap());
}
