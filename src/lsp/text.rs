//! Positions as the protocol counts them: lines end at CR, LF or CRLF (never at U+2028/U+2029),
//! characters are UTF-8 bytes or UTF-16 code units as negotiated. ecslint's spans are bytes;
//! conversion happens only here, at the boundary.

use lsp_types::{Position, Range};

/// The negotiated position encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        }
    }
}

/// Byte offsets where each line starts, by the protocol's line breaks.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if b.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Lines { starts }
    }

    /// The end of line `line`'s content (before its line break).
    fn content_end(&self, text: &str, line: usize) -> usize {
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let s = &text.as_bytes()[self.starts[line]..end];
        let trimmed = if s.ends_with(b"\r\n") {
            2
        } else if s.ends_with(b"\n") || s.ends_with(b"\r") {
            1
        } else {
            0
        };
        end - trimmed
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let offset = offset.min(self.content_end(text, line).max(start));
        let prefix = &text[start..offset];
        let character = match enc {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, r: std::ops::Range<usize>, enc: Encoding) -> Range {
        Range::new(
            self.position(text, r.start, enc),
            self.position(text, r.end.max(r.start), enc),
        )
    }

    /// The byte offset of a position; a line past the end is the end of the text, a character
    /// past the end of its line is the end of that line (as the protocol says).
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line];
        let end = self.content_end(text, line);
        let want = pos.character as usize;
        match enc {
            Encoding::Utf8 => {
                let mut at = (start + want).min(end);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            }
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in text[start..end].char_indices() {
                    if units >= want {
                        return start + i;
                    }
                    units += c.len_utf16();
                    if units > want {
                        // Inside a surrogate pair: the character's start.
                        return start + i;
                    }
                }
                end
            }
        }
    }
}

/// Apply one content change (a range, or the whole text when `range` is `None`).
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str, enc: Encoding) {
    match range {
        None => {
            text.clear();
            text.push_str(new_text);
        }
        Some(r) => {
            // Later changes of one notification refer to the text earlier ones produced: the
            // line index is rebuilt for each.
            let lines = Lines::new(text);
            let a = lines.offset(text, r.start, enc);
            let b = lines.offset(text, r.end, enc).max(a);
            text.replace_range(a..b, new_text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(l: u32, c: u32) -> Position {
        Position::new(l, c)
    }

    #[test]
    fn lsp_04_line_breaks_encodings_and_end_of_file() {
        let text = "a\rb\nc\r\nd\u{2028}e";
        let lines = Lines::new(text);
        let d = text.find('d').unwrap();
        assert_eq!(lines.position(text, 2, Encoding::Utf8), pos(1, 0)); // after \r
        assert_eq!(lines.position(text, 4, Encoding::Utf8), pos(2, 0)); // after \n
        assert_eq!(lines.position(text, d, Encoding::Utf8), pos(3, 0)); // after \r\n
        let e = text.find('e').unwrap();
        // U+2028 is no line break: 'e' is on the same line, 3 bytes / 1 unit after it.
        assert_eq!(lines.position(text, e, Encoding::Utf8), pos(3, 4));
        assert_eq!(lines.position(text, e, Encoding::Utf16), pos(3, 2));
        assert_eq!(lines.position(text, text.len(), Encoding::Utf16), pos(3, 3));
        assert_eq!(lines.offset(text, pos(3, 2), Encoding::Utf16), e);
        assert_eq!(lines.offset(text, pos(9, 0), Encoding::Utf16), text.len());
        // A character past the end of a line is the line's end, before its break.
        assert_eq!(lines.offset(text, pos(2, 40), Encoding::Utf8), 5);
        let empty = Lines::new("");
        assert_eq!(empty.position("", 0, Encoding::Utf16), pos(0, 0));
        assert_eq!(empty.offset("", pos(0, 5), Encoding::Utf16), 0);
        // UTF-16 widths: £ 1, अ 1, 🍄 2.
        let t = "£अ🍄x";
        let l = Lines::new(t);
        assert_eq!(
            l.position(t, t.find('x').unwrap(), Encoding::Utf16),
            pos(0, 4)
        );
        assert_eq!(
            l.position(t, t.find('x').unwrap(), Encoding::Utf8),
            pos(0, 9)
        );
        assert_eq!(
            l.offset(t, pos(0, 4), Encoding::Utf16),
            t.find('x').unwrap()
        );
        // A trailing line break opens an empty last line.
        let t = "x\r\n";
        assert_eq!(Lines::new(t).position(t, 3, Encoding::Utf8), pos(1, 0));
    }

    #[test]
    fn lsp_06_changes_apply_in_order() {
        let mut text = String::from("ab\ncd");
        apply_change(
            &mut text,
            Some(Range::new(pos(0, 1), pos(0, 1))),
            "X\nY",
            Encoding::Utf16,
        );
        assert_eq!(text, "aX\nYb\ncd");
        // This range refers to the line the first change inserted.
        apply_change(
            &mut text,
            Some(Range::new(pos(1, 0), pos(1, 1))),
            "Z",
            Encoding::Utf16,
        );
        assert_eq!(text, "aX\nZb\ncd");
        apply_change(&mut text, None, "new", Encoding::Utf16);
        assert_eq!(text, "new");
    }
}
