//! `ecslint lsp`: a language server over stdio (JSON-RPC with `Content-Length` framing).
//!
//! One thread owns the state. Each wake-up drains every message already queued before it
//! lints, so a burst of `didChange`s costs one lint of the latest text; linting is inline and
//! the results are published with the version they were computed from, so a publish can never
//! carry an older version than one already sent. A unit is what `ecslint check` lints as one (a
//! Terraform module directory, a template, a task definition): an edit to any member re-lints
//! the whole unit, with every open buffer read instead of its file, and diagnostics are
//! published (or cleared with `[]`) for every member.

pub mod lint;
pub mod text;
pub mod uri;

use crate::config::Resolver;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::source::SourceFile;
use lint::{Buffer, UnitKey, UnitResult};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use text::{Encoding, Lines};

/// Options a test may set.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// Answer `ecslint/panic` (panics) and `ecslint/stats` (counters): test builds only.
    pub test_hooks: bool,
    /// Counts lint runs (one per unit linted).
    pub lint_runs: Arc<AtomicUsize>,
}

/// `ecslint lsp`: serve on stdio until `exit` or end of input; the process exit code.
pub fn run_stdio() -> u8 {
    let (connection, io_threads) = Connection::stdio();
    let options = ServerOptions {
        test_hooks: std::env::var_os("ECSLINT_LSP_TEST_HOOKS").is_some_and(|v| v == "1"),
        ..ServerOptions::default()
    };
    let code = serve(connection, options);
    // The writer thread ends once the connection's sender is gone (dropped by `serve`).
    let _ = io_threads.join();
    code
}

/// Serve one connection; returns the exit code (0 after `shutdown` then `exit`, else 1).
pub fn serve(connection: Connection, options: ServerOptions) -> u8 {
    let Connection { sender, receiver } = connection;
    // lsp-server's stdio reader hands over one message at a time; an unbounded queue in
    // between lets a burst pile up so that it can be drained before linting.
    let (tx, rx) = std::sync::mpsc::channel::<Message>();
    // Detached: it ends when the reader does (`exit` or end of input), or with the process.
    std::thread::spawn(move || {
        for m in receiver {
            if tx.send(m).is_err() {
                break;
            }
        }
    });
    let send = move |m: Message| {
        let _ = sender.send(m);
    };
    let mut server = Server::new(Box::new(send), options);
    let code = 'serve: loop {
        let Ok(first) = rx.recv() else {
            break if server.shutdown { 0 } else { 1 };
        };
        let mut batch = vec![first];
        while let Ok(m) = rx.try_recv() {
            batch.push(m);
        }
        for m in batch {
            if let Some(code) = server.dispatch(m) {
                break 'serve code;
            }
        }
        // A burst (typing, an editor's batch of changes) is still arriving: one lint for it.
        while !server.dirty.is_empty() {
            match rx.recv_timeout(QUIET) {
                Ok(m) => {
                    if let Some(code) = server.dispatch(m) {
                        break 'serve code;
                    }
                }
                Err(_) => break,
            }
        }
        server.flush();
    };
    drop(server);
    code
}

/// How long the loop waits for the rest of a burst of changes before it lints.
const QUIET: std::time::Duration = std::time::Duration::from_millis(2);

struct Doc {
    path: Option<PathBuf>,
    version: i32,
    text: String,
    language: String,
}

/// A published finding as kept for code actions and hover.
struct Stored {
    /// The diagnostic as published (with its `data`).
    lsp: Value,
    range: std::ops::Range<usize>,
    rule: &'static str,
    /// Safe fix edits (bytes) in this same file, for `source.fixAll.ecslint`.
    safe_edits: Option<Vec<(std::ops::Range<usize>, String)>>,
}

