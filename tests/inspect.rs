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
        "testdata/terraform/jsonencode",
        "testdata/terraform/heredoc",
        // Scanned alone, `../outside.json` is outside the scan root: refused, value unknown.
        "testdata/terraform/files/module",
        "testdata/terraform/broken",
        "testdata/terraform/plan/plan.json",
        // `.tf.json`: literal values are known; `${...}` strings stay unresolved.
        "testdata/terraform/tfjson",
        // `.tf.json` `count` / `for_each`: one entity per instance, none for `count = 0`.
        "testdata/terraform/tfjson-meta",
        "testdata/cloudformation/intrinsics.yaml",
        "testdata/cloudformation/cdk.template.json",
        "testdata/cloudformation/broken.yaml",
        "testdata/example",
    ] {
        snapshot(Path::new("."), arg);
    }
}

#[test]
#[cfg_attr(not(ecslint_corpus), ignore = "needs ECSLINT_CORPUS (.ci/run sets it)")]
fn corpus_files() {
    let corpus = std::env::var_os("ECSLINT_CORPUS").expect("ECSLINT_CORPUS");
    let corpus = Path::new(&corpus);
    assert!(
        corpus.is_dir(),
        "ECSLINT_CORPUS={} is not a directory",
        corpus.display()
    );
    for arg in [
        // ecspresso: `{{ must_env }}` / `{{ tfstate }}` placeholders inside JSON.
        "ecspresso/tests/td.json",
        // A `terraform show -json` plan.
        "checkov/tests/terraform/image_referencer/resources/aws/ecs_tfplan.json",
        // Heredoc container definitions.
        "checkov/tests/secrets/terraform_multiline/ecs_heredoc.tf",
        // templatefile() plus a regex replace() (which stays unknown).
        "mongodb-ecs-task-definition",
        // CloudFormation YAML with parameters, !Ref, !GetAtt, !Sub.
        "aws-cloudformation-templates/ECS/FargateLaunchType/services/private-subnet-public-service.yaml",
    ] {
        snapshot(corpus, arg);
    }
}
