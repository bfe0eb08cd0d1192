//! Adoption features through the real binary: `.ecslint.toml` (CFG-*), inline and config
//! suppressions (SUP-*), baseline (BL-*) and fixes (FIX-*), as numbered in the adoption spec.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;

fn ecslint() -> Command {
    let mut c = Command::cargo_bin("ecslint").expect("binary built");
    c.env_remove("ECSLINT_TODAY");
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

struct Run {
    code: i32,
    report: Value,
    stderr: String,
}

impl Run {
    /// `RULE file:line` for each reported finding.
    fn findings(&self) -> Vec<String> {
        self.report["findings"]
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

    fn rules(&self) -> Vec<String> {
        self.report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect()
    }

    fn suppressed(&self) -> Vec<String> {
        self.report["suppressed"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        format!(
                            "{} {}:{} {}",
                            s["rule"].as_str().unwrap(),
                            s["path"].as_str().unwrap(),
                            s["line"],
                            s["kind"].as_str().unwrap()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = ecslint()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    Run {
        code: out.status.code().unwrap(),
        report,
        stderr,
    }
}

const TASKDEF: &str = r#"{
  "family": "worker",
  "containerDefinitions": [
    {"name": "app", "image": "nginx:latest", "essential": true},
    {"name": "sidecar", "image": "redis:latest", "essential": false}
  ]
}
"#;

const TASKDEF_SWAPPED: &str = r#"{
  "family": "worker",
  "containerDefinitions": [
    {"name": "sidecar", "image": "redis:latest", "essential": false},
    {"name": "app", "image": "nginx:latest", "essential": true}
  ]
}
"#;

/// Terraform with ECS101 on line 6 and ECS401 on lines 11 and 16.
fn tf(memory_comment: &str, above_containers: &str) -> String {
    format!(
        r#"resource "aws_ecs_task_definition" "app" {{
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 3000 {memory_comment}
  {above_containers}
  container_definitions = jsonencode([
    {{
      name      = "web"
      image     = "nginx:latest"
      essential = true
    }},
    {{
      name      = "side"
      image     = "redis:latest"
      essential = false
    }}
  ])
}}

resource "aws_ecs_task_definition" "other" {{
  family                   = "other"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 3000
  container_definitions = jsonencode([{{ name = "x", image = "nginx:latest", essential = true }}])
}}
"#
    )
}

const SEL: &[&str] = &["--select", "ECS101,ECS401,suppression"];

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v: Vec<&str> = vec!["."];
    v.extend_from_slice(SEL);
    v.extend_from_slice(extra);
    v
}

// ---------------------------------------------------------------- configuration

#[test]
fn cfg_01_nearest_ancestor_and_extend() {
    let d = tree(&[
        (".ecslint.toml", "[check]\nignore = [\"ECS401\"]\n"),
        ("a/.ecslint.toml", ""),
        ("a/x.json", TASKDEF),
        ("b/x.json", TASKDEF),
    ]);
    let r = run_in(d.path(), &["."]);
    let f = r.findings();
    assert!(f.iter().any(|f| f.starts_with("ECS401 a/x.json")), "{f:?}");
    assert!(!f.iter().any(|f| f.starts_with("ECS401 b/")), "{f:?}");
    fs::write(
        d.path().join("a/.ecslint.toml"),
        "extend = \"../.ecslint.toml\"\n",
    )
    .unwrap();
    let r = run_in(d.path(), &["."]);
    assert!(
        !r.rules().contains(&"ECS401".to_string()),
        "{:?}",
        r.findings()
    );
}

#[test]
fn cfg_02_dot_file_wins_and_verbose_names_it() {
    let d = tree(&[
        (".ecslint.toml", "[check]\nignore = [\"ECS401\"]\n"),
        ("ecslint.toml", "[check]\nignore = [\"ECS301\"]\n"),
        ("x.json", TASKDEF),
    ]);
    let r = run_in(d.path(), &[".", "-v"]);
    assert!(!r.rules().contains(&"ECS401".to_string()));
    assert!(r.rules().contains(&"ECS301".to_string()));
    assert!(
        r.stderr.contains("config: x.json uses .ecslint.toml"),
        "{}",
        r.stderr
    );
}

#[test]
fn cfg_03_relative_paths_resolve_from_the_config_file() {
    let d = tree(&[
        (
            "repo/.ecslint.toml",
            "[check]\nexclude = [\"legacy/**\"]\n[per-file-ignores]\n\"svc/*.json\" = [\"ECS301\"]\n[[suppress]]\npath = \"svc/x.json\"\nrule = \"ECS401\"\nreason = \"pinned\"\n",
        ),
        ("repo/legacy/x.json", TASKDEF),
        ("repo/svc/x.json", TASKDEF),
    ]);
    let a = ecslint()
        .current_dir(d.path())
        .args(["check", "repo", "--format", "json"])
        .output()
        .unwrap();
    let b = ecslint()
        .current_dir(d.path().join("repo/svc"))
        .args(["check", "../../repo", "--format", "json"])
        .output()
        .unwrap();
    let strip = |o: &std::process::Output| {
        let mut v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v["summary"]["elapsed_ms"] = Value::Null;
        // Paths are shown as given; compare them relative to the repository.
        serde_json::to_string(&v)
            .unwrap()
            .replace("../../repo/", "repo/")
    };
    assert_eq!(strip(&a), strip(&b));
    let v: Value = serde_json::from_slice(&a.stdout).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(
        !rules.contains(&"ECS301") && !rules.contains(&"ECS401"),
        "{rules:?}"
    );
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["file"].as_str().unwrap().contains("legacy")),
        "excluded"
    );
}

#[test]
fn cfg_04_a_module_uses_the_config_of_its_directory() {
    let d = tree(&[
        ("mod/.ecslint.toml", "[check]\nignore = [\"ECS401\"]\n"),
        ("mod/main.tf", &tf("", "")),
        // A config in a subdirectory without .tf files does not split the module.
        (
            "mod/files/.ecslint.toml",
            "[check]\nselect = [\"ECS401\"]\n",
        ),
        ("mod/files/readme.txt", "x"),
    ]);
    let r = run_in(d.path(), &["mod"]);
    assert!(
        !r.rules().contains(&"ECS401".to_string()),
        "{:?}",
        r.findings()
    );
    assert!(r.rules().contains(&"ECS101".to_string()));
}

#[test]
fn cfg_05_cli_overrides() {
    let d = tree(&[
        (
            ".ecslint.toml",
            "[check]\nselect = [\"ECS401\"]\nfail-on = \"never\"\n",
        ),
        ("x.json", TASKDEF),
        ("other.toml", "[check]\nselect = [\"ECS301\"]\n"),
    ]);
    // The config's select and fail-on apply.
    let r = run_in(d.path(), &["."]);
    assert_eq!(r.code, 0);
    assert!(r.rules().iter().all(|r| r == "ECS401"), "{:?}", r.rules());
    // --select replaces the config's list.
    let r = run_in(d.path(), &[".", "--select", "ECS301"]);
    assert!(r.rules().iter().all(|r| r == "ECS301") && !r.rules().is_empty());
    // --extend-select adds to it.
    let r = run_in(d.path(), &[".", "--extend-select", "ECS301"]);
    assert!(r.rules().contains(&"ECS301".into()) && r.rules().contains(&"ECS401".into()));
    // --extend-ignore removes from it.
    let r = run_in(d.path(), &[".", "--extend-ignore", "ECS401"]);
    assert!(r.rules().is_empty(), "{:?}", r.rules());
    // --ignore replaces the (empty) ignore list.
    let r = run_in(d.path(), &[".", "--ignore", "ECS401"]);
    assert!(r.rules().is_empty());
    // --fail-on overrides.
    let r = run_in(d.path(), &[".", "--fail-on", "warning"]);
    assert_eq!(r.code, 1);
    // --config bypasses discovery; --isolated ignores every config.
    let r = run_in(d.path(), &[".", "--config", "other.toml"]);
    assert!(r.rules().iter().all(|r| r == "ECS301") && !r.rules().is_empty());
    let r = run_in(d.path(), &[".", "--isolated"]);
    assert!(r.rules().contains(&"ECS301".into()) && r.rules().contains(&"ECS401".into()));
    assert_eq!(r.code, 1);
}

