//! Strict JSON read straight into [`Node`]s, for the common case: a well-formed document
//! without anything unusual. `jsonc-parser` builds its own tree first, which [`super::node`]
//! then copies into `Node`s; for task definitions and CloudFormation JSON that was 5% of a
//! scan's instructions. At the first thing outside the plain case - any syntax error, a lone
//! surrogate escape, a control character in a string, whitespace other than JSON's four,
//! nesting deeper than [`MAX_DEPTH`], an empty document - [`parse`] answers `None` and the text
//! goes to `jsonc-parser` exactly as before, so errors and their messages are its own. The
//! spans are `jsonc-parser`'s: a string's and a key's include their quotes, a container's its
//! brackets (the tests compare both readings, and the fuzz targets do on every input).

use super::node::{Node, NodeKind};
use crate::source::{Span, Spanned};
use std::ops::Range;

/// Deeper documents go to `jsonc-parser` (which stops at 512 levels): the recursion here stays
/// far inside any thread's stack.
const MAX_DEPTH: usize = 128;

/// The document's value, or `None` where `jsonc-parser` must read it (see the module docs).
pub fn parse(text: &str, span_of: &dyn Fn(Range<usize>) -> Span) -> Option<Node> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        span_of,
    };
    reader.skip_space();
    let node = reader.value(0)?;
    reader.skip_space();
    (reader.at == reader.bytes.len()).then_some(node)
}

struct Reader<'t, 's> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    span_of: &'s dyn Fn(Range<usize>) -> Span,
}

