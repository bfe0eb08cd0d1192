//! Source files, their ids, spans into them and line/column lookup.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Index of a file in the [`SourceDb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file. `Copy`: spans are passed around by the thousand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub range: ByteRange,
}

/// `start..end` in bytes, as `u32` (files are far below 4 GiB: see the size limit), and
/// `Copy`, which `Range` is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ByteRange {
    pub start: u32,
    pub end: u32,
}

impl ByteRange {
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn contains(&self, offset: &u32) -> bool {
        self.start <= *offset && *offset < self.end
    }

    pub fn to_range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl From<Range<u32>> for ByteRange {
    fn from(r: Range<u32>) -> Self {
        ByteRange {
            start: r.start,
            end: r.end,
        }
    }
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            range: ByteRange {
                start: range.start as u32,
                end: range.end as u32,
            },
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
        // Every file read gets one: `memchr` finds the newlines a word (or a vector) at a time.
        let mut line_starts = vec![0u32];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| (i + 1) as u32));
        LineIndex {
            line_starts,
            ascii: text.is_ascii(),
        }
    }

    /// Line (0-based) and the byte offset at which it starts.
    pub fn line_of(&self, offset: usize) -> (usize, usize) {
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
    match (canonical(&lexical), canonical(path)) {
        (Some(a), Some(b)) if a == b => lexical,
        _ => path.to_path_buf(),
    }
}

/// Absolute and lexically normalised (no `.`/`..`), with symbolic links resolved when the path
/// exists (macOS /var → /private/var), so that paths and config directories compare.
///
/// Called for every file of a run: the working directory is read once, and a path's directory
/// is resolved through `resolve_dir` (bounded, process-wide: files come in directories), its
/// last component with one `lstat` — a full `canonicalize` costs a `readlink` per component.
pub fn absolute(path: &Path) -> PathBuf {
    absolute_as(path, true)
}

/// [`absolute`], where the caller may know that the path's last component is no link
/// (`last_may_be_link` false): then only its directory is resolved.
fn absolute_as(path: &Path, last_may_be_link: bool) -> PathBuf {
    let (joined, out) = joined_and_lexical(path);
    if joined
        .components()
        .any(|c| c == std::path::Component::ParentDir)
    {
        // `link/../x` is resolved through the link, as the system would.
        return through_links(&joined).unwrap_or(out);
    }
    if !last_may_be_link && let (Some(dir), Some(name)) = (out.parent(), out.file_name()) {
        return canonical_dir(dir).join(name);
    }
    // A directory asked about before (a module directory is, by the planner, its job and the
    // checks) costs no look at the file system.
    if let Some(known) = DirCache::get(&out).or_else(|| WalkedDirs::get(&out)) {
        return known;
    }
    match std::fs::symlink_metadata(&out) {
        Err(_) => out,
        Ok(meta) if meta.file_type().is_symlink() => out.canonicalize().unwrap_or(out),
        Ok(meta) => match (out.parent(), out.file_name()) {
            (Some(dir), Some(name)) => {
                let canonical = canonical_dir(dir).join(name);
                if meta.is_dir() {
                    DirCache::insert(&out, &canonical);
                }
                canonical
            }
            _ => out.canonicalize().unwrap_or(out),
        },
    }
}

/// `path` joined to the working directory, and that without `.` and `..` (each `..` taking
/// the component before it).
fn joined_and_lexical(path: &Path) -> (PathBuf, PathBuf) {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    (joined, out)
}

/// Directories a walk of `root` went through (paths that start with `root`), whose canonical
/// form is `canonical_root` joined with the rest: the walk follows no link, so none of them is
/// one. Remembered ([`WalkedDirs`]), so that making their files [`absolute`] looks at no
/// directory again (N=10,000: 8,500 `lstat`). Nothing is remembered of a `root` with a `..`,
/// whose lexical form may name another directory.
pub fn walked_dirs(root: &Path, canonical_root: &Path, dirs: &[&Path]) {
    use rayon::prelude::*;
    if root
        .components()
        .any(|c| c == std::path::Component::ParentDir)
    {
        return;
    }
    let (_, lexical_root) = joined_and_lexical(root);
    // Keys made in parallel (a run waits on this alone) and without the lock (a thread of the
    // pool may take up a job that asks about a directory meanwhile), remembered under it.
    let keys: Vec<u128> = dirs
        .par_iter()
        .filter_map(|dir| Some(key(&lexical_root.join(dir.strip_prefix(root).ok()?))))
        .collect();
    let differs = (lexical_root != canonical_root).then(|| canonical_root.to_path_buf());
    let mut walked = WalkedDirs::write();
    let walked = walked.get_or_insert_with(WalkedDirs::default);
    let index = walked.roots.len() as u32;
    walked.dirs.extend(keys.into_iter().map(|key| (key, index)));
    walked.roots.push((lexical_root, differs));
}

