//! Block-style YAML, the way templates are mostly written, scanned straight into saphyr's
//! events and spans for `yaml::Builder`: saphyr's scanner and parser were a fifth of a scan's
//! instructions (callgrind, synthetic N = 1,000).
//!
//! It knows a subset: block mappings and sequences (compact `- key: value` and indentless
//! sequences too), plain scalars on one line, quoted scalars on one line without escapes, local
//! tags (`!Ref`, `!Sub`, ...) and comments, in printable ASCII. At the first thing outside it
//! (flow collections, block scalars, anchors, aliases, continuation lines, escapes, empty values,
//! document markers, directives, tabs, carriage returns, any other byte) it gives up with
//! [`Unsupported`] and the caller parses the text with saphyr: what it accepts, it must give
//! exactly as saphyr does. The `block_events_are_saphyrs` test compares both on edge cases and
//! every YAML file of testdata/, the fuzz seeds and the corpus, `generated_documents_scan_as_
//! saphyr_does` on generated documents; under cargo-fuzz every input it accepts is compared.

use saphyr_parser::{Event, Marker, ScalarStyle, Span, SpannedEventReceiver, Tag};
use std::borrow::Cow;

/// The text has something outside the subset (see the module's documentation).
#[derive(Debug)]
pub struct Unsupported;

type Result<T> = std::result::Result<T, Unsupported>;

/// saphyr's events for `text`, into `out`; on `Unsupported`, `out` has received part of them
/// and is to be dropped.
pub fn events<'i, R: SpannedEventReceiver<'i>>(text: &'i str, out: &mut R) -> Result<()> {
    if !text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || b == b'\n')
    {
        return Err(Unsupported);
    }
    let mut scan = Scan {
        text,
        bytes: text.as_bytes(),
        line: None,
        next_start: 0,
        next_number: 1,
        nesting: 0,
        out,
    };
    scan.advance()?;
    let start = Span::empty(Marker::new(0, 1, 0));
    scan.out.on_event(Event::StreamStart, start);
    // An empty document (or none) is saphyr's to describe.
    let first = scan.line.ok_or(Unsupported)?;
    scan.out.on_event(Event::DocumentStart(false), start);
    scan.block(first.first, first.indent, None)?;
    if scan.line.is_some() {
        return Err(Unsupported);
    }
    let end = scan.next_mark();
    scan.out.on_event(Event::DocumentEnd, Span::empty(end));
    scan.out.on_event(Event::StreamEnd, Span::empty(end));
    Ok(())
}

/// A line with content (not blank, not only a comment).
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    /// Its first character that is not a space.
    first: usize,
    /// Its newline (or the end of the text).
    end: usize,
    indent: usize,
    /// 1-based, as saphyr counts.
    number: usize,
}

struct Scan<'i, 'o, R> {
    text: &'i str,
    bytes: &'i [u8],
    /// The line being read; `None` at the end of the text.
    line: Option<Line>,
    /// Where the line after it starts, and its number.
    next_start: usize,
    next_number: usize,
    /// Collections open.
    nesting: usize,
    out: &'o mut R,
}

/// A scalar that is a mapping key; its `:` follows it at once (`end`).
struct Key<'i> {
    start: usize,
    end: usize,
    value: &'i str,
    style: ScalarStyle,
}

/// A local tag (`!Name`): where it starts (it may be on an earlier line than its node) and its
/// name.
type LocalTag<'i> = (Marker, &'i str);

/// Nesting beyond this is saphyr's (and the general loader's, see `yaml::MAX_DEPTH`); it also
/// bounds this scanner's recursion.
const MAX_NESTING: usize = 48;

