//! The real binary: exit codes, report shapes, robustness on bad input.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;

fn ecslint() -> Command {
    Command::cargo_bin("ecslint").expect("binary built")
}

fn json_report(args: &[&str]) -> (i32, Value) {
    let out = ecslint().args(args).output().unwrap();
    let code = out.status.code().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (code, report)
}

#[test]
fn exit_codes_follow_fail_on() {
    let bad = "testdata/rules/ECS101/fail.json";
    ecslint().args(["check", bad]).assert().code(1);
    ecslint()
        .args(["check", bad, "--fail-on", "never"])
        .assert()
        .code(0);
    ecslint()
        .args([
            "check",
            "testdata/rules/ECS301/fail.json",
            "--fail-on",
            "error",
        ])
        .assert()
        .code(0);
    ecslint()
        .args([
            "check",
            "testdata/rules/ECS101/pass.json",
            "--select",
            "ECS101",
        ])
        .assert()
        .code(0);
    ecslint().args(["check", "does/not/exist"]).assert().code(2);
    ecslint()
        .args(["check", ".", "--select", "ECS999"])
        .assert()
        .code(2);
    ecslint()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn json_report_schema() {
    let (code, report) = json_report(&[
        "check",
        "testdata/rules/ECS101/fail.json",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(report["schema_version"], 1);
    let findings = report["findings"].as_array().unwrap();
    let f = findings.iter().find(|f| f["rule_id"] == "ECS101").unwrap();
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "testdata/rules/ECS101/fail.json");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(6), Some(13))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(6), Some(19))
    );
    assert!(f["help"].as_str().unwrap().contains("3072"));
    assert_eq!(f["fix"]["edits"][0]["replacement"], "\"3072\"");
    assert_eq!(f["labels"][0]["line"], 5);
    let summary = &report["summary"];
    for key in [
        "files",
        "resources",
        "findings",
        "errors",
        "warnings",
        "infos",
        "elapsed_ms",
    ] {
        assert!(summary[key].is_u64(), "summary.{key}");
    }
    assert_eq!(summary["errors"], 1);
}

#[test]
fn broken_files_yield_located_parse_errors_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("broken.json"),
        "{\n  \"family\": \"x\",\n  \"containerDefinitions\": [\n    {\"name\": \"a\" \"image\": \"b\"}\n  ]\n}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("placeholder.json"),
        "{\n  \"family\": $NAME,\n  \"containerDefinitions\": []\n}\n",
    )
    .unwrap();
    fs::copy(
        "testdata/rules/ECS401/fail.json",
        dir.path().join("good.json"),
    )
    .unwrap();
    fs::write(
        dir.path().join("binary.json"),
        b"{\"containerDefinitions\": \0\0\0}",
    )
    .unwrap();
    fs::write(
        dir.path().join("latin1.json"),
        b"{\"containerDefinitions\": [\"caf\xe9\"]}",
    )
    .unwrap();
    fs::write(
        dir.path().join("unrelated.json"),
        "{\"compilerOptions\": {}}",
    )
    .unwrap();
    fs::write(dir.path().join("workflow.yml"), "on: push\njobs: {}\n").unwrap();
    let root = dir.path().to_str().unwrap();
    let (code, report) = json_report(&["check", root, "--format", "json"]);
    assert_eq!(code, 1);
    let findings = report["findings"].as_array().unwrap();
    let parse: Vec<_> = findings
        .iter()
        .filter(|f| f["rule_id"] == "ECS000")
        .collect();
    assert_eq!(parse.len(), 2, "{findings:#?}");
    let broken = parse
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("broken.json"))
        .unwrap();
    assert_eq!(
        (broken["line"].as_u64(), broken["column"].as_u64()),
        (Some(4), Some(17))
    );
    let placeholder = parse
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("placeholder.json"))
        .unwrap();
    assert_eq!(
        (placeholder["line"].as_u64(), placeholder["column"].as_u64()),
        (Some(2), Some(13))
    );
    assert!(
        findings.iter().any(|f| f["rule_id"] == "ECS401"),
        "the good file is still checked"
    );
    let notes: Vec<String> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap().to_owned())
        .collect();
    assert!(notes.iter().any(|n| n.contains("binary")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("UTF-8")), "{notes:?}");
    assert_eq!(
        report["summary"]["files"], 3,
        "unrelated JSON/YAML is skipped silently"
    );
}

#[test]
fn oversized_files_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        "testdata/rules/ECS101/fail.json",
        dir.path().join("big.json"),
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    let (code, report) = json_report(&["check", root, "--format", "json", "--max-file-size", "10"]);
    assert_eq!(code, 0);
    assert!(
        report["notes"][0]["message"]
            .as_str()
            .unwrap()
            .contains("size limit")
    );
}