/// A directory's key in [`WalkedDirs`]: std's SipHash under this process's random key beside
/// foldhash under its own.
fn key(dir: &Path) -> u128 {
    use std::hash::BuildHasher;
    type Seeds = (
        std::collections::hash_map::RandomState,
        foldhash::quality::RandomState,
    );
    static SEEDS: std::sync::OnceLock<Seeds> = std::sync::OnceLock::new();
    let seeds = SEEDS.get_or_init(Seeds::default);
    let bytes = dir.as_os_str().as_encoded_bytes();
    (u128::from(seeds.0.hash_one(bytes)) << 64) | u128::from(seeds.1.hash_one(bytes))
}

/// What [`walked_dirs`] remembers: each directory by a 128-bit [`key`] of its lexical absolute
/// path, with the walk's root: 24 bytes a directory, so that every directory of a 100,000-file
/// tree fits in a few megabytes, where a path each (the [`DirCache`]'s way, bounded) took ~150
/// bytes. Two paths share a key only if both hashes collide: under 2^-64 a pair (SipHash is a keyed function; the tree
/// cannot choose collisions), about 10^-9 for a run that asks about 100,000 directories not
/// walked against 100,000 walked ones; and a directory asked about was almost always walked.
#[derive(Default)]
struct WalkedDirs {
    /// Each walk's root, lexical, and its canonical form where that differs (a link on the way).
    roots: Vec<(PathBuf, Option<PathBuf>)>,
    dirs: crate::hashing::FastMap<u128, u32>,
}

impl WalkedDirs {
    fn cell() -> &'static std::sync::RwLock<Option<WalkedDirs>> {
        static WALKED: std::sync::RwLock<Option<WalkedDirs>> = std::sync::RwLock::new(None);
        &WALKED
    }

    fn write() -> std::sync::RwLockWriteGuard<'static, Option<WalkedDirs>> {
        Self::cell()
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The canonical form of `dir` (absolute, lexical) if a walk went through it.
    fn get(dir: &Path) -> Option<PathBuf> {
        let walked = Self::cell()
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let walked = walked.as_ref()?;
        let index = *walked.dirs.get(&key(dir))?;
        match &walked.roots[index as usize] {
            (_, None) => Some(dir.to_path_buf()),
            (lexical_root, Some(canonical_root)) => {
                Some(canonical_root.join(dir.strip_prefix(lexical_root).ok()?))
            }
        }
    }
}

/// `path.canonicalize().ok()`, without a `readlink` per component: each directory on the way
/// through `resolve_dir` (remembered), so that a `..` leaves the directory a link points to,
/// as the system does.
pub fn canonical(path: &Path) -> Option<PathBuf> {
    if path.is_absolute() {
        through_links(path)
    } else {
        through_links(&cwd().join(path))
    }
}

/// `path.canonicalize()`: [`canonical`] where it answers, the system's call (and its error)
/// where it does not.
pub fn canonicalize(path: &Path) -> std::io::Result<PathBuf> {
    canonical(path).map_or_else(|| path.canonicalize(), Ok)
}

fn cwd() -> &'static Path {
    static CWD: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().unwrap_or_default())
}

/// [`canonical`] of an absolute path.
fn through_links(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let components: Vec<Component> = path.components().collect();
    let mut at = PathBuf::new();
    for (i, c) in components.iter().enumerate() {
        match c {
            Component::Prefix(_) | Component::RootDir => at.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                at.pop();
            }
            Component::Normal(name) => {
                let next = at.join(name);
                if i + 1 < components.len() {
                    at = resolve_dir(&next)?;
                    continue;
                }
                // The last component: a file, a directory, or a link to either.
                let meta = std::fs::symlink_metadata(&next).ok()?;
                return if meta.file_type().is_symlink() {
                    next.canonicalize().ok()
                } else {
                    Some(next)
                };
            }
        }
    }
    // It ended in `..` (or was a root).
    Some(at)
}