impl Reader<'_, '_> {
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn node(&self, kind: NodeKind, start: usize) -> Node {
        Node::new(kind, (self.span_of)(start..self.at))
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        let start = self.at;
        match self.peek()? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => {
                let s = self.string()?;
                Some(self.node(NodeKind::String(s), start))
            }
            b't' => self.word(b"true", NodeKind::Bool(true)),
            b'f' => self.word(b"false", NodeKind::Bool(false)),
            b'n' => self.word(b"null", NodeKind::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn word(&mut self, word: &[u8], kind: NodeKind) -> Option<Node> {
        let start = self.at;
        if !self.bytes[start..].starts_with(word) {
            return None;
        }
        self.at += word.len();
        // `truex`: one token to `jsonc-parser`, so its error.
        if self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return None;
        }
        Some(self.node(kind, start))
    }

    fn object(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        self.at += 1;
        let mut props = Vec::new();
        self.skip_space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(self.node(NodeKind::Object(props), start));
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let key_start = self.at;
            let key = self.string()?;
            let key = Spanned::new(key, (self.span_of)(key_start..self.at));
            self.skip_space();
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            self.skip_space();
            let value = self.value(depth)?;
            props.push((key, value));
            if self.closed_after_item(b'}')? {
                return Some(self.node(NodeKind::Object(props), start));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(self.node(NodeKind::Array(items), start));
        }
        loop {
            items.push(self.value(depth)?);
            if self.closed_after_item(b']')? {
                return Some(self.node(NodeKind::Array(items), start));
            }
        }
    }

    /// Past the `,` (and the space after it) that follows an item, `Some(false)`, or past the
    /// container's `close`, `Some(true)`; `None` at anything else.
    fn closed_after_item(&mut self, close: u8) -> Option<bool> {
        self.skip_space();
        let b = self.peek()?;
        self.at += 1;
        if b == b',' {
            self.skip_space();
            Some(false)
        } else {
            (b == close).then_some(true)
        }
    }

    /// A string literal's value; `self.at` is on its opening quote and ends past the closing one.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let start = self.at;
        let plain_end = start
            + self.bytes[start..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        // Quotes, backslashes and control characters are ASCII: a character boundary.
        let mut value = String::from(&self.text[start..plain_end]);
        self.at = plain_end;
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(value);
                }
                b'\\' => {
                    self.at += 1;
                    let c = match self.peek()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            self.at += 1;
                            let c = self.unicode_escape()?;
                            value.push(c);
                            continue;
                        }
                        _ => return None,
                    };
                    self.at += 1;
                    value.push(c);
                }
                b if b < 0x20 => return None,
                _ => {
                    let run = self.at;
                    let end = run
                        + self.bytes[run..]
                            .iter()
                            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
                    value.push_str(&self.text[run..end]);
                    self.at = end;
                }
            }
        }
    }

    /// The character of `\uXXXX` (`self.at` past the `u`), a surrogate pair joined; a lone
    /// surrogate is left to `jsonc-parser`.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xE000).contains(&high) {
            return char::from_u32(high);
        }
        if high >= 0xDC00 || !self.bytes[self.at..].starts_with(b"\\u") {
            return None;
        }
        self.at += 2;
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        let mut value = 0;
        for &d in digits {
            value = value * 16 + (d as char).to_digit(16)?;
        }
        self.at += 4;
        Some(value)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, read as `node::json_to_node` reads
    /// `jsonc-parser`'s number text.
    fn number(&mut self) -> Option<Node> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if !self.peek()?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        // `01`, `1x`, `1.2.3`: `jsonc-parser`'s to refuse, with its message.
        if self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
        {
            return None;
        }
        let text = &self.text[start..self.at];
        let kind = match text.parse::<f64>() {
            Ok(v) => NodeKind::Number(v),
            Err(_) => NodeKind::Unresolved { expr: text.into() },
        };
        Some(self.node(kind, start))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::node::{parse_json, parse_json_with_jsonc};
    use crate::source::{FileId, Span};
    use std::ops::Range;

    fn span_of(r: Range<usize>) -> Span {
        Span::new(FileId(0), r)
    }

    /// Both readings of `text`: where the quick one answers, the general one answers the same
    /// (nodes and spans); `Some(accepted)`.
    fn agree(text: &str) -> bool {
        match super::parse(text, &span_of) {
            Some(quick) => {
                let general = parse_json_with_jsonc(text, &span_of);
                assert!(
                    matches!(&general, Ok(Some(n)) if *n == quick),
                    "{text:?}: {quick:?} vs {general:?}"
                );
                true
            }
            None => false,
        }
    }

    #[test]
    fn plain_documents_read_as_jsonc_parser_reads_them() {
        let accepted = [
            r#"{"cpu": 256, "x": [true, null, false], "y": {}, "z": []}"#,
            " \t\r\n[ 1 , -0, 0.5, -12.25e+3, 1E-2, 10e5, 123456789012345678901234567890 ]\n",
            r#""just a string""#,
            "42",
            "null",
            r#"{"a": 1, "a": 2}"#,
            r#"{"esc": "q\" b\\ s\/ \b\f\n\r\t u\u00e9 \u20AC \ud83d\ude80 end"}"#,
            r#"{"caf\u00e9": "café 🚀", "": ""}"#,
            r#"[[[[[[[[[[1]]]]]]]]]]"#,
            r#"{"command": ["sh", "-c", "echo \"hi\" && exit 0"]}"#,
        ];
        for text in accepted {
            assert!(agree(text), "not read the quick way: {text:?}");
        }
        // Left to jsonc-parser: errors (its messages), and what is not plain JSON.
        let left = [
            "",
            "   ",
            r#"{"a": 1,}"#,
            r#"{"a": 1 "b": 2}"#,
            r#"{a: 1}"#,
            "[01]",
            "[1.]",
            "[.5]",
            "[+1]",
            "[1e]",
            "[-]",
            "[truex]",
            "[nul]",
            "[1] x",
            "[1][2]",
            "[1}",
            r#"{"a": 1]"#,
            "{\"a\": \"tab\there\"}",
            r#"["\ud83d"]"#,
            r#"["\ude00"]"#,
            r#"["\ud83dx"]"#,
            r#"["\x41"]"#,
            r#"["\u12G4"]"#,
            "[1 // comment\n]",
            "\u{a0}[1]",
            r#"{"a""#,
            "[",
            "{",
            r#"["unterminated"#,
        ];
        for text in left {
            assert!(!agree(text), "read the quick way: {text:?}");
            // And the public reading is jsonc-parser's, error or not.
            let general = parse_json_with_jsonc(text, &span_of);
            let public = parse_json(text, &span_of);
            assert_eq!(format!("{general:?}"), format!("{public:?}"), "{text:?}");
        }
        for depth in [1, 64, 127, 128, 129, 200, 600] {
            let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            assert_eq!(agree(&text), depth <= super::MAX_DEPTH, "depth {depth}");
            let text = format!("{}{}", "{\"k\":".repeat(depth), "}".repeat(depth));
            let text = text.replacen("{\"k\":}", "{\"k\":0}", 1);
            agree(&text);
        }
    }

    /// Every JSON file of testdata/, the fuzz seeds and the corpus (when `ECSLINT_CORPUS` is
    /// set), whole and with one byte changed at 64 places each.
    #[test]
    fn files_and_their_mutations_read_alike() {
        let files = crate::syntax::sample_files("fuzz/seeds", &["json"]);
        assert!(files.len() > 50, "{} JSON files", files.len());
        let (mut whole, mut mutated) = (0, 0);
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            whole += usize::from(agree(&text));
            let bytes = text.as_bytes();
            let step = (bytes.len() / 64).max(1);
            for at in (0..bytes.len()).step_by(step) {
                for with in [b'"', b'\\', b'1', b'}', b',', b' ', b'e'] {
                    let mut changed = bytes.to_vec();
                    changed[at] = with;
                    if let Ok(changed) = String::from_utf8(changed) {
                        mutated += usize::from(agree(&changed));
                    }
                }
            }
        }
        assert!(
            whole * 2 > files.len(),
            "{whole} of {} read the quick way",
            files.len()
        );
        assert!(mutated > 0);
    }
}