/// A 1 GB file (sparse: no disk is used) is skipped by its size alone, never read.
#[test]
fn a_one_gigabyte_file_is_skipped_unread() {
    let dir = tempfile::tempdir().unwrap();
    let big = fs::File::create(dir.path().join("huge.json")).unwrap();
    big.set_len(1 << 30).unwrap();
    let (code, report) = json_report(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    let notes = report["notes"].as_array().unwrap();
    assert!(
        notes[0]["message"].as_str().unwrap().contains("size limit"),
        "{notes:?}"
    );
}

/// A FIFO in the tree is never opened (reading it would block): a note, and the rest is
/// checked.
#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// The messages of a JSON report's notes.
fn note_messages(report: &Value) -> Vec<&str> {
    report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["message"].as_str())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_fifo_is_skipped_with_a_note_and_never_blocks() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        "testdata/rules/ECS101/fail.json",
        dir.path().join("task.json"),
    )
    .unwrap();
    for name in ["pipe.json", "main.tf"] {
        mkfifo(&dir.path().join(name));
    }
    let out = ecslint()
        .args(["check", dir.path().to_str().unwrap(), "--format", "json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "the task definition's findings");
    let notes = note_messages(&report);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes.iter().all(|n| n.contains("not a regular file")));
}

/// A FIFO read through `file()` (not by the walk, which skips it) is opened without waiting for
/// a writer and refused: the module's other task definition is still checked.
#[cfg(unix)]
#[test]
fn a_fifo_read_through_file_never_blocks() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("main.tf"),
        r#"resource "aws_ecs_task_definition" "piped" {
  family                = "piped"
  container_definitions = file("${path.module}/containers.json")
}

resource "aws_ecs_task_definition" "inline" {
  family                = "inline"
  container_definitions = jsonencode([{ name = "app", image = "nginx:latest", essential = true }])
}
"#,
    )
    .unwrap();
    mkfifo(&dir.path().join("containers.json"));
    let out = ecslint()
        .args(["check", dir.path().to_str().unwrap(), "--format", "json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the inline task definition's findings"
    );
    let notes = note_messages(&report);
    assert!(
        notes.iter().any(|n| n.contains("not a regular file")),
        "{notes:?}"
    );
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["rule_id"] == "ECS401"),
        "the inline definition's `latest` image: {findings:?}"
    );
}

/// A directory tree 1,000 levels deep is walked without exhausting the stack.
#[test]
fn a_tree_one_thousand_levels_deep() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().to_path_buf();
    for _ in 0..1000 {
        deep.push("d");
    }
    // 2,000 bytes below the temporary directory: inside PATH_MAX (4,096).
    fs::create_dir_all(&deep).unwrap();
    fs::copy("testdata/rules/ECS101/fail.json", deep.join("task.json")).unwrap();
    let (code, report) = json_report(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"] == "ECS101")
    );
}

