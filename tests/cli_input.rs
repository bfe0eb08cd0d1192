//! A CLI that never fails silently (issue 9, part 5), through the real binary: standard input,
//! one identity per file, rule names and sizes, statistics and the concise format, docs links.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn ecslint() -> Command {
    let mut c = Command::cargo_bin("ecslint").expect("binary built");
    c.env_remove("ECSLINT_TODAY").env("NO_COLOR", "1");
    c
}

/// Write `files` (path, content) under a fresh directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (p, text) in files {
        let path = dir.path().join(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Out {
    let mut c = ecslint();
    c.current_dir(dir).args(args);
    if let Some(text) = stdin {
        c.write_stdin(text.to_string());
    }
    let out = c.output().unwrap();
    Out {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `RULE file:line` for each finding of a JSON report.
fn findings(stdout: &str) -> Vec<String> {
    let report: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule_id"].as_str().unwrap(),
                f["file"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect()
}

const TASKDEF: &str = r#"{
  "family": "worker",
  "containerDefinitions": [
    {"name": "app", "image": "nginx:latest", "essential": true},
    {"name": "sidecar", "image": "redis:latest", "essential": false}
  ]
}
"#;

const CFN_YAML: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: nginx:latest
          Essential: true
";

const TF: &str = r#"resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = jsonencode([{ name = "web", image = "nginx:latest", essential = true }])
}
"#;

// ---------------------------------------------------------------- standard input

#[test]
fn cli_stdin_with_and_without_a_filename() {
    let d = tree(&[]);
    // Sniffed from the content, reported as `<stdin>`.
    let o = run(
        d.path(),
        &["check", "-", "--select", "ECS401", "--format", "json"],
        Some(TASKDEF),
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        findings(&o.stdout),
        ["ECS401 <stdin>:4", "ECS401 <stdin>:5"]
    );
    // Named: reported under the name, sniffed as a file of that name would be.
    for (name, text, want) in [
        ("deploy/task.json", TASKDEF, vec![4, 5]),
        ("template.yaml", CFN_YAML, vec![8]),
        ("infra/main.tf", TF, vec![3]),
    ] {
        let o = run(
            d.path(),
            &[
                "check",
                "-",
                "--stdin-filename",
                name,
                "--select",
                "ECS401",
                "--format",
                "json",
            ],
            Some(text),
        );
        let want: Vec<String> = want.iter().map(|l| format!("ECS401 {name}:{l}")).collect();
        assert_eq!(findings(&o.stdout), want, "{name}: {}", o.stderr);
    }
    // A `.tf` name reads HCL even when the content would sniff as something else.
    let o = run(
        d.path(),
        &["check", "-", "--stdin-filename", "x.tf", "--format", "json"],
        Some("resource \"a\" {\n"),
    );
    assert_eq!(o.code, 1);
    assert!(
        findings(&o.stdout)[0].starts_with("ECS000 x.tf:"),
        "{}",
        o.stdout
    );
    // SARIF and human name the file too.
    let o = run(
        d.path(),
        &[
            "check",
            "-",
            "--stdin-filename",
            "task.json",
            "--format",
            "sarif",
        ],
        Some(TASKDEF),
    );
    let sarif: Value = serde_json::from_str(&o.stdout).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "task.json");
    let o = run(d.path(), &["check", "-"], Some(TASKDEF));
    assert!(o.stdout.contains("<stdin>:4:"), "{}", o.stdout);
    assert!(o.stdout.contains("checked 1 file"), "{}", o.stdout);
    // Empty input is no input: the usual warning, exit 0.
    let o = run(d.path(), &["check", "-"], Some(""));
    assert_eq!(o.code, 0);
    assert!(
        o.stderr.contains("warning: no ECS input found"),
        "{}",
        o.stderr
    );
}

#[test]
fn cli_stdin_usage_errors() {
    let d = tree(&[("a.json", TASKDEF)]);
    let o = run(d.path(), &["check", "-", "a.json"], Some(TASKDEF));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("`-`"), "{}", o.stderr);
    let o = run(d.path(), &["check", "-", "--fix"], Some(TASKDEF));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("standard input"), "{}", o.stderr);
    let o = run(
        d.path(),
        &["check", "a.json", "--stdin-filename", "x.json"],
        None,
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--stdin-filename"), "{}", o.stderr);
}

#[test]
fn cli_stdin_for_inspect_and_cost() {
    let d = tree(&[]);
    let o = run(
        d.path(),
        &["inspect", "-", "--stdin-filename", "t.json"],
        Some(TASKDEF),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("\"t.json\""), "{}", o.stdout);
    let o = run(d.path(), &["cost", "-"], Some(TASKDEF));
    assert_eq!(o.code, 0, "{}", o.stderr);
}

// ---------------------------------------------------------------- one file, one identity

#[test]
fn cli_one_file_one_identity_through_file_in_40_modules() {
    let shared = r#"[{"name": "app", "image": "nginx:latest", "essential": true}]"#;
    let mut files: Vec<(String, String)> = vec![("shared/x.json".into(), shared.into())];
    for i in 1..=40 {
        files.push((
            format!("m{i}/main.tf"),
            format!(
                r#"resource "aws_ecs_task_definition" "t" {{
  family                = "t{i}"
  container_definitions = file("../shared/x.json")
}}
"#
            ),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let d = tree(&refs);
    for args in [
        vec!["check", ".", "--select", "ECS401", "--format", "json"],
        vec![
            "check",
            "./m1",
            "./m2/",
            "shared/../shared/x.json",
            "--select",
            "ECS401",
            "--format",
            "json",
        ],
    ] {
        let o = run(d.path(), &args, None);
        assert_eq!(
            findings(&o.stdout),
            ["ECS401 shared/x.json:1"],
            "{args:?}: {}",
            o.stderr
        );
    }
    // Scanning one module only: the shared file is outside the scan root, never read.
    let o = run(
        d.path(),
        &["check", "m1", "--select", "ECS401", "--format", "json"],
        None,
    );
    assert!(findings(&o.stdout).is_empty(), "{}", o.stdout);
    assert!(o.stdout.contains("outside the scan root"), "{}", o.stdout);
}