impl<'i, R: SpannedEventReceiver<'i>> Scan<'i, '_, R> {
    fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(b'\n')
    }

    fn line(&self) -> Result<Line> {
        self.line.ok_or(Unsupported)
    }

    /// To the next line with content, past blank and comment lines (which saphyr skips at any
    /// indentation).
    fn advance(&mut self) -> Result<()> {
        while self.next_start < self.bytes.len() {
            let start = self.next_start;
            let end =
                memchr::memchr(b'\n', &self.bytes[start..]).map_or(self.bytes.len(), |i| start + i);
            let number = self.next_number;
            self.next_start = end + 1;
            self.next_number += 1;
            let rest = &self.bytes[start..end];
            // Document markers and directives start in the first column.
            if rest.starts_with(b"---") || rest.starts_with(b"...") || rest.starts_with(b"%") {
                return Err(Unsupported);
            }
            let indent = rest.iter().take_while(|&&b| b == b' ').count();
            if indent == rest.len() || rest[indent] == b'#' {
                continue;
            }
            self.line = Some(Line {
                start,
                first: start + indent,
                end,
                indent,
                number,
            });
            return Ok(());
        }
        self.line = None;
        Ok(())
    }

    fn mark(&self, at: usize, line: &Line) -> Marker {
        Marker::new(at, line.number, at - line.start)
    }

    /// Where the next token starts: the next line's content, or the end of the text (where
    /// saphyr's marker is on a line of its own).
    fn next_mark(&self) -> Marker {
        match &self.line {
            Some(line) => self.mark(line.first, line),
            None => Marker::new(self.bytes.len(), self.next_number, 0),
        }
    }

    fn tag(tag: Option<LocalTag<'i>>) -> Option<Cow<'i, Tag>> {
        tag.map(|(_, suffix)| {
            Cow::Owned(Tag {
                handle: "!".to_owned(),
                suffix: suffix.to_owned(),
            })
        })
    }

    fn is_entry(&self, at: usize) -> bool {
        self.byte(at) == b'-' && matches!(self.byte(at + 1), b' ' | b'\n')
    }

    /// A collection that starts at `at` (column `indent`) of the current line.
    fn block(&mut self, at: usize, indent: usize, tag: Option<LocalTag<'i>>) -> Result<()> {
        if self.is_entry(at) {
            self.sequence(at, indent, tag, false)
        } else if self.key(at)?.is_some() {
            self.mapping(at, indent, tag)
        } else {
            // A scalar on a line of its own (or a flow collection, ...).
            Err(Unsupported)
        }
    }

    /// A collection opens: too deep is saphyr's.
    fn open(&mut self) -> Result<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(Unsupported);
        }
        Ok(())
    }

    /// The end of what [`open`](Self::open) began, where the next token starts.
    fn close(&mut self, end: Event<'i>) {
        self.out.on_event(end, Span::empty(self.next_mark()));
        self.nesting -= 1;
    }

    fn mapping(&mut self, at: usize, indent: usize, tag: Option<LocalTag<'i>>) -> Result<()> {
        self.open()?;
        let line = self.line()?;
        let start = tag.map_or_else(|| self.mark(at, &line), |(t, _)| t);
        self.out
            .on_event(Event::MappingStart(0, Self::tag(tag)), Span::empty(start));
        let mut at = at;
        loop {
            let line = self.line()?;
            let key = self.key(at)?.ok_or(Unsupported)?;
            self.out.on_event(
                Event::Scalar(Cow::Borrowed(key.value), key.style, 0, None),
                Span::new(self.mark(key.start, &line), self.mark(key.end, &line)),
            );
            self.value(key.end + 1, indent)?;
            match self.line {
                Some(next) if next.indent == indent && !self.is_entry(next.first) => {
                    at = next.first;
                }
                Some(next) if next.indent < indent => break,
                None => break,
                Some(_) => return Err(Unsupported),
            }
        }
        self.close(Event::MappingEnd);
        Ok(())
    }

    /// `indentless`: the value of a mapping key at the key's own column (`key:` then `- a`).
    fn sequence(
        &mut self,
        at: usize,
        indent: usize,
        tag: Option<LocalTag<'i>>,
        indentless: bool,
    ) -> Result<()> {
        self.open()?;
        let line = self.line()?;
        // saphyr starts an indentless sequence where its first entry's content does (past the
        // `-`, the spaces and a comment), any other at the `-`.
        let first = if indentless {
            let content = self.skip_spaces(at + 1);
            if self.byte(content) == b'#' {
                line.end
            } else {
                content
            }
        } else {
            at
        };
        let start = tag.map_or_else(|| self.mark(first, &line), |(t, _)| t);
        self.out
            .on_event(Event::SequenceStart(0, Self::tag(tag)), Span::empty(start));
        let mut dash = at;
        loop {
            let after = self.skip_spaces(dash + 1);
            if self.is_entry(after) {
                // `- - a`
                return Err(Unsupported);
            }
            if self.key(after)?.is_some() {
                // `- key: value`: a mapping at the key's column.
                let column = after - self.line()?.start;
                self.mapping(after, column, None)?;
            } else {
                self.item(after, indent)?;
            }
            match self.line {
                Some(next) if next.indent == indent && self.is_entry(next.first) => {
                    dash = next.first;
                }
                Some(next) if next.indent == indent && indentless => break,
                Some(next) if next.indent < indent => break,
                None => break,
                Some(_) => return Err(Unsupported),
            }
        }
        self.close(Event::SequenceEnd);
        Ok(())
    }

    fn skip_spaces(&self, mut at: usize) -> usize {
        while self.byte(at) == b' ' {
            at += 1;
        }
        at
    }

    /// Is the rest of the line from `at` empty or a comment? (`at` follows a space or starts the
    /// rest.)
    fn rest_is_empty(&self, at: usize) -> bool {
        matches!(self.byte(self.skip_spaces(at)), b'\n' | b'#')
    }

    /// What follows a key's `:` (from `at`), in a mapping at column `indent`.
    fn value(&mut self, at: usize, indent: usize) -> Result<()> {
        let at = self.skip_spaces(at);
        if self.rest_is_empty(at) {
            return self.below(indent, None, true);
        }
        self.item(at, indent)
    }

    /// The collection on the lines below the current one, in a collection at column `indent`:
    /// more indented, or (`indentless`, a key's value) a sequence at the same column. Anything
    /// else is an empty value.
    fn below(&mut self, indent: usize, tag: Option<LocalTag<'i>>, indentless: bool) -> Result<()> {
        self.advance()?;
        let next = self.line()?;
        if next.indent > indent {
            return self.block(next.first, next.indent, tag);
        }
        if indentless && next.indent == indent && self.is_entry(next.first) {
            return self.sequence(next.first, indent, tag, true);
        }
        Err(Unsupported)
    }

    /// A node that starts on the current line at `at` (after `- ` or `key: `), in a collection
    /// at column `indent`: a scalar, or a tag and then a scalar or a collection on the lines
    /// below.
    fn item(&mut self, at: usize, indent: usize) -> Result<()> {
        if self.rest_is_empty(at) {
            // `-` and the entry below it.
            return self.below(indent, None, false);
        }
        if self.byte(at) != b'!' {
            return self.scalar(at, indent, None);
        }
        let name_end = at
            + 1
            + self.bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
        if name_end == at + 1 || !matches!(self.byte(name_end), b' ' | b'\n') {
            return Err(Unsupported);
        }
        let tag = (self.mark(at, &self.line()?), &self.text[at + 1..name_end]);
        let after = self.skip_spaces(name_end);
        if self.rest_is_empty(after) {
            // `!If` and the collection below it.
            return self.below(indent, Some(tag), false);
        }
        self.scalar(after, indent, Some(tag))
    }

    /// A scalar that starts at `at` and ends on its line, then the next line.
    fn scalar(&mut self, at: usize, indent: usize, tag: Option<LocalTag<'i>>) -> Result<()> {
        let line = self.line()?;
        let (value, style, end) = match self.byte(at) {
            quote @ (b'"' | b'\'') => {
                let (value, end) = self.quoted(at, quote, &line)?;
                // After it: spaces, then the end of the line or a comment after a space.
                let rest = self.skip_spaces(end);
                if !(self.byte(rest) == b'\n' || (rest > end && self.byte(rest) == b'#')) {
                    return Err(Unsupported);
                }
                // saphyr's quoted scalar ends past the spaces and the comment after it.
                (value, quoted_style(quote), line.end)
            }
            c if starts_plain(c, self.byte(at + 1)) => {
                let end = self.plain_end(at, &line);
                let content = &self.bytes[at..end];
                // `a: b: c` is an error; a `:` ending the value is a key's.
                if content.windows(2).any(|w| w == b": ") || content.ends_with(b":") {
                    return Err(Unsupported);
                }
                (&self.text[at..end], ScalarStyle::Plain, end)
            }
            _ => return Err(Unsupported),
        };
        let start = tag.map_or_else(|| self.mark(at, &line), |(t, _)| t);
        self.out.on_event(
            Event::Scalar(Cow::Borrowed(value), style, 0, Self::tag(tag)),
            Span::new(start, self.mark(end, &line)),
        );
        self.advance()?;
        // A more indented line would continue a plain scalar (or be an error after a quoted one).
        if self.line.is_some_and(|next| next.indent > indent) {
            return Err(Unsupported);
        }
        Ok(())
    }

    /// A quoted scalar at `at` that closes on its line, without escapes: its text and where it
    /// ends (after the closing quote).
    fn quoted(&self, at: usize, quote: u8, line: &Line) -> Result<(&'i str, usize)> {
        let body = &self.bytes[at + 1..line.end];
        let close = at + 1 + memchr::memchr(quote, body).ok_or(Unsupported)?;
        if quote == b'"' && memchr::memchr(b'\\', &self.bytes[at + 1..close]).is_some() {
            return Err(Unsupported);
        }
        // `''` is a quote inside a single-quoted scalar.
        if quote == b'\'' && self.byte(close + 1) == b'\'' {
            return Err(Unsupported);
        }
        Ok((&self.text[at + 1..close], close + 1))
    }

    /// Where a plain scalar that starts at `at` ends: before a comment (` #`) or the end of the
    /// line, without trailing spaces.
    fn plain_end(&self, at: usize, line: &Line) -> usize {
        let content = &self.bytes[at..line.end];
        let mut end = content
            .windows(2)
            .position(|w| w == b" #")
            .map_or(line.end, |i| at + i);
        while end > at && self.bytes[end - 1] == b' ' {
            end -= 1;
        }
        end
    }

    /// The mapping key that starts at `at`, if the line has one there (`key:` followed by a
    /// space or the end of the line).
    fn key(&self, at: usize) -> Result<Option<Key<'i>>> {
        let line = self.line()?;
        match self.byte(at) {
            quote @ (b'"' | b'\'') => {
                let (value, end) = self.quoted(at, quote, &line)?;
                if self.byte(end) == b':' && matches!(self.byte(end + 1), b' ' | b'\n') {
                    return Ok(Some(Key {
                        start: at,
                        end,
                        value,
                        style: quoted_style(quote),
                    }));
                }
                // A quoted scalar that is no key (`"a" : b` would be one: saphyr's).
                if self.byte(self.skip_spaces(end)) == b':' {
                    return Err(Unsupported);
                }
                Ok(None)
            }
            c if starts_plain(c, self.byte(at + 1)) => {
                let end = self.plain_end(at, &line);
                let content = &self.bytes[at..end];
                let colon = content
                    .windows(2)
                    .position(|w| w == b": ")
                    .or_else(|| content.ends_with(b":").then(|| content.len() - 1));
                let Some(colon) = colon else {
                    return Ok(None);
                };
                let colon = at + colon;
                // `a :` (the key's span would end before the spaces), and keys past saphyr's
                // 1,024 characters for a simple key.
                if self.bytes[colon - 1] == b' ' || colon - at > 1000 {
                    return Err(Unsupported);
                }
                Ok(Some(Key {
                    start: at,
                    end: colon,
                    value: &self.text[at..colon],
                    style: ScalarStyle::Plain,
                }))
            }
            _ => Ok(None),
        }
    }
}