/// `dir.canonicalize()` (or `dir` where that fails); see [`resolve_dir`].
fn canonical_dir(dir: &Path) -> PathBuf {
    resolve_dir(dir).unwrap_or_else(|| dir.to_path_buf())
}

/// `dir.canonicalize().ok()` of a directory (`None` for anything else), built from the
/// parent's canonical form and one `lstat` when `dir` is no link, the answers remembered
/// ([`DirCache`]): a run asks about every directory of the tree, and they share their ancestors.
fn resolve_dir(dir: &Path) -> Option<PathBuf> {
    if let Some(c) = DirCache::get(dir) {
        return Some(c);
    }
    if let Some(c) = WalkedDirs::get(dir) {
        return Some(c);
    }
    let meta = std::fs::symlink_metadata(dir).ok()?;
    let canonical = match (dir.parent(), dir.file_name()) {
        (Some(parent), Some(name)) if !meta.file_type().is_symlink() => {
            if !meta.is_dir() {
                return None;
            }
            resolve_dir(parent)?.join(name)
        }
        _ => dir.canonicalize().ok().filter(|c| c.is_dir())?,
    };
    DirCache::insert(dir, &canonical);
    Some(canonical)
}

/// Absolute directory → its canonical form, process-wide and bounded.
struct DirCache;

/// Directories remembered: more than the directories of a 10,000-file tree (15,800), whose
/// units are checked in two passes over the tree (Terraform modules, then the other files);
/// beyond, it starts over. About 2 MB when full (one path each where no link is involved).
const REMEMBERED_DIRS: usize = 16_384;

/// The canonical form, or `None` where it is the key itself (the common case: no link on the
/// way).
type Known = crate::hashing::FastMap<PathBuf, Option<PathBuf>>;

impl DirCache {
    fn known() -> std::sync::MutexGuard<'static, Option<Known>> {
        static KNOWN: std::sync::Mutex<Option<Known>> = std::sync::Mutex::new(None);
        KNOWN
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(dir: &Path) -> Option<PathBuf> {
        let known = Self::known();
        let canonical = known.as_ref()?.get(dir)?;
        Some(canonical.clone().unwrap_or_else(|| dir.to_path_buf()))
    }

    fn insert(dir: &Path, canonical: &Path) {
        let mut known = Self::known();
        let map = known.get_or_insert_with(Known::default);
        if map.len() >= REMEMBERED_DIRS {
            map.clear();
        }
        let differs = (canonical != dir).then(|| canonical.to_path_buf());
        map.insert(dir.to_path_buf(), differs);
    }
}

/// A path as users want to read it: relative as given, without a leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).replace('\\', "/")
}

/// One file's text, read once and shared by every stage.
///
/// Once the findings of every unit that reads a file are known, a `check` run keeps only an
/// excerpt of it (see [`SourceDb::compact`]): the lines its findings are located on and quoted
/// from. Offsets stay those of the whole file; the methods below translate. Only reports read a
/// file after that, and only through these methods.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// Path as given or discovered (relative to the working directory when it was given so).
    /// Shared with the database's index by path: one copy per file.
    pub path: Arc<Path>,
    /// The text; of an excerpt, the kept lines one after the other (read it through the
    /// methods, which take offsets into the whole file).
    pub text: String,
    /// Line starts of `text`.
    pub lines: LineIndex,
    excerpt: Option<Excerpt>,
    /// The path's last component was no symbolic link when the file was read (`false`: not
    /// known), so that [`absolute`](Self::absolute) need not look at it again.
    not_a_link: bool,
}

/// Of an excerpt: for each line of `text`, where it starts in the whole file and its 0-based
/// line number there.
#[derive(Debug)]
struct Excerpt {
    origin: Vec<(usize, usize)>,
    len: usize,
}

/// A span covering more lines than this keeps its first and last lines, as the terminal
/// report shows them (codespan: three lines of context after the start, one before the end);
/// the lines between stay as empty placeholders, so that line numbers still count.
const MAX_KEPT_SPAN_LINES: usize = 12;

