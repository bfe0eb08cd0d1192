//! Front-end guarantees stated as assertions (the inspect snapshots show the rest).

use ecslint::engine::{self, Scan, ScanOptions};
use ecslint::model::{TaskDefinition, Value, known};
use std::path::PathBuf;

fn scan(path: &str) -> Scan {
    engine::scan(&ScanOptions {
        paths: vec![PathBuf::from(path)],
        ..ScanOptions::default()
    })
    .unwrap()
}

fn task<'s>(scan: &'s Scan, name: &str) -> &'s TaskDefinition {
    scan.units
        .iter()
        .flat_map(|u| &u.task_definitions)
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

#[test]
fn file_and_templatefile_never_read_outside_the_scan_root() {
    // Root = the module directory: `../outside.json` is refused, and its content never loaded.
    let s = scan("testdata/terraform/files/module");
    let outside = task(&s, "aws_ecs_task_definition.outside");
    assert!(matches!(
        outside.container_definitions.as_ref().unwrap().value,
        Value::Unresolved { .. }
    ));
    assert!(
        s.db.all()
            .iter()
            .all(|f| !f.text.contains("secret-outside-root"))
    );
    assert!(
        s.notes
            .iter()
            .any(|n| n.message.contains("outside the scan root"))
    );
    // A symlink pointing out of the root is refused the same way.
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("module");
    std::fs::create_dir(&module).unwrap();
    std::fs::write(
        dir.path().join("secret.json"),
        "[{\"name\": \"leak\", \"image\": \"x:1\"}]",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("secret.json"), module.join("link.json")).unwrap();
    std::fs::write(
        module.join("main.tf"),
        "resource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  container_definitions = templatefile(\"${path.module}/link.json\", {})\n}\n",
    )
    .unwrap();
    let s = engine::scan(&ScanOptions {
        paths: vec![module.join("main.tf")],
        respect_ignore: false,
        ..ScanOptions::default()
    })
    .unwrap();
    let t = task(&s, "aws_ecs_task_definition.t");
    #[cfg(unix)]
    assert!(matches!(
        t.container_definitions.as_ref().unwrap().value,
        Value::Unresolved { .. }
    ));
    assert!(s.db.all().iter().all(|f| !f.text.contains("leak")));
}

#[test]
fn a_variable_without_default_is_unresolved_never_guessed() {
    let s = scan("testdata/terraform/jsonencode");
    let app = task(&s, "aws_ecs_task_definition.app");
    // `"...:${var.image_tag}"`: the known text is kept, the variable is a hole.
    match &app.containers()[0].image.as_ref().unwrap().value {
        Value::Partial(parts) => assert!(
            parts.contains(&ecslint::model::Part::Hole("var.image_tag".into())),
            "{parts:?}"
        ),
        other => panic!("image should be partly unknown, got {other:?}"),
    }
    match &app.execution_role_arn.as_ref().unwrap().value {
        Value::Unresolved { expr } => assert_eq!(expr, "var.execution_role_arn"),
        other => panic!("{other:?}"),
    }
    // tfvars beat defaults; expressions over known values are evaluated.
    assert_eq!(known(&app.memory), Some(&2048));
    assert_eq!(known(&app.cpu), Some(&512));
    assert_eq!(
        app.containers().len(),
        2,
        "enable_xray = true in terraform.tfvars"
    );
}

#[test]
fn heredoc_spans_point_into_the_tf_file() {
    let s = scan("testdata/terraform/heredoc");
    let web = task(&s, "aws_ecs_task_definition.web");
    let mapping = &known(&web.containers()[0].port_mappings).unwrap()[0];
    let host = mapping.host_port.as_ref().unwrap();
    let file = s.db.get(host.span.file);
    assert_eq!(file.slice(&host.span.range), "8080");
    let lc = file.line_col(host.span.start());
    assert_eq!((lc.line, lc.column), (21, 61));
    // An unknown interpolation is unknown in place; the rest of the JSON stays known.
    let log = known(&web.containers()[0].log_configuration).unwrap();
    assert!(matches!(
        log.option("awslogs-group")
            .unwrap()
            .value
            .as_ref()
            .unwrap()
            .value,
        Value::Unresolved { .. }
    ));
    assert_eq!(
        known(&log.option("awslogs-region").unwrap().value),
        Some(&"us-east-2".to_owned())
    );
}

#[test]
fn cloudformation_links_and_conditions() {
    let s = scan("testdata/cloudformation/intrinsics.yaml");
    let unit = &s.units[0];
    let service = &unit.services[0];
    let td = ecslint::link::task_definition_of(unit, service).expect("linked by !Ref");
    assert_eq!(td.name, "Task");
    assert_eq!(
        known(&td.cpu),
        Some(&1024),
        "FindInMap over the Stage default"
    );
    assert_eq!(
        known(&service.desired_count),
        Some(&3),
        "!If on a condition over known values"
    );
    // A container list with an element behind an unknown condition is unknown as a whole.
    assert!(matches!(
        td.container_definitions.as_ref().unwrap().value,
        Value::Unresolved { .. }
    ));
    // Byte spans are right after multibyte characters.
    let family = td.family.as_ref().unwrap();
    let file = s.db.get(family.span.file);
    assert_eq!(
        file.slice(&family.span.range),
        "!Join [\"-\", [payments, !Ref Stage]]"
    );
}

#[test]
fn syntax_errors_are_located_and_the_module_goes_on() {
    let s = scan("testdata/terraform/broken");
    assert_eq!(s.parse_errors.len(), 1);
    let e = &s.parse_errors[0];
    let file = s.db.get(e.primary.file);
    let lc = file.line_col(e.primary.start());
    assert!(file.path.ends_with("main.tf"));
    assert_eq!((lc.line, lc.column), (8, 19));
    assert_eq!(
        known(&task(&s, "aws_ecs_task_definition.still_read").cpu),
        Some(&512)
    );
}
