//! Properties over generated inputs (proptest): task definitions written as task-definition
//! JSON, CloudFormation YAML and Terraform, with multi-byte text, CRLF line ends and random
//! layout. For every generated set of files:
//! - every span a report can show lies inside its file and on character boundaries;
//! - the reports are the same whether files are reduced to excerpts or kept whole, whatever the
//!   thread count (1 or 4) and whatever the order the files are named in.

use ecslint::config::{CliSelection, Resolver};
use ecslint::engine::ScanOptions;
use ecslint::pipeline::{self, Options};
use ecslint::report;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Text that JSON, YAML flow style and HCL strings all carry unchanged: letters, digits and
/// multi-byte characters (two, three and four bytes in UTF-8; the last is two UTF-16 units).
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec!["a", "b", "z", "0", "7", "-", "é", "ß", "語", "😀"]),
        1..8,
    )
    .prop_map(|parts| parts.concat())
}

fn image() -> impl Strategy<Value = String> {
    (
        text(),
        prop::sample::select(vec!["", ":latest", ":1.2.3", "@sha256:0f"]),
    )
        .prop_map(|(name, tag)| format!("registry.example.com/{name}{tag}"))
}

fn container() -> impl Strategy<Value = Value> {
    (
        text(),
        image(),
        prop::option::of(prop::sample::select(vec![0u32, 128, 512, 700])),
        prop::bool::ANY,
        prop::collection::vec((text(), text(), prop::bool::ANY), 0..3),
        prop::option::of(prop::sample::select(vec![0u32, 80, 8080])),
        prop::bool::ANY,
    )
        .prop_map(|(name, image, memory, essential, env, port, logs)| {
            let mut c = json!({ "name": name, "image": image, "essential": essential });
            if let Some(m) = memory {
                c["memory"] = json!(m);
            }
            if !env.is_empty() {
                let vars: Vec<Value> = env
                    .into_iter()
                    .map(|(k, v, secret)| {
                        let key = if secret {
                            format!("DB_PASSWORD_{k}")
                        } else {
                            k
                        };
                        json!({ "name": key, "value": v })
                    })
                    .collect();
                c["environment"] = Value::Array(vars);
            }
            if let Some(p) = port {
                c["portMappings"] = json!([{ "containerPort": 8080, "hostPort": p }]);
            }
            if logs {
                c["logConfiguration"] = json!({
                    "logDriver": "awslogs",
                    "options": { "awslogs-group": "/ecs/x", "awslogs-region": "us-east-1" }
                });
            }
            c
        })
}

#[derive(Debug, Clone, Copy)]
enum Shape {
    TaskDefinitionJson,
    CloudFormationYaml,
    Terraform,
}

#[derive(Debug, Clone)]
struct Input {
    shape: Shape,
    family: String,
    cpu: &'static str,
    memory: &'static str,
    network_mode: &'static str,
    containers: Vec<Value>,
    pretty: bool,
    crlf: bool,
}

fn input() -> impl Strategy<Value = Input> {
    (
        prop::sample::select(vec![
            Shape::TaskDefinitionJson,
            Shape::CloudFormationYaml,
            Shape::Terraform,
        ]),
        text(),
        prop::sample::select(vec!["256", "1024", "3000"]),
        prop::sample::select(vec!["512", "2048", "3000", "100000"]),
        prop::sample::select(vec!["awsvpc", "bridge", "host"]),
        prop::collection::vec(container(), 1..4),
        prop::bool::ANY,
        prop::bool::ANY,
    )
        .prop_map(
            |(shape, family, cpu, memory, network_mode, containers, pretty, crlf)| Input {
                shape,
                family,
                cpu,
                memory,
                network_mode,
                containers,
                pretty,
                crlf,
            },
        )
}

impl Input {
    fn file_name(&self, i: usize) -> String {
        match self.shape {
            Shape::TaskDefinitionJson => format!("t{i}/task-definition.json"),
            Shape::CloudFormationYaml => format!("t{i}/template.yaml"),
            Shape::Terraform => format!("t{i}/main.tf"),
        }
    }

