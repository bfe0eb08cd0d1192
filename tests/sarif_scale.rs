//! SARIF at scale through the real binary: the report is written result by result, so a run
//! with tens of thousands of results needs no more memory than the same run writing one result.
//! (GitHub's limit of 25,000 results per run: tests/sarif_limit.rs.)
//!
//! This file holds one test on purpose: a child's peak RSS from `wait4` includes the memory of
//! this process it shared between fork and exec, so no other test may grow this process while
//! the children run (the test harness runs the tests of one file in parallel threads).

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HANG_GUARD: Duration = Duration::from_secs(300);

/// A directory of `files` task definitions of 1,000 containers each: every container has three
/// findings (ECS104, an error; ECS301 and ECS401, warnings) and every file one more (ECS105, an
/// error).
fn input(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let containers: Vec<String> = (0..1000)
        .map(|i| {
            format!("{{\"name\": \"c{i}\", \"image\": \"nginx:latest\", \"essential\": true}}")
        })
        .collect();
    let text = format!(
        "{{\"family\": \"f\", \"containerDefinitions\": [\n{}\n]}}\n",
        containers.join(",\n")
    );
    fs::create_dir(dir.path().join("input")).unwrap();
    for i in 0..files {
        fs::write(dir.path().join(format!("input/td{i:03}.json")), &text).unwrap();
    }
    dir
}

struct Run {
    code: i32,
    stderr: String,
    max_rss_kib: i64,
}

/// `ecslint check input --format sarif --output report.sarif EXTRA` in `dir`, with the child's
/// own peak RSS from `wait4` (as tests/budget.rs does).
fn sarif(dir: &Path, extra: &[&str]) -> Run {
    let started = Instant::now();
    let err = dir.join("stderr.txt");
    // Reaped below by `wait4`, which also gives this child's own peak RSS.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ecslint"))
        .current_dir(dir)
        .args(["check", "input", "--format", "sarif", "--fail-on", "never"])
        .args(["--output", "report.sarif"])
        .args(extra)
        // One worker thread: the two runs then scan with the same allocations, and their peak
        // RSS differs by what writing the results costs, not by how threads interleaved
        // (with several, the peak of one scan varies by 25 MB from run to run).
        .env("RAYON_NUM_THREADS", "1")
        .stdout(Stdio::null())
        .stderr(fs::File::create(&err).unwrap())
        .spawn()
        .expect("spawn ecslint");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is a plain C struct for which all-zero bytes is a valid value, and
    // wait4 only writes into the two pointers we pass, which outlive the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = loop {
        // SAFETY: as above; `pid` is our own child, not yet reaped.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break true;
        }
        if started.elapsed() > HANG_GUARD {
            let _ = child.kill();
            break false;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(waited, "no exit");
    assert!(libc::WIFEXITED(status), "killed by a signal ({status})");
    Run {
        code: libc::WEXITSTATUS(status),
        stderr: fs::read_to_string(&err).unwrap(),
        max_rss_kib: usage.ru_maxrss,
    }
}

fn report(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(dir.join("report.sarif")).unwrap()).unwrap()
}

#[test]
fn sarif_memory_does_not_grow_with_the_results_written() {
    // 20 files x (1,000 containers x 3 findings + 1): 60,020 results, a report of about 50 MB.
    let dir = input(20);
    // Both children run before this process reads a large file (see the top of this file).
    // The same scan and findings, one result written: what is left is the scan's own memory.
    let one = sarif(dir.path(), &["--sarif-max-results", "1"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    let all = sarif(dir.path(), &["--sarif-max-results", "0"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    let size = fs::metadata(dir.path().join("report.sarif")).unwrap().len();
    let grown = all.max_rss_kib - one.max_rss_kib;
    eprintln!(
        "{size} bytes of SARIF: peak RSS {} KiB; with one result written {} KiB",
        all.max_rss_kib, one.max_rss_kib
    );
    // A report built in memory first would add at least its own size (50 MB); streamed, the
    // difference is the fingerprints table and a buffer.
    assert!(
        grown < 12 * 1024,
        "writing 60,020 results ({size} bytes) took {grown} KiB more than writing one"
    );
    let results = report(dir.path())["runs"][0]["results"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(results, 60_020);
}
