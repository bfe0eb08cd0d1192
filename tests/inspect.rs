//! Snapshots of `ecslint inspect` (the model with its spans) for representative inputs of every
//! construct the front-ends handle: our own fixtures, and corpus files when `ECSLINT_CORPUS` is
//! set. Each snapshot was read by hand against its input before it was accepted.

use assert_cmd::Command;
use std::path::Path;

fn inspect(dir: &Path, arg: &str) -> String {
    let out = Command::cargo_bin("ecslint")
        .unwrap()
        .current_dir(dir)
        .args(["inspect", arg])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut text = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    if !stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&stderr);
    }
    text
}

fn snapshot(dir: &Path, arg: &str) {
    let name = arg.replace(['/', '.'], "_");
    insta::with_settings!({snapshot_path => "snapshots/inspect", prepend_module_to_snapshot => false, description => arg}, {
        insta::assert_snapshot!(name, inspect(dir, arg));
    });
}

#[test]
fn own_fixtures() {
    for arg in [
        "testdata/taskdef/describe-output.json",
        "testdata/taskdef/placeholders.json",
        "testdata/taskdef/containers-array.json",
    ] {
        snapshot(Path::new("."), arg);
    }
}
