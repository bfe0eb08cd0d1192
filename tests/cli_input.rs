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
fn cli_stdin_is_the_named_file_and_its_directory_the_root() {
    // The name's directory is the scan root: `file()` reads a sibling; standard input, not the
    // file on disk under that name, is what is checked.
    let d = tree(&[
        (
            "infra/containers.json",
            r#"[{"name": "a", "image": "nginx:latest", "essential": true}]"#,
        ),
        ("infra/main.tf", "# on disk: nothing\n"),
        (
            "secret/x.json",
            r#"[{"name": "a", "image": "redis:latest", "essential": true}]"#,
        ),
    ]);
    let tf = r#"resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = file("containers.json")
}
resource "aws_ecs_task_definition" "out" {
  family                = "out"
  container_definitions = file("../secret/x.json")
}
"#;
    let o = run(
        d.path(),
        &[
            "check",
            "-",
            "--stdin-filename",
            "infra/main.tf",
            "--select",
            "ECS401",
            "--format",
            "json",
        ],
        Some(tf),
    );
    assert_eq!(
        findings(&o.stdout),
        ["ECS401 infra/containers.json:1"],
        "{}",
        o.stderr
    );
    assert!(o.stdout.contains("outside the scan root"), "{}", o.stdout);
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

// ---------------------------------------------------------------- formats and statistics

#[test]
fn cli_concise_format_one_line_per_finding() {
    let d = tree(&[("a.json", TASKDEF), ("t.yaml", CFN_YAML)]);
    let o = run(
        d.path(),
        &["check", ".", "--select", "ECS401", "--format", "concise"],
        None,
    );
    assert_eq!(o.code, 1);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "a.json:4:30: ECS401 [warning] image `nginx:latest` uses the `latest` tag",
            "a.json:5:34: ECS401 [warning] image `redis:latest` uses the `latest` tag",
            "t.yaml:8:18: ECS401 [warning] image `nginx:latest` uses the `latest` tag",
        ],
        "{}",
        o.stdout
    );
    assert!(lines[3].starts_with("checked 2 files"), "{}", o.stdout);
    // Fixable findings carry ruff's marker after the severity.
    let d = tree(&[(
        "p.json",
        r#"{"family": "p", "networkMode": "awsvpc", "containerDefinitions": [{"name": "a", "image": "nginx:1.27", "essential": true, "portMappings": [{"containerPort": 8080, "hostPort": 80}]}]}"#,
    )]);
    let o = run(
        d.path(),
        &[
            "check", "p.json", "--select", "ECS202", "--format", "concise",
        ],
        None,
    );
    assert!(
        o.stdout.contains("p.json:1:")
            && o.stdout.contains(": ECS202 [error] [*] with network mode"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.ends_with("1 fixable with `--fix`\n"),
        "{}",
        o.stdout
    );
}

#[test]
fn cli_statistics_counts_per_rule() {
    let d = tree(&[
        ("a.json", TASKDEF),
        ("t.yaml", CFN_YAML),
        ("b.json", TASKDEF),
    ]);
    let o = run(
        d.path(),
        &["check", ".", "--select", "ECS401,ECS301", "--statistics"],
        None,
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        o.stdout,
        "5  ECS301  [warning]  container-without-logging\n\
         5  ECS401  [warning]  image-latest-tag\n\
         10 findings from 2 rules\n",
    );
    let o = run(
        d.path(),
        &[
            "check",
            ".",
            "--select",
            "ECS401",
            "--statistics",
            "--format",
            "json",
        ],
        None,
    );
    let stats: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(stats[0]["rule_id"], "ECS401");
    assert_eq!(stats[0]["name"], "image-latest-tag");
    assert_eq!(stats[0]["count"], 5);
    assert_eq!(stats.as_array().unwrap().len(), 1);
    let o = run(
        d.path(),
        &["check", ".", "--statistics", "--format", "sarif"],
        None,
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--statistics"), "{}", o.stderr);
}

#[test]
fn cli_human_diagnostics_link_their_page() {
    let d = tree(&[
        ("a.json", TASKDEF),
        ("bad.json", "{\"containerDefinitions\": [,]}"),
    ]);
    let o = run(d.path(), &["check", ".", "--select", "ECS401"], None);
    assert!(
        o.stdout
            .contains("= docs: https://github.com/ecslint/ecslint/blob/main/rules/ECS401.md"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("= docs: https://github.com/ecslint/ecslint/blob/main/rules/ECS000.md"),
        "{}",
        o.stdout
    );
    // Every page a link names exists.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for line in o
        .stdout
        .lines()
        .filter_map(|l| l.split("/blob/main/").nth(1))
    {
        assert!(root.join(line).is_file(), "{line}");
    }
    // ECS000 has its page, by id or by name; it is no selector.
    let o = run(d.path(), &["rule", "ECS000"], None);
    assert!(
        o.stdout.starts_with("---\nid: ECS000\nname: parse-error"),
        "{}",
        o.stdout
    );
    let o = run(d.path(), &["rule", "parse-error"], None);
    assert!(o.stdout.starts_with("---\nid: ECS000"), "{}", o.stdout);
    let o = run(d.path(), &["check", ".", "--ignore", "ECS000"], None);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("always reported"), "{}", o.stderr);
}

// ---------------------------------------------------------------- rule names and sizes

#[test]
fn cli_rule_names_everywhere_and_did_you_mean() {
    let d = tree(&[("a.json", TASKDEF)]);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "a.json", "--format", "json"];
        all.extend_from_slice(args);
        findings(&run(d.path(), &all, None).stdout)
            .into_iter()
            .map(|f| f.split(' ').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids(&[
            "--select",
            "image-latest-tag,container-without-logging",
            "--ignore",
            "container-without-logging"
        ]),
        ["ECS401", "ECS401"]
    );
    assert_eq!(
        ids(&[
            "--select",
            "ECS401",
            "--extend-select",
            "container-without-logging"
        ])
        .len(),
        4
    );
    for (typo, want) in [
        (
            "image-latest-tags",
            "did you mean `image-latest-tag` (ECS401)?",
        ),
        ("ECS41", "did you mean `ECS401` (image-latest-tag)?"),
        ("sizng", "did you mean `sizing` (family)?"),
    ] {
        let o = run(d.path(), &["check", "a.json", "--ignore", typo], None);
        assert_eq!(o.code, 2, "{typo}");
        assert!(o.stderr.contains(want), "{typo}: {}", o.stderr);
    }
    let o = run(d.path(), &["rule", "image-latest-tags"], None);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("did you mean `image-latest-tag` (ECS401)?"),
        "{}",
        o.stderr
    );
}

