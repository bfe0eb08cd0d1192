//! Front-ends: one module per input format. Each turns source files into model [`Unit`]s plus
//! parse diagnostics, and nothing else (front-ends never judge).

pub mod budget;
pub mod cloudformation;
pub mod node;
pub mod shape;
mod strict_json;
pub mod taskdef_json;
pub mod terraform;

use crate::diagnostic::Diagnostic;
use crate::model::{Format, Unit};
use crate::source::{FileId, SourceDb, SourceFile};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a front-end produced from one file or one Terraform module.
#[derive(Debug, Default)]
pub struct Parsed {
    pub units: Vec<Unit>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every scanned input file with the format it was read as (for statistics). Files pulled
    /// in by `file()` / `templatefile()` are not listed here.
    pub files: Vec<(FileId, Format)>,
    /// Notes for the user that are not findings ("skipped: not UTF-8").
    pub notes: Vec<Note>,
    /// What later stages need of a CloudFormation template, taken from its one parse.
    pub templates: Vec<(FileId, TemplateFacts)>,
}

/// Of a CloudFormation template: each resource's byte range by logical id (`[[suppress]]`
/// entries name resources), and its `Metadata` suppressions.
#[derive(Debug, Default, Clone)]
pub struct TemplateFacts {
    pub resources: std::collections::HashMap<String, std::ops::Range<usize>>,
    pub metadata: crate::suppress::Found,
}

impl Parsed {
    pub fn extend(&mut self, other: Parsed) {
        self.units.extend(other.units);
        self.diagnostics.extend(other.diagnostics);
        self.files.extend(other.files);
        self.notes.extend(other.notes);
        self.templates.extend(other.templates);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    pub path: PathBuf,
    pub message: String,
}

/// Why a file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    OutsideRoot,
    TooLarge(u64),
    Binary,
    NotUtf8,
    Io(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::OutsideRoot => write!(f, "outside the scan root; not read"),
            LoadError::TooLarge(n) => write!(f, "skipped: {n} bytes is over the size limit"),
            LoadError::Binary => write!(f, "skipped: binary file"),
            LoadError::NotUtf8 => write!(f, "skipped: not UTF-8"),
            LoadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

/// UTF-16 with a byte-order mark (LE or BE) decoded; `None` when there is no such mark.
fn decode_utf16(bytes: &[u8]) -> Option<Result<String, LoadError>> {
    let le = match bytes {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let body = &bytes[2..];
    if !body.len().is_multiple_of(2) {
        return Some(Err(LoadError::NotUtf8));
    }
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| LoadError::NotUtf8),
    )
}

/// Shared, read-only state of one run, handed to every front-end.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub db: &'a SourceDb,
    /// Canonical directories files may be read from (`file()` never reads outside them).
    pub roots: &'a [PathBuf],
    /// Region given on the command line, used where a unit does not say.
    pub region: Option<&'a str>,
    /// Extra Terraform variable files (`--var-file`).
    pub var_files: &'a [PathBuf],
    pub max_file_size: u64,
    /// Evaluation budget of each unit (see [`budget`]).
    pub eval_budget: u64,
    /// Terraform module directories parsed in this run, shared by every unit that calls them.
    pub terraform_modules: &'a terraform::ModuleCache,
    /// The module directories the current job used (each use once), so that the job can tell
    /// the cache when it is done with them; `None` outside a scan's jobs.
    pub used_dirs: Option<&'a std::sync::Mutex<Vec<PathBuf>>>,
}