impl SourceFile {
    pub fn new(id: FileId, path: impl Into<Arc<Path>>, text: String) -> Self {
        SourceFile {
            id,
            path: path.into(),
            lines: LineIndex::new(&text),
            text,
            excerpt: None,
            not_a_link: false,
        }
    }

    /// [`absolute`] of the file's path, without an `lstat` of the file where its read found
    /// it no link.
    pub fn absolute(&self) -> PathBuf {
        absolute_as(&self.path, !self.not_a_link)
    }

    /// Only the lines of some spans are left (see [`SourceDb::compact`]).
    pub fn is_excerpt(&self) -> bool {
        self.excerpt.is_some()
    }

    /// Length of the whole file in bytes.
    pub fn len(&self) -> usize {
        self.excerpt.as_ref().map_or(self.text.len(), |e| e.len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An offset into the whole file as an offset into `text` (the same for a whole file).
    /// An offset on a line that was not kept maps to the start of the next kept line.
    pub fn local(&self, offset: usize) -> usize {
        let Some(e) = &self.excerpt else {
            return offset.min(self.text.len());
        };
        let k = e.origin.partition_point(|&(start, _)| start <= offset);
        let Some(k) = k.checked_sub(1) else {
            return 0;
        };
        let local_start = self.lines.line_start(k).unwrap_or(self.text.len());
        let local_end = self.lines.line_start(k + 1).unwrap_or(self.text.len());
        let at = local_start + (offset - e.origin[k].0);
        if at <= local_end { at } else { local_end }
    }

    /// The 1-based line number in the whole file of a 0-based line of `text`.
    pub fn line_number(&self, local_line0: usize) -> usize {
        match &self.excerpt {
            None => local_line0 + 1,
            Some(e) => e
                .origin
                .get(local_line0)
                .map_or(local_line0 + 1, |&(_, line0)| line0 + 1),
        }
    }

    /// The 0-based line of `text` holding a 0-based line of the whole file.
    fn local_line(&self, line0: usize) -> Option<usize> {
        match &self.excerpt {
            None => Some(line0),
            Some(e) => e.origin.binary_search_by_key(&line0, |&(_, l)| l).ok(),
        }
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let lc = self.lines.line_col(&self.text, self.local(offset));
        LineCol {
            line: self.line_number(lc.line - 1),
            column: lc.column,
        }
    }

    /// 0-based line and UTF-16 column (SARIF, the Language Server Protocol).
    pub fn line_col_utf16(&self, offset: usize) -> (usize, usize) {
        let (line, column) = self.lines.line_col_utf16(&self.text, self.local(offset));
        (self.line_number(line) - 1, column)
    }

    /// Byte length of a 0-based line (without its newline).
    pub fn line_len(&self, line0: usize) -> usize {
        self.local_line(line0)
            .map_or(0, |l| self.lines.line_len(&self.text, l))
    }

    /// The text of a 0-based line, with its newline.
    pub fn line_text(&self, line0: usize) -> &str {
        let Some(l) = self.local_line(line0) else {
            return "";
        };
        let start = self.lines.line_start(l).unwrap_or(self.text.len());
        let end = self.lines.line_start(l + 1).unwrap_or(self.text.len());
        &self.text[start..end]
    }

    /// The text from the start of `offset`'s line (at most `max` bytes back) to `offset`.
    pub fn before_on_line(&self, offset: usize, max: usize) -> &str {
        let at = clamp_to_char_boundary(&self.text, self.local(offset));
        let line_start = self.lines.start_of_line_at(at);
        let from = clamp_to_char_boundary(&self.text, at.saturating_sub(max)).max(line_start);
        &self.text[from..at]
    }

    /// `line:col-line:col` of a span, 1-based.
    pub fn describe_range(&self, range: &ByteRange) -> String {
        let a = self.line_col(range.start as usize);
        let b = self.line_col(range.end as usize);
        format!("{}:{}-{}:{}", a.line, a.column, b.line, b.column)
    }

    /// The text of a range (of an excerpt: as far as it was kept).
    pub fn slice(&self, range: &ByteRange) -> &str {
        let s = clamp_to_char_boundary(&self.text, self.local(range.start as usize));
        let e = clamp_to_char_boundary(&self.text, self.local(range.end as usize)).max(s);
        &self.text[s..e]
    }

    /// This file reduced to the lines of `spans` (byte ranges into it).
    fn excerpt(&self, spans: &[ByteRange]) -> SourceFile {
        // 0-based line → keep its text (else an empty placeholder).
        let mut keep: std::collections::BTreeMap<usize, bool> = Default::default();
        for r in spans {
            let first = self.lines.line_of(self.local(r.start as usize)).0;
            let last = self.lines.line_of(self.local(r.end as usize)).0.max(first);
            for l in first..=last {
                let text = last - first <= MAX_KEPT_SPAN_LINES || l <= first + 4 || l + 2 >= last;
                *keep.entry(l).or_default() |= text;
            }
        }
        // Between two kept lines, codespan quotes a single line it skipped and marks a longer
        // gap: keep the one line, and two placeholders for a gap, so that it does the same.
        let lines: Vec<usize> = keep.keys().copied().collect();
        for pair in lines.windows(2) {
            match pair[1] - pair[0] {
                2 => {
                    keep.insert(pair[0] + 1, true);
                }
                gap if gap > 2 => {
                    keep.entry(pair[0] + 1).or_insert(false);
                    keep.entry(pair[0] + 2).or_insert(false);
                }
                _ => {}
            }
        }
        let mut text = String::new();
        let mut origin = Vec::with_capacity(keep.len());
        for (l, with_text) in keep {
            let start = self.lines.line_start(l).unwrap_or(self.text.len());
            let end = self.lines.line_start(l + 1).unwrap_or(self.text.len());
            origin.push((start, l));
            if with_text {
                text.push_str(&self.text[start..end]);
            } else {
                text.push('\n');
            }
            if !text.ends_with('\n') && end < self.text.len() {
                text.push('\n');
            }
        }
        text.shrink_to_fit();
        SourceFile {
            id: self.id,
            path: self.path.clone(),
            lines: LineIndex::new(&text),
            text,
            excerpt: Some(Excerpt {
                origin,
                len: self.text.len(),
            }),
            not_a_link: self.not_a_link,
        }
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
    by_path: crate::hashing::FastMap<Arc<Path>, FileId>,
    /// Spans findings point at, per file: what an excerpt keeps.
    kept: crate::hashing::FastMap<FileId, Vec<ByteRange>>,
    /// Files never reduced to an excerpt: read through `file()` and the like, whose readers
    /// cannot be told apart from the file's own unit.
    pinned: crate::hashing::FastSet<FileId>,
}

impl SourceDb {
    pub fn new() -> Self {
        Self::default()
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Add a file, or return the one already known by that path with that text: two threads
    /// that read the same `file()` at once must end with one `FileId`, or its findings would
    /// not be recognised as one. A file that was reduced to an excerpt gets its whole text
    /// back, under the same `FileId`. `pin`: never reduce it again.
    pub fn add_pinned(&self, path: PathBuf, text: String, pin: bool) -> Arc<SourceFile> {
        self.add_read(path, text, pin, false)
    }

    /// [`add_pinned`](Self::add_pinned) of a file read from disk, and whether its path's last
    /// component was no link then.
    pub fn add_read(
        &self,
        path: PathBuf,
        text: String,
        pin: bool,
        not_a_link: bool,
    ) -> Arc<SourceFile> {
        let lines = LineIndex::new(&text);
        let mut inner = self.write();
        if let Some(&id) = inner.by_path.get(path.as_path()) {
            let known = inner.files[id.0 as usize].clone();
            if known.is_excerpt() {
                // The spans its findings point at went with the whole text (`compact_where`):
                // the lines the excerpt kept say where they were.
                let lines_kept: Vec<ByteRange> = known
                    .excerpt
                    .iter()
                    .flat_map(|e| &e.origin)
                    .map(|&(start, _)| ByteRange {
                        start: start as u32,
                        end: start as u32,
                    })
                    .collect();
                inner.kept.entry(id).or_default().extend(lines_kept);
                let file = Arc::new(SourceFile {
                    id,
                    path: known.path.clone(),
                    text,
                    lines,
                    excerpt: None,
                    not_a_link: known.not_a_link || not_a_link,
                });
                inner.files[id.0 as usize] = file.clone();
                inner.pinned.insert(id);
                return file;
            }
            if known.text == text {
                let file = known.clone();
                if pin {
                    inner.pinned.insert(id);
                }
                return file;
            }
        }
        let id = FileId(inner.files.len() as u32);
        let path: Arc<Path> = path.into();
        let file = Arc::new(SourceFile {
            id,
            path: path.clone(),
            text,
            lines,
            excerpt: None,
            not_a_link,
        });
        inner.files.push(file.clone());
        inner.by_path.insert(path, id);
        if pin {
            inner.pinned.insert(id);
        }
        file
    }

    pub fn add(&self, path: PathBuf, text: String) -> Arc<SourceFile> {
        self.add_pinned(path, text, false)
    }

    /// Widens `span` to whole characters of its file (a whole file's: an excerpt's offsets are
    /// left as they are).
    pub fn whole_characters(&self, span: &mut Span) {
        let file = self.get(span.file);
        let text = &file.text;
        let (start, mut end) = (span.start(), span.end());
        if file.is_excerpt()
            || end > text.len()
            || (text.is_char_boundary(start) && text.is_char_boundary(end))
        {
            return;
        }
        let start = clamp_to_char_boundary(text, start);
        while !text.is_char_boundary(end) {
            end += 1;
        }
        *span = Span::new(span.file, start..end);
    }

    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        self.read().files[id.0 as usize].clone()
    }

    /// The file already loaded from `path`, if any (so a file read via `file()` by two
    /// resources is read once).
    pub fn find(&self, path: &Path) -> Option<Arc<SourceFile>> {
        let inner = self.read();
        inner
            .by_path
            .get(path)
            .map(|id| inner.files[id.0 as usize].clone())
    }

    /// `path` as one more reference to the copy of a file loaded from it, else a new copy.
    pub fn shared_path(&self, path: &Path) -> Arc<Path> {
        let inner = self.read();
        match inner.by_path.get_key_value(path) {
            Some((known, _)) => known.clone(),
            None => path.into(),
        }
    }

    /// The whole file already loaded from `path` (not an excerpt, which must be read again),
    /// pinned if `pin` (in the same step, so that no one reduces it in between).
    pub fn find_whole(&self, path: &Path, pin: bool) -> Option<Arc<SourceFile>> {
        let mut inner = self.write();
        let id = *inner.by_path.get(path)?;
        let file = inner.files[id.0 as usize].clone();
        if file.is_excerpt() {
            return None;
        }
        if pin {
            inner.pinned.insert(id);
        }
        Some(file)
    }

    pub fn all(&self) -> Vec<Arc<SourceFile>> {
        self.read().files.clone()
    }

    /// A report will locate or quote `span`: an excerpt of its file keeps its lines.
    pub fn keep(&self, span: &Span) {
        self.write()
            .kept
            .entry(span.file)
            .or_default()
            .push(span.range);
    }

    /// Reduce files to the lines of the spans kept in them, once every unit that reads them is
    /// done: memory then holds findings, not inputs. Pinned files and files that mention
    /// `ecslint` (suppression comments and `Metadata`, read again after the scan) stay whole.
    pub fn compact(&self, ids: &[FileId]) {
        self.compact_where(ids, false);
    }

    /// [`compact`](Self::compact) every file, pinned ones too: once no unit can read them.
    pub fn compact_all(&self) {
        let ids: Vec<FileId> = (0..self.read().files.len() as u32).map(FileId).collect();
        self.compact_where(&ids, true);
    }

    fn compact_where(&self, ids: &[FileId], pinned_too: bool) {
        for &id in ids {
            let (file, spans) = {
                let inner = self.read();
                let Some(file) = inner.files.get(id.0 as usize) else {
                    continue;
                };
                if file.is_excerpt() || (!pinned_too && inner.pinned.contains(&id)) {
                    continue;
                }
                let spans = inner.kept.get(&id).cloned().unwrap_or_default();
                (file.clone(), spans)
            };
            if file.text.contains("ecslint") {
                continue;
            }
            let excerpt = Arc::new(file.excerpt(&spans));
            let mut inner = self.write();
            let unchanged = Arc::ptr_eq(&inner.files[id.0 as usize], &file)
                && (pinned_too || !inner.pinned.contains(&id))
                && inner.kept.get(&id).map_or(0, Vec::len) == spans.len();
            if unchanged {
                inner.files[id.0 as usize] = excerpt;
                // The excerpt holds their lines; a whole text read again gets them back from
                // it (`add_pinned`).
                inner.kept.remove(&id);
            }
        }
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

    /// `canonical` answers as `canonicalize` does: through links, `..` after a link, files
    /// used as directories, dangling links, missing paths.
    #[cfg(unix)]
    #[test]
    fn canonical_is_canonicalize() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("real/sub/deep")).unwrap();
        std::fs::write(root.join("real/x.json"), "1").unwrap();
        std::fs::write(root.join("real/sub/y.json"), "2").unwrap();
        std::fs::write(root.join("x.json"), "3").unwrap();
        let link = |target: &str, name: &str| {
            std::os::unix::fs::symlink(root.join(target), root.join(name)).unwrap()
        };
        link("real/sub", "to_sub");
        link("real/x.json", "to_file");
        link("missing", "dangling");
        link("to_sub", "to_link");
        for rel in [
            "real/x.json",
            "real/sub/../x.json",
            "to_sub/../x.json",
            "to_sub/y.json",
            "to_sub/deep/../../sub/y.json",
            "to_link/../x.json",
            "to_link/deep/..",
            "to_file",
            "to_file/..",
            "real/x.json/..",
            "dangling",
            "dangling/..",
            "missing/../x.json",
            "real/../../",
            "real/sub/deep/../../..",
            "./real/./sub/../x.json",
        ] {
            let p = root.join(rel);
            assert_eq!(canonical(&p), p.canonicalize().ok(), "{rel}");
        }
        // Relative paths resolve from the working directory, as `canonicalize` does.
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            canonical(Path::new("src/../Cargo.toml")),
            cwd.join("Cargo.toml").canonicalize().ok()
        );
    }

    /// A file's absolute form is its canonical one whether its read found it no link (no
    /// `lstat` then) or not, and whether its directories were remembered from a walk or not;
    /// a walk's root with a `..` leaves nothing remembered.
    #[cfg(unix)]
    #[test]
    fn absolute_of_files_and_walked_dirs_is_canonicalize() {
        let d = tempfile::tempdir().unwrap();
        let top = d.path().join("top");
        std::fs::create_dir_all(top.join("real/sub")).unwrap();
        std::fs::create_dir_all(top.join("other/sub")).unwrap();
        std::fs::write(top.join("real/sub/a.json"), "1").unwrap();
        std::fs::write(top.join("other/sub/a.json"), "2").unwrap();
        std::os::unix::fs::symlink(top.join("real"), d.path().join("root")).unwrap();
        std::os::unix::fs::symlink(top.join("real/sub/a.json"), top.join("other/b.json")).unwrap();
        let db = SourceDb::new();
        // Through a linked root: the walk's paths start with the link.
        let root = d.path().join("root");
        let canonical_root = root.canonicalize().unwrap();
        walked_dirs(&root, &canonical_root, &[root.join("sub").as_path()]);
        assert_eq!(
            absolute(&root.join("sub")),
            top.join("real/sub").canonicalize().unwrap()
        );
        // A link below the root (which the walk did not go through) is still followed.
        std::os::unix::fs::symlink(top.join("other"), top.join("real/linked")).unwrap();
        let behind = db.add_read(root.join("linked/sub/a.json"), "2".into(), false, true);
        assert_eq!(
            behind.absolute(),
            top.join("other/sub/a.json").canonicalize().unwrap()
        );
        let file = db.add_read(root.join("sub/a.json"), "1".into(), false, true);
        assert_eq!(
            file.absolute(),
            top.join("real/sub/a.json").canonicalize().unwrap()
        );
        // A link read as a file (not known to be none): resolved.
        let link = db.add_read(top.join("other/b.json"), "1".into(), false, false);
        assert_eq!(
            link.absolute(),
            top.join("real/sub/a.json").canonicalize().unwrap()
        );
        // `root/../top/other` is lexically `<tmp>/top/other`, but through the link it is
        // `<tmp>/top/top/other`: a root with `..` leaves nothing remembered (here, with a
        // canonical root that would be wrong for `<tmp>/top/other`).
        let odd_root = d.path().join("root/../top/other");
        walked_dirs(
            &odd_root,
            &top.join("real"),
            &[odd_root.join("sub").as_path()],
        );
        let other = db.add_read(top.join("other/sub/a.json"), "2".into(), false, true);
        assert_eq!(
            other.absolute(),
            top.join("other/sub/a.json").canonicalize().unwrap()
        );
        for path in [root.join("sub/a.json"), top.join("other/b.json")] {
            assert_eq!(
                absolute(&path),
                path.canonicalize().unwrap(),
                "{}",
                path.display()
            );
        }
    }

    /// An excerpt answers like the whole file for every offset on a kept line.
    #[test]
    fn excerpt_locates_like_the_whole_file() {
        let mut text = String::new();
        for i in 0..60 {
            text.push_str(&format!("line {i}: é😀 \"value{i}\"\n"));
        }
        let whole = SourceFile::new(FileId(0), Path::new("f.json"), text.clone());
        let at = |line: usize| whole.lines.line_start(line).unwrap() as u32;
        let spans: [ByteRange; 4] = [
            (at(2) + 6..at(2) + 12).into(),  // one line
            (at(5)..at(40) + 3).into(),      // a long span: first and last lines kept
            (at(44) + 2..at(46) + 1).into(), // near the previous one
            (at(59) + 4..at(60)).into(),     // the end of the file
        ];
        let excerpt = whole.excerpt(&spans);
        assert!(excerpt.is_excerpt() && excerpt.text.len() < text.len() / 2);
        assert_eq!(excerpt.len(), whole.len());
        for r in &spans {
            for offset in [r.start, r.end] {
                let offset = offset as usize;
                assert_eq!(excerpt.line_col(offset), whole.line_col(offset), "{offset}");
                assert_eq!(excerpt.line_col_utf16(offset), whole.line_col_utf16(offset));
                assert_eq!(
                    excerpt.before_on_line(offset, 256),
                    whole.before_on_line(offset, 256)
                );
            }
            let line0 = whole.line_col(r.start as usize).line - 1;
            assert_eq!(excerpt.line_len(line0), whole.line_len(line0));
            assert_eq!(excerpt.line_text(line0), whole.line_text(line0));
        }
        assert_eq!(excerpt.slice(&spans[0]), whole.slice(&spans[0]));
        // Lines 5..=9 and 38..=40 of the long span are quoted; the lines between hold their
        // place (codespan counts them) but not their text.
        assert_eq!(excerpt.line_text(9), whole.line_text(9));
        assert_eq!(excerpt.line_text(20), "\n");
    }

    /// A file is reduced only when no one pinned it, and a reduced file read again comes back
    /// whole under its `FileId`.
    #[test]
    fn compact_pin_and_read_again() {
        let db = SourceDb::new();
        let a = db.add("a.json".into(), "{\n  \"x\": 1\n}\n".into());
        let b = db.add_pinned("b.json".into(), "{}\n".into(), true);
        let c = db.add("c.json".into(), "# ecslint-ignore ECS401\n".into());
        db.keep(&Span::new(a.id, 4..7));
        db.compact(&[a.id, b.id, c.id]);
        assert!(db.get(a.id).is_excerpt());
        assert_eq!(db.get(a.id).line_col(4), LineCol { line: 2, column: 3 });
        assert!(!db.get(b.id).is_excerpt(), "pinned");
        assert!(!db.get(c.id).is_excerpt(), "mentions ecslint");
        assert!(db.find_whole(Path::new("a.json"), false).is_none());
        let again = db.add("a.json".into(), "{\n  \"x\": 1\n}\n".into());
        assert_eq!(again.id, a.id);
        assert!(!db.get(a.id).is_excerpt());
        // Reduced again, it still holds the line its first findings point at (their spans went
        // with the first excerpt) and the line of the new one.
        db.keep(&Span::new(a.id, 12..13));
        db.compact_all();
        let a = db.get(a.id);
        assert!(a.is_excerpt());
        assert_eq!(a.line_text(1), "  \"x\": 1\n");
        assert_eq!(a.line_text(2), "}\n");
        assert_eq!(a.line_text(0), "", "not kept");
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
