//! Terraform module expansion through the real binary: a registry module installed by
//! `terraform init` (the corpus copy of terraform-aws-modules/ecs, found through
//! `ECSLINT_CORPUS`), and the fixtures of our own under `testdata/terraform/modules/`.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

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

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn json(args: &[&str], path: &Path) -> Value {
    let out = Command::cargo_bin("ecslint")
        .unwrap()
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    let code = out.status.code().expect("exit code");
    assert!(code == 0 || code == 1, "exit {code}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (rule, line) of every finding in `file`.
fn findings_in(report: &Value, file: &str) -> Vec<(String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"].as_str().unwrap().ends_with(file))
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

const ROOT: &str = r#"module "api" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 6.0"

  name        = "api"
  cluster_arn = "arn:aws:ecs:us-east-1:123456789012:cluster/main"

  cpu    = 1024
  memory = 3000

  assign_public_ip = true
  subnet_ids       = ["subnet-0123456789abcdef0"]

  container_definitions = {
    api = {
      image     = "public.ecr.aws/acme/api:latest"
      essential = true
      environment = [
        { name = "DB_PASSWORD", value = "hunter2-prod-secret" }
      ]
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    }
  }
}
"#;

#[test]
#[cfg_attr(not(ecslint_corpus), ignore = "needs ECSLINT_CORPUS (.ci/run sets it)")]
fn registry_module_installed_by_terraform_init() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("main.tf"), ROOT).unwrap();

    // Not initialised: the call is reported, nothing is guessed.
    let report = json(&["check", "--format", "json"], root);
    assert_eq!(
        findings_in(&report, "main.tf"),
        vec![("ECS021".to_owned(), 2)],
        "{report:#}"
    );
    let stats = json(&["inspect", "--stats", "--format", "json"], root);
    assert_eq!(stats["module_calls"], 1);
    assert_eq!(stats["module_calls_unexpanded"], 1);

    // After `terraform init`: the module (and its container-definition submodule) expanded
    // with the caller's arguments; each mistake reported at the caller's line.
    let modules = root.join(".terraform/modules");
    copy_dir(
        &corpus.join("terraform-aws-modules-ecs"),
        &modules.join("api"),
    );
    fs::write(
        modules.join("modules.json"),
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"api","Source":"terraform-aws-modules/ecs/aws//modules/service","Version":"6.0.0","Dir":".terraform/modules/api/modules/service"}]}"#,
    )
    .unwrap();
    let report = json(&["check", "--format", "json"], root);
    let mut at_caller = findings_in(&report, "/main.tf");
    at_caller.retain(|(_, line)| *line > 0);
    at_caller.sort();
    let expected: Vec<(String, u64)> = [
        ("ECS101", 9),
        ("ECS204", 11),
        ("ECS401", 16),
        ("ECS501", 19),
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    for e in &expected {
        assert!(
            at_caller.contains(e),
            "missing {e:?} in {at_caller:?}\n{report:#}"
        );
    }
    assert!(
        !at_caller.iter().any(|(r, _)| r == "ECS021"),
        "{at_caller:?}"
    );
    // And where the module uses each of those values.
    for rule in ["ECS101", "ECS401", "ECS501"] {
        assert!(
            uses(&labels_of(&report, rule))
                .iter()
                .any(|(file, _)| file.ends_with(".tf")),
            "{rule}: {report:#}"
        );
    }
    let stats = json(&["inspect", "--stats", "--format", "json"], root);
    assert_eq!(stats["module_calls_unexpanded"], 0, "{stats:#}");
    assert!(stats["module_calls_expanded"].as_u64().unwrap() >= 2);
    // The secret is never printed.
    assert!(!report.to_string().contains("hunter2-prod-secret"));
}