fn quoted_style(quote: u8) -> ScalarStyle {
    if quote == b'"' {
        ScalarStyle::DoubleQuoted
    } else {
        ScalarStyle::SingleQuoted
    }
}

/// Can a plain scalar start with `c`, followed by `next`? Not with an indicator; `-`, `?` and
/// `:` can, before a character that is not a space.
fn starts_plain(c: u8, next: u8) -> bool {
    match c {
        b'-' | b'?' | b':' => !matches!(next, b' ' | b'\n'),
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
        _ => true,
    }
}

/// saphyr's events as compared by the tests and the fuzzer: each event with the character
/// indices `yaml::Builder` reads (the start of a collection's start and end, both ends of a
/// scalar).
#[cfg(any(test, fuzzing))]
#[derive(Debug, Default, PartialEq)]
pub struct Recorded(pub Vec<(String, usize, usize)>);

#[cfg(any(test, fuzzing))]
impl<'i> SpannedEventReceiver<'i> for Recorded {
    fn on_event(&mut self, event: Event<'i>, span: Span) {
        let (start, end) = match &event {
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => (0, 0),
            Event::Scalar(..) => (span.start.index(), span.end.index()),
            _ => (span.start.index(), 0),
        };
        self.0.push((format!("{event:?}"), start, end));
    }
}

