//! GitHub Actions workflow commands (`::error file=...,line=...::message`), escaped exactly as
//! the Actions toolkit escapes them (`@actions/core` `command.ts`).

use super::locate;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Scan;

/// Message text: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values: as data, plus `:` and `,` (the property syntax's own separators).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(scan: &Scan, diagnostics: &[Diagnostic]) -> String {
    let mut out = Vec::new();
    write(scan, diagnostics, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

/// [`render`] written to `out` command by command (a large tree's report is never held whole).
pub fn write(
    scan: &Scan,
    diagnostics: &[Diagnostic],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for d in diagnostics {
        let file = scan.db.get(d.primary.file);
        let l = locate(&file, &d.primary);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let name = crate::rules::find(d.rule_id).map_or("parse-error", |r| r.name);
        let message = d.message_with_help();
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&l.file),
            l.line,
            l.column,
            l.end_line,
            l.end_column.max(1),
            escape_property(&format!("{} {name}", d.rule_id)),
            escape_data(&message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_the_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
