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
#[cfg_attr(
    not(ecslint_reference),
    ignore = "needs ECSLINT_REFERENCE (.ci/run sets it)"
)]
fn infracost_golden_agrees_line_by_line() {
    let reference = std::env::var_os("ECSLINT_REFERENCE").expect("ECSLINT_REFERENCE");
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

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn arm64_task_in_us_west_2() {
    let arm = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cost/arm64-task.json");
    let report = cost(
        Path::new("."),
        &[
            arm.to_str().unwrap(),
            "--region",
            "us-west-2",
            "--format",
            "json",
        ],
    );
    assert_eq!(report["pricing_as_of"], "2026-12-03");
    // No services: a total of 0, not the -0.0 of an empty float sum.
    assert_eq!(report["total_monthly_usd"].to_string(), "0.0");
    let line = &report["resources"][0];
    assert_eq!(line["platform"], "linux/arm64");
    assert_eq!(line["region"], "us-west-2");
    assert_eq!(line["rate_confidence"], "high");
    // 1 vCPU × 0.03238 + 2 GB × 0.00356 = 0.0395 $/h; × 730 = 28.835 → $28.84.
    close(line["hourly_usd"].as_f64().unwrap(), 0.0395);
    close(line["monthly_usd"].as_f64().unwrap(), 28.835);
    // A second size pins the two rates apart: 0.5 vCPU / 4 GB is 0.5 × v + 4 × g per hour.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&arm)
        .unwrap()
        .replace("\"1024\"", "\"512\"")
        .replace("\"2048\"", "\"4096\"");
    std::fs::write(dir.path().join("half.json"), text).unwrap();
    let half = cost(
        dir.path(),
        &["half.json", "--region", "us-west-2", "--format", "json"],
    );
    let h2 = half["resources"][0]["hourly_usd"].as_f64().unwrap();
    let h1 = line["hourly_usd"].as_f64().unwrap();
    // h1 = v + 2g, h2 = 0.5v + 4g  →  g = (2 h2 − h1) / 6, v = h1 − 2g.
    let gb = (2.0 * h2 - h1) / 6.0;
    close(gb, 0.00356);
    close(h1 - 2.0 * gb, 0.03238);
    // The table as a person reads it.
    let out = Command::cargo_bin("ecslint")
        .unwrap()
        .args(["cost", arm.to_str().unwrap(), "--region", "us-west-2"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("task def thumbnailer"))
        .unwrap();
    assert!(
        row.contains("linux/arm64") && row.contains("$0.0395") && row.contains("$28.84"),
        "{text}"
    );
    assert!(!text.contains('†') && !text.contains('‡'), "{text}");
    assert!(text.contains("prices as of 2026-12-03"), "{text}");
}

#[test]
fn ecs902_states_the_saving_in_us_west_2() {
    let x86 = "testdata/cost/x86-task.json";
    let check = |extra: &[&str]| -> Value {
        let out = Command::cargo_bin("ecslint")
            .unwrap()
            .args(["check", x86, "--region", "us-west-2", "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let ecs902 = |report: &Value| -> Vec<Value> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == "ECS902")
            .cloned()
            .collect()
    };
    // Off by default.
    assert!(ecs902(&check(&[])).is_empty());
    let found = ecs902(&check(&["--select", "ECS902"]));
    assert_eq!(found.len(), 1, "{found:?}");
    // x86 (0.04048 + 2 × 0.004445) × 730 = 36.0401; ARM (0.03238 + 2 × 0.00356) × 730 = 28.835;
    // saving 7.2051 → $7.21.
    assert_eq!(
        found[0]["message"],
        "this Linux/x86_64 task would cost about $7.21 less per task per month on ARM64 in us-west-2 ($28.84 instead of $36.04)"
    );
    assert_eq!(found[0]["line"], 7, "points at cpuArchitecture");
    // The ARM64 task itself gets no finding.
    let out = Command::cargo_bin("ecslint")
        .unwrap()
        .args([
            "check",
            "testdata/cost/arm64-task.json",
            "--region",
            "us-west-2",
            "--select",
            "ECS902",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(ecs902(&report).is_empty());
}

#[test]
fn low_and_single_source_rates_are_marked() {
    // ap-northeast-3 ARM is `confidence: low`; us-west-1 ARM `single_source`; us-west-2 x86 is
    // neither, but its ephemeral-storage rate is low (billed above 20 GiB only).
    let dir = tempfile::tempdir().unwrap();
    let arm = std::fs::read_to_string("testdata/cost/arm64-task.json").unwrap();
    let x86 = std::fs::read_to_string("testdata/cost/x86-task.json").unwrap();
    std::fs::write(dir.path().join("arm.json"), &arm).unwrap();
    std::fs::write(
        dir.path().join("disk.json"),
        x86.replace(
            "\"networkMode\"",
            "\"ephemeralStorage\": { \"sizeInGiB\": 50 },\n  \"networkMode\"",
        ),
    )
    .unwrap();
    let json = |region: &str, file: &str| -> Value {
        cost(dir.path(), &[file, "--region", region, "--format", "json"])["resources"][0].clone()
    };
    assert_eq!(json("ap-northeast-3", "arm.json")["rate_confidence"], "low");
    assert_eq!(
        json("us-west-1", "arm.json")["rate_confidence"],
        "single-source"
    );
    assert_eq!(json("us-west-2", "disk.json")["rate_confidence"], "low");
    // Unpriced: no confidence.
    let none = json("eu-west-3", "arm.json");
    assert!(none["monthly_usd"].is_null() && none["rate_confidence"].is_null());

    let text = |region: &str, format: &str| -> String {
        let out = Command::cargo_bin("ecslint")
            .unwrap()
            .current_dir(dir.path())
            .args(["cost", "arm.json", "--region", region, "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    // us-west-1 ARM: (0.03725 + 2 × 0.00409) × 730 = 33.1639 → $33.16, single source.
    let human = text("us-west-1", "human");
    assert!(human.contains("$33.16†"), "{human}");
    assert!(
        human.contains("\n† priced with a single-source rate"),
        "{human}"
    );
    assert!(!human.contains('‡'), "{human}");
    // ap-northeast-3 ARM: (0.04045 + 2 × 0.00442) × 730 = 35.9818 → $35.98, low confidence.
    let md = text("ap-northeast-3", "markdown");
    assert!(md.contains("| $35.98‡ |"), "{md}");
    assert!(md.contains("\n‡ priced with a low-confidence rate"), "{md}");
}
