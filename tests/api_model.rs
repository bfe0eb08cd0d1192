//! `src/rules/validity/api_model.rs` is generated from the API models copied under
//! `$ECSLINT_REFERENCE/aws-models/`: from the ECS API model (botocore's `service-2.json`), every
//! enum and every list of required members reachable from the request shapes of the operations
//! that create what ecslint reads, by API member path; from the CloudFormation resource schemas
//! of `AWS::ECS::TaskDefinition` and `AWS::ECS::Service`, each definition's required properties.
//! This test regenerates the table and fails when the checked-in copy differs; run it with
//! `ECSLINT_REGENERATE=1` to rewrite the file after updating the models.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

const OPERATIONS: &[&str] = &[
    "RegisterTaskDefinition",
    "CreateService",
    "CreateCluster",
    "CreateTaskSet",
    "CreateCapacityProvider",
];
const CFN_SCHEMAS: &[&str] = &[
    "cfn-aws-ecs-taskdefinition.json",
    "cfn-aws-ecs-service.json",
];
const TABLE: &str = "src/rules/validity/api_model.rs";

type Rows = Vec<(String, Vec<String>)>;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn push(rows: &mut Rows, path: &str, values: Vec<String>) {
    if !rows.iter().any(|(p, _)| p == path) {
        rows.push((path.to_owned(), values));
    }
}

fn walk(
    shapes: &Value,
    shape: &str,
    path: &str,
    stack: &mut Vec<String>,
    enums: &mut Rows,
    required: &mut Rows,
) {
    let def = &shapes[shape];
    if def.get("enum").is_some() {
        push(enums, path, strings(&def["enum"]));
        return;
    }
    if stack.iter().any(|s| s == shape) {
        return;
    }
    stack.push(shape.to_owned());
    match def["type"].as_str() {
        Some("structure") => {
            if def.get("required").is_some() {
                push(required, path, strings(&def["required"]));
            }
            for (name, member) in def["members"].as_object().unwrap() {
                let target = member["shape"].as_str().unwrap();
                walk(
                    shapes,
                    target,
                    &format!("{path}.{name}"),
                    stack,
                    enums,
                    required,
                );
            }
        }
        Some("list") => {
            let target = def["member"]["shape"].as_str().unwrap();
            walk(shapes, target, &format!("{path}[]"), stack, enums, required);
        }
        _ => {}
    }
    stack.pop();
}