struct Server {
    /// The connection's sender (crossbeam's, which lsp-server does not re-export).
    sender: Box<dyn Fn(Message)>,
    options: ServerOptions,
    initialized: bool,
    shutdown: bool,
    enc: Encoding,
    document_changes: bool,
    related_information: bool,
    watch_registration: bool,
    docs: BTreeMap<String, Doc>,
    results: BTreeMap<UnitKey, UnitResult>,
    /// What was last published per URI (the findings kept for actions and hover).
    published: HashMap<String, Vec<Stored>>,
    dirty: BTreeSet<UnitKey>,
    resolver: Resolver,
    config_path: Option<PathBuf>,
    roots: Vec<PathBuf>,
    next_request: i32,
}

const SUPPRESS_PLACEHOLDER: &str = crate::suppress::PLACEHOLDER;

impl Server {
    fn new(sender: Box<dyn Fn(Message)>, options: ServerOptions) -> Self {
        Server {
            sender,
            options,
            initialized: false,
            shutdown: false,
            enc: Encoding::Utf16,
            document_changes: false,
            related_information: false,
            watch_registration: false,
            docs: BTreeMap::new(),
            results: BTreeMap::new(),
            published: HashMap::new(),
            dirty: BTreeSet::new(),
            resolver: Resolver::new(None, false).expect("discovery needs no file"),
            config_path: None,
            roots: Vec::new(),
            next_request: 0,
        }
    }

