//! Source files, their ids, spans into them and line/column lookup.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Index of a file in the [`SourceDb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub range: Range<u32>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            range: range.start as u32..range.end as u32,
        }
    }

    pub fn start(&self) -> usize {
        self.range.start as usize
    }

    pub fn end(&self) -> usize {
        self.range.end as usize
    }
}

/// A value together with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// 1-based line and column, the column counted in characters (what humans and rustc show).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Offsets of line starts, built once per file so lookups are a binary search.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// In an ASCII file a column is a byte difference; otherwise characters must be counted
    /// (which on a minified one-line JSON file would be quadratic over many findings).
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            memchr_newlines(text.as_bytes())
                .into_iter()
                .map(|i| (i + 1) as u32),
        );
        LineIndex {
            line_starts,
            ascii: text.is_ascii(),
        }
    }

    /// Line (0-based) and the byte offset at which it starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let offset = offset as u32;
        let line = match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        (line, self.line_starts[line] as usize)
    }

    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = clamp_to_char_boundary(text, offset);
        let (line, start) = self.line_of(offset);
        let column = if self.ascii {
            offset - start
        } else {
            text[start..offset].chars().count()
        };
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// 0-based line and UTF-16 column, as the Language Server Protocol and SARIF count them.
    pub fn line_col_utf16(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = clamp_to_char_boundary(text, offset);
        let (line, start) = self.line_of(offset);
        let column = if self.ascii {
            offset - start
        } else {
            text[start..offset].encode_utf16().count()
        };
        (line, column)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte length of a 0-based line (without its newline).
    pub fn line_len(&self, text: &str, line0: usize) -> usize {
        let start = self.line_start(line0).unwrap_or(text.len());
        let end = self
            .line_start(line0 + 1)
            .map_or(text.len(), |e| e.saturating_sub(1));
        end.saturating_sub(start)
    }

    /// The byte offset at which the line holding `offset` starts (a binary search: a long
    /// one-line file must not cost a scan per lookup).
    pub fn start_of_line_at(&self, offset: usize) -> usize {
        self.line_of(offset).1
    }

    pub fn line_start(&self, line0: usize) -> Option<usize> {
        self.line_starts.get(line0).map(|&s| s as usize)
    }
}

fn memchr_newlines(bytes: &[u8]) -> Vec<usize> {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'\n').then_some(i))
        .collect()
}

/// The byte range of the whole character at `offset` (moved back to a character boundary;
/// empty at the end of `text`): where a syntax error reported at one position points. One byte
/// past the offset could end inside a multi-byte character (found by fuzzing).
pub fn char_range_at(text: &str, offset: usize) -> Range<usize> {
    let start = clamp_to_char_boundary(text, offset);
    let end = text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    start..end
}

fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A path without `.` components and with each `dir/..` pair removed (`m1/../shared/x.json` →
/// `shared/x.json`), relative paths kept relative; leading `..` stay. Purely lexical: see
/// [`identity`] for the form files are known by.
pub fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The one name a file is known by in a run (its key in the [`SourceDb`] and the path reports
/// show): the [`lexical`] form, so `a.json` and `./a.json`, or `m1/../shared/x.json` read by
/// forty modules, are one file. Where a `..` follows a symbolic link the lexical form could name
/// another file, so when the two forms do not resolve to the same file the path is kept as
/// given (only paths with a `..` pay for that check).
pub fn identity(path: &Path) -> PathBuf {
    let lexical = lexical(path);
    let has_parent = path
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir));
    if !has_parent || lexical == path {
        return lexical;
    }
    match (lexical.canonicalize(), path.canonicalize()) {
        (Ok(a), Ok(b)) if a == b => lexical,
        _ => path.to_path_buf(),
    }
}

/// One file's text, read once and shared by every stage.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// Path as given or discovered (relative to the working directory when it was given so).
    pub path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// `line:col-line:col` of a span, 1-based.
    pub fn describe_range(&self, range: &Range<u32>) -> String {
        let a = self.line_col(range.start as usize);
        let b = self.line_col(range.end as usize);
        format!("{}:{}-{}:{}", a.line, a.column, b.line, b.column)
    }

    pub fn slice(&self, range: &Range<u32>) -> &str {
        let s = clamp_to_char_boundary(&self.text, range.start as usize);
        let e = clamp_to_char_boundary(&self.text, range.end as usize).max(s);
        &self.text[s..e]
    }
}

/// Every file the run has read, addressed by [`FileId`]. Front-ends add the files they pull in
/// (`file()`, `templatefile()`) so that spans into those files resolve like any other.
#[derive(Debug, Default)]
pub struct SourceDb {
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    files: Vec<Arc<SourceFile>>,
    by_path: HashMap<PathBuf, FileId>,
}

impl SourceDb {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a file, or return the one already known by that path with that text: two threads
    /// that read the same `file()` at once must end with one `FileId`, or its findings would
    /// not be recognised as one.
    pub fn add(&self, path: PathBuf, text: String) -> Arc<SourceFile> {
        let lines = LineIndex::new(&text);
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = inner.by_path.get(&path)
            && inner.files[id.0 as usize].text == text
        {
            return inner.files[id.0 as usize].clone();
        }
        let id = FileId(inner.files.len() as u32);
        let file = Arc::new(SourceFile {
            id,
            path: path.clone(),
            text,
            lines,
        });
        inner.files.push(file.clone());
        inner.by_path.insert(path, id);
        file
    }

    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).files[id.0 as usize].clone()
    }

    /// The file already loaded from `path`, if any (so a file read via `file()` by two
    /// resources is read once).
    pub fn find(&self, path: &Path) -> Option<Arc<SourceFile>> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner
            .by_path
            .get(path)
            .map(|id| inner.files[id.0 as usize].clone())
    }

    pub fn all(&self) -> Vec<Arc<SourceFile>> {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .files
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_and_identity() {
        for (given, want) in [
            ("a.json", "a.json"),
            ("./a.json", "a.json"),
            ("m1/../shared/x.json", "shared/x.json"),
            ("m1/./sub/../../x.json", "x.json"),
            ("../x.json", "../x.json"),
            ("a/../../x.json", "../x.json"),
            (".", "."),
            ("/abs/m/../x", "/abs/x"),
        ] {
            assert_eq!(lexical(Path::new(given)), Path::new(want), "{given}");
        }
        // A `..` after a symbolic link: the lexical form names another file.
        #[cfg(unix)]
        {
            let d = tempfile::tempdir().unwrap();
            let real = d.path().join("real/sub");
            std::fs::create_dir_all(&real).unwrap();
            std::fs::write(d.path().join("real/x.json"), "1").unwrap();
            std::fs::write(d.path().join("x.json"), "2").unwrap();
            std::os::unix::fs::symlink(&real, d.path().join("link")).unwrap();
            let through_link = d.path().join("link/../x.json");
            assert_eq!(identity(&through_link), through_link);
            let plain = d.path().join("real/sub/../x.json");
            assert_eq!(identity(&plain), d.path().join("real/x.json"));
        }
    }

    #[test]
    fn line_col_counts_characters_and_utf16() {
        let text = "ab\néx😀y\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        let y = text.find('y').unwrap();
        assert_eq!(idx.line_col(text, y), LineCol { line: 2, column: 4 });
        assert_eq!(idx.line_col_utf16(text, y), (1, 4));
        assert_eq!(
            idx.line_col(text, text.len()),
            LineCol { line: 3, column: 1 }
        );
    }
}