impl Ctx<'_> {
    /// Read a file once per run (deduplicated by path), refusing paths outside the scan roots,
    /// oversized, binary and non-UTF-8 files.
    ///
    /// Files are known by one name ([`crate::source::identity`]): `m1/../shared/x.json` read
    /// through `file()` by forty modules is the one file `shared/x.json`.
    pub fn load(&self, path: &Path) -> Result<Arc<SourceFile>, LoadError> {
        let path = &crate::source::identity(path);
        let canonical =
            crate::source::canonicalize(path).map_err(|e| LoadError::Io(e.to_string()))?;
        if !self.roots.iter().any(|r| canonical.starts_with(r)) {
            return Err(LoadError::OutsideRoot);
        }
        // Read through `file()`, a tfvars file and the like: by any unit, so never reduced to
        // an excerpt (see `SourceDb::compact`).
        self.read(path, true)
    }

    /// Read a file the user named or discovery found (already inside a root by construction).
    pub fn load_unchecked(&self, path: &Path) -> Result<Arc<SourceFile>, LoadError> {
        self.read(&crate::source::identity(path), false)
    }

    fn read(&self, path: &Path, pin: bool) -> Result<Arc<SourceFile>, LoadError> {
        if let Some(f) = self.db.find_whole(path, pin) {
            return Ok(f);
        }
        let (text, not_a_link) = self.read_text(path)?;
        Ok(self.db.add_read(path.to_path_buf(), text, pin, not_a_link))
    }

    /// The text of a file discovery found, for a look that keeps nothing (the Terraform
    /// planner's): not added to the `SourceDb`, so a tree's text is not held from planning
    /// until its job. Errors are reported by the job's own read.
    pub fn peek_unchecked(&self, path: &Path) -> Result<String, LoadError> {
        let path = crate::source::identity(path);
        match self.db.find_whole(&path, false) {
            Some(file) => Ok(file.text.clone()),
            None => self.read_text(&path).map(|(text, _)| text),
        }
    }

    /// One `open` and a `stat` of what was opened, not of the path before it: a path looked up
    /// twice cost a tenth of a scan's time in the kernel (N=10,000: 13,500 path `statx`).
    /// Also whether the path's last component is no symbolic link (see [`open_without_blocking`]).
    fn read_text(&self, path: &Path) -> Result<(String, bool), LoadError> {
        use std::io::Read;
        let io = |e: std::io::Error| LoadError::Io(e.to_string());
        let (file, not_a_link) = open_without_blocking(path).map_err(io)?;
        let meta = file.metadata().map_err(io)?;
        if !meta.is_file() {
            return Err(LoadError::Io("not a regular file".into()));
        }
        if meta.len() > self.max_file_size {
            return Err(LoadError::TooLarge(meta.len()));
        }
        // Bounded: a file that grows while it is read stops at the limit all the same.
        let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
        file.take(self.max_file_size.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > self.max_file_size {
            return Err(LoadError::TooLarge(bytes.len() as u64));
        }
        Ok((decode(bytes)?, not_a_link))
    }
}

/// Opened for reading without waiting: a FIFO (or a file that became one since discovery) opens
/// at once and is then refused as no regular file, and no terminal becomes the process's.
/// First without following a link at the end of the path: when that opens, the path's last
/// component is no link, which its absolute form then need not look at again (`lstat`, once
/// per file of a run: see [`crate::source::SourceFile::absolute`]); a link is opened again,
/// followed.
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<(std::fs::File, bool)> {
    use std::os::unix::fs::OpenOptionsExt;
    let open = |flags: libc::c_int| {
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | flags)
            .open(path)
    };
    match open(libc::O_NOFOLLOW) {
        Ok(file) => Ok((file, true)),
        // ELOOP: the last component is a link (or the path has too many: opened again, that
        // fails alike).
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => open(0).map(|file| (file, false)),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<(std::fs::File, bool)> {
    std::fs::File::open(path).map(|file| (file, false))
}

/// A file's bytes as text: UTF-8 (a byte-order mark dropped) or UTF-16 with a byte-order mark;
/// a NUL in the first 8 KiB is a binary file.
pub fn decode(bytes: Vec<u8>) -> Result<String, LoadError> {
    if let Some(text) = decode_utf16(&bytes) {
        // The AWS CLI on Windows PowerShell writes UTF-16 with a byte-order mark.
        return text;
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(LoadError::Binary);
    }
    let mut text = String::from_utf8(bytes).map_err(|_| LoadError::NotUtf8)?;
    if text.starts_with('\u{feff}') {
        // A byte-order mark is no column anyone sees; positions count from after it.
        text.drain(..3);
    }
    Ok(text)
}

/// What a file looks like, decided from its name and a cheap look at its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Terraform,
    TerraformJson,
    TerraformPlan,
    CloudFormationYaml,
    CloudFormationJson,
    TaskDefJson,
    /// Variable files are read by the Terraform front-end with their module.
    TerraformVars,
    Unrelated,
}