#[test]
fn cfg_05_region_and_var_files_from_config() {
    let d = tree(&[
        (
            ".ecslint.toml",
            "[check]\nvar-files = [\"envs/prod.tfvars\"]\n",
        ),
        ("envs/prod.tfvars", "mem = 3000\n"),
        (
            "mod/main.tf",
            "variable \"mem\" { default = 2048 }\nresource \"aws_ecs_task_definition\" \"a\" {\n  family = \"a\"\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode = \"awsvpc\"\n  cpu = 1024\n  memory = var.mem\n  container_definitions = jsonencode([{ name = \"x\", image = \"nginx:1.27\", essential = true }])\n}\n",
        ),
    ]);
    let r = run_in(d.path(), &["mod", "--select", "ECS101"]);
    assert_eq!(r.rules(), ["ECS101"], "var-files from the config");
    let r = run_in(d.path(), &["mod", "--select", "ECS101", "--isolated"]);
    assert!(r.rules().is_empty());
}

#[test]
fn cfg_06_severity_overrides() {
    let d = tree(&[
        (".ecslint.toml", "[severity]\nECS401 = \"info\"\n"),
        ("x.json", TASKDEF),
    ]);
    let r = run_in(d.path(), &[".", "--select", "ECS401"]);
    let sev: Vec<&str> = r.report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(sev, ["info", "info"]);
    assert_eq!(r.code, 0, "below fail-on warning now");
    let sarif = ecslint()
        .current_dir(d.path())
        .args(["check", ".", "--select", "ECS401", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "note");
    fs::write(
        d.path().join(".ecslint.toml"),
        "[severity]\nECS401 = \"info\"\nECS999 = \"error\"\n",
    )
    .unwrap();
    let r = run_in(d.path(), &["."]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(".ecslint.toml:3:1:") && r.stderr.contains("ECS999"),
        "{}",
        r.stderr
    );
}

#[test]
fn cfg_07_unknown_keys_wrong_types_invalid_toml_exit_2() {
    for (text, at, word) in [
        ("[check]\nselct = []\n", ":2:1:", "selct"),
        ("[check]\nfail-on = 3\n", ":2:11:", "fail-on"),
        ("colour = 1\n", ":1:1:", "colour"),
        ("[check\n", ":1:", ""),
        ("[check]\nselect = [\"ECS9x\"]\n", ":2:11:", "ECS9x"),
    ] {
        let d = tree(&[(".ecslint.toml", text), ("x.json", TASKDEF)]);
        let r = run_in(d.path(), &["."]);
        assert_eq!(r.code, 2, "{text}");
        assert!(
            r.stderr.contains(&format!(".ecslint.toml{at}")),
            "{text}: {}",
            r.stderr
        );
        assert!(r.stderr.contains(word), "{text}: {}", r.stderr);
    }
}

// ---------------------------------------------------------------- suppressions

#[test]
fn sup_01_trailing_hash_and_slash_comments() {
    for marker in ["#", "//"] {
        let d = tree(&[(
            "main.tf",
            &tf(
                &format!("{marker} ecslint-ignore ECS101 -- sized by load test"),
                "",
            ),
        )]);
        let r = run_in(d.path(), &args(&[]));
        assert_eq!(r.suppressed(), ["ECS101 main.tf:6 inline"], "{marker}");
        assert!(
            r.findings().contains(&"ECS101 main.tf:27".to_string()),
            "other lines stay"
        );
    }
}

#[test]
fn sup_02_own_line_covers_the_next_item() {
    let d = tree(&[(
        "main.tf",
        &tf("", "# ecslint-ignore ECS401 -- promoted by digest"),
    )]);
    let r = run_in(d.path(), &args(&[]));
    assert_eq!(
        r.suppressed(),
        ["ECS401 main.tf:11 inline", "ECS401 main.tf:16 inline"]
    );
    assert!(r.findings().contains(&"ECS401 main.tf:28".to_string()));
    assert!(
        r.findings().contains(&"ECS101 main.tf:6".to_string()),
        "outside the item"
    );
    // Above the resource line: the whole resource.
    let text = format!("# ecslint-ignore ECS401, ECS101 -- legacy\n{}", tf("", ""));
    let d = tree(&[("main.tf", &text)]);
    let r = run_in(d.path(), &args(&[]));
    assert_eq!(r.suppressed().len(), 3, "{:?}", r.suppressed());
    assert_eq!(r.findings(), ["ECS101 main.tf:28", "ECS401 main.tf:29"]);
    // A heredoc value.
    let heredoc = "resource \"aws_ecs_task_definition\" \"h\" {\n  family = \"h\"\n  # ecslint-ignore ECS401 -- r\n  container_definitions = <<EOF\n[\n  {\"name\": \"web\", \"image\": \"nginx:latest\", \"essential\": true}\n]\nEOF\n}\n";
    let d = tree(&[("main.tf", heredoc)]);
    let r = run_in(d.path(), &args(&[]));
    assert_eq!(
        r.suppressed(),
        ["ECS401 main.tf:6 inline"],
        "{:?}",
        r.findings()
    );
    assert!(r.findings().is_empty(), "{:?}", r.findings());
}

#[test]
fn sup_03_several_ids_prefixes_and_no_all() {
    let d = tree(&[("main.tf", &tf("", "# ecslint-ignore ECS4 -- r"))]);
    let r = run_in(d.path(), &args(&[]));
    assert_eq!(r.suppressed().len(), 2);
    let d = tree(&[("main.tf", &tf("", "# ecslint-ignore all -- r"))]);
    let r = run_in(d.path(), &args(&[]));
    assert!(r.suppressed().is_empty());
    assert!(
        r.findings().contains(&"ECS014 main.tf:7".to_string()),
        "{:?}",
        r.findings()
    );
}

const CFN_YAML: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  # ecslint-ignore ECS401 -- pinned by the pipeline
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: web
          Image: nginx:latest
          Essential: true
  Other:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: web
          Image: nginx:latest # ecslint-ignore ECS401 -- trailing
        - Name: two
          Image: redis:latest
";

#[test]
fn sup_04_cloudformation_comments_and_metadata() {
    let d = tree(&[("t.yaml", CFN_YAML)]);
    let r = run_in(d.path(), &[".", "--select", "ECS401,suppression"]);
    assert_eq!(
        r.suppressed(),
        ["ECS401 t.yaml:9 inline", "ECS401 t.yaml:16 inline"]
    );
    assert_eq!(r.findings(), ["ECS401 t.yaml:18"]);
    // Metadata, YAML and JSON alike (a CDK-style JSON template).
    let yaml = "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Metadata:\n      ecslint:\n        ignore:\n          - {rule: ECS401, reason: digest pinned at deploy}\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx:latest\n  Other:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx:latest\n";
    let json = r#"{
  "Metadata": {"ecslint": {"ignore": [{"rule": "ECS403", "reason": "org policy"}]}},
  "Resources": {
    "TaskDef1A2B3C": {
      "Type": "AWS::ECS::TaskDefinition",
      "Metadata": {"aws:cdk:path": "Stack/TaskDef/Resource", "ecslint": {"ignore": [{"rule": "ECS401", "reason": "digest pinned at deploy"}]}},
      "Properties": {"ContainerDefinitions": [{"Name": "web", "Image": "nginx:latest", "Essential": true}]}
    },
    "Other": {
      "Type": "AWS::ECS::TaskDefinition",
      "Properties": {"ContainerDefinitions": [{"Name": "web", "Image": "nginx:latest", "Essential": true}]}
    }
  }
}
"#;
    let d = tree(&[("t.yaml", yaml), ("cdk.out/Stack.template.json", json)]);
    let r = run_in(d.path(), &[".", "--select", "ECS401,suppression"]);
    assert_eq!(
        r.suppressed(),
        [
            "ECS401 cdk.out/Stack.template.json:7 metadata",
            "ECS401 t.yaml:11 metadata"
        ],
        "{:?}",
        r.findings()
    );
    let f = r.findings();
    assert_eq!(f.len(), 3, "{f:?}");
    assert!(f.contains(&"ECS401 t.yaml:17".to_string()));
    // The template-level ECS403 entry matched nothing: ECS010 at the entry.
    assert!(
        f.contains(&"ECS010 cdk.out/Stack.template.json:2".to_string()),
        "{f:?}"
    );
}

#[test]
fn sup_05_tf_json_comment_property() {
    let tfjson = r#"{
  "//": "ecslint-ignore ECS101 -- sized by load test",
  "resource": {
    "aws_ecs_task_definition": {
      "app": {
        "//": "ecslint-ignore ECS401 -- promoted by digest",
        "family": "app",
        "requires_compatibilities": ["FARGATE"],
        "network_mode": "awsvpc",
        "cpu": 256,
        "memory": 3000,
        "container_definitions": "[{\"name\": \"web\", \"image\": \"nginx:latest\", \"essential\": true}]"
      }
    }
  },
  "locals": {"//": "ecslint-ignore ECS401 -- misplaced"}
}
"#;
    let d = tree(&[("main.tf.json", tfjson)]);
    let r = run_in(d.path(), &args(&[]));
    let s = r.suppressed();
    assert!(
        s.iter().any(|s| s.starts_with("ECS101 ")),
        "{s:?} {:?}",
        r.findings()
    );
    assert!(
        r.findings().contains(&"ECS014 main.tf.json:16".to_string()),
        "{:?}",
        r.findings()
    );
    assert!(!r.rules().contains(&"ECS101".to_string()));
}

