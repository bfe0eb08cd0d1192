//! Reports do not depend on the thread count: the binary runs with `RAYON_NUM_THREADS=1` and `=8`
//! on our fixtures and on the corpus, and every format's bytes must agree, timing fields aside
//! (JSON `summary.elapsed_ms`, the human summary line's seconds).

use std::path::{Path, PathBuf};
use std::process::Command;

const FORMATS: [&str; 5] = ["json", "sarif", "human", "github", "markdown"];

/// The report of `ecslint check ARGS --format FORMAT` run in `dir` with `threads` rayon threads,
/// with its timing fields blanked.
fn report(dir: &Path, args: &[&str], format: &str, threads: usize) -> Vec<u8> {
    let out = Command::new(assert_cmd::cargo::cargo_bin("ecslint"))
        .current_dir(dir)
        .arg("check")
        .args(args)
        .args(["--format", format, "--color", "never", "--fail-on", "never"])
        .args(["--sarif-max-results", "0"])
        .env("RAYON_NUM_THREADS", threads.to_string())
        .env_remove("ECSLINT_TODAY")
        .output()
        .expect("run ecslint");
    assert!(
        out.status.success(),
        "{args:?} {format} with {threads} threads: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    blank_timing(&out.stdout)
}

/// `"elapsed_ms": 123` and `in 0.12s` become fixed text.
fn blank_timing(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8 report");
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if let Some(i) = line.find("\"elapsed_ms\": ") {
            out.push_str(&line[..i]);
            out.push_str("\"elapsed_ms\": 0");
            if line.trim_end().ends_with(',') {
                out.push(',');
            }
            out.push('\n');
        } else if let (Some(a), true) = (line.find(" in "), line.starts_with("checked ")) {
            let rest = &line[a + 4..];
            let b = rest.find("s:").map_or(0, |b| b + 1);
            out.push_str(&line[..a]);
            out.push_str(" in Ts");
            out.push_str(&rest[b..]);
        } else {
            out.push_str(line);
        }
    }
    out.into_bytes()
}

fn assert_same_with_1_and_8_threads(dir: &Path, args: &[&str]) {
    for format in FORMATS {
        let one = report(dir, args, format, 1);
        let eight = report(dir, args, format, 8);
        assert!(!one.is_empty(), "{args:?} {format}: empty report");
        if one != eight {
            let first = one
                .iter()
                .zip(&eight)
                .position(|(a, b)| a != b)
                .unwrap_or(one.len().min(eight.len()));
            let from = first.saturating_sub(200);
            panic!(
                "{} {args:?} --format {format}: 1 and 8 threads differ at byte {first}:\n--- 1 thread:\n{}\n--- 8 threads:\n{}",
                dir.display(),
                String::from_utf8_lossy(&one[from..(first + 200).min(one.len())]),
                String::from_utf8_lossy(&eight[from..(first + 200).min(eight.len())]),
            );
        }
    }
}

#[test]
fn timing_fields_are_the_only_ones_blanked() {
    let json = b"{\n  \"summary\": {\n    \"files\": 3,\n    \"elapsed_ms\": 17\n  },\n  \"elapsed_ms\": 4,\n}\n";
    assert_eq!(
        String::from_utf8(blank_timing(json)).unwrap(),
        "{\n  \"summary\": {\n    \"files\": 3,\n    \"elapsed_ms\": 0\n  },\n  \"elapsed_ms\": 0,\n}\n"
    );
    let human = b"x in y\nchecked 2 files, 1 resource in 0.02s: 1 error, 0 warnings, 0 info\n";
    assert_eq!(
        String::from_utf8(blank_timing(human)).unwrap(),
        "x in y\nchecked 2 files, 1 resource in Ts: 1 error, 0 warnings, 0 info\n"
    );
}

#[test]
fn testdata_reports_agree_with_1_and_8_threads() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_same_with_1_and_8_threads(here, &["testdata"]);
}

#[test]
#[cfg_attr(not(ecslint_corpus), ignore = "needs ECSLINT_CORPUS (.ci/run sets it)")]
fn corpus_reports_agree_with_1_and_8_threads() {
    let corpus = PathBuf::from(std::env::var_os("ECSLINT_CORPUS").expect("ECSLINT_CORPUS"));
    assert!(corpus.is_dir(), "ECSLINT_CORPUS={}", corpus.display());
    assert_same_with_1_and_8_threads(&corpus, &["."]);
}