#[test]
fn hostile_json_does_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "{{\"containerDefinitions\": {}{}}}",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    fs::write(dir.path().join("deep.json"), deep).unwrap();
    let wide = format!(
        "[{}]",
        (0..50_000)
            .map(|i| format!("{{\"name\": \"c{i}\", \"image\": \"x:latest\"}}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    fs::write(dir.path().join("wide.json"), wide).unwrap();
    let (code, report) = json_report(&["check", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"] == "ECS000")
    );
}

#[test]
fn gitignore_is_honoured_unless_no_ignore() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("build")).unwrap();
    fs::copy(
        "testdata/rules/ECS401/fail.json",
        dir.path().join("build/td.json"),
    )
    .unwrap();
    fs::write(dir.path().join(".gitignore"), "build/\n").unwrap();
    let root = dir.path().to_str().unwrap();
    ecslint().args(["check", root]).assert().code(0);
    ecslint()
        .args(["check", root, "--no-ignore"])
        .assert()
        .code(1);
    // A file named explicitly is scanned whatever its name and ignore rules.
    let odd = dir.path().join("build/taskdef.txt");
    fs::copy("testdata/rules/ECS401/fail.json", &odd).unwrap();
    ecslint()
        .args(["check", odd.to_str().unwrap()])
        .assert()
        .code(1);
}

#[test]
fn rules_listing_and_pages() {
    let out = ecslint()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(rules.len() >= 3);
    for r in rules {
        for key in [
            "id",
            "name",
            "family",
            "severity",
            "formats",
            "enabled_by_default",
        ] {
            assert!(!r[key].is_null(), "{key} in {r}");
        }
    }
    let page = ecslint().args(["rule", "ECS101"]).output().unwrap();
    assert!(String::from_utf8_lossy(&page.stdout).contains("## What it checks"));
    ecslint().args(["rule", "ECS999"]).assert().code(2);
}

#[test]
fn human_output_has_no_colour_when_piped_and_ends_with_a_summary() {
    let out = ecslint()
        .args(["check", "testdata/rules/ECS101/fail.json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no ANSI escapes into a pipe");
    assert!(text.contains("error[ECS101]"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("checked 1 file, 1 resource in "))
    );
    // The adoption spec (FIX-9): the report ends with the count of fixable findings.
    assert_eq!(
        text.trim_end().lines().last().unwrap(),
        "1 fixable with `--fix`"
    );
    let coloured = ecslint()
        .args([
            "check",
            "testdata/rules/ECS101/fail.json",
            "--color",
            "always",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
}

#[test]
fn inspect_stats_json_keys() {
    let out = ecslint()
        .args(["inspect", "--stats", "--format", "json", "testdata/example"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "files",
        "task_definitions",
        "services",
        "containers",
        "task_definitions_known_cpu",
        "task_definitions_known_memory",
        "task_definitions_known_containers",
    ] {
        assert!(stats[key].is_u64(), "{key}: {stats}");
    }
}

#[test]
fn secrets_never_appear_in_any_report() {
    for fixture in [
        "testdata/rules/ECS501/fail.json",
        "testdata/rules/ECS501/fail.tf",
        "testdata/rules/ECS501/fail.yaml",
    ] {
        for format in ["human", "json", "sarif", "github", "markdown", "concise"] {
            let out = ecslint()
                .args(["check", fixture, "--format", format, "--color", "always"])
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("ECS501"), "{fixture} {format}: no finding");
            for secret in ["s3cr3t-Pa55w0rd!", "AKIAIOSFODNN7EXAMPLE"] {
                assert!(
                    !text.contains(secret),
                    "{fixture} {format} leaks the secret"
                );
            }
        }
    }
}

/// Files that vanish, shrink, grow or turn into directories while a scan runs: every run ends
/// with a report (exit 0 or 1), never a panic or a hang. The churn races the scan, so each run
/// sees a different mix; what must hold holds for all of them.
#[test]
fn files_changing_or_vanishing_during_the_scan() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let fixtures = [
        ("task.json", "testdata/rules/ECS401/fail.json"),
        ("stack.yaml", "testdata/rules/ECS401/fail.yaml"),
        ("main.tf", "testdata/terraform/files/module/main.tf"),
        (
            "containers.json",
            "testdata/terraform/files/module/containers.json",
        ),
        (
            "containers.json.tpl",
            "testdata/terraform/files/module/containers.json.tpl",
        ),
    ];
    let texts: Vec<(String, String)> = fixtures
        .iter()
        .map(|(name, from)| (name.to_string(), fs::read_to_string(from).unwrap()))
        .collect();
    let units = 60;
    for u in 0..units {
        let d = dir.path().join(format!("u{u}"));
        fs::create_dir_all(&d).unwrap();
        for (name, text) in &texts {
            fs::write(d.join(name), text).unwrap();
        }
    }
    let stop = AtomicBool::new(false);
    let outputs = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut round = 0usize;
            while !stop.load(Ordering::Relaxed) {
                for u in 0..units {
                    let d = dir.path().join(format!("u{u}"));
                    let (name, text) = &texts[(u + round) % texts.len()];
                    let path = d.join(name);
                    // Errors are expected: the scan and this loop race on purpose.
                    let _ = match (u + round) % 5 {
                        0 => fs::remove_file(&path),
                        1 => fs::write(&path, &text[..text.len() / 3]),
                        2 => fs::write(&path, format!("{text}\n{text}")),
                        3 => fs::remove_file(&path).and_then(|()| fs::create_dir(&path)),
                        _ => fs::remove_dir(&path).and_then(|()| fs::write(&path, text)),
                    };
                    if u % 7 == round % 7 {
                        let moved = dir.path().join(format!("moved{u}"));
                        let _ = fs::rename(&d, &moved).and_then(|()| fs::rename(&moved, &d));
                    }
                }
                round += 1;
            }
        });
        // Asserted once the churn has stopped: a failed assertion inside the scope would wait
        // for the churn thread forever.
        let outputs: Vec<(&str, std::io::Result<std::process::Output>)> = (0..12)
            .map(|run| {
                let format = ["json", "sarif", "human", "concise"][run % 4];
                let out = ecslint()
                    .args(["check", dir.path().to_str().unwrap(), "--format", format])
                    .timeout(std::time::Duration::from_secs(120))
                    .output();
                (format, out)
            })
            .collect();
        stop.store(true, Ordering::Relaxed);
        outputs
    });
    for (run, (format, out)) in outputs.into_iter().enumerate() {
        let out = out.unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "run {run} ({format}): {:?}\n{stderr}",
            out.status
        );
        assert!(!stderr.contains("panicked"), "run {run}: {stderr}");
        if format == "json" || format == "sarif" {
            let _: Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("run {run} ({format}): {e}\n{stderr}"));
        }
    }
}