#[test]
fn modules_json_pointing_outside_the_scan_root_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    fs::create_dir_all(root.join(".terraform/modules")).unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(
        outside.join("main.tf"),
        "resource \"aws_ecs_task_definition\" \"t\" {\n  family = \"secret-outside-root\"\n  container_definitions = \"[]\"\n}\n",
    )
    .unwrap();
    fs::write(
        root.join("main.tf"),
        "module \"x\" {\n  source = \"acme/x/aws\"\n}\n",
    )
    .unwrap();
    fs::write(
        root.join(".terraform/modules/modules.json"),
        r#"{"Modules":[{"Key":"x","Source":"acme/x/aws","Dir":"../outside"}]}"#,
    )
    .unwrap();
    let report = json(&["check", "--format", "json"], &root);
    let notes: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "ECS021")
        .collect();
    assert_eq!(notes.len(), 1, "{report:#}");
    assert!(
        notes[0]["message"]
            .as_str()
            .unwrap()
            .contains("outside the scan roots")
    );
    let model = Command::cargo_bin("ecslint")
        .unwrap()
        .args(["inspect"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&model.stdout).contains("secret-outside-root"));
}

/// The pre-commit shape: the hook passes the changed files. A named `.tf` or `.tfvars` file is
/// read with its whole module (a value may come from a sibling), and only findings located in
/// the named files are reported.
#[test]
fn a_named_file_is_checked_with_its_module_and_reports_only_itself() {
    let report = json(
        &["check", "--format", "json"],
        Path::new("testdata/terraform/modules/local-args/main.tf"),
    );
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert!(
            f["file"].as_str().unwrap().ends_with("local-args/main.tf"),
            "{f:#}"
        );
    }
    // The container's name comes from the module's code: it is still known.
    assert!(
        findings
            .iter()
            .any(|f| f["rule_id"] == "ECS501" && f["message"].as_str().unwrap().contains("`api`")),
        "{report:#}"
    );

    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("main.tf"),
        "variable \"memory\" {\n  default = 512\n}\n\nresource \"aws_ecs_task_definition\" \"app\" {\n  family                   = \"app\"\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode             = \"awsvpc\"\n  cpu                      = 256\n  memory                   = var.memory\n  container_definitions    = jsonencode([{ name = \"app\", image = \"app:latest\", essential = true }])\n}\n",
    )
    .unwrap();
    fs::write(dir.path().join("prod.auto.tfvars"), "memory = 3000\n").unwrap();
    let report = json(
        &["check", "--format", "json"],
        &dir.path().join("prod.auto.tfvars"),
    );
    let located: Vec<(String, u64)> = findings_in(&report, "prod.auto.tfvars");
    assert_eq!(located, vec![("ECS101".to_owned(), 1)], "{report:#}");
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        1,
        "only the named file's findings: {report:#}"
    );
}