#[test]
fn sup_06_taskdef_json_via_config_by_container_and_pointer() {
    let config = "[[suppress]]\npath = \"taskdefs/w.json\"\nrule = \"ECS401\"\ncontainer = \"app\"\nreason = \"pinned by the deploy pipeline\"\n";
    for text in [TASKDEF, TASKDEF_SWAPPED] {
        let d = tree(&[(".ecslint.toml", config), ("taskdefs/w.json", text)]);
        let r = run_in(d.path(), &[".", "--select", "ECS401,suppression"]);
        assert_eq!(r.suppressed().len(), 1);
        assert_eq!(r.report["findings"].as_array().unwrap().len(), 1);
        let msg = r.report["findings"][0]["message"].as_str().unwrap();
        assert!(msg.contains("redis"), "{msg}");
    }
    let config = "[[suppress]]\npath = \"taskdefs/*.json\"\nrule = \"ECS401\"\npointer = \"/containerDefinitions/1\"\nreason = \"r\"\n";
    let d = tree(&[(".ecslint.toml", config), ("taskdefs/w.json", TASKDEF)]);
    let r = run_in(d.path(), &[".", "--select", "ECS401,suppression"]);
    assert_eq!(r.suppressed(), ["ECS401 taskdefs/w.json:5 config"]);
    // resource = the family
    let config = "[[suppress]]\npath = \"taskdefs/*.json\"\nrule = \"ECS4\"\nresource = \"worker\"\nreason = \"r\"\n";
    let d = tree(&[(".ecslint.toml", config), ("taskdefs/w.json", TASKDEF)]);
    let r = run_in(d.path(), &[".", "--select", "ECS401,suppression"]);
    assert_eq!(r.suppressed().len(), 2);
}

#[test]
fn sup_07_reason_required() {
    let d = tree(&[("main.tf", &tf("# ecslint-ignore ECS101", ""))]);
    let r = run_in(d.path(), &args(&["--fail-on", "error"]));
    assert_eq!(r.suppressed(), ["ECS101 main.tf:6 inline"], "still applies");
    assert!(r.findings().contains(&"ECS011 main.tf:6".to_string()));
    assert_eq!(r.code, 1);
    let d = tree(&[(
        "main.tf",
        &tf("# ecslint-ignore ECS101 -- TODO: justify", ""),
    )]);
    let r = run_in(d.path(), &args(&[]));
    assert!(r.findings().contains(&"ECS011 main.tf:6".to_string()));
    // Config entries too; the finding points into the config file.
    let d = tree(&[
        (
            ".ecslint.toml",
            "[[suppress]]\npath = \"w.json\"\nrule = \"ECS401\"\n",
        ),
        ("w.json", TASKDEF),
    ]);
    let r = run_in(d.path(), &[".", "--select", "ECS401,suppression"]);
    assert_eq!(r.suppressed().len(), 2);
    assert_eq!(r.findings(), ["ECS011 .ecslint.toml:1"]);
}

#[test]
fn sup_08_unused_suppressions() {
    let d = tree(&[
        ("main.tf", &tf("", "# ecslint-ignore ECS403 -- r")),
        (
            ".ecslint.toml",
            "[[suppress]]\npath = \"main.tf\"\nrule = \"ECS203\"\nreason = \"r\"\n\n[[suppress]]\npath = \"elsewhere/*.json\"\nrule = \"ECS203\"\nreason = \"not in this run\"\n",
        ),
    ]);
    let r = run_in(d.path(), &args(&[]));
    let f = r.findings();
    assert!(f.contains(&"ECS010 main.tf:7".to_string()), "{f:?}");
    assert!(f.contains(&"ECS010 .ecslint.toml:1".to_string()), "{f:?}");
    assert_eq!(
        f.iter().filter(|f| f.starts_with("ECS010")).count(),
        2,
        "{f:?}"
    );
    let fix = r.report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "ECS010" && f["file"] == "main.tf")
        .unwrap()["fix"]
        .clone();
    assert_eq!(fix["edits"][0]["replacement"], "");
}

#[test]
fn sup_09_expiry_with_injected_clock() {
    let text = tf(
        "# ecslint-ignore ECS101 -- load test, expires 2027-01-31",
        "",
    );
    let d = tree(&[("main.tf", &text)]);
    let before = ecslint()
        .current_dir(d.path())
        .env("ECSLINT_TODAY", "2027-01-31")
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--select",
            "ECS101,suppression",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&before.stdout).unwrap();
    assert_eq!(v["suppressed"].as_array().unwrap().len(), 1);
    let after = ecslint()
        .current_dir(d.path())
        .env("ECSLINT_TODAY", "2027-02-01")
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--select",
            "ECS101,suppression",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&after.stdout).unwrap();
    assert!(v.get("suppressed").is_none());
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["ECS101", "ECS013", "ECS101"]);
}

#[test]
fn sup_10_ignore_file_only_before_the_first_item() {
    let text = format!(
        "# header comment\n# ecslint-ignore-file ECS401 -- org policy\n\n{}",
        tf("", "")
    );
    let d = tree(&[("main.tf", &text)]);
    let r = run_in(d.path(), &args(&[]));
    assert_eq!(r.suppressed().len(), 3);
    let text = tf("", "# ecslint-ignore-file ECS401 -- too late");
    let d = tree(&[("main.tf", &text)]);
    let r = run_in(d.path(), &args(&[]));
    assert!(r.suppressed().is_empty());
    assert!(r.findings().contains(&"ECS014 main.tf:7".to_string()));
}

#[test]
fn sup_11_parse_errors_are_never_suppressed_inline() {
    let broken =
        "# ecslint-ignore-file ECS0 -- r\n# ecslint-ignore ECS000 -- r\nresource \"a\" \"b\" {\n";
    let d = tree(&[
        ("m/main.tf", broken),
        (
            ".ecslint.toml",
            "[[suppress]]\npath = \"**\"\nrule = \"ECS000\"\nreason = \"r\"\n",
        ),
    ]);
    let r = run_in(d.path(), &["m"]);
    assert!(
        r.rules().contains(&"ECS000".to_string()),
        "{:?}",
        r.findings()
    );
    fs::write(
        d.path().join(".ecslint.toml"),
        "[per-file-ignores]\n\"m/*.tf\" = [\"ECS000\"]\n",
    )
    .unwrap();
    let r = run_in(d.path(), &["m"]);
    assert!(
        !r.rules().contains(&"ECS000".to_string()),
        "{:?}",
        r.findings()
    );
    fs::write(
        d.path().join(".ecslint.toml"),
        "[check]\nexclude = [\"m/\"]\n",
    )
    .unwrap();
    let r = run_in(d.path(), &["m"]);
    assert!(
        !r.rules().contains(&"ECS000".to_string()),
        "{:?}",
        r.findings()
    );
}

#[test]
fn sup_12_audit_switches_and_summaries() {
    let d = tree(&[("main.tf", &tf("# ecslint-ignore ECS101 -- r", ""))]);
    let r = run_in(d.path(), &args(&["--ignore-suppressions"]));
    assert!(r.suppressed().is_empty());
    assert_eq!(r.rules().iter().filter(|r| *r == "ECS101").count(), 2);
    fs::write(
        d.path().join(".ecslint.toml"),
        "[check]\ninline-suppressions = false\n",
    )
    .unwrap();
    let r = run_in(d.path(), &args(&[]));
    assert!(r.suppressed().is_empty());
    fs::remove_file(d.path().join(".ecslint.toml")).unwrap();
    let r = run_in(d.path(), &args(&[]));
    let s = &r.report["suppressed"][0];
    assert_eq!(
        (
            s["rule"].as_str(),
            s["path"].as_str(),
            s["line"].as_u64(),
            s["kind"].as_str(),
            s["reason"].as_str()
        ),
        (
            Some("ECS101"),
            Some("main.tf"),
            Some(6),
            Some("inline"),
            Some("r")
        )
    );
    for format in ["human", "markdown"] {
        let out = ecslint()
            .current_dir(d.path())
            .args(["check", ".", "--format", format])
            .args(SEL)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("1 suppressed (inline 1, metadata 0, config 0, baseline 0)"),
            "{format}: {text}"
        );
    }
}

// ---------------------------------------------------------------- baseline

