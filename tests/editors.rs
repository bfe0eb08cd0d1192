//! The README's editor settings that no editor here can run (DIST-9). Helix is neither a package
//! of this Debian release nor on PyPI, and VS Code (with an extension from its marketplace) is
//! not installable from the registries this project uses. So each snippet is read verbatim from
//! the README, parsed as its editor parses it, checked against that editor's own definitions
//! (recorded below, with where they come from), and the server command it names is started from
//! PATH and spoken to as that editor would: `initialize`, then `didOpen` with the editor's
//! language id for a file of each kind, and the diagnostics must arrive. Neovim's set-ups are run
//! for real, in tests/lsp_nvim.rs.
#![cfg(feature = "lsp")]

#[path = "common/readme.rs"]
mod readme;

use readme::{editor_project, readme_snippet};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// Helix's own definitions of the languages the snippet names, as its default `languages.toml`
/// (helix-editor/helix, master) has them: (name, the language id Helix sends, file types, its
/// servers).
const HELIX: [(&str, &str, &[&str], &[&str]); 4] = [
    (
        "hcl",
        "terraform",
        &["hcl", "tf", "nomad"],
        &["terraform-ls"],
    ),
    ("tfvars", "terraform-vars", &["tfvars"], &["terraform-ls"]),
    (
        "json",
        "json",
        &["json", "arb", "ipynb", "geojson", "gltf", "webmanifest"],
        &["vscode-json-language-server"],
    ),
    (
        "yaml",
        "yaml",
        &["yml", "yaml"],
        &["yaml-language-server", "ansible-language-server"],
    ),
];

/// The file extensions whose files `ecslint lsp` lints (`.tf.json`, CloudFormation and plan
/// JSON end in `json`); an editor set-up must attach the server to all of them.
const SERVED: [&str; 5] = ["tf", "tfvars", "json", "yaml", "yml"];

/// The settings "Generic LSP Client (v2)" (`zsol.vscode-glspc` 0.2.0) contributes
/// (`contributes.configuration` of its package.json): name and JSON type.
const GLSPC_SETTINGS: [(&str, &str); 6] = [
    ("glspc.server.command", "string"),
    ("glspc.server.commandArguments", "array"),
    ("glspc.server.languageId", "array"),
    ("glspc.server.environmentVariables", "object"),
    ("glspc.server.initializationOptions", "object"),
    ("glspc.trace.server", "string"),
];

/// The VS Code language id of a file of each kind `ecslint lsp` serves: VS Code's own for JSON
/// and YAML, HashiCorp's Terraform extension's for `.tf` and `.tfvars`.
fn vscode_language(file: &str) -> &'static str {
    match file.rsplit('.').next().unwrap() {
        "tf" => "terraform",
        "tfvars" => "terraform-vars",
        "json" => "json",
        "yaml" | "yml" => "yaml",
        other => panic!("no VS Code language for .{other}"),
    }
}

/// Frames read from a server's stdout, on a thread.
fn reader(stdout: std::process::ChildStdout) -> Receiver<Value> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut len = 0;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == "\r\n" {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    len = n.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            r.read_exact(&mut body).unwrap();
            if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        }
    });
    rx
}

fn send(w: &mut impl Write, v: Value) {
    let body = v.to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    w.flush().unwrap();
}

/// Start `command args` from PATH (with the built `ecslint` first on it) in `root`, as an editor
/// would, open every file with the language id `language` gives it, and check that the
/// expected rule is published for each; then shut down cleanly.
fn serve(
    command: &str,
    args: &[String],
    root: &Path,
    files: &[(&str, &str)],
    language: impl Fn(&str) -> String,
) {
    let bin = assert_cmd::cargo::cargo_bin("ecslint");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new(command)
        .args(args)
        .current_dir(root)
        .env("PATH", path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{command} {args:?}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let rx = reader(child.stdout.take().unwrap());
    let root_uri = ecslint::lsp::uri::from_path(root);
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "root" }],
            "capabilities": { "textDocument": { "publishDiagnostics": {} } } } }),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let next = || {
        rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("a message from the server")
    };
    while next()["id"] != 1 {}
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    );
    let mut want: BTreeSet<(String, String)> = BTreeSet::new();
    for (file, rule) in files {
        let path = root.join(file);
        let uri = ecslint::lsp::uri::from_path(&path);
        send(
            &mut stdin,
            json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": { "uri": uri, "languageId": language(file), "version": 1,
                                  "text": std::fs::read_to_string(&path).unwrap() } } }),
        );
        want.insert((uri, rule.to_string()));
    }
    while !want.is_empty() {
        let m = next();
        if m["method"] == "textDocument/publishDiagnostics" {
            let uri = m["params"]["uri"].as_str().unwrap_or("").to_owned();
            for d in m["params"]["diagnostics"].as_array().into_iter().flatten() {
                want.remove(&(uri.clone(), d["code"].as_str().unwrap_or("").to_owned()));
            }
        }
    }
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }),
    );
    while next()["id"] != 2 {}
    send(
        &mut stdin,
        json!({ "jsonrpc": "2.0", "method": "exit", "params": null }),
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "{command} exited with {status}");
}

