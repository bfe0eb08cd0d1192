//! In-process LSP client: a real handshake over `Connection::memory()`, the server on a thread.

use ecslint::lsp::{ServerOptions, serve};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

pub const TIMEOUT: Duration = Duration::from_secs(10);

pub struct Client {
    pub conn: Connection,
    server: Option<JoinHandle<u8>>,
    next: i32,
    /// Notifications received while waiting for something else.
    pub backlog: Vec<Notification>,
    pub lint_runs: Arc<AtomicUsize>,
    pub init: Value,
}

pub fn utf16_caps() -> Value {
    json!({
        "workspace": { "workspaceEdit": { "documentChanges": true },
                       "didChangeWatchedFiles": { "dynamicRegistration": false } },
        "textDocument": { "publishDiagnostics": { "relatedInformation": true } }
    })
}

pub fn utf8_caps() -> Value {
    let mut c = utf16_caps();
    c["general"] = json!({ "positionEncodings": ["utf-8", "utf-16"] });
    c
}

impl Client {
    pub fn start(capabilities: Value, root: Option<&std::path::Path>) -> Client {
        Self::start_with(json!({ "capabilities": capabilities }), root)
    }

    pub fn start_with(mut params: Value, root: Option<&std::path::Path>) -> Client {
        let (server_side, client_side) = Connection::memory();
        let lint_runs = Arc::new(AtomicUsize::new(0));
        let options = ServerOptions {
            test_hooks: true,
            lint_runs: lint_runs.clone(),
        };
        let server = std::thread::spawn(move || serve(server_side, options));
        let mut c = Client {
            conn: client_side,
            server: Some(server),
            next: 0,
            backlog: Vec::new(),
            lint_runs,
            init: Value::Null,
        };
        if let Some(r) = root {
            let uri = ecslint::lsp::uri::from_path(r);
            params["rootUri"] = json!(uri);
            params["workspaceFolders"] = json!([{ "uri": uri, "name": "root" }]);
        }
        params["processId"] = Value::Null;
        let init = c.request("initialize", params).expect("initialize");
        c.init = init;
        c.notify("initialized", json!({}));
        c
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )))
            .unwrap();
    }

    /// Send a request and wait for its response: `Ok(result)` or `Err(error object)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.into(),
                params,
            )))
            .unwrap();
        loop {
            match self.conn.receiver.recv_timeout(TIMEOUT).expect("response") {
                Message::Response(r) if r.id == id => {
                    return match r.response_result {
                        Err(e) => Err(json!({ "code": e.code, "message": e.message })),
                        Ok(v) => Ok(v),
                    };
                }
                Message::Notification(n) => self.backlog.push(n),
                _ => {}
            }
        }
    }

    pub fn open(&self, uri: &str, language: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": version, "text": text } }),
        );
    }

    pub fn change_full(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": text }] }),
        );
    }

    /// The next `publishDiagnostics` for `uri` (earlier ones for it are skipped when `latest`).
    pub fn diagnostics(&mut self, uri: &str) -> Value {
        self.diagnostics_where(uri, |_| true)
    }

    pub fn diagnostics_where(&mut self, uri: &str, ok: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = self.backlog.iter().position(|n| {
                n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri
            }) {
                let n = self.backlog.remove(i);
                if ok(&n.params) {
                    return n.params;
                }
                continue;
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.conn.receiver.recv_timeout(left) {
                Ok(Message::Notification(n)) => self.backlog.push(n),
                Ok(_) => {}
                Err(_) => panic!(
                    "no publishDiagnostics for {uri}; backlog: {:?}",
                    self.backlog
                ),
            }
        }
    }

    /// Every notification until the server is idle (answers a stats request).
    pub fn settle(&mut self) -> Vec<Notification> {
        let _ = self.request("ecslint/stats", json!({}));
        std::mem::take(&mut self.backlog)
    }

    pub fn runs(&self) -> usize {
        self.lint_runs.load(Ordering::SeqCst)
    }

    pub fn shutdown(mut self) -> u8 {
        self.request("shutdown", Value::Null).expect("shutdown");
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }

    pub fn exit_now(mut self) -> u8 {
        self.notify("exit", Value::Null);
        self.server.take().unwrap().join().unwrap()
    }
}

pub fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

pub fn find<'a>(params: &'a Value, code: &str) -> Option<&'a Value> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
}

pub fn uri(path: &std::path::Path) -> String {
    ecslint::lsp::uri::from_path(path)
}