fn tf_module(web_image: &str, name: &str, pad: &str, containers_swapped: bool) -> String {
    let web = format!("    {{ name = \"web\", image = \"{web_image}\", essential = true }},");
    let side = "    { name = \"side\", image = \"redis:latest\", essential = false },".to_string();
    let (c1, c2) = if containers_swapped {
        (side, web)
    } else {
        (web, side)
    };
    format!(
        "{pad}resource \"aws_ecs_task_definition\" \"{name}\" {{\n  family = \"app\"\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode = \"awsvpc\"\n  cpu = 256\n  memory = var.mem\n  container_definitions = jsonencode([\n{c1}\n{c2}\n  ])\n}}\n"
    )
}

const VAR: &str = "variable \"mem\" {\n  default = 3000\n}\n";

fn check_code(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = ecslint()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bl_01_write_then_check_with_baseline() {
    let d = tree(&[
        (
            "mod/main.tf",
            &(VAR.to_string() + &tf_module("nginx:latest", "app", "", false)),
        ),
        ("taskdefs/w.json", TASKDEF),
    ]);
    let before = run_in(d.path(), &["."]);
    let n = before.findings().len();
    assert!(n >= 8, "{:?}", before.findings());
    let (code, _, err) = check_code(d.path(), &[".", "--write-baseline"]);
    assert_eq!(code, 0, "{err}");
    assert!(d.path().join(".ecslint-baseline.json").is_file());
    let (code, out, _) = check_code(d.path(), &[".", "--baseline", ".ecslint-baseline.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("{n} findings in baseline")), "{out}");
}

#[test]
fn bl_02_survives_moves_reindent_and_container_swaps() {
    let sel = ["--select", "ECS101,ECS401"];
    let d = tree(&[(
        "mod/main.tf",
        &(VAR.to_string() + &tf_module("nginx:latest", "app", "", false)),
    )]);
    let mut args = vec![".", "--write-baseline"];
    args.extend(sel);
    assert_eq!(check_code(d.path(), &args).0, 0);
    // 30 blank lines and a new (clean) resource above, the variable moved to another file,
    // everything reindented, the containers swapped.
    let pad = format!(
        "{}resource \"aws_cloudwatch_log_group\" \"new\" {{\n  name = \"/x\"\n  retention_in_days = 7\n}}\n",
        "\n".repeat(30)
    );
    let moved = tf_module("nginx:latest", "app", &pad, true)
        .lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(d.path().join("mod/main.tf"), moved).unwrap();
    fs::write(d.path().join("mod/variables.tf"), VAR).unwrap();
    let mut args = vec![
        ".",
        "--baseline",
        ".ecslint-baseline.json",
        "--format",
        "json",
    ];
    args.extend(sel);
    let (code, out, err) = check_code(d.path(), &args);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{out}{err}");
    assert_eq!(v["baseline"]["matched"], 3);
    assert_eq!(code, 0);
}

#[test]
fn bl_03_changed_value_renamed_resource_or_moved_file_is_new() {
    let sel = ["--select", "ECS101,ECS401"];
    for (image, name, dir) in [
        ("busybox:latest", "app", "mod"),
        ("nginx:latest", "renamed", "mod"),
        ("nginx:latest", "app", "moved"),
    ] {
        let d = tree(&[(
            "mod/main.tf",
            &(VAR.to_string() + &tf_module("nginx:latest", "app", "", false)),
        )]);
        let mut args = vec![".", "--write-baseline"];
        args.extend(sel);
        check_code(d.path(), &args);
        fs::remove_dir_all(d.path().join("mod")).unwrap();
        let text = VAR.to_string() + &tf_module(image, name, "", false);
        fs::create_dir_all(d.path().join(dir)).unwrap();
        fs::write(d.path().join(dir).join("main.tf"), text).unwrap();
        let mut args = vec![
            ".",
            "--baseline",
            ".ecslint-baseline.json",
            "--pass-on-stale-baseline",
        ];
        args.extend(sel);
        let (code, out, _) = check_code(d.path(), &args);
        assert_eq!(code, 1, "{image} {name} {dir}: {out}");
    }
}

#[test]
fn bl_04_counts_for_identical_findings() {
    let two = r#"{"family": "w", "containerDefinitions": [
  {"name": "app", "image": "nginx:latest"},
  {"name": "app", "image": "nginx:latest"}
]}
"#;
    let three = two.replace(
        "\n]}",
        ",\n  {\"name\": \"app\", \"image\": \"nginx:latest\"}\n]}",
    );
    let d = tree(&[("w.json", two)]);
    check_code(d.path(), &[".", "--select", "ECS401", "--write-baseline"]);
    let base: Value =
        serde_json::from_str(&fs::read_to_string(d.path().join(".ecslint-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(base["entries"][0]["count"], 2);
    fs::write(d.path().join("w.json"), three).unwrap();
    let r = run_in(
        d.path(),
        &[
            ".",
            "--select",
            "ECS401",
            "--baseline",
            ".ecslint-baseline.json",
        ],
    );
    assert_eq!(r.findings(), ["ECS401 w.json:4"]);
    assert_eq!(r.code, 1);
}

#[test]
fn bl_05_stale_entries_fail_and_prune_never_adds() {
    let sel = ["--select", "ECS401"];
    let d = tree(&[("w.json", TASKDEF)]);
    let mut a = vec![".", "--write-baseline"];
    a.extend(sel);
    check_code(d.path(), &a);
    // Fix one (sidecar) and add a new one (busybox:latest).
    let changed = TASKDEF.replace("redis:latest", "redis:7.2").replace(
        "\n  ]",
        ",\n    {\"name\": \"new\", \"image\": \"busybox:latest\", \"essential\": false}\n  ]",
    );
    fs::write(d.path().join("w.json"), &changed).unwrap();
    let fixed_only = TASKDEF.replace("redis:latest", "redis:7.2");
    fs::write(d.path().join("w.json"), &fixed_only).unwrap();
    let mut a = vec![".", "--baseline", ".ecslint-baseline.json"];
    a.extend(sel);
    let (code, out, _) = check_code(d.path(), &a);
    assert!(out.contains("baseline: 1 entry no longer occurs"), "{out}");
    assert_eq!(code, 1);
    a.push("--pass-on-stale-baseline");
    assert_eq!(check_code(d.path(), &a).0, 0);
    a.pop();
    fs::write(
        d.path().join(".ecslint.toml"),
        "[check]\nbaseline-stale = \"warn\"\n",
    )
    .unwrap();
    assert_eq!(
        check_code(d.path(), &a).0,
        0,
        "config baseline-stale = warn"
    );
    fs::remove_file(d.path().join(".ecslint.toml")).unwrap();
    fs::write(d.path().join("w.json"), &changed).unwrap();
    let mut a = vec![
        ".",
        "--baseline",
        ".ecslint-baseline.json",
        "--prune-baseline",
    ];
    a.extend(sel);
    let (code, out, _) = check_code(d.path(), &a);
    assert_eq!(code, 1, "the new finding is reported: {out}");
    let base: Value =
        serde_json::from_str(&fs::read_to_string(d.path().join(".ecslint-baseline.json")).unwrap())
            .unwrap();
    let entries = base["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["container"], "app");
}

#[test]
fn bl_06_partial_runs_leave_other_paths_alone() {
    let clean = "{\"family\": \"c\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"nginx:1.27\"}]}\n";
    let d = tree(&[
        ("bad/w.json", TASKDEF),
        ("ok/a.json", clean),
        ("ok/b.json", clean),
    ]);
    check_code(d.path(), &[".", "--select", "ECS401", "--write-baseline"]);
    let (code, out, _) = check_code(
        d.path(),
        &[
            "ok/a.json",
            "ok/b.json",
            "--select",
            "ECS401",
            "--baseline",
            ".ecslint-baseline.json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("no longer"), "{out}");
}

#[test]
fn bl_07_no_secret_in_the_baseline() {
    let here = std::env::current_dir().unwrap();
    let d = tree(&[]);
    fs::copy(
        here.join("testdata/rules/ECS501/fail.json"),
        d.path().join("t.json"),
    )
    .unwrap();
    check_code(d.path(), &[".", "--write-baseline"]);
    let text = fs::read_to_string(d.path().join(".ecslint-baseline.json")).unwrap();
    assert!(text.contains("ECS501"), "{text}");
    assert!(
        !text.contains("s3cr3t-Pa55w0rd!") && !text.contains("AKIAIOSFODNN7EXAMPLE"),
        "{text}"
    );
}

#[test]
fn bl_08_deterministic_sorted_relative() {
    let d = tree(&[
        (
            "mod/main.tf",
            &(VAR.to_string() + &tf_module("nginx:latest", "app", "", false)),
        ),
        ("taskdefs/w.json", TASKDEF),
        ("ci/.keep", ""),
    ]);
    check_code(d.path(), &[".", "--write-baseline", "ci/base.json"]);
    let first = fs::read(d.path().join("ci/base.json")).unwrap();
    check_code(d.path(), &[".", "--write-baseline", "ci/base.json"]);
    assert_eq!(first, fs::read(d.path().join("ci/base.json")).unwrap());
    let v: Value = serde_json::from_slice(&first).unwrap();
    let keys: Vec<(String, String, String, String, String)> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (
                s("path"),
                s("rule"),
                s("resource"),
                s("field"),
                s("fingerprint"),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(
        keys.iter()
            .all(|k| k.0.starts_with("../") && !k.0.contains('\\')),
        "{keys:?}"
    );
    // The same baseline applies from another working directory.
    let (code, _, _) = check_code(&d.path().join("ci"), &["..", "--baseline", "base.json"]);
    assert_eq!(code, 0);
}

#[test]
fn bl_09_bad_baseline_files_exit_2() {
    for text in ["{not json", "{\"version\": 2, \"entries\": []}", "[]"] {
        let d = tree(&[("w.json", TASKDEF), ("b.json", text)]);
        let (code, _, err) = check_code(d.path(), &["w.json", "--baseline", "b.json"]);
        assert_eq!(code, 2, "{text}");
        assert!(err.contains("b.json"), "{err}");
        assert_eq!(
            fs::read_to_string(d.path().join("b.json")).unwrap(),
            text,
            "never rewritten"
        );
    }
}

#[test]
fn bl_10_sup_13_sarif_baseline_state_and_suppressions() {
    let d = tree(&[
        ("w.json", TASKDEF),
        ("main.tf", &tf("# ecslint-ignore ECS101 -- load test", "")),
    ]);
    let plain = ecslint()
        .current_dir(d.path())
        .args(["check", ".", "--format", "sarif"])
        .output()
        .unwrap();
    let plain: Value = serde_json::from_slice(&plain.stdout).unwrap();
    check_code(
        d.path(),
        &["w.json", "--select", "ECS401", "--write-baseline"],
    );
    let out = ecslint()
        .current_dir(d.path())
        .args([
            "check",
            ".",
            "--format",
            "sarif",
            "--baseline",
            ".ecslint-baseline.json",
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .all(|r| r["baselineState"] == "new"
                && r["partialFingerprints"]["ecslint/v1"].is_string())
    );
    assert!(
        results.iter().all(|r| r.get("suppressions").is_none()),
        "suppressed results are left out"
    );
    // primaryLocationLineHash is what it was without a baseline.
    let hashes = |v: &Value| -> Vec<String> {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["primaryLocationLineHash"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let with: std::collections::HashSet<String> = hashes(&sarif).into_iter().collect();
    assert!(with.is_subset(&hashes(&plain).into_iter().collect()));
    let out = ecslint()
        .current_dir(d.path())
        .args([
            "check",
            ".",
            "--format",
            "sarif",
            "--baseline",
            ".ecslint-baseline.json",
            "--report-suppressed",
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 3, "2 baseline + 1 inline");
    for r in &suppressed {
        let s = &r["suppressions"][0];
        match r["ruleId"].as_str().unwrap() {
            "ECS101" => {
                assert_eq!(s["kind"], "inSource");
                assert_eq!(s["justification"], "load test");
            }
            _ => {
                assert_eq!(s["kind"], "external");
                assert_eq!(r["baselineState"], "unchanged");
            }
        }
    }
}

#[test]
fn bl_11_action_baseline_input_and_summary_counts() {
    let action =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    assert!(action.contains("\n  baseline:\n"), "input");
    assert!(
        action.contains("args+=(--baseline \"$BASELINE\")"),
        "passed on"
    );
    let d = tree(&[("w.json", TASKDEF)]);
    check_code(
        d.path(),
        &["w.json", "--select", "ECS401", "--write-baseline"],
    );
    fs::write(
        d.path().join("w.json"),
        TASKDEF.replace("redis:latest", "redis:7").replace(
            "\"essential\": true}",
            "\"essential\": true},\n    {\"name\": \"n\", \"image\": \"busybox:latest\"}",
        ),
    )
    .unwrap();
    let (_, _, err) = check_code(
        d.path(),
        &[
            "w.json",
            "--select",
            "ECS401",
            "--baseline",
            ".ecslint-baseline.json",
            "--format",
            "github",
            "--summary",
            "summary.md",
        ],
    );
    let summary = fs::read_to_string(d.path().join("summary.md")).unwrap();
    assert!(
        summary.contains("baseline: 1 new, 1 baselined, 1 stale"),
        "{summary}\n{err}"
    );
}

// ---------------------------------------------------------------- fixes

fn json_findings(dir: &Path, args: &[&str]) -> Vec<Value> {
    let r = run_in(dir, args);
    r.report["findings"].as_array().cloned().unwrap_or_default()
}

const TF_VAR_MEMORY: &str = "variable \"mem\" {\n  default = 3000\n}\nresource \"aws_ecs_task_definition\" \"a\" {\n  family = \"a\"\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode = \"awsvpc\"\n  cpu = 1024\n  memory = var.mem\n  container_definitions = jsonencode([{ name = \"x\", image = \"nginx:1.27\", essential = true }])\n}\n";

const TOO_MUCH_MEMORY: &str = "{\"family\": \"a\", \"requiresCompatibilities\": [\"FARGATE\"], \"networkMode\": \"awsvpc\", \"cpu\": \"256\", \"memory\": \"4096\", \"containerDefinitions\": [{\"name\": \"x\", \"image\": \"nginx:1.27\"}]}\n";

fn rules_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules")
}

fn copy_fixtures(ids: &[&str]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for id in ids {
        for e in ["json", "tf", "yaml"] {
            let src = rules_dir().join(id).join(format!("fail.{e}"));
            if src.is_file() {
                let dst = d.path().join(format!("{id}-{e}"));
                fs::create_dir_all(&dst).unwrap();
                fs::copy(src, dst.join(format!("fail.{e}"))).unwrap();
            }
        }
    }
    d
}

fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in walk(dir) {
        out.insert(
            e.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
            fs::read(&e).unwrap(),
        );
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(walk(&p));
        } else {
            v.push(p);
        }
    }
    v.sort();
    v
}

fn applicability(findings: &[Value], rule: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .map(|f| {
            f["fix"]["applicability"]
                .as_str()
                .unwrap_or("none")
                .to_string()
        })
        .collect()
}

#[test]
fn fix_01_applicability_classes() {
    let d = copy_fixtures(&["ECS101", "ECS202", "ECS603"]);
    let f = json_findings(d.path(), &["."]);
    let by_file = |rule: &str, file: &str| {
        f.iter()
            .find(|x| x["rule_id"] == rule && x["file"].as_str().unwrap().ends_with(file))
            .map(|x| {
                x["fix"]["applicability"]
                    .as_str()
                    .unwrap_or("none")
                    .to_string()
            })
    };
    assert_eq!(
        by_file("ECS101", "ECS101-json/fail.json").as_deref(),
        Some("safe")
    );
    assert_eq!(applicability(&f, "ECS202"), ["safe", "safe", "safe"]);
    assert_eq!(
        by_file("ECS603", "ECS603-json/fail.json").as_deref(),
        Some("safe")
    );
    assert_eq!(
        by_file("ECS603", "ECS603-tf/fail.tf").as_deref(),
        Some("safe")
    );
    // Block-style YAML command: no fix at all.
    assert_eq!(
        by_file("ECS603", "ECS603-yaml/fail.yaml").as_deref(),
        Some("none")
    );
    // Memory in a variable: the literal is shared, so the fix is unsafe.
    let d = tree(&[("m/main.tf", TF_VAR_MEMORY)]);
    let f = json_findings(d.path(), &[".", "--select", "ECS101"]);
    assert_eq!(applicability(&f, "ECS101"), ["unsafe"]);
    // Memory above the cpu's maximum: raising cpu is unsafe.
    let d = tree(&[("t.json", TOO_MUCH_MEMORY)]);
    let f = json_findings(d.path(), &[".", "--select", "ECS101"]);
    assert_eq!(applicability(&f, "ECS101"), ["unsafe"]);
    assert!(
        f[0]["fix"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Raise cpu to 512"),
        "{}",
        f[0]["fix"]
    );
}

#[test]
fn fix_02_fix_unsafe_fixes_fix_only_exit_non_zero() {
    let d = tree(&[("t.json", TOO_MUCH_MEMORY), ("m/main.tf", TF_VAR_MEMORY)]);
    let before = snapshot(d.path());
    // Only unsafe fixes here: --fix changes nothing and reports both.
    let (code, out, _) = check_code(d.path(), &[".", "--select", "ECS101", "--fix"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("2 fixable with `--fix`")
            || out.contains("0 fixable with `--fix` (2 more with `--unsafe-fixes`)")
            || out.contains("(2 more with `--unsafe-fixes`)"),
        "{out}"
    );
    assert_eq!(before, snapshot(d.path()));
    let (code, out, _) = check_code(
        d.path(),
        &[".", "--select", "ECS101", "--fix", "--unsafe-fixes"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("fixed 2 findings (ECS101 2) in 2 files"),
        "{out}"
    );
    let after = snapshot(d.path());
    assert!(String::from_utf8_lossy(&after["t.json"]).contains("\"cpu\": \"512\""));
    assert!(String::from_utf8_lossy(&after["m/main.tf"]).contains("default = 3072"));
    // --fix-only prints only what was fixed; --exit-non-zero-on-fix.
    let d = copy_fixtures(&["ECS202"]);
    let (code, out, _) = check_code(d.path(), &[".", "--fix-only", "--exit-non-zero-on-fix"]);
    assert_eq!(out, "fixed 3 findings (ECS202 3) in 3 files\n");
    assert_eq!(code, 1);
    let (code, out, _) = check_code(d.path(), &[".", "--fix-only"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn fix_03_diff_matches_fix_through_git_apply() {
    let a = copy_fixtures(&["ECS101", "ECS202", "ECS603"]);
    let b = copy_fixtures(&["ECS101", "ECS202", "ECS603"]);
    let before = snapshot(a.path());
    let (code, diff, _) = check_code(a.path(), &[".", "--diff"]);
    assert_eq!(code, 1);
    assert!(
        diff.starts_with("--- a/ECS101-json/fail.json\n+++ b/ECS101-json/fail.json\n"),
        "{diff}"
    );
    assert_eq!(before, snapshot(a.path()), "--diff writes nothing");
    fs::write(a.path().join("fix.patch"), &diff).unwrap();
    let git = std::process::Command::new("git")
        .current_dir(a.path())
        .args(["apply", "fix.patch"])
        .output()
        .unwrap();
    assert!(
        git.status.success(),
        "{}",
        String::from_utf8_lossy(&git.stderr)
    );
    fs::remove_file(a.path().join("fix.patch")).unwrap();
    check_code(b.path(), &[".", "--fix"]);
    assert_eq!(snapshot(a.path()), snapshot(b.path()));
    let (code, diff, _) = check_code(b.path(), &[".", "--diff"]);
    assert_eq!((code, diff.as_str()), (0, ""));
}

#[test]
fn fix_04_bytes_outside_edits_are_preserved() {
    type Case<'a> = (&'a str, String, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        // Minified JSON with a BOM and non-ASCII text.
        (
            "min.json",
            "\u{feff}{\"family\":\"caf\u{e9}\",\"requiresCompatibilities\":[\"FARGATE\"],\"networkMode\":\"awsvpc\",\"cpu\":\"1024\",\"memory\":\"3000\",\"containerDefinitions\":[{\"name\":\"\u{e9}\u{1f344}\",\"image\":\"x:1\",\"essential\":true}]}".into(),
            vec![("\"memory\":\"3000\"", "\"memory\":\"3072\"")],
        ),
        // 4-space JSON with CRLF line ends and tabs in a value line.
        (
            "crlf.json",
            "{\r\n    \"family\": \"a\",\r\n    \"networkMode\": \"awsvpc\",\r\n    \"containerDefinitions\": [\r\n        {\r\n\t\t\t\"name\": \"api\",\r\n            \"image\": \"x:1\",\r\n            \"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 80}],\r\n            \"healthCheck\": {\"command\": [\r\n                \"curl\",\r\n                \"-f\"\r\n            ]}\r\n        }\r\n    ]\r\n}\r\n".into(),
            vec![
                ("\"hostPort\": 80}", "\"hostPort\": 8080}"),
                ("\"command\": [\r\n", "\"command\": [\r\n                \"CMD\",\r\n"),
            ],
        ),
        // CloudFormation YAML with anchors, tags and comments.
        (
            "cfn.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Img: {Type: String}\nResources:\n  Task: # the task\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      NetworkMode: awsvpc\n      ContainerDefinitions:\n        - Name: web\n          Image: !Ref Img\n          PortMappings: &ports\n            - ContainerPort: 8080   # app port\n              HostPort: 80\n          HealthCheck:\n            Command: [\"curl\", \"-f\", \"http://localhost/\"]\n".into(),
            vec![("HostPort: 80\n", "HostPort: 8080\n"), ("Command: [\"curl\"", "Command: [\"CMD\", \"curl\"")],
        ),
        // HCL with a heredoc and jsonencode, comments and tabs.
        (
            "main.tf",
            "# header\nresource \"aws_ecs_task_definition\" \"h\" {\n\tfamily       = \"h\" # tab-indented\n  network_mode = \"awsvpc\"\n  container_definitions = <<EOF\n[{\"name\": \"web\", \"image\": \"x:1\", \"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 80}]}]\nEOF\n}\nresource \"aws_ecs_task_definition\" \"j\" {\n  family = \"j\"\n  container_definitions = jsonencode([{\n    name = \"web\", image = \"x:1\"\n    healthCheck = { command = [\"curl\", \"-f\"] } // keep\n  }])\n}\n".into(),
            vec![("\"hostPort\": 80}", "\"hostPort\": 8080}"), ("command = [\"curl\"", "command = [\"CMD\", \"curl\"")],
        ),
    ];
    for (name, text, replacements) in cases {
        let d = tree(&[]);
        fs::write(d.path().join(name), &text).unwrap();
        let (_, out, err) = check_code(
            d.path(),
            &[".", "--fix", "--select", "ECS101,ECS202,ECS603"],
        );
        let mut expected = text.clone();
        for (from, to) in &replacements {
            assert!(expected.contains(from), "{name}: {from}");
            expected = expected.replacen(from, to, 1);
        }
        let got = fs::read_to_string(d.path().join(name)).unwrap();
        assert_eq!(got, expected, "{name}\n{out}{err}");
    }
}

#[test]
fn fix_05_fixpoint_and_idempotence_over_the_fixtures() {
    let d = tempfile::tempdir().unwrap();
    for id in fs::read_dir(rules_dir()).unwrap() {
        let id = id.unwrap().path();
        for f in fs::read_dir(&id).unwrap() {
            let f = f.unwrap().path();
            let dst = d
                .path()
                .join(id.file_name().unwrap())
                .join(f.file_name().unwrap());
            fs::create_dir_all(dst.parent().unwrap()).unwrap();
            fs::copy(&f, dst).unwrap();
        }
    }
    let before = json_findings(d.path(), &["."]);
    let fixable = before
        .iter()
        .filter(|f| f["fix"]["applicability"] == "safe")
        .count();
    assert!(fixable >= 6, "{fixable}");
    check_code(d.path(), &[".", "--fix"]);
    let once = snapshot(d.path());
    let after = json_findings(d.path(), &["."]);
    assert_eq!(
        after
            .iter()
            .filter(|f| f["fix"]["applicability"] == "safe")
            .count(),
        0
    );
    assert_eq!(after.len(), before.len() - fixable, "nothing else changed");
    check_code(d.path(), &[".", "--fix"]);
    assert_eq!(once, snapshot(d.path()), "a second --fix changes nothing");
}

#[test]
fn fix_06_overlaps_and_non_convergence() {
    // Overlapping edits are applied one per pass (unit test `apply_keeps_every_other_byte...`);
    // a fix that always re-fires stops after 10 passes with a warning naming the rule.
    let d = tree(&[("t.json", TASKDEF)]);
    let out = ecslint()
        .current_dir(d.path())
        .env("ECSLINT_TEST_FIX", "endless")
        .args(["check", ".", "--fix", "--select", "ECS401"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("did not converge after 10 passes (ECS401 still fixable)"),
        "{err}"
    );
    let text = fs::read_to_string(d.path().join("t.json")).unwrap();
    assert!(
        text.contains(&format!("\"image\":{}\"nginx:latest\"", " ".repeat(11))),
        "{text}"
    );
}

#[test]
fn fix_07_a_fix_that_breaks_parsing_is_undone() {
    let d = tree(&[("t.json", TASKDEF)]);
    let out = ecslint()
        .current_dir(d.path())
        .env("ECSLINT_TEST_FIX", "broken")
        .args(["check", ".", "--fix", "--select", "ECS401"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fix for ECS401, ECS401 introduced a parse error in t.json"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(d.path().join("t.json")).unwrap(),
        TASKDEF
    );
}

#[test]
fn fix_09_human_marks_and_json_fields() {
    let d = tree(&[("t.json", TOO_MUCH_MEMORY)]);
    fs::create_dir_all(d.path().join("x")).unwrap();
    fs::copy(
        rules_dir().join("ECS202/fail.json"),
        d.path().join("x/p.json"),
    )
    .unwrap();
    let (_, out, _) = check_code(
        d.path(),
        &[".", "--select", "ECS101,ECS202", "--color", "never"],
    );
    // The marker is a line of its own, after the message (which it never changes).
    assert!(out.contains("error[ECS202]: with network mode"), "{out}");
    assert!(out.contains("= [*] fix: Set hostPort to 8080"), "{out}");
    assert!(out.contains("error[ECS101]: Fargate memory"), "{out}");
    assert!(
        out.contains("= [*unsafe] fix (with --unsafe-fixes): Raise cpu"),
        "{out}"
    );
    assert!(!out.contains("]: [*"), "{out}");
    assert!(
        out.trim_end()
            .ends_with("1 fixable with `--fix` (1 more with `--unsafe-fixes`)"),
        "{out}"
    );
    let f = json_findings(d.path(), &["x", "--select", "ECS202"]);
    let fix = &f[0]["fix"];
    assert_eq!(fix["applicability"], "safe");
    let e = &fix["edits"][0];
    assert_eq!(e["path"], "x/p.json");
    assert_eq!(e["content"], "8080");
    let text = fs::read_to_string(d.path().join("x/p.json")).unwrap();
    assert_eq!(
        &text[e["start"].as_u64().unwrap() as usize..e["end"].as_u64().unwrap() as usize],
        "80"
    );
}

#[test]
fn fix_10_ecs101_title_states_the_cost() {
    let f = json_findings(
        &rules_dir().join("ECS101"),
        &["fail.json", "--select", "ECS101"],
    );
    assert_eq!(
        f[0]["fix"]["message"],
        "Round memory up to 3072 (+$0.23/month per task in us-east-1)"
    );
    let f = json_findings(
        &rules_dir().join("ECS101"),
        &["fail.json", "--select", "ECS101", "--region", "eu-west-1"],
    );
    assert_eq!(
        f[0]["fix"]["message"],
        "Round memory up to 3072 (+$0.23/month per task in eu-west-1)"
    );
}

#[test]
fn sup_08_fix_removes_unused_directives() {
    let text = "resource \"aws_ecs_task_definition\" \"a\" {\n  family = \"a\"\n  # ecslint-ignore ECS403 -- old\n  cpu = 256 # keep me # ecslint-ignore ECS101 -- old\n  memory = 512 # ecslint-ignore ECS101 -- old\n}\n";
    let d = tree(&[("main.tf", text)]);
    check_code(d.path(), &[".", "--fix", "--select", "ECS101,suppression"]);
    assert_eq!(
        fs::read_to_string(d.path().join("main.tf")).unwrap(),
        "resource \"aws_ecs_task_definition\" \"a\" {\n  family = \"a\"\n  cpu = 256 # keep me\n  memory = 512\n}\n"
    );
}

#[test]
fn sup_14_add_ignore_inserts_directives() {
    let heredoc = "resource \"aws_ecs_task_definition\" \"h\" {\n  family = \"h\"\n  container_definitions = <<EOF\n[{\"name\": \"web\", \"image\": \"nginx:latest\", \"essential\": true}]\nEOF\n}\n";
    let d = tree(&[
        ("main.tf", &tf("", "")),
        ("h/main.tf", heredoc),
        ("t.yaml", CFN_YAML),
        ("w.json", TASKDEF),
    ]);
    let json_before = fs::read(d.path().join("w.json")).unwrap();
    let (code, _, err) = check_code(d.path(), &[".", "--add-ignore"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("in task-definition JSON (which cannot carry comments) left as they are")
            && err.contains("--write-baseline"),
        "{err}"
    );
    assert_eq!(
        fs::read(d.path().join("w.json")).unwrap(),
        json_before,
        "JSON untouched"
    );
    let h = fs::read_to_string(d.path().join("h/main.tf")).unwrap();
    assert!(
        h.starts_with(
            "# ecslint-ignore ECS104, ECS301, ECS401\nresource \"aws_ecs_task_definition\" \"h\""
        ),
        "above the resource: {h}"
    );
    let r = run_in(d.path(), &["."]);
    let others: Vec<String> = r
        .findings()
        .into_iter()
        .filter(|f| !f.contains("w.json") && !f.starts_with("ECS011"))
        .collect();
    assert!(others.is_empty(), "{others:?}");
    assert!(r.rules().contains(&"ECS011".to_string()), "no reason given");
    // With a reason: nothing left. CloudFormation JSON takes `Metadata` entries (merged into
    // CDK's own Metadata, one-line templates kept on one line), `.tf.json` a `"//"` directive.
    let cdk = r#"{
  "Resources": {
    "TaskDef": {
      "Type": "AWS::ECS::TaskDefinition",
      "Metadata": {"aws:cdk:path": "App/TaskDef/Resource"},
      "Properties": {
        "ContainerDefinitions": [{"Name": "web", "Image": "nginx:latest", "Essential": true}]
      }
    }
  }
}
"#;
    let minified = r#"{"Resources":{"T":{"Type":"AWS::ECS::TaskDefinition","Properties":{"ContainerDefinitions":[{"Name":"web","Image":"nginx:latest","Essential":true}]}}}}"#;
    let tf_json = r#"{
  "resource": {
    "aws_ecs_task_definition": {
      "web": {
        "family": "web",
        "container_definitions": "[{\"name\":\"web\",\"image\":\"nginx:latest\",\"essential\":true}]"
      }
    }
  }
}
"#;
    let d = tree(&[
        ("main.tf", &tf("", "")),
        ("t.yaml", CFN_YAML),
        ("cdk.template.json", cdk),
        ("min.json", minified),
        ("j/main.tf.json", tf_json),
    ]);
    let before = run_in(d.path(), &["."]);
    for file in ["cdk.template.json", "min.json", "main.tf.json"] {
        assert!(
            before.findings().iter().any(|f| f.contains(file)),
            "{file}: {:?}",
            before.findings()
        );
    }
    let (code, _, err) = check_code(d.path(), &[".", "--add-ignore=adopted"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("left as they are"), "{err}");
    let r = run_in(d.path(), &["."]);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    assert_eq!(r.code, 0);
    let cdk_after = fs::read_to_string(d.path().join("cdk.template.json")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&cdk_after).unwrap();
    let meta = &parsed["Resources"]["TaskDef"]["Metadata"];
    assert_eq!(meta["aws:cdk:path"], "App/TaskDef/Resource", "{cdk_after}");
    assert_eq!(
        meta["ecslint"]["ignore"][0],
        serde_json::json!({"rule": "ECS104", "reason": "adopted"}),
        "{cdk_after}"
    );
    let min_after = fs::read_to_string(d.path().join("min.json")).unwrap();
    assert_eq!(min_after.lines().count(), 1, "{min_after}");
    serde_json::from_str::<serde_json::Value>(&min_after).unwrap();
    let tf_after = fs::read_to_string(d.path().join("j/main.tf.json")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&tf_after).unwrap();
    assert!(
        parsed["resource"]["aws_ecs_task_definition"]["web"]["//"]
            .as_str()
            .unwrap()
            .starts_with("ecslint-ignore ECS"),
        "{tf_after}"
    );
    assert!(
        tf_after.contains("{\n        \"//\": \"ecslint-ignore"),
        "{tf_after}"
    );
}

/// `terraform fmt -check` on one file, with the Terraform of `ECSLINT_TERRAFORM` (the offline
/// install of tests/terraform_oracle.rs; the test is compiled as ignored without it, build.rs).
fn fmt_ok(file: &Path) -> bool {
    let home = std::env::var_os("ECSLINT_TERRAFORM").expect("ECSLINT_TERRAFORM");
    let out = std::process::Command::new(Path::new(&home).join("bin/terraform"))
        .args(["fmt", "-check"])
        .arg(file)
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .expect("$ECSLINT_TERRAFORM/bin/terraform runs");
    out.status.success()
}

#[test]
#[cfg_attr(
    not(ecslint_terraform),
    ignore = "needs ECSLINT_TERRAFORM (an offline Terraform; .ci/run sets it up)"
)]
fn fix_08_terraform_fmt_still_passes_after_fix_and_add_ignore() {
    for args in [
        vec![".", "--fix", "--unsafe-fixes"],
        vec![".", "--add-ignore=adopted"],
    ] {
        let d = tempfile::tempdir().unwrap();
        for id in fs::read_dir(rules_dir()).unwrap() {
            let id = id.unwrap().path();
            for f in fs::read_dir(&id).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "tf") {
                    let dst = d
                        .path()
                        .join(id.file_name().unwrap())
                        .join(f.file_name().unwrap());
                    fs::create_dir_all(dst.parent().unwrap()).unwrap();
                    fs::copy(&f, dst).unwrap();
                }
            }
        }
        let tf_files: Vec<_> = walk(d.path());
        let before: Vec<bool> = tf_files.iter().map(|f| fmt_ok(f)).collect();
        assert!(before.iter().filter(|b| **b).count() >= 10);
        let snap = snapshot(d.path());
        check_code(d.path(), &args);
        assert_ne!(snap, snapshot(d.path()), "{args:?} changed something");
        for (f, ok) in tf_files.iter().zip(before) {
            if ok {
                assert!(fmt_ok(f), "{args:?}: {}", f.display());
            }
        }
    }
}

// ---------------------------------------------------------------- a CLI that never fails silently

#[test]
fn cli_one_bad_path_among_good_ones_exits_2_after_checking_the_rest() {
    let d = tree(&[("a.json", TASKDEF)]);
    let r = run_in(d.path(), &["a.json", "nope.json", "--select", "ECS401"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error: nope.json: no such file or directory"),
        "{}",
        r.stderr
    );
    assert_eq!(r.findings().len(), 2, "a.json still checked");
    // A named file that cannot be read (a dangling link) exits 2 with the reason.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.path().join("gone.json"), d.path().join("link.json")).unwrap();
        let r = run_in(d.path(), &["link.json", "a.json"]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("link.json"), "{}", r.stderr);
    }
}

#[test]
fn cli_non_ecs_named_file_and_empty_scan_are_reported() {
    let d = tree(&[("package.json", "{\"name\": \"x\"}\n"), ("empty/.keep", "")]);
    let (code, out, _) = check_code(d.path(), &["package.json"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("note: package.json: not an ECS input"),
        "{out}"
    );
    let (code, _, err) = check_code(d.path(), &["empty"]);
    assert_eq!(code, 0);
    assert!(err.contains("warning: no ECS input found"), "{err}");
}

#[test]
fn cli_utf16_and_bom_files_are_decoded() {
    let mut le = vec![0xff, 0xfe];
    le.extend(TASKDEF.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xfe, 0xff];
    be.extend(TASKDEF.encode_utf16().flat_map(u16::to_be_bytes));
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(TASKDEF.as_bytes());
    let d = tree(&[]);
    for (name, bytes) in [("le.json", le), ("be.json", be), ("bom.json", bom)] {
        fs::write(d.path().join(name), bytes).unwrap();
        let r = run_in(d.path(), &[name, "--select", "ECS401"]);
        assert_eq!(
            r.findings(),
            [format!("ECS401 {name}:4"), format!("ECS401 {name}:5")],
            "{name}"
        );
    }
}

#[test]
fn cli_one_file_one_identity() {
    let d = tree(&[("a.json", TASKDEF)]);
    let r = run_in(d.path(), &["a.json", "./a.json", ".", "--select", "ECS401"]);
    assert_eq!(r.findings(), ["ECS401 a.json:4", "ECS401 a.json:5"]);
}

#[test]
fn cli_usage_errors() {
    let d = tree(&[("a.json", TASKDEF)]);
    let (code, _, err) = check_code(
        d.path(),
        &["a.json", "-o", "r.sarif", "--sarif-file", "./r.sarif"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--output and --sarif-file both name"), "{err}");
    let (code, _, err) = check_code(d.path(), &["a.json", "--region", "us-est-1"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown region `us-est-1`; known regions: ") && err.contains("us-east-1"),
        "{err}"
    );
    let out = ecslint()
        .current_dir(d.path())
        .args(["cost", "a.json", "--region", "eu-wset-1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (code, _, err) = check_code(d.path(), &["a.json", "--var-file", "missing.tfvars"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.tfvars"), "{err}");
    for size in ["10MB", "10MiB", "500k", "1048576"] {
        assert_eq!(
            check_code(
                d.path(),
                &["a.json", "--max-file-size", size, "--fail-on", "never"]
            )
            .0,
            0,
            "{size}"
        );
    }
    let (code, _, err) = check_code(d.path(), &["a.json", "--max-file-size", "10XB"]);
    assert_eq!(code, 2, "{err}");
    // Rule names as well as ids, and "did you mean" on typos.
    let r = run_in(d.path(), &["a.json", "--select", "image-latest-tag"]);
    assert_eq!(r.rules(), ["ECS401", "ECS401"]);
    let (code, _, err) = check_code(d.path(), &["a.json", "--select", "ECS41"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean `ECS401` (image-latest-tag)?"),
        "{err}"
    );
    let out = ecslint()
        .args(["rule", "image-latest-tag"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("---\nid: ECS401"));
}

#[test]
fn cfg_07_readme_example_config_parses() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("## Configuration (`.ecslint.toml`)")
        .nth(1)
        .unwrap();
    let block = section
        .split("```toml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let d = tree(&[
        (".ecslint.toml", block),
        ("x.json", TASKDEF),
        ("envs/prod.tfvars", ""),
    ]);
    // The configured baseline is written where the config says.
    assert_eq!(check_code(d.path(), &["x.json", "--write-baseline"]).0, 0);
    assert!(d.path().join(".ecslint-baseline.json").is_file());
    let r = run_in(d.path(), &["x.json"]);
    assert_ne!(r.code, 2, "{}", r.stderr);
    fs::remove_file(d.path().join("envs/prod.tfvars")).unwrap();
    let r = run_in(d.path(), &["x.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("envs/prod.tfvars: no such file"),
        "{}",
        r.stderr
    );
}

/// A `[[suppress]]` entry applies to the findings of units using its config, not to files below
/// a nested config of their own, even when its config is in use elsewhere in the run (README:
/// nothing is merged across directories).
#[test]
fn sup_suppress_entries_stay_with_their_config() {
    let entry = "[[suppress]]\npath = \"**/w.json\"\nrule = \"ECS401\"\nreason = \"r\"\n";
    let d = tree(&[
        (".ecslint.toml", entry),
        ("w.json", TASKDEF),
        ("nested/.ecslint.toml", "[check]\n"),
        ("nested/w.json", TASKDEF),
    ]);
    let r = run_in(d.path(), &[".", "--select", "ECS401"]);
    // The task definition has two findings: those of w.json are suppressed, not those below.
    assert_eq!(r.suppressed().len(), 2, "{:?}", r.findings());
    assert!(
        r.findings()
            .iter()
            .any(|f| f.starts_with("ECS401 nested/w.json")),
        "{:?}",
        r.findings()
    );
    assert!(
        !r.findings().iter().any(|f| f.starts_with("ECS401 w.json")),
        "{:?}",
        r.findings()
    );
}

/// A finding in a called module's file is reported from its caller's unit, but the `[[suppress]]`
/// entries of the file's own config apply to it too, and a broken config there is an error.
#[test]
fn sup_a_called_modules_own_config_applies_to_its_file() {
    let module = "variable \"image\" {\n  default = \"nginx:latest\"\n}\n\nresource \"aws_ecs_task_definition\" \"app\" {\n  family                   = \"app\"\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode             = \"awsvpc\"\n  cpu                      = 256\n  memory                   = 512\n  container_definitions = jsonencode([{ name = \"web\", image = var.image, essential = true }])\n}\n";
    let caller = "module \"svc\" {\n  source = \"../modules/svc\"\n}\n";
    let entry = "[[suppress]]\npath = \"main.tf\"\nrule = \"ECS401\"\nreason = \"r\"\n";
    let files = |config: &'static str| {
        tree(&[
            ("app/main.tf", caller),
            ("modules/svc/main.tf", module),
            ("modules/svc/.ecslint.toml", config),
        ])
    };
    let d = files("");
    let r = run_in(d.path(), &[".", "--select", "ECS401"]);
    assert!(
        r.findings()
            .iter()
            .any(|f| f.starts_with("ECS401 modules/svc/main.tf")),
        "{:?}",
        r.findings()
    );
    let d = files(entry);
    let r = run_in(d.path(), &[".", "--select", "ECS401"]);
    assert!(r.findings().is_empty(), "{:?}", r.findings());
    assert_eq!(r.suppressed().len(), 1, "{:?}", r.report);
    let d = files("[check\n");
    let r = run_in(d.path(), &[".", "--select", "ECS401"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(".ecslint.toml:1:"), "{}", r.stderr);
}
