//! GitHub's limit of 25,000 results per SARIF run through the real binary: the most severe
//! results are kept, the run says what was left out (an invocation notification) and so does
//! stderr; `--sarif-max-results 0` lifts the limit; the cap never changes a kept result's
//! fingerprint.

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Command;

/// A directory of `files` task definitions of 1,000 containers each: every container has three
/// findings (ECS104, an error; ECS301 and ECS401, warnings) and every file one more (ECS105, an
/// error).
fn input(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let containers: Vec<String> = (0..1000)
        .map(|i| {
            format!("{{\"name\": \"c{i}\", \"image\": \"nginx:latest\", \"essential\": true}}")
        })
        .collect();
    let text = format!(
        "{{\"family\": \"f\", \"containerDefinitions\": [\n{}\n]}}\n",
        containers.join(",\n")
    );
    fs::create_dir(dir.path().join("input")).unwrap();
    for i in 0..files {
        fs::write(dir.path().join(format!("input/td{i:03}.json")), &text).unwrap();
    }
    dir
}

struct Run {
    code: i32,
    stderr: String,
}

/// `ecslint check input --format sarif --output report.sarif EXTRA` in `dir`.
fn sarif(dir: &Path, extra: &[&str]) -> Run {
    let out = Command::new(assert_cmd::cargo::cargo_bin("ecslint"))
        .current_dir(dir)
        .args(["check", "input", "--format", "sarif", "--fail-on", "never"])
        .args(["--output", "report.sarif"])
        .args(extra)
        .output()
        .expect("run ecslint");
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn report(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(dir.join("report.sarif")).unwrap()).unwrap()
}

#[test]
fn sarif_keeps_githubs_limit_most_severe_first_and_says_so() {
    // 10 files: 30,010 results, 10,010 of them errors.
    let dir = input(10);
    let run = sarif(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: SARIF result limit: 5010 of 30010 results were left out"),
        "{}",
        run.stderr
    );
    let doc = report(dir.path());
    let run0 = &doc["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 25_000);
    let count = |level: &str| results.iter().filter(|r| r["level"] == level).count();
    assert_eq!(count("error"), 10_010, "every error is kept");
    assert_eq!(count("warning"), 14_990);
    let notification = &run0["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(run0["invocations"][0]["executionSuccessful"], true);
    assert_eq!(notification["level"], "warning");
    let text = notification["message"]["text"].as_str().unwrap();
    assert!(
        text.contains("5010 of 30010 results were left out")
            && text.contains("0 errors, 5010 warnings, 0 notes"),
        "{text}"
    );
    // Kept results keep the fingerprints they have without the cap.
    let capped: Vec<Value> = results
        .iter()
        .map(|r| r["partialFingerprints"].clone())
        .collect();
    let uncapped = sarif(dir.path(), &["--sarif-max-results", "0"]);
    assert_eq!(uncapped.code, 0);
    assert!(!uncapped.stderr.contains("SARIF result limit"));
    let doc = report(dir.path());
    assert!(doc["runs"][0].get("invocations").is_none());
    let all: std::collections::HashSet<String> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"].to_string())
        .collect();
    assert_eq!(all.len(), 30_010);
    assert!(capped.iter().all(|f| all.contains(&f.to_string())));
}