/// saphyr's events for `text`, or its error.
#[cfg(any(test, fuzzing))]
pub fn saphyr_events(text: &str) -> std::result::Result<Recorded, String> {
    let mut recorded = Recorded::default();
    saphyr_parser::Parser::new_from_str(text)
        .load(&mut recorded, true)
        .map_err(|e| e.to_string())?;
    Ok(recorded)
}

/// This scanner's events for `text`, or `None` where it gives up.
#[cfg(any(test, fuzzing))]
pub fn block_events(text: &str) -> Option<Recorded> {
    let mut recorded = Recorded::default();
    events(text, &mut recorded).ok().map(|()| recorded)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (splitmix64).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }
    }

    /// Characters that matter to YAML, and some that do not.
    const CHARS: &[u8] = b"abcxyz019 :#-'\"!?,[]{}&*|>.~_/$@%`";

    fn scalar(rng: &mut Rng) -> String {
        let len = rng.below(7);
        let text: String = (0..len)
            .map(|_| CHARS[rng.below(CHARS.len())] as char)
            .collect();
        let text = match rng.below(10) {
            0 => format!("'{}'", text.replace('\'', "")),
            1 => format!("\"{}\"", text.replace('"', "")),
            2 => format!("!Ref {text}"),
            3 => "true".to_owned(),
            4 => "12".to_owned(),
            _ => {
                let plain = text.trim().to_owned();
                if plain.is_empty() {
                    "v".to_owned()
                } else {
                    plain
                }
            }
        };
        if rng.chance(10) {
            format!("{text}  # note")
        } else if rng.chance(5) {
            format!("{text}   ")
        } else {
            text
        }
    }

    fn key(rng: &mut Rng) -> String {
        match rng.below(8) {
            0 => "'k q'".to_owned(),
            1 => "\"k\"".to_owned(),
            2 => "Fn::Sub".to_owned(),
            3 => scalar(rng).trim_end_matches([' ']).to_owned(),
            _ => format!("k{}", rng.below(5)),
        }
    }

    /// A block collection at column `indent`, as lines; the first line has no indentation
    /// (the caller writes it after `- `, `key:` or at the margin).
    fn collection(rng: &mut Rng, indent: usize, depth: usize, out: &mut Vec<String>) {
        let pad = " ".repeat(indent);
        let items = 1 + rng.below(3);
        let mapping = rng.chance(60);
        for i in 0..items {
            let lead = if i == 0 { String::new() } else { pad.clone() };
            let nested = depth < 4 && rng.chance(35);
            if mapping {
                let k = key(rng);
                if nested {
                    let tag = if rng.chance(20) { " !If" } else { "" };
                    out.push(format!("{lead}{k}:{tag}"));
                    let child = if tag.is_empty() && rng.chance(30) {
                        indent
                    } else {
                        indent + 2
                    };
                    let mut lines = Vec::new();
                    if child == indent {
                        // An indentless sequence.
                        let inner = 1 + rng.below(2);
                        for _ in 0..inner {
                            lines.push(format!("{pad}- {}", scalar(rng)));
                        }
                        out.extend(lines);
                        continue;
                    }
                    collection(rng, child, depth + 1, &mut lines);
                    if let Some(first) = lines.first_mut() {
                        *first = format!("{}{first}", " ".repeat(child));
                    }
                    out.extend(lines);
                } else {
                    out.push(format!("{lead}{k}: {}", scalar(rng)));
                }
            } else if nested {
                // `- key: value` (compact) or `-` and a collection below.
                if rng.chance(50) {
                    let mut lines = Vec::new();
                    collection(rng, indent + 2, depth + 1, &mut lines);
                    out.push(format!("{lead}- {}", lines[0]));
                    out.extend(lines.into_iter().skip(1));
                } else {
                    out.push(format!("{lead}-"));
                    let mut lines = Vec::new();
                    collection(rng, indent + 2, depth + 1, &mut lines);
                    lines[0] = format!("{}{}", " ".repeat(indent + 2), lines[0]);
                    out.extend(lines);
                }
            } else {
                out.push(format!("{lead}- {}", scalar(rng)));
            }
            if rng.chance(5) {
                out.push(String::new());
            }
            if rng.chance(5) {
                out.push(format!("{}# comment", " ".repeat(rng.below(6))));
            }
        }
    }

    fn document(rng: &mut Rng) -> String {
        let mut lines = Vec::new();
        collection(rng, 0, 0, &mut lines);
        let mut text = lines.join("\n");
        if rng.chance(80) {
            text.push('\n');
        }
        // Now and then one byte changed: the edges of the subset.
        if rng.chance(30) && !text.is_empty() {
            let at = rng.below(text.len());
            let with = [
                b' ', b':', b'#', b'-', b'\'', b'"', b'\n', b'!', b'[', b'x', b'\t',
            ];
            let mut bytes = text.into_bytes();
            bytes[at] = with[rng.below(with.len())];
            text = String::from_utf8(bytes).expect("ASCII");
        }
        text
    }

    /// Generated block-style documents (and one-byte changes of them): whatever the scanner
    /// accepts, saphyr reads to the same events.
    #[test]
    fn generated_documents_scan_as_saphyr_does() {
        let mut rng = Rng(42);
        let (mut accepted, runs) = (0, 20_000);
        for _ in 0..runs {
            let text = document(&mut rng);
            if let Some(block) = block_events(&text) {
                accepted += 1;
                assert_eq!(saphyr_events(&text), Ok(block), "{text:?}");
            }
        }
        // Enough generated documents are in the subset (6,329 of 20,000 when written: random
        // scalars often start with an indicator or hold `: `), or this says little.
        assert!(accepted * 5 > runs, "{accepted} of {runs}");
    }
}
