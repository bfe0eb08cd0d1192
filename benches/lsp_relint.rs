//! LSP-13, the re-lint latency of `ecslint lsp`: from a one-character change (`didChange` with the
//! whole text) to the new diagnostics, for a 1,000-line task definition and a 30-file Terraform
//! module, each changed back and forth `RUNS` times. A benchmark, not a test: nothing is
//! asserted about time. Run it with a release build (`cargo bench` builds one):
//!
//! ```sh
//! cargo bench --bench lsp_relint
//! ```
//!
//! The server runs in process over `Connection::memory()` (the client of tests/lsp.rs), so the
//! figures are the server's own work plus its 2 ms wait for the rest of a burst of keystrokes.

#[allow(dead_code)]
#[path = "../tests/lsp/support.rs"]
mod support;

use std::path::Path;
use std::time::Duration;
use support::*;

const RUNS: i32 = 50;

const TASK_TF: &str = r#"resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 3000
  container_definitions = jsonencode([
    {
      name      = "web"
      image     = "nginx:1.27.3"
      essential = true
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/app"
          awslogs-region        = "us-east-1"
          awslogs-stream-prefix = "web"
        }
      }
    }
  ])
}
"#;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

/// Median, fastest and slowest of the runs.
fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{what}: median {:.2} ms, min {:.2} ms, max {:.2} ms ({} runs)",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len()
    );
}

fn main() {
    let t = tempfile::tempdir().unwrap();
    // A 1,000-line task definition: 40 containers.
    let mut containers = Vec::new();
    for i in 0..40 {
        containers.push(format!(
            "    {{\n      \"name\": \"c{i}\",\n      \"image\": \"nginx:1.27.{i}\",\n      \"essential\": {},\n      \"cpu\": 16,\n      \"memory\": 64,\n      \"portMappings\": [\n        {{\n          \"containerPort\": {},\n          \"protocol\": \"tcp\"\n        }}\n      ],\n      \"environment\": [\n        {{ \"name\": \"A\", \"value\": \"1\" }},\n        {{ \"name\": \"B\", \"value\": \"2\" }}\n      ],\n      \"logConfiguration\": {{\n        \"logDriver\": \"awslogs\",\n        \"options\": {{\n          \"awslogs-group\": \"/ecs/app\",\n          \"awslogs-region\": \"us-east-1\",\n          \"awslogs-stream-prefix\": \"c{i}\"\n        }}\n      }}\n    }}",
            i == 0,
            8000 + i
        ));
    }
    let json = format!(
        "{{\n  \"family\": \"app\",\n  \"requiresCompatibilities\": [\"FARGATE\"],\n  \"networkMode\": \"awsvpc\",\n  \"cpu\": \"4096\",\n  \"memory\": \"8192\",\n  \"containerDefinitions\": [\n{}\n  ]\n}}\n",
        containers.join(",\n")
    );
    let p = write(t.path(), "big.json", &json);
    let mut c = Client::start(utf16_caps(), Some(t.path()));
    let u = uri(&p);
    c.open(&u, "json", 1, &json);
    c.diagnostics(&u);
    let mut times = Vec::new();
    for v in 2..2 + RUNS {
        let text = json.replace("nginx:1.27.0", &format!("nginx:1.27.{}", v % 2));
        let started = std::time::Instant::now();
        c.change_full(&u, v, &text);
        c.diagnostics_where(&u, |p| p["version"] == v);
        times.push(started.elapsed());
    }
    report(
        &format!("task definition, {} lines", json.lines().count()),
        times,
    );
    // A 30-file module: one task definition and service per file.
    let m = t.path().join("module");
    for i in 0..30 {
        write(
            &m,
            &format!("f{i:02}.tf"),
            &TASK_TF
                .replace("\"app\"", &format!("\"app{i}\""))
                .replace("3000", "3072"),
        );
    }
    let first = m.join("f00.tf");
    let fu = uri(&first);
    let text0 = std::fs::read_to_string(&first).unwrap();
    c.open(&fu, "terraform", 1, &text0);
    c.diagnostics(&fu);
    let mut times = Vec::new();
    for v in 2..2 + RUNS {
        let text = text0.replace("3072", if v % 2 == 0 { "3073" } else { "3072" });
        let started = std::time::Instant::now();
        c.change_full(&fu, v, &text);
        c.diagnostics_where(&fu, |p| p["version"] == v);
        times.push(started.elapsed());
    }
    report("Terraform module, 30 files", times);
    c.shutdown();
}
