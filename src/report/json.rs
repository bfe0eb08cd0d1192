//! The JSON report. Its schema is documented in the README and stable: fields are only added.

use super::{Summary, display_path, locate};
use crate::diagnostic::Diagnostic;
use crate::engine::Scan;
use crate::syntax::Note;
use serde_json::{Value, json};

pub const SCHEMA_VERSION: u32 = 1;

pub fn render(scan: &Scan, diagnostics: &[Diagnostic], notes: &[Note]) -> String {
    let span_json = |span: &crate::source::Span| {
        let file = scan.db.get(span.file);
        let l = locate(&file, span);
        json!({
            "file": l.file, "line": l.line, "column": l.column,
            "end_line": l.end_line, "end_column": l.end_column,
        })
    };
    let findings: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut v = span_json(&d.primary);
            let obj = v.as_object_mut().expect("object");
            let rule_name = crate::rules::find(d.rule_id).map_or("parse-error", |r| r.name);
            obj.insert("rule_id".into(), json!(d.rule_id));
            obj.insert("rule_name".into(), json!(rule_name));
            obj.insert("severity".into(), json!(d.severity.as_str()));
            obj.insert("message".into(), json!(d.message));
            obj.insert("help".into(), json!(d.help));
            obj.insert(
                "labels".into(),
                d.labels
                    .iter()
                    .map(|(s, m)| {
                        let mut l = span_json(s);
                        l["message"] = json!(m);
                        l
                    })
                    .collect(),
            );
            obj.insert(
                "fix".into(),
                d.fix.as_ref().map_or(Value::Null, |f| {
                    json!({
                        "description": f.description,
                        "edits": f.edits.iter().map(|e| {
                            let mut l = span_json(&e.span);
                            l["replacement"] = json!(e.replacement);
                            l
                        }).collect::<Vec<_>>(),
                    })
                }),
            );
            v
        })
        .collect();
    let report = json!({
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ecslint", "version": env!("CARGO_PKG_VERSION")},
        "findings": findings,
        "notes": notes.iter().map(|n| json!({"file": display_path(&n.path), "message": n.message})).collect::<Vec<_>>(),
        "summary": Summary::new(scan, diagnostics),
    });
    let mut s = serde_json::to_string_pretty(&report).expect("serializable");
    s.push('\n');
    s
}
