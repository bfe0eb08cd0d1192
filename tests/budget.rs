//! The evaluation budget (ECS020) through the real binary: each family of small input that
//! asks an evaluator for exponential or multiplicative growth, at several sizes, must finish
//! with a located ECS020 (or a plain result when it is small), an exit code of 0 or 1 and a
//! bounded peak RSS. The wall-clock bound is a hang guard, not a speed measurement
//! (`bench/run.sh` measures speed).

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

/// Peak RSS a blow-up may reach (the bound), in KiB.
const MAX_RSS_KIB: i64 = 100 * 1024;
const HANG_GUARD: Duration = Duration::from_secs(60);

struct Run {
    code: i32,
    stdout: String,
    max_rss_kib: i64,
    elapsed: Duration,
}

/// Run `ecslint check --format json DIR` and read the child's own peak RSS from `wait4`.
fn check(dir: &Path) -> Run {
    use std::process::{Command, Stdio};
    let out = dir.join("report.json");
    let started = Instant::now();
    // Reaped below by `wait4`, which also gives this child's own peak RSS.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ecslint"))
        .arg("check")
        .arg("--format")
        .arg("json")
        .arg("--output")
        .arg(&out)
        .arg(dir.join("input"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn ecslint");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is a plain C struct for which all-zero bytes is a valid value, and
    // wait4 only writes into the two pointers we pass, which outlive the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = loop {
        // SAFETY: as above; `pid` is our own child, not yet reaped (std's `Child` is never
        // waited on here).
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break true;
        }
        if started.elapsed() > HANG_GUARD {
            let _ = child.kill();
            break false;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(waited, "{}: no exit", dir.display());
    let elapsed = started.elapsed();
    assert!(
        libc::WIFEXITED(status),
        "{}: killed by a signal (status {status})",
        dir.display()
    );
    Run {
        code: libc::WEXITSTATUS(status),
        stdout: fs::read_to_string(&out).unwrap_or_default(),
        max_rss_kib: usage.ru_maxrss,
        elapsed,
    }
}

fn write_input(dir: &Path, name: &str, text: &str) {
    fs::create_dir_all(dir.join("input")).unwrap();
    fs::write(dir.join("input").join(name), text).unwrap();
}

/// Check one generated input; `expect_budget` says whether ECS020 must be reported.
fn assert_bounded(label: &str, name: &str, text: &str, expect_budget: bool) {
    let dir = tempfile::tempdir().unwrap();
    write_input(dir.path(), name, text);
    let run = check(dir.path());
    assert!(
        run.code == 0 || run.code == 1,
        "{label}: exit {} ({})",
        run.code,
        run.stdout
    );
    assert!(
        run.max_rss_kib < MAX_RSS_KIB,
        "{label}: peak RSS {} KiB",
        run.max_rss_kib
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON report");
    let budget: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "ECS020")
        .collect();
    if expect_budget {
        assert_eq!(
            budget.len(),
            1,
            "{label}: one ECS020 expected: {}",
            run.stdout
        );
        let (line, column) = (budget[0]["line"].as_u64(), budget[0]["column"].as_u64());
        assert!(
            line.is_some_and(|l| l >= 1) && column.is_some_and(|c| c > 1),
            "{label}: ECS020 must point at the construct"
        );
    } else {
        assert!(
            budget.is_empty(),
            "{label}: unexpected ECS020: {}",
            run.stdout
        );
    }
    eprintln!(
        "{label}: exit {}, {:?}, peak RSS {} KiB, ECS020: {expect_budget}",
        run.code, run.elapsed, run.max_rss_kib
    );
}

fn doubling_list_locals(levels: usize) -> String {
    let mut s = String::from("locals {\n  l0 = [\"xxxxxxxxxxxxxxxx\"]\n");
    for i in 1..=levels {
        s.push_str(&format!("  l{i} = [local.l{p}, local.l{p}]\n", p = i - 1));
    }
    s.push_str(&format!(
        "}}\nresource \"aws_ecs_task_definition\" \"t\" {{\n  family = \"t\"\n  cpu = length(local.l{levels})\n  container_definitions = jsonencode([])\n}}\n"
    ));
    s
}

fn growing_template_locals(levels: usize) -> String {
    let mut s = String::from("locals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n");
    for i in 1..=levels {
        let p = i - 1;
        s.push_str(&format!(
            "  l{i} = \"{}\"\n",
            format!("${{local.l{p}}}").repeat(8)
        ));
    }
    s.push_str(&format!(
        "}}\nresource \"aws_ecs_task_definition\" \"t\" {{\n  family = local.l{levels}\n  container_definitions = jsonencode([])\n}}\n"
    ));
    s
}

fn nested_for(items: usize, levels: usize) -> String {
    let list: Vec<String> = (0..items).map(|i| i.to_string()).collect();
    let mut expr = "v0".to_owned();
    for l in 0..levels {
        expr = format!("[for v{l} in local.big : {expr}]");
    }
    format!(
        "locals {{\n  big = [{}]\n  n = {expr}\n}}\nresource \"aws_ecs_task_definition\" \"t\" {{\n  family = \"t\"\n  cpu = length(local.n)\n  container_definitions = jsonencode([])\n}}\n",
        list.join(",")
    )
}

fn find_in_map_yaml(levels: usize) -> String {
    let mut s = String::from("Mappings:\n  M:\n    k0:\n      v: [xxxxxxxxxxxxxxxx]\n");
    for i in 1..=levels {
        let p = i - 1;
        s.push_str(&format!(
            "    k{i}:\n      v: [!FindInMap [M, k{p}, v], !FindInMap [M, k{p}, v]]\n"
        ));
    }
    s.push_str(&format!(
        "Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: !Select [0, !FindInMap [M, k{levels}, v]]\n"
    ));
    s
}

fn find_in_map_json(levels: usize) -> String {
    let mut maps = serde_json::Map::new();
    maps.insert(
        "k0".into(),
        serde_json::json!({ "v": ["xxxxxxxxxxxxxxxx"] }),
    );
    for i in 1..=levels {
        let p = format!("k{}", i - 1);
        maps.insert(
            format!("k{i}"),
            serde_json::json!({ "v": [
                { "Fn::FindInMap": ["M", p, "v"] },
                { "Fn::FindInMap": ["M", p, "v"] }
            ] }),
        );
    }
    serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Mappings": { "M": maps },
        "Resources": { "T": { "Type": "AWS::ECS::TaskDefinition", "Properties": {
            "Family": { "Fn::Select": [0, { "Fn::FindInMap": ["M", format!("k{levels}"), "v"] }] }
        } } }
    })
    .to_string()
}

