//! The third-party corpus in `../shared/corpus` (see its SOURCES.md), found through
//! `ECSLINT_CORPUS`, which `.ci/run` sets. Without it at build time these tests are compiled as
//! ignored (build.rs), so `cargo test` lists them as ignored, never as passed; with it set to a
//! missing directory they fail.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

/// The corpus directory. The tests that call this are compiled as ignored unless `ECSLINT_CORPUS`
/// was set at build time (build.rs), so reaching here without it is an error, never a skip.
fn corpus() -> PathBuf {
    let p = PathBuf::from(
        std::env::var_os("ECSLINT_CORPUS").expect("ECSLINT_CORPUS (.ci/run sets it)"),
    );
    assert!(
        p.is_dir(),
        "ECSLINT_CORPUS={} is not a directory",
        p.display()
    );
    p
}

fn ecslint(corpus: &PathBuf) -> Command {
    let mut cmd = Command::cargo_bin("ecslint").unwrap();
    cmd.current_dir(corpus);
    cmd
}

#[test]
#[cfg_attr(not(ecslint_corpus), ignore = "needs ECSLINT_CORPUS (.ci/run sets it)")]
fn corpus_check_finishes_and_locates_the_broken_files() {
    let corpus = corpus();
    let out = ecslint(&corpus)
        .args(["check", ".", "--format", "json"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let code = out.status.code().expect("not killed by a signal");
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // No real input comes near the evaluation budget.
    let over_budget: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "ECS020")
        .collect();
    assert!(over_budget.is_empty(), "{over_budget:#?}");
    let parse_errors: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "ECS000")
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    // The deliberately broken inputs: a missing comma and three `$NAME` placeholders.
    for expected in [
        (
            "amazon-ecs-firelens-examples/examples/fluent-bit/dynatrace/task-definition.json",
            33,
            32,
        ),
        (
            "aws-app-mesh-examples/examples/apps/colorapp/ecs/colorgateway-base-task-def.json",
            2,
            13,
        ),
        (
            "aws-app-mesh-examples/examples/apps/colorapp/ecs/colorteller-base-task-def.json",
            2,
            13,
        ),
        (
            "aws-app-mesh-examples/walkthroughs/fargate/fargate-colorteller-task-def.json",
            2,
            13,
        ),
    ] {
        assert!(
            parse_errors
                .iter()
                .any(|(f, l, c)| f == expected.0 && (*l, *c) == (expected.1, expected.2)),
            "missing ECS000 at {expected:?}; got {parse_errors:#?}"
        );
    }
}

#[test]
#[cfg_attr(not(ecslint_corpus), ignore = "needs ECSLINT_CORPUS (.ci/run sets it)")]
fn corpus_coverage() {
    let corpus = corpus();
    let out = ecslint(&corpus)
        .args(["inspect", "--stats", "--format", "json", "."])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    eprintln!("{stats:#}");
    let n = |k: &str| stats[k].as_u64().unwrap();
    assert!(
        n("task_definitions") >= 340,
        "task definitions: {}",
        n("task_definitions")
    );
    assert!(n("services") >= 255, "services: {}", n("services"));
    assert!(
        n("task_definitions_known_containers") * 10 >= n("task_definitions") * 9,
        "known container lists: {} of {}",
        n("task_definitions_known_containers"),
        n("task_definitions")
    );
}

#[test]
#[cfg_attr(not(ecslint_corpus), ignore = "needs ECSLINT_CORPUS (.ci/run sets it)")]
fn corpus_cost_runs_and_prices_services() {
    let corpus = corpus();
    let out = ecslint(&corpus)
        .args(["cost", ".", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let services: Vec<&Value> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "service")
        .collect();
    let priced = services
        .iter()
        .filter(|r| r["monthly_usd"].is_number())
        .count();
    eprintln!("services: {}, priced: {priced}", services.len());
    assert!(priced >= 140, "priced {priced} of {}", services.len());
    // Every unpriced line says why.
    assert!(
        services
            .iter()
            .all(|r| r["monthly_usd"].is_number() || r["note"].is_string())
    );
}
