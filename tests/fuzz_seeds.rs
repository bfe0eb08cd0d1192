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

/// The entry point of each fuzz target of `fuzz/Cargo.toml` (all but the structure-aware one,
/// which `generated_terraform_parses_and_evaluates` covers, and `hcl_reader`, whose reader the
/// terraform_hcl entry point runs, and `hcl_parser`'s tests against hcl-edit).
fn target_front(target: &str) -> Option<Front> {
    Some(match target {
        "taskdef_json" => Front::TaskDefJson,
        "cloudformation_yaml" => Front::CloudFormationYaml,
        "cloudformation_json" => Front::CloudFormationJson,
        "terraform_hcl" => Front::Terraform,
        "terraform_json" => Front::TerraformJson,
        "terraform_plan" => Front::TerraformPlan,
        "terraform_tfvars" => Front::TerraformVars,
        _ => return None,
    })
}

/// The `[[bin]]` names of `fuzz/Cargo.toml`.
fn fuzz_targets() -> Vec<String> {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo("fuzz/Cargo.toml")).unwrap()).unwrap();
    manifest["bin"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Every fuzz target is one of the entry points run here, and `fuzz/run.sh` runs them all.
#[test]
fn every_fuzz_target_is_known() {
    let run_sh = std::fs::read_to_string(repo("fuzz/run.sh")).unwrap();
    for target in fuzz_targets() {
        assert!(
            [
                "terraform_generated",
                "hcl_reader",
                "config",
                "suppressions"
            ]
            .contains(&target.as_str())
                || target_front(&target).is_some(),
            "fuzz target {target} has no entry point in tests/fuzz_seeds.rs"
        );
        assert!(
            run_sh.contains(&format!(" {target}")),
            "fuzz/run.sh does not run {target}"
        );
    }
}

#[test]
fn committed_seeds() {
    for target in fuzz_targets() {
        type Entry = Box<dyn Fn(&[u8])>;
        let entry: Entry = match (target.as_str(), target_front(&target)) {
            ("config", _) => Box::new(|b| {
                harness::run_config(b);
            }),
            ("suppressions", _) => Box::new(|b| {
                harness::run_suppressions(b);
            }),
            (_, Some(front)) => Box::new(move |b| {
                harness::run(front, b);
            }),
            (_, None) => continue,
        };
        let dir = repo("fuzz/seeds").join(&target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry_path in entries {
            let path = entry_path.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| entry(&bytes)));
            assert!(run.is_ok(), "{target}: {}", path.display());
        }
    }
}

/// The config and suppression targets' seeds parse into what they are meant to exercise, and
/// arbitrary bytes (a fixed pseudo-random sequence) go through both without a panic.
#[test]
fn config_and_suppression_entry_points() {
    let config = std::fs::read(repo("fuzz/seeds/config/full.toml")).unwrap();
    assert!(
        harness::run_config(&config),
        "the config seed is a valid config"
    );
    for seed in ["hcl.tf", "yaml.yaml", "tf.tf.json"] {
        let bytes = std::fs::read(repo("fuzz/seeds/suppressions").join(seed)).unwrap();
        assert!(
            harness::run_suppressions(&bytes) >= 1,
            "{seed}: no directive found"
        );
    }
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..2_000 {
        let mut bytes: Vec<u8> = if i % 2 == 0 {
            config.clone()
        } else {
            b"\x00# ecslint-ignore ECS1 -- r\nresource \"a\" \"b\" {\n}\n".to_vec()
        };
        for _ in 0..(1 + i % 8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state % bytes.len() as u64) as usize;
            bytes[at] = (state >> 32) as u8;
        }
        harness::run_config(&bytes);
        harness::run_suppressions(&bytes);
    }
}