#[test]
fn cli_max_file_size_units_decimal_and_binary() {
    // 1,010 bytes: over 1kB (1,000, decimal) and under 1KiB (1,024, binary).
    let pad = " ".repeat(1010 - TASKDEF.len());
    let text = format!("{TASKDEF}{pad}");
    assert_eq!(text.len(), 1010);
    let d = tree(&[("a.json", &text)]);
    for (size, skipped) in [
        ("1kB", true),
        ("1KB", true),
        ("1k", true),
        ("1000", true),
        ("1KiB", false),
        ("1024", false),
        ("0.001MB", true),
        ("0.01MiB", false),
    ] {
        let o = run(
            d.path(),
            &[
                "check",
                ".",
                "--select",
                "ECS401",
                "--format",
                "json",
                "--max-file-size",
                size,
            ],
            None,
        );
        assert_eq!(
            o.stdout.contains("over the size limit"),
            skipped,
            "{size}: {}",
            o.stdout
        );
    }
    let o = run(d.path(), &["check", ".", "--max-file-size", "10XB"], None);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unknown unit"), "{}", o.stderr);
}

// ---------------------------------------------------------------- cost

const SERVICES_TF: &str = r#"variable "cpu" {
  type = number
}

resource "aws_ecs_task_definition" "ok" {
  family                   = "ok"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions    = jsonencode([{ name = "a", image = "nginx:1.27", essential = true }])
}

resource "aws_ecs_task_definition" "unknown" {
  family                   = "unknown"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = 512
  container_definitions    = jsonencode([{ name = "a", image = "nginx:1.27", essential = true }])
}

resource "aws_ecs_service" "priced" {
  name            = "priced"
  launch_type     = "FARGATE"
  desired_count   = 2
  task_definition = aws_ecs_task_definition.ok.arn
}

resource "aws_ecs_service" "ec2_a" {
  name            = "ec2-a"
  launch_type     = "EC2"
  desired_count   = 2
  task_definition = aws_ecs_task_definition.ok.arn
}

resource "aws_ecs_service" "ec2_b" {
  name            = "ec2-b"
  launch_type     = "EC2"
  desired_count   = 1
  task_definition = aws_ecs_task_definition.ok.arn
}

resource "aws_ecs_service" "sized" {
  name            = "sized"
  launch_type     = "FARGATE"
  desired_count   = 1
  task_definition = aws_ecs_task_definition.unknown.arn
}
"#;

#[test]
fn cost_totals_count_unpriced_services_and_hours_follow_the_table() {
    let d = tree(&[
        ("main.tf", SERVICES_TF),
        (
            "pricing.json",
            r#"{"as_of": "2027-01-01", "hours_per_month": 720, "regions": {"us-east-1": {"linux_x86": {"vcpu_hour": 0.1, "gb_hour": 0.01}}}}"#,
        ),
    ]);
    let o = run(d.path(), &["cost", ".", "--pricing", "pricing.json"], None);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // (0.25 × 0.1 + 0.5 × 0.01) × 2 tasks × 720 h = 0.03 × 2 × 720 = 43.20
    assert!(
        o.stdout.contains(
            "total for 1 of 4 services: $43.20 per month (720 h; prices as of 2027-01-01;"
        ),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains(
            "3 services not priced: EC2 launch type 2, size unknown 1 (see the note column)"
        ),
        "{}",
        o.stdout
    );
    let o = run(
        d.path(),
        &["cost", ".", "--pricing", "pricing.json", "--format", "json"],
        None,
    );
    let report: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(report["hours_per_month"], 720.0);
    assert_eq!(report["services"], 4);
    assert_eq!(report["services_not_priced"], 3);
    assert_eq!(
        report["not_priced"],
        serde_json::json!({"ec2": 2, "size_unknown": 1})
    );
    assert_eq!(
        (report["total_monthly_usd"].as_f64().unwrap() * 100.0).round(),
        4320.0
    );
    let unpriced: Vec<&str> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["unpriced"].as_str())
        .collect();
    assert_eq!(unpriced, ["ec2", "ec2", "size_unknown"]);
    // The embedded table's 730 h in the footer, and nothing priced is not "$0.00".
    let d = tree(&[(
        "main.tf",
        &SERVICES_TF.replace(
            "\"FARGATE\"\n  desired_count   = 2",
            "\"EC2\"\n  desired_count   = 2",
        ),
    )]);
    let o = run(d.path(), &["cost", "."], None);
    assert!(
        o.stdout.contains("total for services: not priced (730 h;"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("4 services not priced: EC2 launch type 3, size unknown 1"),
        "{}",
        o.stdout
    );
}