/// Hostile module shapes: located findings, no hang, no panic, nothing read outside the roots.
#[test]
fn hostile_module_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("scan");
    // A cycle: a calls b, b calls a.
    for (name, other) in [("a", "b"), ("b", "a")] {
        let d = root.join("cycle").join(name);
        fs::create_dir_all(&d).unwrap();
        fs::write(
            d.join("main.tf"),
            format!("module \"{other}\" {{\n  source = \"../{other}\"\n}}\n"),
        )
        .unwrap();
    }
    // 100 levels deep.
    let mut d = root.join("deep");
    for level in 0..100 {
        fs::create_dir_all(&d).unwrap();
        fs::write(
            d.join("main.tf"),
            format!("module \"next\" {{\n  source = \"./next\"\n  level = {level}\n}}\nvariable \"level\" {{\n  default = 0\n}}\n"),
        )
        .unwrap();
        d = d.join("next");
    }
    // A source outside the scan root.
    fs::create_dir_all(dir.path().join("outside")).unwrap();
    fs::write(
        dir.path().join("outside/main.tf"),
        "resource \"aws_ecs_task_definition\" \"t\" {\n  family = \"secret-outside-root\"\n  container_definitions = \"[]\"\n}\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("escape")).unwrap();
    fs::write(
        root.join("escape/main.tf"),
        "module \"out\" {\n  source = \"../../outside\"\n}\n",
    )
    .unwrap();
    // count = -1, and a 10,000-element for_each.
    fs::create_dir_all(root.join("counts")).unwrap();
    fs::write(
        root.join("counts/main.tf"),
        "resource \"aws_ecs_task_definition\" \"neg\" {\n  count = -1\n  family = \"neg\"\n  container_definitions = \"[]\"\n}\nresource \"aws_ecs_task_definition\" \"many\" {\n  for_each = toset([for i in range(10000) : tostring(i)])\n  family = \"many-${each.key}\"\n  container_definitions = \"[]\"\n}\n",
    )
    .unwrap();

    let report = json(&["check", "--format", "json", "--fail-on", "never"], &root);
    let findings = report["findings"].as_array().unwrap();
    let with = |rule: &str, text: &str| {
        findings
            .iter()
            .any(|f| f["rule_id"] == rule && f["message"].as_str().unwrap().contains(text))
    };
    assert!(with("ECS021", "cycle"), "{report:#}");
    assert!(with("ECS021", "deeper than 16"), "{report:#}");
    assert!(with("ECS021", "outside the scan roots"), "{report:#}");
    assert!(with("ECS000", "invalid count: -1"), "{report:#}");
    let stats = json(&["inspect", "--stats", "--format", "json"], &root);
    assert_eq!(stats["task_definitions"], 10_000, "{stats:#}");
    let model = Command::cargo_bin("ecslint")
        .unwrap()
        .arg("inspect")
        .arg(&root)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&model.stdout).contains("secret-outside-root"));
}

/// DIST-3: pre-commit passes file names. An excluded file passed explicitly gets no finding (as
/// ruff's `--force-exclude`), and a passed `.tf` file is linted with its whole module but only
/// its own findings are reported.
#[test]
fn dist_03_explicit_files_honour_exclude_and_report_only_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::copy("testdata/rules/ECS101/fail.json", root.join("bad.json")).unwrap();
    fs::create_dir_all(root.join("tf")).unwrap();
    fs::write(
        root.join("tf/main.tf"),
        "resource \"aws_ecs_task_definition\" \"a\" {\n  family                   = \"a\"\n  requires_compatibilities = [\"FARGATE\"]\n  cpu                      = 1024\n  memory                   = var.memory\n  container_definitions    = jsonencode([{ name = \"a\", image = \"a:1.0\", essential = true }])\n}\n",
    )
    .unwrap();
    fs::write(
        root.join("tf/vars.tf"),
        "variable \"memory\" {\n  default = 3000\n}\n",
    )
    .unwrap();
    fs::write(
        root.join(".ecslint.toml"),
        "[check]\nexclude = [\"bad.json\"]\n",
    )
    .unwrap();
    let run = |file: &str| {
        let out = Command::cargo_bin("ecslint")
            .unwrap()
            .current_dir(root)
            .args(["check", "--format", "json", file])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap().to_owned(),
                    f["file"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(run("bad.json"), vec![], "an excluded file named explicitly");
    // The invalid size is written in vars.tf: main.tf alone reports nothing, vars.tf reports it.
    assert!(
        !run("tf/main.tf").iter().any(|(r, _)| r == "ECS101"),
        "{:?}",
        run("tf/main.tf")
    );
    let from_vars = run("tf/vars.tf");
    assert!(
        from_vars
            .iter()
            .any(|(r, f)| r == "ECS101" && f.ends_with("vars.tf")),
        "{from_vars:?}"
    );
    assert!(from_vars.iter().all(|(_, f)| f.ends_with("vars.tf")));
}

/// Label messages of the first `rule` finding, as (file suffix, line, message).
fn labels_of(report: &Value, rule: &str) -> Vec<(String, u64, String)> {
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {report:#}"));
    finding["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["file"].as_str().unwrap().to_owned(),
                l["line"].as_u64().unwrap(),
                l["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn uses(labels: &[(String, u64, String)]) -> Vec<(String, u64)> {
    labels
        .iter()
        .filter(|(_, _, m)| m == "the module uses it here")
        .map(|(f, l, _)| {
            let f = f.replace('\\', "/");
            let tail = f.rsplit("/modules/").next().unwrap_or(&f).to_owned();
            (tail, *l)
        })
        .collect()
}

/// A value passed from outside a module is reported where it is written, with a label where
/// the module uses it: one level (caller argument), two levels (the innermost use), tfvars.
#[test]
fn a_value_set_outside_the_module_is_labelled_where_the_module_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("modules/outer")).unwrap();
    fs::create_dir_all(root.join("modules/inner")).unwrap();
    fs::write(
        root.join("main.tf"),
        r#"variable "image" {
  type = string
}

module "outer" {
  source = "./modules/outer"
  memory = 3000
  image  = var.image
}
"#,
    )
    .unwrap();
    fs::write(
        root.join("terraform.tfvars"),
        "image = \"registry.example.com/api:latest\"\n",
    )
    .unwrap();
    fs::write(
        root.join("modules/outer/main.tf"),
        r#"variable "memory" {}
variable "image" {}

module "inner" {
  source = "../inner"
  memory = var.memory
  image  = var.image
}
"#,
    )
    .unwrap();
    fs::write(
        root.join("modules/inner/main.tf"),
        r#"variable "memory" {}
variable "image" {}

resource "aws_ecs_task_definition" "this" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = var.memory
  container_definitions = jsonencode([{
    name      = "api"
    image     = var.image
    essential = true
  }])
}
"#,
    )
    .unwrap();
    let report = json(&["check", "--format", "json"], root);
    // Two levels down from the root's argument: the label is at the resource that uses it.
    let at_root: Vec<(String, u64)> = findings_in(&report, "main.tf")
        .into_iter()
        .filter(|(rule, _)| rule == "ECS101")
        .collect();
    assert_eq!(at_root, vec![("ECS101".to_owned(), 7)], "{report:#}");
    assert_eq!(
        uses(&labels_of(&report, "ECS101")),
        vec![("inner/main.tf".to_owned(), 9)],
        "{report:#}"
    );
    // From terraform.tfvars through the root's variable and two modules.
    assert_eq!(
        findings_in(&report, "terraform.tfvars"),
        vec![("ECS401".to_owned(), 1)]
    );
    assert_eq!(
        uses(&labels_of(&report, "ECS401")),
        vec![("inner/main.tf".to_owned(), 12)],
        "{report:#}"
    );
}