    fn text(&self) -> String {
        let containers = Value::Array(self.containers.clone());
        let list = if self.pretty {
            serde_json::to_string_pretty(&containers).unwrap()
        } else {
            containers.to_string()
        };
        let text = match self.shape {
            Shape::TaskDefinitionJson => {
                let td = json!({
                    "family": self.family,
                    "requiresCompatibilities": ["FARGATE"],
                    "networkMode": self.network_mode,
                    "cpu": self.cpu,
                    "memory": self.memory,
                    "containerDefinitions": containers,
                });
                if self.pretty {
                    serde_json::to_string_pretty(&td).unwrap() + "\n"
                } else {
                    td.to_string()
                }
            }
            // YAML's flow style is JSON: the container list goes in as written.
            Shape::CloudFormationYaml => format!(
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  TaskDef:\n    \
                 Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: \"{}\"\n      \
                 RequiresCompatibilities: [FARGATE]\n      NetworkMode: {}\n      Cpu: '{}'\n      \
                 Memory: '{}'\n      ContainerDefinitions: {}\n",
                self.family,
                self.network_mode,
                self.cpu,
                self.memory,
                serde_json::to_string(&capitalised(&containers)).unwrap()
            ),
            // HCL's object constructor takes JSON's `"key": value` too.
            Shape::Terraform => format!(
                "resource \"aws_ecs_task_definition\" \"this\" {{\n  family = \"{}\"\n  \
                 requires_compatibilities = [\"FARGATE\"]\n  network_mode = \"{}\"\n  \
                 cpu = {}\n  memory = {}\n  container_definitions = jsonencode({})\n}}\n",
                self.family, self.network_mode, self.cpu, self.memory, list
            ),
        };
        if self.crlf {
            text.replace('\n', "\r\n")
        } else {
            text
        }
    }
}

/// CloudFormation spells container properties in PascalCase.
fn capitalised(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let mut key = k.clone();
                    if let Some(first) = key.get_mut(0..1) {
                        first.make_ascii_uppercase();
                    }
                    // Option maps (log driver options) keep their keys.
                    let v = if k == "options" {
                        v.clone()
                    } else {
                        capitalised(v)
                    };
                    (key, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(capitalised).collect()),
        other => other.clone(),
    }
}

/// The JSON and terminal reports of a check of `paths` (every rule selected), without the
/// elapsed time; and every span problem found on the way (checked on whole files).
fn check(paths: &[PathBuf], excerpts: bool, threads: usize) -> (String, Vec<String>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let options = ScanOptions {
            paths: paths.to_vec(),
            excerpts,
            ..ScanOptions::default()
        };
        let resolver = Resolver::new(None, true).unwrap();
        let opts = Options {
            cli: CliSelection {
                select: vec!["ALL".into()],
                ..CliSelection::default()
            },
            ..Options::default()
        };
        let (scan, outcome) = pipeline::scan_and_run(&options, &resolver, &opts, None)
            .unwrap()
            .unwrap();
        let mut problems = Vec::new();
        if !excerpts {
            for d in &outcome.diagnostics {
                let mut spans = vec![&d.primary];
                spans.extend(d.labels.iter().map(|(s, _)| s));
                spans.extend(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| &e.span)));
                for s in spans {
                    let file = scan.db.get(s.file);
                    let (a, b) = (s.range.start as usize, s.range.end as usize);
                    if !(a <= b
                        && b <= file.text.len()
                        && file.text.is_char_boundary(a)
                        && file.text.is_char_boundary(b))
                    {
                        problems.push(format!("{} {a}..{b} in {}", d.rule_id, file.path.display()));
                    }
                }
            }
        }
        let mut json: Value = serde_json::from_str(&report::json::render(
            &scan,
            &outcome.diagnostics,
            &scan.notes,
        ))
        .unwrap();
        json["summary"]
            .as_object_mut()
            .unwrap()
            .remove("elapsed_ms");
        let human = report::human::render(&scan, &outcome.diagnostics, &scan.notes, false);
        let human = human
            .lines()
            .filter(|l| !l.starts_with("checked "))
            .collect::<Vec<_>>()
            .join("\n");
        let mut sarif = Vec::new();
        report::sarif::write_with(
            &scan,
            &outcome.diagnostics,
            &report::sarif::Extra::default(),
            &mut sarif,
        )
        .unwrap();
        let sarif = String::from_utf8(sarif).unwrap();
        (format!("{json:#}\n{human}\n{sarif}"), problems)
    })
}

fn write_all(dir: &Path, inputs: &[Input]) -> Vec<PathBuf> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let path = dir.join(input.file_name(i));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, input.text()).unwrap();
            path
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn spans_are_sound_and_reports_independent_of_excerpts_threads_and_order(
        inputs in prop::collection::vec(input(), 1..5)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_all(dir.path(), &inputs);
        let (whole, problems) = check(&paths, false, 1);
        prop_assert!(problems.is_empty(), "{}", problems.join("\n"));
        prop_assert!(whole.contains("\"rule_id\""), "no finding at all:\n{whole}");
        let (excerpted, _) = check(&paths, true, 4);
        prop_assert_eq!(&whole, &excerpted, "excerpts, 4 threads");
        let reversed: Vec<PathBuf> = paths.iter().rev().cloned().collect();
        let (reordered, _) = check(&reversed, true, 1);
        prop_assert_eq!(&whole, &reordered, "files named in reverse order");
    }
}