/// Decide by name for Terraform, by content for JSON and YAML. `explicit` files (named on the
/// command line) are sniffed whatever their extension.
pub fn sniff_name(path: &Path, explicit: bool) -> Option<SniffBy> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tf.json") {
        Some(SniffBy::Name(Sniffed::TerraformJson))
    } else if lower.ends_with(".tf") {
        Some(SniffBy::Name(Sniffed::Terraform))
    } else if lower.ends_with(".tfvars") || lower.ends_with(".tfvars.json") {
        Some(SniffBy::Name(Sniffed::TerraformVars))
    } else if lower.ends_with(".json") {
        Some(SniffBy::Json)
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".template") {
        Some(SniffBy::Yaml)
    } else if explicit {
        Some(SniffBy::Any)
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SniffBy {
    Name(Sniffed),
    Json,
    Yaml,
    Any,
}

/// Content sniffing: cheap substring tests, no parse (the front-end parses once, after).
pub fn sniff_content(text: &str, by: SniffBy) -> Sniffed {
    let head = text.trim_start();
    let looks_json = head.starts_with('{') || head.starts_with('[');
    match by {
        SniffBy::Name(s) => s,
        SniffBy::Json => sniff_json(text),
        SniffBy::Yaml => {
            if looks_json {
                sniff_json(text)
            } else {
                sniff_yaml(text)
            }
        }
        SniffBy::Any => {
            if looks_json {
                sniff_json(text)
            } else if text.contains("resource \"aws_") || text.contains("variable \"") {
                Sniffed::Terraform
            } else {
                sniff_yaml(text)
            }
        }
    }
}

fn is_cloudformation(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || (text.contains("Resources") && text.contains("AWS::"))
}

fn sniff_json(text: &str) -> Sniffed {
    if text.contains("\"format_version\"")
        && (text.contains("\"planned_values\"") || text.contains("\"resource_changes\""))
    {
        Sniffed::TerraformPlan
    } else if is_cloudformation(text) {
        Sniffed::CloudFormationJson
    } else if text.contains("\"resource\"") && text.contains("\"aws_") {
        Sniffed::TerraformJson
    } else if text.contains("ontainerDefinitions\"")
        || (text.trim_start().starts_with('[') && text.contains("\"image\""))
    {
        Sniffed::TaskDefJson
    } else {
        Sniffed::Unrelated
    }
}

fn sniff_yaml(text: &str) -> Sniffed {
    if is_cloudformation(text) {
        Sniffed::CloudFormationYaml
    } else {
        Sniffed::Unrelated
    }
}

/// Every file with one of `extensions` below testdata/, the fuzz seeds under `seeds` and the
/// corpus (when `ECSLINT_CORPUS` is set): the real inputs a front-end's tests read it against.
#[cfg(test)]
pub(crate) fn sample_files(seeds: &str, extensions: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, extensions, out);
            } else if path
                .extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
            {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("testdata"), extensions, &mut files);
    walk(&root.join(seeds), extensions, &mut files);
    if let Some(corpus) = std::env::var_os("ECSLINT_CORPUS") {
        walk(Path::new(&corpus), extensions, &mut files);
    }
    files
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A path whose last component is a link still opens (followed), known as one; a
    /// dangling link is an error as before; a link on the way (not last) is no concern here.
    #[test]
    fn opening_tells_a_link_at_the_end() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("dir")).unwrap();
        std::fs::write(d.path().join("dir/a.json"), "{}").unwrap();
        std::os::unix::fs::symlink(d.path().join("dir/a.json"), d.path().join("link.json"))
            .unwrap();
        std::os::unix::fs::symlink(d.path().join("dir"), d.path().join("to_dir")).unwrap();
        std::os::unix::fs::symlink(d.path().join("gone"), d.path().join("dangling")).unwrap();
        let opened = |name: &str| open_without_blocking(&d.path().join(name)).map(|(_, n)| n);
        assert!(opened("dir/a.json").unwrap());
        assert!(!opened("link.json").unwrap());
        assert!(opened("to_dir/a.json").unwrap());
        assert!(opened("dangling").is_err());
    }
}
