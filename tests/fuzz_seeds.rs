//! The fuzz targets' entry points on stable, in every `cargo test`: the seeds under
//! `fuzz/seeds/`, every input of `testdata/` (and of the corpus when built with
//! `ECSLINT_CORPUS`), and a few hundred inputs of the structure-aware Terraform generator go
//! through the same code the targets of `fuzz/` run (`fuzz/harness.rs`): no panic, every span
//! of every finding inside its file on character boundaries, every report renders.

#[path = "../fuzz/harness.rs"]
mod harness;

use harness::Front;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Every file under `dir` that is a seed for some front-end, through that front-end; returns
/// how many there were.
fn run_tree(dir: &Path) -> usize {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    let mut n = 0;
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        if let Some(front) = harness::classify(&path, &text) {
            let run = std::panic::catch_unwind(|| harness::run(front, &bytes));
            assert!(run.is_ok(), "{front:?} on {}", path.display());
            n += 1;
        }
    }
    n
}

#[test]
fn committed_seeds() {
    for (target, front) in [
        ("taskdef_json", Front::TaskDefJson),
        ("cloudformation_yaml", Front::CloudFormationYaml),
        ("cloudformation_json", Front::CloudFormationJson),
        ("terraform_hcl", Front::Terraform),
    ] {
        let dir = repo("fuzz/seeds").join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let run = std::panic::catch_unwind(|| harness::run(front, &bytes));
            assert!(run.is_ok(), "{target}: {}", path.display());
        }
    }
}

#[test]
fn testdata_through_the_fuzz_entry_points() {
    let n = run_tree(&repo("testdata"));
    assert!(n >= 300, "only {n} testdata files classified");
}

#[test]
#[cfg_attr(not(ecslint_corpus), ignore = "needs ECSLINT_CORPUS (.ci/run sets it)")]
fn corpus_through_the_fuzz_entry_points() {
    let corpus = PathBuf::from(std::env::var_os("ECSLINT_CORPUS").expect("ECSLINT_CORPUS"));
    let n = run_tree(&corpus);
    assert!(n >= 300, "only {n} corpus files classified");
}

/// The generator's output is valid HCL (so the structure-aware target reaches the evaluator,
/// not the parser's error path) and goes through the harness.
#[test]
fn generated_terraform_parses_and_evaluates() {
    // A fixed pseudo-random sequence (xorshift), so the test is the same on every run.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut evaluated = 0;
    for i in 0..300 {
        let len = 8 + i % 120;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let hcl = harness::terraform_from_bytes(&bytes);
        let outcome = harness::run(Front::Terraform, hcl.as_bytes());
        assert_eq!(outcome.parse_errors, 0, "not valid HCL:\n{hcl}");
        if outcome.units > 0 {
            evaluated += 1;
        }
    }
    assert_eq!(evaluated, 300);
}
