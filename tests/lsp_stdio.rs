//! `ecslint lsp` as a black box over stdio (LSP-1, LSP-19): the built binary, `Content-Length`
//! framing written and read by hand, and nothing but framed JSON on standard output.
#![cfg(feature = "lsp")]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn() -> (
    Child,
    ChildStdin,
    std::sync::mpsc::Receiver<Result<Value, String>>,
) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ecslint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // Every byte of stdout must belong to a frame: anything else is reported as an error.
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut len = None;
            loop {
                let mut line = String::new();
                match r.read_line(&mut line) {
                    Ok(0) => return,
                    Ok(_) => {}
                    Err(e) => {
                        let _ = tx.send(Err(e.to_string()));
                        return;
                    }
                }
                if line == "\r\n" {
                    break;
                }
                match line.strip_prefix("Content-Length: ") {
                    Some(n) => len = n.trim().parse::<usize>().ok(),
                    None if line.starts_with("Content-Type: ") => {}
                    None => {
                        let _ = tx.send(Err(format!("not a header: {line:?}")));
                        return;
                    }
                }
            }
            let Some(n) = len else {
                let _ = tx.send(Err("no Content-Length".into()));
                return;
            };
            let mut body = vec![0; n];
            r.read_exact(&mut body).unwrap();
            let _ = tx.send(serde_json::from_slice(&body).map_err(|e| e.to_string()));
        }
    });
    (child, stdin, rx)
}

fn send(w: &mut ChildStdin, v: Value) {
    let body = v.to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    w.flush().unwrap();
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<i32> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    None
}

fn next(rx: &std::sync::mpsc::Receiver<Result<Value, String>>) -> Value {
    rx.recv_timeout(Duration::from_secs(10))
        .expect("a message")
        .expect("framed JSON")
}

#[test]
fn lsp_01_only_framed_json_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("task.json");
    let text = "{\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"nginx:latest\"}]}";
    std::fs::write(&path, text).unwrap();
    let uri = ecslint::lsp::uri::from_path(&path);
    let (mut child, mut stdin, rx) = spawn();
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"capabilities":{}}}),
    );
    let init = next(&rx);
    assert_eq!(init["id"], 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "ecslint");
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","method":"initialized","params":{}}),
    );
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{
            "uri": uri, "languageId": "json", "version": 1, "text": text }}}),
    );
    let d = next(&rx);
    assert_eq!(d["method"], "textDocument/publishDiagnostics");
    assert!(
        d["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "ECS401")
    );
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","id":2,"method":"shutdown"}),
    );
    assert_eq!(next(&rx)["id"], 2);
    send(&mut stdin, json!({"jsonrpc":"2.0","method":"exit"}));
    assert_eq!(wait_exit(&mut child, Duration::from_secs(2)), Some(0));
    // Nothing after the last frame.
    assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
}

#[test]
fn lsp_19_exit_codes_and_closed_stdin() {
    // exit without shutdown: 1.
    let (mut child, mut stdin, rx) = spawn();
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}),
    );
    next(&rx);
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","method":"initialized","params":{}}),
    );
    send(&mut stdin, json!({"jsonrpc":"2.0","method":"exit"}));
    assert_eq!(wait_exit(&mut child, Duration::from_secs(2)), Some(1));
    // Closed stdin: the process ends within 2 s.
    let (mut child, mut stdin, rx) = spawn();
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}),
    );
    next(&rx);
    drop(stdin);
    assert!(wait_exit(&mut child, Duration::from_secs(2)).is_some());
    // A request after shutdown: InvalidRequest.
    let (mut child, mut stdin, rx) = spawn();
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}),
    );
    next(&rx);
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","method":"initialized","params":{}}),
    );
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","id":2,"method":"shutdown"}),
    );
    next(&rx);
    send(
        &mut stdin,
        json!({"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{}}),
    );
    assert_eq!(next(&rx)["error"]["code"], -32600);
    send(&mut stdin, json!({"jsonrpc":"2.0","method":"exit"}));
    assert_eq!(wait_exit(&mut child, Duration::from_secs(2)), Some(0));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
}