    fn send(&self, m: impl Into<Message>) {
        (self.sender)(m.into());
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Notification::new(method.into(), params));
    }

    fn log(&self, message: &str) {
        eprintln!("ecslint lsp: {message}");
    }

    /// Handle one message; `Some(code)` ends the server.
    fn dispatch(&mut self, m: Message) -> Option<u8> {
        match m {
            Message::Request(req) => {
                // Requests see the state after every change before them.
                self.flush();
                let id = req.id.clone();
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.request(req)));
                let response = match result {
                    Ok(r) => r,
                    Err(p) => {
                        let what = panic_text(&p);
                        self.log(&format!("internal error: {what}"));
                        Response::new_err(id, ErrorCode::InternalError as i32, what)
                    }
                };
                self.send(response);
                None
            }
            Message::Notification(n) if n.method == "exit" => {
                Some(if self.shutdown { 0 } else { 1 })
            }
            Message::Notification(n) => {
                let method = n.method.clone();
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.notification(n)));
                if let Err(p) = result {
                    self.log(&format!("internal error in {method}: {}", panic_text(&p)));
                }
                None
            }
            Message::Response(_) => None,
        }
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        if req.method == "initialize" {
            if self.initialized {
                return err(id, ErrorCode::InvalidRequest, "initialize sent twice");
            }
            self.initialized = true;
            return Response::new_ok(id, self.initialize(&req.params));
        }
        if !self.initialized {
            return err(id, ErrorCode::ServerNotInitialized, "not initialized");
        }
        if self.shutdown {
            return err(id, ErrorCode::InvalidRequest, "the server is shutting down");
        }
        match req.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Response::new_ok(id, Value::Null)
            }
            "textDocument/hover" => Response::new_ok(id, self.hover(&req.params)),
            "textDocument/codeAction" => Response::new_ok(id, self.code_actions(&req.params)),
            "ecslint/panic" if self.options.test_hooks => panic!("test-only panic hook"),
            "ecslint/stats" if self.options.test_hooks => Response::new_ok(
                id,
                json!({ "lintRuns": self.options.lint_runs.load(Ordering::SeqCst) }),
            ),
            _ => err(
                id,
                ErrorCode::MethodNotFound,
                &format!("unhandled method {}", req.method),
            ),
        }
    }

    fn initialize(&mut self, params: &Value) -> Value {
        // Read by hand from the JSON, not through typed structs: a client that sends a value
        // this server does not know (a new encoding, a new code action kind) still starts.
        let caps = &params["capabilities"];
        let encodings = caps["general"]["positionEncodings"].as_array();
        self.enc = if encodings.is_some_and(|e| e.iter().any(|v| v == "utf-8")) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.document_changes = caps["workspace"]["workspaceEdit"]["documentChanges"] == true;
        self.related_information =
            caps["textDocument"]["publishDiagnostics"]["relatedInformation"] == true;
        self.watch_registration =
            caps["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"] == true;
        let mut roots: Vec<PathBuf> = params["workspaceFolders"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["uri"].as_str().and_then(uri::to_path))
            .collect();
        if roots.is_empty()
            && let Some(p) = params["rootUri"].as_str().and_then(uri::to_path)
        {
            roots.push(p);
        }
        self.roots = roots
            .into_iter()
            .map(|r| r.canonicalize().unwrap_or(r))
            .collect();
        let init = &params["initializationOptions"];
        if let Some(p) = init["configPath"].as_str() {
            self.config_path = Some(PathBuf::from(p));
            self.reset_resolver();
        }
        json!({
            "capabilities": {
                "positionEncoding": self.enc.as_str(),
                "textDocumentSync": {
                    "openClose": true,
                    "change": 2,
                    "save": { "includeText": false }
                },
                "codeActionProvider": {
                    "codeActionKinds": ["quickfix", "source.fixAll.ecslint"],
                    "resolveProvider": false
                },
                "hoverProvider": true
            },
            "serverInfo": { "name": "ecslint", "version": env!("CARGO_PKG_VERSION") }
        })
    }

    fn reset_resolver(&mut self) {
        self.resolver = match Resolver::new(self.config_path.as_deref(), false) {
            Ok(r) => r,
            Err(e) => {
                self.show_error(&e.0);
                Resolver::new(None, false).expect("discovery")
            }
        };
    }

    fn show_error(&self, message: &str) {
        self.log(message);
        self.notify(
            "window/showMessage",
            json!({ "type": 1, "message": format!("ecslint: {message}") }),
        );
    }

    fn notification(&mut self, n: Notification) {
        if !self.initialized {
            return;
        }
        let p = &n.params;
        match n.method.as_str() {
            "initialized" => self.register_watchers(),
            "textDocument/didOpen" => {
                let d = &p["textDocument"];
                let Some(key) = d["uri"].as_str() else { return };
                let doc = Doc {
                    path: uri::to_path(key),
                    version: d["version"].as_i64().unwrap_or(0) as i32,
                    text: d["text"].as_str().unwrap_or("").to_string(),
                    language: d["languageId"].as_str().unwrap_or("").to_string(),
                };
                self.docs.insert(key.to_string(), doc);
                self.touch(key);
            }
            "textDocument/didChange" => {
                let Some(key) = p["textDocument"]["uri"].as_str() else {
                    return;
                };
                let enc = self.enc;
                let Some(doc) = self.docs.get_mut(key) else {
                    return;
                };
                if let Some(v) = p["textDocument"]["version"].as_i64() {
                    doc.version = v as i32;
                }
                for change in p["contentChanges"].as_array().into_iter().flatten() {
                    let range = serde_json::from_value::<lsp_types::Range>(change["range"].clone())
                        .ok()
                        .filter(|_| !change["range"].is_null());
                    let new_text = change["text"].as_str().unwrap_or("");
                    text::apply_change(&mut doc.text, range, new_text, enc);
                }
                self.touch(key);
            }
            "textDocument/didSave" => {
                // The buffer already was what was linted; a save may change files that read it
                // from disk only when it was not open, which it is.
            }
            "textDocument/didClose" => {
                let Some(key) = p["textDocument"]["uri"].as_str() else {
                    return;
                };
                let Some(doc) = self.docs.remove(key) else {
                    return;
                };
                let closed_path = doc.path.clone().unwrap_or_else(|| PathBuf::from(key));
                // Units no open buffer needs any more are dropped; their files are cleared.
                let active = self.active_units();
                let gone: Vec<UnitKey> = self
                    .results
                    .keys()
                    .filter(|k| !active.contains(*k))
                    .cloned()
                    .collect();
                let mut affected: BTreeSet<PathBuf> = BTreeSet::new();
                for k in gone {
                    if let Some(r) = self.results.remove(&k) {
                        affected.extend(r.files.into_keys());
                    }
                    self.dirty.remove(&k);
                }
                affected.insert(closed_path);
                self.publish(&affected);
            }
            "workspace/didChangeWatchedFiles" => {
                let mut config_changed = false;
                for change in p["changes"].as_array().into_iter().flatten() {
                    let Some(path) = change["uri"].as_str().and_then(uri::to_path) else {
                        continue;
                    };
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                    if name
                        .as_deref()
                        .is_some_and(|n| crate::config::FILE_NAMES.contains(&n))
                    {
                        config_changed = true;
                        continue;
                    }
                    let dir = path.parent().map(Path::to_path_buf);
                    let hit: Vec<UnitKey> = self
                        .results
                        .iter()
                        .filter(|(k, r)| {
                            r.members.contains(&path)
                                || matches!(k, UnitKey::Module(d) if Some(d) == dir.as_ref())
                        })
                        .map(|(k, _)| k.clone())
                        .collect();
                    self.dirty.extend(hit);
                }
                if config_changed {
                    self.reset_resolver();
                    let all: Vec<UnitKey> = self.results.keys().cloned().collect();
                    self.dirty.extend(all);
                }
            }
            "workspace/didChangeConfiguration" | "$/cancelRequest" | "$/setTrace" => {}
            _ => {}
        }
    }

    fn register_watchers(&mut self) {
        if !self.watch_registration {
            return;
        }
        let globs = [
            "**/.ecslint.toml",
            "**/ecslint.toml",
            "**/*.tf",
            "**/*.tf.json",
            "**/*.tfvars",
            "**/*.tfvars.json",
            "**/*.json",
            "**/*.yaml",
            "**/*.yml",
            "**/*.template",
        ];
        let watchers: Vec<Value> = globs.iter().map(|g| json!({ "globPattern": g })).collect();
        self.next_request += 1;
        self.send(Request::new(
            RequestId::from(format!("ecslint-{}", self.next_request)),
            "client/registerCapability".into(),
            json!({ "registrations": [{
                "id": "ecslint-watched-files",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": { "watchers": watchers }
            }]}),
        ));
    }

    /// The units an open buffer belongs to.
    fn units_of(&self, key: &str, doc: &Doc, buffers: &[Buffer]) -> Vec<UnitKey> {
        let Some(path) = &doc.path else {
            return vec![UnitKey::Virtual(key.to_string())];
        };
        let mut out = Vec::new();
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if lint::is_terraform_name(path) {
            out.push(UnitKey::Module(dir));
        } else {
            out.push(UnitKey::File(path.clone()));
            // A file of a Terraform module's directory (a `file()` target) goes with it.
            if !lint::module_files(&dir, buffers).is_empty() {
                out.push(UnitKey::Module(dir));
            }
        }
        for (k, r) in &self.results {
            if r.members.contains(path) && !out.contains(k) {
                out.push(k.clone());
            }
        }
        out
    }

    fn buffers(&self) -> Vec<Buffer<'_>> {
        self.docs
            .iter()
            .map(|(k, d)| Buffer {
                path: d.path.as_deref(),
                key: k,
                text: &d.text,
                language: &d.language,
            })
            .collect()
    }

    fn active_units(&self) -> BTreeSet<UnitKey> {
        let buffers = self.buffers();
        self.docs
            .iter()
            .flat_map(|(k, d)| self.units_of(k, d, &buffers))
            .collect()
    }

    fn touch(&mut self, key: &str) {
        let buffers = self.buffers();
        let units = self.units_of(key, &self.docs[key], &buffers);
        drop(buffers);
        self.dirty.extend(units);
    }

    /// Lint every dirty unit and publish what changed.
    fn flush(&mut self) {
        if self.dirty.is_empty() {
            return;
        }
        let dirty = std::mem::take(&mut self.dirty);
        let mut affected: BTreeSet<PathBuf> = BTreeSet::new();
        for key in dirty {
            let too_large = self.too_large(&key);
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.options.lint_runs.fetch_add(1, Ordering::SeqCst);
                if too_large.is_some() {
                    return None;
                }
                let buffers = self.buffers();
                let settings = lint::Settings {
                    roots: &self.roots,
                    default_max_file_size: crate::engine::DEFAULT_MAX_FILE_SIZE,
                };
                Some(lint::lint(&key, &buffers, &self.resolver, &settings))
            }));
            match result {
                Ok(Some(r)) => {
                    if let Some(e) = &r.config_error {
                        self.show_error(e);
                    }
                    if let Some(old) = self.results.remove(&key) {
                        affected.extend(old.files.into_keys());
                    }
                    affected.extend(r.files.keys().cloned());
                    affected.extend(
                        r.members
                            .iter()
                            .filter(|m| self.docs.values().any(|d| d.path.as_ref() == Some(*m)))
                            .cloned(),
                    );
                    self.results.insert(key, r);
                }
                Ok(None) => {
                    let (path, size) = too_large.expect("too large");
                    self.publish_skipped(&path, size);
                }
                Err(p) => {
                    self.reset_resolver();
                    self.log(&format!(
                        "internal error while linting {key:?} (previous diagnostics kept): {}",
                        panic_text(&p)
                    ))
                }
            }
        }
        self.publish(&affected);
    }

    /// An open file over the size limit: one information diagnostic, no lint.
    fn too_large(&self, key: &UnitKey) -> Option<(PathBuf, usize)> {
        let UnitKey::File(p) = key else { return None };
        let doc = self.docs.values().find(|d| d.path.as_ref() == Some(p))?;
        (doc.text.len() as u64 > crate::engine::DEFAULT_MAX_FILE_SIZE)
            .then(|| (p.clone(), doc.text.len()))
    }

    fn publish_skipped(&mut self, path: &Path, size: usize) {
        let uri = self.uri_of(path);
        let version = self.docs.get(&uri).map(|d| d.version);
        self.published.insert(uri.clone(), Vec::new());
        self.notify(
            "textDocument/publishDiagnostics",
            json!({
                "uri": uri,
                "version": version,
                "diagnostics": [{
                    "range": { "start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0} },
                    "severity": 3,
                    "source": "ecslint",
                    "message": format!("skipped: {size} bytes is over the size limit ({} bytes)", crate::engine::DEFAULT_MAX_FILE_SIZE),
                }]
            }),
        );
    }

    /// The client's URI for a path (the one it opened the file with), else a `file:` URI.
    fn uri_of(&self, path: &Path) -> String {
        for (k, d) in &self.docs {
            if d.path.as_deref() == Some(path) || (d.path.is_none() && Path::new(k) == path) {
                return k.clone();
            }
        }
        uri::from_path(path)
    }

    fn publish(&mut self, paths: &BTreeSet<PathBuf>) {
        for path in paths {
            let uri = self.uri_of(path);
            let mut found: Vec<(&Arc<SourceFile>, &Diagnostic)> = Vec::new();
            for r in self.results.values() {
                if let Some((file, ds)) = r.files.get(path) {
                    for d in ds {
                        let dup = found.iter().any(|(_, x)| {
                            x.rule_id == d.rule_id
                                && x.primary.range == d.primary.range
                                && x.message == d.message
                        });
                        if !dup {
                            found.push((file, d));
                        }
                    }
                }
            }
            let mut lsp = Vec::new();
            let mut stored = Vec::new();
            for (file, d) in &found {
                let (value, s) = self.to_lsp(file, d);
                lsp.push(value);
                stored.push(s);
            }
            let version = self.docs.get(&uri).map(|d| d.version);
            let mut params = json!({ "uri": uri, "diagnostics": lsp });
            if let Some(v) = version {
                params["version"] = json!(v);
            }
            self.published.insert(uri, stored);
            self.notify("textDocument/publishDiagnostics", params);
        }
    }

    fn to_lsp(&self, file: &SourceFile, d: &Diagnostic) -> (Value, Stored) {
        let lines = Lines::new(&file.text);
        let range = |f: &SourceFile, l: &Lines, r: &crate::source::ByteRange| {
            l.range(&f.text, r.start as usize..r.end as usize, self.enc)
        };
        let severity = match d.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Info => 3,
        };
        let message = d.message_with_help();
        let mut value = json!({
            "range": range(file, &lines, &d.primary.range),
            "severity": severity,
            "code": d.rule_id,
            "source": "ecslint",
            "message": message,
        });
        // Every finding id has a page (ECS000's too).
        if crate::rules::page(d.rule_id).is_some() {
            value["codeDescription"] = json!({ "href": rule_url(d.rule_id) });
        }
        let db_lookup = |span: &crate::source::Span| -> Option<(String, Value)> {
            // Label spans of this file only carry positions we can compute here; other files
            // are named by their own text, which the unit result holds.
            let f = self.file_of(span.file, file)?;
            let l = Lines::new(&f.text);
            Some((self.uri_of(&f.path), json!(range(&f, &l, &span.range))))
        };
        if self.related_information && !d.labels.is_empty() {
            let related: Vec<Value> = d
                .labels
                .iter()
                .filter_map(|(span, text)| {
                    let (uri, r) = db_lookup(span)?;
                    Some(json!({ "location": { "uri": uri, "range": r }, "message": &**text }))
                })
                .collect();
            value["relatedInformation"] = json!(related);
        }
        let mut data = json!({ "rule": d.rule_id, "fixes": [] });
        let mut safe_edits = None;
        if let Some(fix) = &d.fix {
            let mut edits = Vec::new();
            let mut same_file = Vec::new();
            let mut all_here = true;
            for e in &fix.edits {
                if e.span.file == file.id {
                    same_file.push((e.span.start()..e.span.end(), e.replacement.clone()));
                } else {
                    all_here = false;
                }
                if let Some((uri, r)) = db_lookup(&e.span) {
                    edits.push(json!({ "uri": uri, "range": r, "newText": e.replacement }));
                }
            }
            if d.fix_applicability == Applicability::Safe && all_here {
                safe_edits = Some(same_file);
            }
            let mut title = capitalize(&fix.description);
            if d.fix_applicability == Applicability::DisplayOnly {
                title.push_str(" (suggestion)");
            }
            title.push_str(&format!(" ({})", d.rule_id));
            data["fixes"] = json!([{
                "title": title,
                "applicability": d.fix_applicability.as_str(),
                "edits": edits,
            }]);
        }
        if let Some(s) = suppress_edit(file, d) {
            let at = lines.position(&file.text, s.0, self.enc);
            data["suppress"] = json!({
                "title": format!("Suppress {} for this item", d.rule_id),
                "uri": self.uri_of(&file.path),
                "range": { "start": at, "end": at },
                "newText": s.1,
            });
        }
        value["data"] = data;
        (
            value.clone(),
            Stored {
                lsp: value,
                range: d.primary.start()..d.primary.end(),
                rule: d.rule_id,
                safe_edits,
            },
        )
    }

    /// The file a span points into: the run that produced `current` holds it.
    fn file_of(&self, id: crate::source::FileId, current: &SourceFile) -> Option<Arc<SourceFile>> {
        self.results.values().find_map(|r| {
            let same_run = r
                .files
                .values()
                .any(|(f, _)| std::ptr::eq(f.as_ref(), current));
            same_run.then(|| r.sources.get(id))
        })
    }

    fn hover(&self, params: &Value) -> Value {
        let Some(key) = params["textDocument"]["uri"].as_str() else {
            return Value::Null;
        };
        let Ok(pos) = serde_json::from_value::<lsp_types::Position>(params["position"].clone())
        else {
            return Value::Null;
        };
        let Some(doc) = self.docs.get(key) else {
            return Value::Null;
        };
        let text = &doc.text;
        let lines = Lines::new(text);
        let at = lines.offset(text, pos, self.enc);
        // A rule id in a suppression comment.
        let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
        let line = &text[line_start..line_end];
        if line.contains("ecslint-ignore") {
            let is_id = |c: char| c.is_ascii_alphanumeric();
            let mut s = at;
            while s > line_start && text[..s].chars().next_back().is_some_and(is_id) {
                s -= 1;
            }
            let mut e = at;
            while e < line_end && text[e..].chars().next().is_some_and(is_id) {
                e += 1;
            }
            let token = &text[s..e];
            if let Some(rule) = crate::rules::find(&token.to_ascii_uppercase()) {
                return hover_value(rule, lines.range(text, s..e, self.enc));
            }
        }
        for s in self.published.get(key).into_iter().flatten() {
            if s.range.start <= at
                && at <= s.range.end.max(s.range.start + 1)
                && let Some(rule) = crate::rules::find(s.rule)
            {
                return hover_value(rule, lines.range(text, s.range.clone(), self.enc));
            }
        }
        Value::Null
    }

    fn code_actions(&self, params: &Value) -> Value {
        let Some(key) = params["textDocument"]["uri"].as_str() else {
            return json!([]);
        };
        let only: Vec<&str> = params["context"]["only"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let wanted = |kind: &str| {
            only.is_empty()
                || only
                    .iter()
                    .any(|o| kind == *o || kind.starts_with(&format!("{o}.")))
        };
        // The findings the request is about: those the client sends back, with the `data`
        // this server attached; a client that drops `data` (or sends none) gets the published
        // findings at the same place.
        let stored: &[Stored] = self.published.get(key).map_or(&[], Vec::as_slice);
        let sent: Vec<&Value> = params["context"]["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["source"] == "ecslint" || d["source"].is_null())
            .collect();
        let mut about: Vec<Value> = Vec::new();
        for d in &sent {
            if d["data"].is_object() {
                about.push((*d).clone());
            } else if let Some(s) = stored
                .iter()
                .find(|s| s.lsp["code"] == d["code"] && s.lsp["range"] == d["range"])
            {
                about.push(s.lsp.clone());
            }
        }
        if sent.is_empty()
            && let Ok(want) = serde_json::from_value::<lsp_types::Range>(params["range"].clone())
        {
            for s in stored {
                let Ok(r) = serde_json::from_value::<lsp_types::Range>(s.lsp["range"].clone())
                else {
                    continue;
                };
                if r.start <= want.end && want.start <= r.end {
                    about.push(s.lsp.clone());
                }
            }
        }
        let mut actions = Vec::new();
        if wanted("quickfix") {
            for d in &about {
                let data = &d["data"];
                for fix in data["fixes"].as_array().into_iter().flatten() {
                    let edits: Vec<(String, Value, String)> = fix["edits"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|e| {
                            (
                                e["uri"].as_str().unwrap_or(key).to_string(),
                                e["range"].clone(),
                                e["newText"].as_str().unwrap_or("").to_string(),
                            )
                        })
                        .collect();
                    actions.push(json!({
                        "title": fix["title"],
                        "kind": "quickfix",
                        "diagnostics": [d],
                        "isPreferred": fix["applicability"] == "safe",
                        "edit": self.workspace_edit(edits),
                    }));
                }
                let s = &data["suppress"];
                if s.is_object() {
                    let edit = self.workspace_edit(vec![(
                        s["uri"].as_str().unwrap_or(key).to_string(),
                        s["range"].clone(),
                        s["newText"].as_str().unwrap_or("").to_string(),
                    )]);
                    actions.push(json!({
                        "title": s["title"],
                        "kind": "quickfix",
                        "diagnostics": [d],
                        "edit": edit,
                    }));
                }
            }
        }
        if !only.is_empty()
            && wanted("source.fixAll.ecslint")
            && let Some(a) = self.fix_all(key)
        {
            actions.push(a);
        }
        json!(actions)
    }

    /// `source.fixAll.ecslint`: every safe fix of the document that does not overlap another,
    /// chosen as `ecslint check --fix` chooses them (`fix::apply`).
    fn fix_all(&self, key: &str) -> Option<Value> {
        let doc = self.docs.get(key)?;
        let fixes: Vec<Vec<(std::ops::Range<usize>, String)>> = self
            .published
            .get(key)?
            .iter()
            .filter_map(|s| s.safe_edits.clone())
            .collect();
        if fixes.is_empty() {
            return None;
        }
        let (_, used) = crate::fix::apply(&doc.text, &fixes);
        let lines = Lines::new(&doc.text);
        let mut edits: Vec<(String, Value, String)> = Vec::new();
        for i in used {
            for (r, new_text) in &fixes[i] {
                edits.push((
                    key.to_string(),
                    json!(lines.range(&doc.text, r.clone(), self.enc)),
                    new_text.clone(),
                ));
            }
        }
        Some(json!({
            "title": "Fix all safe ecslint findings",
            "kind": "source.fixAll.ecslint",
            "edit": self.workspace_edit(edits),
        }))
    }

    fn workspace_edit(&self, edits: Vec<(String, Value, String)>) -> Value {
        let mut by_uri: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (uri, range, new_text) in edits {
            by_uri
                .entry(uri)
                .or_default()
                .push(json!({ "range": range, "newText": new_text }));
        }
        if self.document_changes {
            let changes: Vec<Value> = by_uri
                .into_iter()
                .map(|(uri, edits)| {
                    let version = self.docs.get(&uri).map(|d| d.version);
                    json!({ "textDocument": { "uri": uri, "version": version }, "edits": edits })
                })
                .collect();
            json!({ "documentChanges": changes })
        } else {
            json!({ "changes": by_uri })
        }
    }
}

/// Where "suppress for this item" inserts its comment (`.tf` and CloudFormation YAML only:
/// JSON has no comments) and the line it inserts.
fn suppress_edit(file: &SourceFile, d: &Diagnostic) -> Option<(usize, String)> {
    if d.rule_id == crate::diagnostic::PARSE_ERROR || d.rule_id.starts_with("ECS01") {
        return None;
    }
    let name = file.path.to_string_lossy().to_ascii_lowercase();
    let hcl = name.ends_with(".tf");
    let yaml = [".yaml", ".yml", ".template"]
        .iter()
        .any(|e| name.ends_with(e));
    if !(hcl || yaml) {
        return None;
    }
    let text = &file.text;
    let at = crate::suppress::directive_line(text, d.primary.start(), hcl);
    let indent: String = text[at..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Some((
        at,
        format!(
            "{indent}# ecslint-ignore {} -- {SUPPRESS_PLACEHOLDER}{newline}",
            d.rule_id
        ),
    ))
}

/// The rule's page, as `ecslint rule ID` prints it (Markdown, front matter left out).
pub fn rule_markdown(rule: &crate::rules::Rule) -> String {
    let doc = rule.doc;
    match doc
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
    {
        Some((_, body)) => body.trim_start().to_string(),
        None => doc.to_string(),
    }
}

/// The rule's documentation page (the same link as SARIF's `helpUri`).
pub fn rule_url(id: &str) -> String {
    crate::rules::page_url(id)
}

fn hover_value(rule: &crate::rules::Rule, range: lsp_types::Range) -> Value {
    json!({
        "contents": { "kind": "markdown", "value": rule_markdown(rule) },
        "range": range,
    })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn err(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_string())
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}