/// The tfvars target reaches the rules: values set in the fuzzed file are judged there.
#[test]
fn tfvars_values_reach_the_rules() {
    let clean = harness::run(
        Front::TerraformVars,
        b"image = \"nginx:1.27.3\"\ncpu = 1024\nmemory = 2048\n",
    );
    assert_eq!(clean.parse_errors, 0);
    assert!(clean.units > 0);
    let bad = harness::run(
        Front::TerraformVars,
        b"image = \"nginx:latest\"\ncpu = 1024\nmemory = 3000\nsidecars = [{ name = \"s\", port = 8080 }]\n",
    );
    assert!(
        bad.findings > clean.findings,
        "{} findings with bad values, {} without",
        bad.findings,
        clean.findings
    );
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

/// `fuzz/Cargo.lock` pins every package it shares with `Cargo.lock` at the same version, so the
/// fuzz smoke of `.ci/run` fuzzes the code `cargo test` tested (after `cargo update`, copy
/// `Cargo.lock` over `fuzz/Cargo.lock` and run `cargo tree` in `fuzz/`).
#[test]
fn fuzz_lockfile_agrees_with_the_main_one() {
    let versions = |path: &str| -> Vec<(String, String)> {
        let lock: toml::Table = toml::from_str(&std::fs::read_to_string(repo(path)).unwrap())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        lock["package"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_owned(),
                    p["version"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let main = versions("Cargo.lock");
    for (name, version) in versions("fuzz/Cargo.lock") {
        let same_name: Vec<&String> = main.iter().filter(|p| p.0 == name).map(|p| &p.1).collect();
        assert!(
            same_name.is_empty() || same_name.contains(&&version),
            "fuzz/Cargo.lock has {name} {version}, Cargo.lock {same_name:?}"
        );
    }
}

/// A stable, deterministic stand-in for the fuzzers in every `cargo test`: for each target's
/// entry point, `MUTANTS` inputs made from its seeds (committed seeds and the `testdata/` inputs
/// of its kind) by a fixed pseudo-random sequence of byte-level mutations (flips, deletions,
/// duplications, splices of tokens the grammars care about, truncation). None may panic. Not
/// coverage-guided: `fuzz/run.sh` (and the smoke in `.ci/run`) is.
#[test]
fn mutated_seeds_through_every_entry_point() {
    const MUTANTS: usize = 150;
    const TOKENS: [&str; 24] = [
        "{",
        "}",
        "[",
        "]",
        "\"",
        ",",
        ":",
        "=",
        "\n",
        "${",
        "%{",
        "}}",
        "!Ref ",
        "!Sub ",
        "Fn::",
        "null",
        "-1e999",
        "99999999999999999999",
        "é",
        "😀",
        "\\",
        "<<EOF\n",
        "*",
        "..",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| -> usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    let mut testdata = Vec::new();
    files_under(&repo("testdata"), &mut testdata);
    for target in fuzz_targets() {
        let Some(front) = target_front(&target) else {
            continue;
        };
        let mut seeds: Vec<Vec<u8>> = Vec::new();
        if let Ok(entries) = std::fs::read_dir(repo("fuzz/seeds").join(&target)) {
            let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
            paths.sort();
            seeds.extend(paths.iter().map(|p| std::fs::read(p).unwrap()));
        }
        for path in &testdata {
            let bytes = std::fs::read(path).unwrap();
            if bytes.len() <= 16 * 1024
                && harness::classify(path, &String::from_utf8_lossy(&bytes)) == Some(front)
            {
                seeds.push(bytes);
            }
        }
        assert!(!seeds.is_empty(), "{target}: no seeds");
        for i in 0..MUTANTS {
            let mut input = seeds[next(seeds.len())].clone();
            for _ in 0..1 + next(4) {
                let at = next(input.len() + 1);
                match next(5) {
                    0 if at < input.len() => input[at] ^= 1 << next(8),
                    1 => {
                        let end = (at + 1 + next(16)).min(input.len());
                        input.drain(at.min(end)..end);
                    }
                    2 => {
                        let end = (at + 1 + next(64)).min(input.len());
                        let copy = input[at.min(end)..end].to_vec();
                        input.splice(at..at, copy);
                    }
                    3 => input.truncate(at),
                    _ => {
                        let token = TOKENS[next(TOKENS.len())].as_bytes();
                        input.splice(at..at, token.iter().copied());
                    }
                }
            }
            let run = std::panic::catch_unwind(|| harness::run(front, &input));
            assert!(
                run.is_ok(),
                "{target}: mutant {i} panicked:\n{}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}