/// The module's own literal gets no such label (it is written where it is used).
#[test]
fn a_module_default_is_not_labelled_as_a_use() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform/modules/local-args");
    let report = json(&["check", "--format", "json"], &root);
    assert_eq!(
        uses(&labels_of(&report, "ECS101")),
        vec![("service/main.tf".to_owned(), 6)]
    );
    let in_module: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"].as_str().unwrap().contains("local-args/modules/"))
        .collect();
    assert!(!in_module.is_empty(), "{report:#}");
    for f in in_module {
        let labels = f["labels"].as_array().unwrap();
        assert!(
            !labels
                .iter()
                .any(|l| l["message"] == "the module uses it here"),
            "{f:#}"
        );
    }
}

/// `.tf.json`: `count = 0` resources do not exist, `count`/`for_each` make one per instance,
/// and a module call (not expanded from JSON) is reported and counted, never silently skipped.
#[test]
fn tf_json_meta_arguments_and_module_calls() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform/tfjson-meta");
    let report = json(&["check", "--format", "json"], &root);
    let found = findings_in(&report, "main.tf.json");
    assert!(found.contains(&("ECS021".to_owned(), 13)), "{report:#}");
    // The `count = 0` task definition (invalid size on line 26) is not reported.
    assert!(!found.iter().any(|(rule, _)| rule == "ECS101"), "{found:?}");
    let stats = json(&["inspect", "--stats", "--format", "json"], &root);
    assert_eq!(stats["task_definitions"], 4, "{stats:#}");
    assert_eq!(stats["module_calls"], 1);
    assert_eq!(stats["module_calls_unexpanded"], 1);
}