fn strings(v: &toml::Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// DIST-9, Helix: the README's `languages.toml` is valid TOML; it defines the server as
/// `ecslint lsp` and adds it to exactly Helix's languages whose file types cover what the server
/// lints, keeping Helix's own servers for each; and that command, started as Helix starts it with
/// the language ids Helix sends, publishes diagnostics in a file of each kind.
#[test]
fn readme_helix_languages_toml() {
    let text = readme_snippet("readme_helix_languages_toml");
    let config: toml::Table = toml::from_str(&text).expect("languages.toml parses");
    let server = config["language-server"]["ecslint"]
        .as_table()
        .expect("[language-server.ecslint]");
    let command = server["command"].as_str().unwrap();
    let args = strings(&server["args"]);
    assert_eq!(
        (command, args.as_slice()),
        ("ecslint", &["lsp".to_owned()][..])
    );
    assert_eq!(server.len(), 2, "{server:?}");
    let languages = config["language"].as_array().expect("[[language]]");
    let mut covered = BTreeSet::new();
    for l in languages {
        let l = l.as_table().unwrap();
        let name = l["name"].as_str().unwrap();
        let (_, _, types, servers) = HELIX
            .iter()
            .find(|h| h.0 == name)
            .unwrap_or_else(|| panic!("{name} is not a Helix language this test knows"));
        // Only the servers are set, so Helix's file types and roots apply as they are.
        assert_eq!(
            l.keys().collect::<Vec<_>>(),
            ["language-servers", "name"],
            "{name}"
        );
        let mut expected: Vec<String> = servers.iter().map(|s| s.to_string()).collect();
        expected.push("ecslint".into());
        assert_eq!(strings(&l["language-servers"]), expected, "{name}");
        covered.extend(types.iter().copied());
    }
    assert_eq!(languages.len(), HELIX.len());
    for ext in SERVED {
        assert!(covered.contains(ext), "no Helix language for .{ext}");
    }
    let dir = tempfile::tempdir().unwrap();
    let files = editor_project(dir.path());
    serve(command, &args, dir.path(), &files, |file| {
        let ext = file.rsplit('.').next().unwrap();
        let h = HELIX.iter().find(|h| h.2.contains(&ext)).unwrap();
        assert!(languages.iter().any(|l| l["name"].as_str() == Some(h.0)));
        h.1.to_owned()
    });
}

/// DIST-9, VS Code: the README's `settings.json` is JSON with only settings the extension
/// defines, of their types; its language ids are those VS Code gives every kind of file the server
/// lints; and its command, started with those ids, publishes diagnostics in a file of each kind.
#[test]
fn readme_vscode_settings() {
    let text = readme_snippet("readme_vscode_settings");
    let settings: Value = serde_json::from_str(&text).expect("settings.json parses");
    let settings = settings.as_object().expect("an object");
    for (key, value) in settings {
        let (_, ty) = GLSPC_SETTINGS
            .iter()
            .find(|s| s.0 == key)
            .unwrap_or_else(|| panic!("{key} is not a setting of the extension"));
        let actual = match value {
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            _ => "other",
        };
        assert_eq!(actual, *ty, "{key}");
    }
    let command = settings["glspc.server.command"].as_str().unwrap();
    let args: Vec<String> =
        serde_json::from_value(settings["glspc.server.commandArguments"].clone())
            .expect("arguments are strings");
    assert_eq!(
        (command, args.as_slice()),
        ("ecslint", &["lsp".to_owned()][..])
    );
    let ids: BTreeSet<String> = serde_json::from_value(settings["glspc.server.languageId"].clone())
        .expect("language ids are strings");
    let needed: BTreeSet<String> = SERVED
        .iter()
        .map(|ext| vscode_language(&format!("x.{ext}")).to_owned())
        .collect();
    assert_eq!(ids, needed, "glspc.server.languageId");
    let dir = tempfile::tempdir().unwrap();
    let files = editor_project(dir.path());
    serve(command, &args, dir.path(), &files, |file| {
        vscode_language(file).to_owned()
    });
}