#[test]
fn terraform_locals_that_double() {
    assert_bounded(
        "list locals x10",
        "main.tf",
        &doubling_list_locals(10),
        false,
    );
    assert_bounded(
        "list locals x30",
        "main.tf",
        &doubling_list_locals(30),
        true,
    );
    assert_bounded(
        "list locals x60",
        "main.tf",
        &doubling_list_locals(60),
        true,
    );
}

#[test]
fn terraform_templates_that_grow() {
    assert_bounded(
        "templates x3",
        "main.tf",
        &growing_template_locals(3),
        false,
    );
    assert_bounded("templates x8", "main.tf", &growing_template_locals(8), true);
    assert_bounded(
        "templates x20",
        "main.tf",
        &growing_template_locals(20),
        true,
    );
}

#[test]
fn terraform_nested_for() {
    assert_bounded("for 100^2", "main.tf", &nested_for(100, 2), false);
    assert_bounded("for 2000^2", "main.tf", &nested_for(2000, 2), true);
    assert_bounded("for 5000^3", "main.tf", &nested_for(5000, 3), true);
    assert_bounded("for 50^6", "main.tf", &nested_for(50, 6), true);
}

#[test]
fn cloudformation_mappings_that_double() {
    assert_bounded("FindInMap yaml x5", "t.yaml", &find_in_map_yaml(5), false);
    assert_bounded("FindInMap yaml x30", "t.yaml", &find_in_map_yaml(30), true);
    assert_bounded("FindInMap yaml x60", "t.yaml", &find_in_map_yaml(60), true);
    assert_bounded("FindInMap json x60", "t.json", &find_in_map_json(60), true);
}

#[test]
fn resources_no_rule_reads_are_not_evaluated() {
    // The doubling mapping is used by a bucket only: nothing is resolved for it, so no budget
    // is spent and the task definition is read as usual.
    let text = find_in_map_yaml(30).replace(
        "Resources:\n",
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: !FindInMap [M, k30, v]\n",
    );
    assert_bounded("FindInMap x30 in a bucket", "t.yaml", &text, true);
    let text = text.replace(
        "      Family: !Select [0, !FindInMap [M, k30, v]]\n",
        "      Family: web\n",
    );
    assert_bounded("FindInMap x30 in a bucket only", "t.yaml", &text, false);
}

#[test]
fn cloudformation_self_references_and_conditions() {
    // A mapping value that contains itself twice: unknown (it refers to itself), no blow-up.
    let own = "Mappings:\n  M:\n    a:\n      b: [!FindInMap [M, a, b], !FindInMap [M, a, b]]\nResources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Cpu: !FindInMap [M, a, b]\n";
    assert_bounded("FindInMap self", "t.yaml", own, false);
    // Conditions that name the previous one twice: evaluated once each.
    let mut conds = String::from("Conditions:\n  C0: !Equals [a, a]\n");
    for i in 1..90 {
        conds.push_str(&format!(
            "  C{i}: !And [{{Condition: C{p}}}, {{Condition: C{p}}}]\n",
            p = i - 1
        ));
    }
    conds.push_str("Resources:\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Cpu: !If [C89, 256, 512]\n");
    assert_bounded("conditions x90", "t.yaml", &conds, false);
}

#[test]
fn the_budget_can_be_raised() {
    let dir = tempfile::tempdir().unwrap();
    write_input(dir.path(), "main.tf", &doubling_list_locals(10));
    let budget_findings = |extra: &[&str]| -> usize {
        let out = assert_cmd::Command::cargo_bin("ecslint")
            .unwrap()
            .args(["check", "--format", "json"])
            .args(extra)
            .arg(dir.path().join("input"))
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == "ECS020")
            .count()
    };
    assert_eq!(budget_findings(&["--eval-budget", "1000"]), 1);
    assert_eq!(budget_findings(&[]), 0);
    assert_eq!(
        budget_findings(&["--eval-budget", "1000", "--ignore", "ECS020"]),
        0
    );
}