/// The normalised form of an object path (`containerDefinitions[].portMappings[]` →
/// `containerdefinitions[].portmappings[]`): what the front-ends' keys are matched on.
fn norm(path: &str) -> String {
    path.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Merge `names` into the row for `path` (request and response shapes share paths).
fn merge(rows: &mut Rows, path: &str, names: Vec<String>) {
    match rows.iter_mut().find(|(p, _)| p == path) {
        Some((_, have)) => {
            for n in names {
                if !have.contains(&n) {
                    have.push(n);
                }
            }
        }
        None => rows.push((path.to_owned(), names)),
    }
}

/// Member names of every structure reachable from `shape`, by normalised path; maps (free
/// keys) are not entered.
fn api_members(shapes: &Value, shape: &str, path: &str, stack: &mut Vec<String>, out: &mut Rows) {
    let def = &shapes[shape];
    if stack.iter().any(|s| s == shape) {
        return;
    }
    stack.push(shape.to_owned());
    match def["type"].as_str() {
        Some("structure") => {
            let members = def["members"].as_object().unwrap();
            merge(out, &norm(path), members.keys().cloned().collect());
            for (name, member) in members {
                let target = member["shape"].as_str().unwrap();
                let sep = if path.is_empty() { "" } else { "." };
                api_members(shapes, target, &format!("{path}{sep}{name}"), stack, out);
            }
        }
        Some("list") => {
            let target = def["member"]["shape"].as_str().unwrap();
            api_members(shapes, target, &format!("{path}[]"), stack, out);
        }
        _ => {}
    }
    stack.pop();
}

/// Property names of every object of a CloudFormation schema, by normalised path, following
/// `$ref`s; objects with free keys (`patternProperties`) are not entered.
fn cfn_members(schema: &Value, def: &Value, path: &str, depth: usize, out: &mut Rows) {
    if depth > 12 {
        return;
    }
    let def = match def["$ref"].as_str() {
        Some(r) => &schema["definitions"][r.trim_start_matches("#/definitions/")],
        None => def,
    };
    if def["type"].as_str() == Some("array") || def.get("items").is_some() {
        cfn_members(schema, &def["items"], &format!("{path}[]"), depth + 1, out);
        return;
    }
    let Some(props) = def["properties"].as_object() else {
        return;
    };
    merge(out, &norm(path), props.keys().cloned().collect());
    for (name, prop) in props {
        let sep = if path.is_empty() { "" } else { "." };
        cfn_members(schema, prop, &format!("{path}{sep}{name}"), depth + 1, out);
    }
}

fn table(s: &mut String, doc: &str, name: &str, rows: &Rows) {
    s.push('\n');
    for line in doc.lines() {
        writeln!(s, "/// {line}").unwrap();
    }
    writeln!(s, "pub static {name}: &[(&str, &[&str])] = &[").unwrap();
    for (path, values) in rows {
        let list = values
            .iter()
            .map(|v| format!("{v:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(s, "    ({path:?}, &[{list}]),").unwrap();
    }
    s.push_str("];\n");
}

fn generate(model: &Value, cfn: &[Value]) -> String {
    let shapes = &model["shapes"];
    let (mut enums, mut required) = (Vec::new(), Vec::new());
    for op in OPERATIONS {
        let input = model["operations"][op]["input"]["shape"].as_str().unwrap();
        walk(
            shapes,
            input,
            op,
            &mut Vec::new(),
            &mut enums,
            &mut required,
        );
    }
    let mut cfn_required = Vec::new();
    for schema in cfn {
        let type_name = schema["typeName"].as_str().unwrap();
        if schema.get("required").is_some() {
            push(&mut cfn_required, type_name, strings(&schema["required"]));
        }
        for (name, def) in schema["definitions"].as_object().unwrap() {
            if def.get("required").is_some() {
                push(
                    &mut cfn_required,
                    &format!("{type_name}#{name}"),
                    strings(&def["required"]),
                );
            }
        }
    }
    let mut members = Vec::new();
    let input = model["operations"]["RegisterTaskDefinition"]["input"]["shape"]
        .as_str()
        .unwrap();
    api_members(shapes, input, "", &mut Vec::new(), &mut members);
    // `describe-task-definition` output, which raw task-definition files often are.
    api_members(shapes, "TaskDefinition", "", &mut Vec::new(), &mut members);
    let mut cfn_task = Vec::new();
    let schema = cfn
        .iter()
        .find(|s| s["typeName"] == "AWS::ECS::TaskDefinition")
        .unwrap();
    cfn_members(schema, schema, "", 0, &mut cfn_task);
    let mut s = String::new();
    writeln!(
        s,
        "// @generated by tests/api_model.rs from the ECS API model (botocore service-2.json, API\n\
         // version {}) and the CloudFormation resource schemas of AWS::ECS::TaskDefinition and\n\
         // AWS::ECS::Service. Do not edit: run `ECSLINT_REGENERATE=1 cargo test --test api_model`.",
        model["metadata"]["apiVersion"].as_str().unwrap()
    )
    .unwrap();
    table(
        &mut s,
        "Enum-typed request members by API path (`Operation.member.member[]...`) and their\nvalues, in the model's order. Values are case-sensitive.",
        "API_ENUMS",
        &enums,
    );
    table(
        &mut s,
        "Request structures by API path and the members the API requires in them.",
        "API_REQUIRED",
        &required,
    );
    table(
        &mut s,
        "CloudFormation: the required properties of each resource type (`AWS::ECS::Service`)\nand of each of its definitions (`AWS::ECS::TaskDefinition#ContainerDefinition`).",
        "CFN_REQUIRED",
        &cfn_required,
    );
    table(
        &mut s,
        "Task definition objects by normalised path (`containerdefinitions[].portmappings[]`; `\"\"`\nis the task definition itself) and the API's member names in them: the\n`RegisterTaskDefinition` request and the `TaskDefinition` that `DescribeTaskDefinition`\nreturns. Objects with free keys (`dockerLabels`, log `options`) have no row.",
        "API_TASK_DEFINITION_MEMBERS",
        &members,
    );
    table(
        &mut s,
        "The same for `AWS::ECS::TaskDefinition` properties (CloudFormation spelling).",
        "CFN_TASK_DEFINITION_MEMBERS",
        &cfn_task,
    );
    s
}

#[test]
#[cfg_attr(
    not(ecslint_reference),
    ignore = "needs ECSLINT_REFERENCE (.ci/run sets it)"
)]
fn api_model_table_matches_the_models() {
    let reference = std::env::var_os("ECSLINT_REFERENCE").expect("ECSLINT_REFERENCE");
    let dir = Path::new(&reference).join("aws-models");
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let model = read("botocore-ecs-service-2.json");
    let cfn: Vec<Value> = CFN_SCHEMAS.iter().map(|n| read(n)).collect();
    let want = generate(&model, &cfn);
    let table = Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    if std::env::var_os("ECSLINT_REGENERATE").is_some() {
        std::fs::write(&table, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&table).unwrap_or_default();
    assert!(
        have == want,
        "{TABLE} is out of date with {}: run `ECSLINT_REGENERATE=1 cargo test --test api_model`",
        dir.display()
    );
}
