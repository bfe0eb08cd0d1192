//! Every rule's fixtures under `testdata/rules/<ID>/`: `fail*` files must produce findings of
//! that rule and `pass*` files none; the rendered diagnostics of each file are an insta snapshot.

use ecslint::engine::{self, RuleSelection, ScanOptions};
use std::path::{Path, PathBuf};

fn render(path: &Path, rule: &str) -> (usize, String) {
    // A named .tf file is read with its whole directory, as Terraform reads a module; the
    // fail and pass cases of a rule share a directory, so each is checked alone from a copy
    // (and the copy's location is taken out of the report).
    let alone = tempfile::tempdir().unwrap();
    let scanned = if path.extension().is_some_and(|e| e == "tf") {
        let copy = alone.path().join(path);
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::copy(path, &copy).unwrap();
        copy
    } else {
        path.to_path_buf()
    };
    let scan = engine::scan(&ScanOptions {
        paths: vec![scanned],
        ..ScanOptions::default()
    })
    .expect("fixture exists");
    let diagnostics: Vec<_> = engine::check(
        &scan,
        &RuleSelection {
            select: vec![rule.to_owned()],
            ignore: vec![],
        },
    )
    .into_iter()
    .filter(|d| d.rule_id == rule || d.rule_id == "ECS000")
    .collect();
    assert!(
        diagnostics.iter().all(|d| d.rule_id != "ECS000"),
        "{}: fixture does not parse: {:?}",
        path.display(),
        diagnostics
    );
    let text = ecslint::report::human::render(&scan, &diagnostics, &scan.notes, false);
    // The summary line carries a timing; keep the snapshot stable without it.
    let body = text
        .lines()
        .filter(|l| !l.starts_with("checked "))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(&format!("{}/", alone.path().display()), "");
    (diagnostics.len(), body)
}

#[test]
fn rule_fixtures() {
    let root = Path::new("testdata/rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("testdata/rules")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    for dir in dirs {
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            ecslint::rules::find(&rule).is_some(),
            "{}: no such rule",
            dir.display()
        );
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let (count, body) = render(&path, &rule);
            if name.starts_with("fail") && count == 0 {
                failures.push(format!(
                    "{}: expected {rule} findings, got none",
                    path.display()
                ));
            }
            if name.starts_with("pass") && count > 0 {
                failures.push(format!(
                    "{}: expected no {rule} finding, got:\n{body}",
                    path.display()
                ));
            }
            if name.starts_with("fail") || name.starts_with("pass") {
                insta::with_settings!({snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false}, {
                    insta::assert_snapshot!(format!("{rule}__{}", name.replace('.', "_")), body);
                });
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
