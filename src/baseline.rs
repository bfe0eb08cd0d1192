//! The baseline: accepted findings recorded in `.ecslint-baseline.json`, so a gate can be
//! turned on for new findings only. A finding is keyed by a fingerprint of its rule, path,
//! resource, container, field and a digest of the offending value — never its line — and
//! identical keys collapse into a count. Values are never stored (only their SHA-256 inside the
//! fingerprint), and messages of findings on secrets are left out.

use crate::diagnostic::Diagnostic;
use crate::engine::Scan;
use crate::pipeline::Identity;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

pub const VERSION: u32 = 1;
pub const DEFAULT_FILE: &str = ".ecslint-baseline.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub resource: String,
    pub container: String,
    pub field: String,
    pub fingerprint: String,
    pub count: usize,
    /// Hints for people, never compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct File {
    pub version: u32,
    pub generated_by: String,
    pub entries: Vec<Entry>,
}

/// A finding's key in the baseline.
pub struct Key {
    pub path: String,
    pub fingerprint: String,
}

/// `path` relative to `dir` with `/` (`../` where it lies outside `dir`).
fn rel(path: &Path, dir: &Path) -> String {
    let a: Vec<_> = path.components().collect();
    let b: Vec<_> = dir.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        a[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

pub fn key(rule: &str, id: &Identity, dir: &Path) -> Key {
    let path = rel(&id.path, dir);
    let value_digest: String = id
        .value_digest
        .iter()
        .flatten()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut h = Sha256::new();
    for part in [
        rule,
        &path,
        &id.resource,
        &id.container,
        &id.field,
        &value_digest,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    Key {
        path,
        fingerprint: digest[..8].iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// Read a baseline; a malformed file or an unknown version is an error (never ignored).
pub fn read(path: &Path) -> Result<File, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a baseline file: {e}", path.display()))?;
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(format!(
                "{}: baseline version {v} is not supported (this ecslint reads version {VERSION})",
                path.display()
            ));
        }
        None => {
            return Err(format!(
                "{}: not a baseline file (no `version`)",
                path.display()
            ));
        }
    }
    serde_json::from_value(value)
        .map_err(|e| format!("{}: not a baseline file: {e}", path.display()))
}

/// The file's text: sorted entries, pretty-printed, so it diffs well and is deterministic.
pub fn render(mut entries: Vec<Entry>) -> String {
    entries.sort_by(|a, b| {
        (&a.path, &a.rule, &a.resource, &a.field, &a.fingerprint).cmp(&(
            &b.path,
            &b.rule,
            &b.resource,
            &b.field,
            &b.fingerprint,
        ))
    });
    let file = File {
        version: VERSION,
        generated_by: format!("ecslint {}", env!("CARGO_PKG_VERSION")),
        entries,
    };
    let mut s = serde_json::to_string_pretty(&file).expect("serializable");
    s.push('\n');
    s
}

/// Entries for the current findings. Parse errors too: only inline suppressions may not
/// hide them, and a legacy tree may hold files that never parsed.
pub fn entries_for(
    scan: &Scan,
    diagnostics: &[Diagnostic],
    ids: &[Identity],
    dir: &Path,
) -> Vec<Entry> {
    let mut by_fp: BTreeMap<String, Entry> = BTreeMap::new();
    for (d, id) in diagnostics.iter().zip(ids) {
        let k = key(d.rule_id, id, dir);
        let line = scan.db.get(d.primary.file).line_col(d.primary.start()).line;
        by_fp
            .entry(k.fingerprint.clone())
            .and_modify(|e| e.count += 1)
            .or_insert_with(|| Entry {
                path: k.path,
                rule: d.rule_id.to_string(),
                resource: id.resource.clone(),
                container: id.container.clone(),
                field: id.field.clone(),
                fingerprint: k.fingerprint,
                count: 1,
                line: Some(line),
                message: (!d.redact).then(|| d.message.to_string()),
            });
    }
    by_fp.into_values().collect()
}

/// The result of applying a baseline.
#[derive(Debug, Default)]
pub struct Applied {
    /// Per finding (same order as the input): matched a baseline entry?
    pub matched: Vec<bool>,
    pub fingerprints: Vec<String>,
    /// Entries (with the count left over) that no longer occur.
    pub stale: Vec<Entry>,
    /// Entries kept as they were (their path was not part of this run, or they matched).
    pub kept: Vec<Entry>,
}

/// Match findings against the baseline. `run_paths` are the baseline-relative paths that were
/// part of this run: entries for other paths are neither matched nor stale.
pub fn apply(
    file: &File,
    diagnostics: &[Diagnostic],
    ids: &[Identity],
    dir: &Path,
    run_paths: &HashSet<String>,
) -> Applied {
    let mut left: BTreeMap<&str, usize> = file
        .entries
        .iter()
        .map(|e| (e.fingerprint.as_str(), e.count))
        .collect();
    let mut out = Applied::default();
    for (d, id) in diagnostics.iter().zip(ids) {
        let k = key(d.rule_id, id, dir);
        let hit = left.get_mut(k.fingerprint.as_str()).is_some_and(|n| {
            if *n > 0 {
                *n -= 1;
                true
            } else {
                false
            }
        });
        out.matched.push(hit);
        out.fingerprints.push(k.fingerprint);
    }
    for e in &file.entries {
        let remaining = left.get(e.fingerprint.as_str()).copied().unwrap_or(0);
        if remaining > 0 && run_paths.contains(&e.path) {
            out.stale.push(Entry {
                count: remaining,
                ..e.clone()
            });
            if remaining < e.count {
                out.kept.push(Entry {
                    count: e.count - remaining,
                    ..e.clone()
                });
            }
        } else {
            out.kept.push(e.clone());
        }
    }
    out
}

/// Baseline-relative paths of everything this run read: files and Terraform module directories.
pub fn run_paths(scan: &Scan, dir: &Path) -> HashSet<String> {
    let mut out: HashSet<String> = HashSet::new();
    for (id, _) in &scan.files {
        out.insert(rel(&scan.db.get(*id).absolute(), dir));
    }
    for (path, _) in &scan.unit_paths {
        out.insert(rel(&crate::source::absolute(path), dir));
    }
    out
}

/// The directory a baseline's paths are relative to.
pub fn base_dir(path: &Path) -> PathBuf {
    crate::source::absolute(path.parent().unwrap_or(Path::new("")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bl_08_paths_are_relative_with_slashes() {
        assert_eq!(rel(Path::new("/r/a/b.json"), Path::new("/r")), "a/b.json");
        assert_eq!(
            rel(Path::new("/r/a/b.json"), Path::new("/r/ci")),
            "../a/b.json"
        );
        assert_eq!(rel(Path::new("/r/mod"), Path::new("/r")), "mod");
    }
}
