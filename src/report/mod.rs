//! Output formats. Each takes the findings and the source db and writes text; none judges.

pub mod concise;
pub mod github;
pub mod human;
pub mod inspect;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, Span};

pub use crate::source::display_path;

/// 1-based start and end line/column of a span.
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn locate(file: &SourceFile, span: &Span) -> Location {
    let a = file.line_col(span.start());
    let b = file.line_col(span.end());
    Location {
        file: display_path(&file.path),
        line: a.line,
        column: a.column,
        end_line: b.line,
        end_column: b.column,
    }
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub resources: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub elapsed_ms: u128,
}

impl Summary {
    pub fn new(scan: &crate::engine::Scan, diagnostics: &[Diagnostic]) -> Self {
        let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
        Summary {
            files: scan.files.len(),
            resources: scan.resources,
            findings: diagnostics.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            elapsed_ms: scan.elapsed.as_millis(),
        }
    }

    pub fn line(&self) -> String {
        format!(
            "checked {} file{}, {} resource{} in {:.2}s: {} error{}, {} warning{}, {} info",
            self.files,
            plural(self.files),
            self.resources,
            plural(self.resources),
            self.elapsed_ms as f64 / 1000.0,
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings),
            self.infos
        )
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The source db as codespan-reporting wants it, with secrets masked: a report that quotes
/// source lines must not copy a secret into a CI log.
pub struct Files<'a> {
    files: &'a [std::sync::Arc<SourceFile>],
    masked: std::collections::HashMap<crate::source::FileId, String>,
}

impl<'a> Files<'a> {
    pub fn new(files: &'a [std::sync::Arc<SourceFile>], diagnostics: &[Diagnostic]) -> Self {
        let mut masked: std::collections::HashMap<crate::source::FileId, String> =
            Default::default();
        for d in diagnostics.iter().filter(|d| d.redact) {
            let Some(file) = files.get(d.primary.file.0 as usize) else {
                continue;
            };
            let text = masked.entry(file.id).or_insert_with(|| file.text.clone());
            let range = file.local(d.primary.start())..file.local(d.primary.end()).min(text.len());
            if let Some(secret) = text.get(range.clone()) {
                // Same byte length, so every offset stays right.
                let stars = "*".repeat(secret.len());
                text.replace_range(range, &stars);
            }
        }
        Files { files, masked }
    }

    /// A span as codespan addresses it: an offset into the file's kept text (see
    /// `SourceFile::local`), so an excerpt quotes like the whole file.
    pub fn local(&self, span: &Span) -> std::ops::Range<usize> {
        match self.file(span.file) {
            Ok(f) => f.local(span.start())..f.local(span.end()),
            Err(_) => span.start()..span.end(),
        }
    }
}

/// codespan sees each file's kept text (`SourceFile::text`) and offsets into it; line numbers
/// are those of the whole file.
impl<'a> codespan_reporting::files::Files<'a> for Files<'a> {
    type FileId = crate::source::FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: Self::FileId) -> Result<String, codespan_reporting::files::Error> {
        Ok(display_path(&self.file(id)?.path))
    }

    fn source(&'a self, id: Self::FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        match self.masked.get(&id) {
            Some(text) => Ok(text),
            None => Ok(&self.file(id)?.text),
        }
    }

    fn line_index(
        &'a self,
        id: Self::FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let f = self.file(id)?;
        Ok(f.lines.line_col(&f.text, byte_index).line - 1)
    }

    fn line_number(
        &'a self,
        id: Self::FileId,
        line_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.file(id)?.line_number(line_index))
    }

    fn line_range(
        &'a self,
        id: Self::FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        let f = self.file(id)?;
        let start = f.lines.line_start(line_index).ok_or(
            codespan_reporting::files::Error::LineTooLarge {
                given: line_index,
                max: f.lines.line_count(),
            },
        )?;
        let end = f.lines.line_start(line_index + 1).unwrap_or(f.text.len());
        Ok(start..end)
    }
}

impl Files<'_> {
    fn file(
        &self,
        id: crate::source::FileId,
    ) -> Result<&SourceFile, codespan_reporting::files::Error> {
        self.files
            .get(id.0 as usize)
            .map(|f| f.as_ref())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}
