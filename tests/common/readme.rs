//! The fenced blocks of the README's `## Install` section, each with the marker comment before it
//! (`<!-- exercised: NAME -->` or `<!-- after publishing -->`), for the tests that run them
//! (DIST-9; see `dist9_readme_install_commands_are_exercised` in tests/distribution.rs).
#![allow(dead_code)]

use std::path::Path;

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (marker, lines) of every fenced block of `## Install`.
pub fn readme_install_blocks() -> Vec<(String, Vec<String>)> {
    let readme = readme();
    let start = readme.find("\n## Install\n").expect("## Install section");
    let section = &readme[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let mut blocks = Vec::new();
    let mut marker: Option<String> = None;
    let mut body: Option<Vec<String>> = None;
    for line in section.lines() {
        if let Some(b) = body.as_mut() {
            if line.starts_with("```") {
                let m = marker
                    .take()
                    .unwrap_or_else(|| panic!("README install block without a marker: {b:?}"));
                blocks.push((m, body.take().unwrap()));
            } else {
                b.push(line.to_owned());
            }
        } else if line.starts_with("```") {
            body = Some(Vec::new());
        } else if let Some(m) = line
            .strip_prefix("<!-- ")
            .and_then(|l| l.strip_suffix(" -->"))
        {
            marker = Some(m.to_owned());
        }
    }
    blocks
}

fn block_lines(name: &str) -> Vec<String> {
    readme_install_blocks()
        .into_iter()
        .find(|(m, _)| *m == format!("exercised: {name}"))
        .unwrap_or_else(|| panic!("no README install block for {name}"))
        .1
}

/// The commands of the README install block marked `<!-- exercised: NAME -->` (blank lines and
/// comments dropped).
pub fn readme_block(name: &str) -> Vec<String> {
    block_lines(name)
        .into_iter()
        .filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
        .collect()
}

/// The README install block marked `<!-- exercised: NAME -->`, verbatim (an editor's
/// configuration file).
pub fn readme_snippet(name: &str) -> String {
    let mut text = block_lines(name).join("\n");
    text.push('\n');
    text
}

/// The project the README's editor set-ups are tried on (tests/lsp_nvim.rs, tests/editors.rs):
/// one file of each kind `ecslint lsp` serves, each with a finding. Returns (path relative to
/// `dir`, the rule expected in that file).
pub fn editor_project(dir: &Path) -> [(&'static str, &'static str); 4] {
    let files = [
        (
            "task.json",
            r#"{
  "family": "app",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "1024",
  "memory": "3000",
  "containerDefinitions": [
    { "name": "web", "image": "nginx:1.27.3", "essential": true }
  ]
}
"#,
        ),
        (
            "stack.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      RequiresCompatibilities: [FARGATE]\n      NetworkMode: awsvpc\n      Cpu: '1024'\n      Memory: '3000'\n      ContainerDefinitions:\n        - Name: web\n          Image: nginx:1.27.3\n          Essential: true\n",
        ),
        (
            "infra/main.tf",
            r#"variable "memory" {}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = var.memory
  container_definitions = jsonencode([
    { name = "web", image = "nginx:latest", essential = true }
  ])
}
"#,
        ),
        ("infra/terraform.tfvars", "memory = 3000\n"),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // A repository root, the marker the set-ups look for.
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    [
        ("task.json", "ECS101"),
        ("stack.yaml", "ECS101"),
        ("infra/main.tf", "ECS401"),
        ("infra/terraform.tfvars", "ECS101"),
    ]
}
