//! Inline suppressions: `ecslint-ignore` comments in Terraform (`#`, `//`) and CloudFormation
//! YAML, `"//"` properties in `.tf.json`, and CloudFormation `Metadata.ecslint.ignore` (YAML
//! and JSON, so CDK output works). Raw task-definition JSON has no in-file form: it is
//! suppressed through `[[suppress]]` in `.ecslint.toml` (see `crate::pipeline`).
//!
//! Grammar: `ecslint-ignore ID[, ID]... -- reason` and `ecslint-ignore-file ...`. IDs are rule
//! ids or prefixes (`ECS4`); `all` is refused. A reason ending in `expires YYYY-MM-DD` expires.
//!
//! Scope: a trailing directive covers findings that start on its line; an own-line directive
//! covers the next item (an HCL attribute or block with its whole value, a YAML entry with its
//! subtree); stacked directive lines all apply to that item. `ecslint-ignore-file` must come
//! before the first item.

use crate::config::Date;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::suppression as meta;
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::node::Node;
use std::ops::Range;

/// The mechanism a suppression came from (summaries count findings per kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Inline,
    Metadata,
    Config,
    Baseline,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Inline => "inline",
            Kind::Metadata => "metadata",
            Kind::Config => "config",
            Kind::Baseline => "baseline",
        }
    }

    /// SARIF `suppression.kind`.
    pub fn sarif_kind(self) -> &'static str {
        match self {
            Kind::Inline | Kind::Metadata => "inSource",
            Kind::Config | Kind::Baseline => "external",
        }
    }
}

/// One inline or Metadata suppression.
#[derive(Debug, Clone)]
pub struct Directive {
    pub kind: Kind,
    /// Where it is written (ECS010–ECS014 point here).
    pub at: Span,
    pub selectors: Vec<String>,
    pub reason: Option<String>,
    pub expires: Option<Date>,
    /// Byte range of the file in which a finding's primary span must start.
    pub scope: Range<usize>,
    /// What `--fix` deletes when the directive is unused (comments only).
    pub removal: Option<Range<usize>>,
}

/// The placeholder reason the editor action inserts; it counts as no reason (ECS011).
pub const PLACEHOLDER: &str = "TODO: justify";

/// Parsed directive text, after the keyword.
struct Parsed {
    selectors: Vec<String>,
    reason: Option<String>,
    expires: Option<Date>,
}

/// Split `ECS401, ECS403 -- reason, expires 2027-01-31`. An error is the ECS014 message.
fn parse_body(body: &str) -> Result<Parsed, String> {
    let (ids, reason) = match body.find("--") {
        Some(i) => (&body[..i], Some(body[i + 2..].trim().to_string())),
        None => (body, None),
    };
    let selectors: Vec<String> = ids
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if selectors.is_empty() {
        return Err("no rule id: write `ecslint-ignore ECS401 -- reason`".into());
    }
    for s in &selectors {
        if s.eq_ignore_ascii_case("all") {
            return Err("`all` is not accepted: name the rule ids to suppress".into());
        }
        // `get`: a selector may start with a multi-byte character (found by fuzzing).
        let digits = s.get(3..).unwrap_or("");
        if !(s.len() >= 4
            && s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("ECS"))
            && digits.len() <= 3
            && digits.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!(
                "`{s}` is not a rule id (ECS followed by up to 3 digits)"
            ));
        }
    }
    let expires = reason.as_deref().and_then(expiry_suffix);
    Ok(Parsed {
        selectors,
        reason,
        expires,
    })
}

/// `..., expires 2027-01-31` at the end of a reason.
fn expiry_suffix(reason: &str) -> Option<Date> {
    let i = reason.rfind("expires")?;
    Date::parse(reason[i + "expires".len()..].trim().trim_start_matches(':'))
}

pub fn reason_missing(reason: Option<&str>) -> bool {
    reason.is_none_or(|r| r.trim().is_empty() || r.trim() == PLACEHOLDER)
}

/// Does a selector from a suppression cover `rule_id`? (ids and prefixes; never ECS000.)
pub fn covers(selector: &str, rule_id: &str) -> bool {
    rule_id != crate::diagnostic::PARSE_ERROR
        && selector.len() >= 4
        && rule_id.len() >= selector.len()
        && rule_id[..selector.len()].eq_ignore_ascii_case(selector)
}

/// Does a selector name at least one rule?
pub fn known_selector(selector: &str) -> bool {
    crate::rules::RULES.iter().any(|r| covers(selector, r.id))
}

/// Directives found in one file, plus the findings about malformed ones (ECS014).
#[derive(Debug, Default, Clone)]
pub struct Found {
    pub directives: Vec<Directive>,
    pub invalid: Vec<Diagnostic>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Hcl,
    Yaml,
}

/// Collect the suppressions of one file, by file kind. A CloudFormation template's `Metadata`
/// ones come from `metadata` (gathered by the front-end from its one parse, see
/// [`template_metadata`]); the comments are read here.
pub fn collect(file: &SourceFile, format: crate::model::Format, metadata: Option<&Found>) -> Found {
    use crate::model::Format;
    let name = file.path.to_string_lossy().to_ascii_lowercase();
    let mut found = Found::default();
    if name.ends_with(".tf") || name.ends_with(".tofu") {
        comments(file, Syntax::Hcl, &mut found);
    } else if name.ends_with(".tf.json") || name.ends_with(".tofu.json") {
        tf_json(file, &mut found);
    } else if format == Format::CloudFormationYaml {
        comments(file, Syntax::Yaml, &mut found);
    }
    if format.is_cloudformation()
        && let Some(m) = metadata
    {
        found.directives.extend(m.directives.iter().cloned());
        found.invalid.extend(m.invalid.iter().cloned());
    }
    found
}

/// The `Metadata` suppressions of a parsed CloudFormation template.
pub fn template_metadata(file: &SourceFile, root: &Node) -> Found {
    let mut found = Found::default();
    metadata(file, root, &mut found);
    found
}

fn invalid(file: FileId, range: Range<usize>, message: String) -> Diagnostic {
    Diagnostic::new(
        meta::INVALID,
        meta::ECS014.severity,
        Span::new(file, range),
        message,
    )
}

/// Line starts (byte offsets) of `text`, with `text.len()` appended.
fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    if *v.last().unwrap() != text.len() {
        v.push(text.len());
    }
    v
}

/// Where a comment starts in an HCL or YAML line, outside strings.
fn comment_start(line: &str, syntax: Syntax) -> Option<usize> {
    let b = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) => {
                if c == b'\\' && q == b'"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                b'"' => quote = Some(b'"'),
                b'\''
                    if syntax == Syntax::Yaml && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) =>
                {
                    quote = Some(b'\'')
                }
                b'#' if syntax == Syntax::Hcl || i == 0 || b[i - 1].is_ascii_whitespace() => {
                    return Some(i);
                }
                b'/' if syntax == Syntax::Hcl && b.get(i + 1) == Some(&b'/') => return Some(i),
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// Where the `#` or `//` that introduces `ecslint-ignore` is, in a comment starting at `first`.
fn directive_marker(line: &str, first: usize) -> usize {
    let Some(k) = line[first..].find("ecslint-ignore").map(|k| first + k) else {
        return first;
    };
    let before = line[..k].trim_end();
    if before.len() <= first + 2 {
        return first;
    }
    if before.ends_with("//") {
        before.len() - 2
    } else if before.ends_with('#') {
        before.len() - 1
    } else {
        first
    }
}

/// The heredoc marker a line opens (`<<EOF`, `<<-EOF`), outside strings and comments.
fn heredoc_marker(line: &str) -> Option<String> {
    let code = &line[..comment_start(line, Syntax::Hcl).unwrap_or(line.len())];
    let i = code.find("<<")?;
    let rest = code[i + 2..].trim_start_matches('-');
    let marker: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!marker.is_empty()).then_some(marker)
}

/// Is this line blank or only a comment?
fn insignificant(line: &str, syntax: Syntax) -> bool {
    let t = line.trim();
    t.is_empty()
        || comment_start(t, syntax) == Some(0)
        || (syntax == Syntax::Hcl && (t.starts_with("/*") || t.starts_with('*')))
        || (syntax == Syntax::Yaml && t == "---")
}

/// Byte range of the HCL item (attribute or block) starting on line `l`: up to the end of the
/// first line at which brackets balance and no heredoc is open.
fn hcl_item(text: &str, starts: &[usize], l: usize) -> Range<usize> {
    let mut depth: i64 = 0;
    let mut heredoc: Option<String> = None;
    for k in l..starts.len() - 1 {
        let line = &text[starts[k]..starts[k + 1]];
        if let Some(m) = &heredoc {
            if line.trim() == m {
                heredoc = None;
            }
        } else {
            let code = &line[..comment_start(line, Syntax::Hcl).unwrap_or(line.len())];
            let mut in_str = false;
            let mut esc = false;
            for c in code.chars() {
                if in_str {
                    match (esc, c) {
                        (true, _) => esc = false,
                        (false, '\\') => esc = true,
                        (false, '"') => in_str = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_str = true,
                    '{' | '[' | '(' => depth += 1,
                    '}' | ']' | ')' => depth -= 1,
                    _ => {}
                }
            }
            heredoc = heredoc_marker(line);
        }
        if depth <= 0 && heredoc.is_none() {
            return starts[l]..starts[k + 1];
        }
    }
    starts[l]..text.len()
}

/// Where `--add-ignore` puts an own-line directive for a finding at `offset`. YAML: the start
/// of its line. HCL: the start of the top-level block holding it, so the comment covers the
/// resource and never splits a run of aligned attributes (`terraform fmt` would realign it) or
/// lands inside a heredoc.
pub fn directive_line(text: &str, offset: usize, hcl: bool) -> usize {
    let starts = line_starts(text);
    let target = starts.partition_point(|&s| s <= offset).saturating_sub(1);
    if !hcl {
        return starts[target];
    }
    let mut l = 0;
    while l + 1 < starts.len() {
        let line = &text[starts[l]..starts[l + 1]];
        if insignificant(line, Syntax::Hcl) {
            l += 1;
            continue;
        }
        let item = hcl_item(text, &starts, l);
        if item.contains(&offset) {
            return starts[l];
        }
        let next = starts.partition_point(|&s| s < item.end);
        l = next.max(l + 1);
    }
    starts[target]
}

/// The HCL item (attribute or block) whose first line starts at byte `line_start`.
pub fn hcl_item_at(text: &str, line_start: usize) -> Range<usize> {
    let starts = line_starts(text);
    let l = starts
        .partition_point(|&s| s <= line_start)
        .saturating_sub(1);
    if l + 1 >= starts.len() {
        return line_start..text.len();
    }
    hcl_item(text, &starts, l)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Byte range of the YAML entry starting on line `l` with its subtree (deeper-indented lines).
fn yaml_item(text: &str, starts: &[usize], l: usize) -> Range<usize> {
    let own = indent(&text[starts[l]..starts[l + 1]]);
    let mut end = starts[l + 1];
    for k in l + 1..starts.len() - 1 {
        let line = &text[starts[k]..starts[k + 1]];
        if insignificant(line, Syntax::Yaml) {
            continue;
        }
        if indent(line) <= own {
            break;
        }
        end = starts[k + 1];
    }
    starts[l]..end
}

/// `#`/`//` comment directives in `.tf` and CloudFormation YAML files.
fn comments(file: &SourceFile, syntax: Syntax, found: &mut Found) {
    let text = &file.text;
    // Every directive, well-formed or not, names `ecslint-ignore`: most files have none, and
    // need no line-by-line walk.
    if !text.contains("ecslint-ignore") {
        return;
    }
    let starts = line_starts(text);
    let lines = starts.len() - 1;
    let mut heredoc: Option<String> = None;
    let mut seen_item = false;
    // Own-line directives waiting for their item.
    let mut pending: Vec<Directive> = Vec::new();
    for l in 0..lines {
        let line = &text[starts[l]..starts[l + 1]];
        if syntax == Syntax::Hcl
            && let Some(m) = &heredoc
        {
            if line.trim() == m {
                heredoc = None;
            }
            continue;
        }
        let comment = comment_start(line, syntax);
        let own_line = comment.is_some_and(|c| line[..c].trim().is_empty());
        if let Some(first) = comment {
            // The directive's own marker: the comment's, or a later `#`/`//` inside it
            // (`# note # ecslint-ignore ...`).
            let c = directive_marker(line, first);
            let only_directive = c == first;
            let body_at = c + if line[c..].starts_with("//") { 2 } else { 1 };
            let body = line[body_at..].trim_start();
            let keyword_at = starts[l] + line.len() - line[body_at..].trim_start().len();
            let directive = if let Some(r) = body.strip_prefix("ecslint-ignore-file") {
                Some((true, r))
            } else {
                body.strip_prefix("ecslint-ignore").map(|r| (false, r))
            };
            if let Some((file_wide, rest)) = directive
                && (rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
            {
                let rest = rest.trim_end_matches(['\r', '\n']);
                let at = keyword_at..starts[l] + line.trim_end_matches(['\r', '\n']).len();
                // Own-line comments that hold only the directive go whole (with their newline).
                let removal = if own_line && only_directive {
                    starts[l]..starts[l + 1]
                } else {
                    let before = line[..c].trim_end().len();
                    starts[l] + before..at.end
                };
                match parse_body(rest) {
                    Err(message) => found.invalid.push(invalid(file.id, at, message)),
                    Ok(p) => {
                        let d = Directive {
                            kind: Kind::Inline,
                            at: Span::new(file.id, at.clone()),
                            selectors: p.selectors,
                            reason: p.reason,
                            expires: p.expires,
                            scope: 0..0,
                            removal: Some(removal),
                        };
                        if file_wide {
                            if seen_item || !own_line {
                                found.invalid.push(invalid(
                                    file.id,
                                    at,
                                    "`ecslint-ignore-file` must come before the first block or key; it suppresses nothing here".into(),
                                ));
                            } else {
                                found.directives.push(Directive {
                                    scope: 0..text.len(),
                                    ..d
                                });
                            }
                        } else if own_line {
                            pending.push(d);
                        } else {
                            let end = starts[l] + line.trim_end_matches(['\r', '\n']).len();
                            found.directives.push(Directive {
                                scope: starts[l]..end,
                                ..d
                            });
                        }
                    }
                }
            }
        }
        if insignificant(line, syntax) {
            continue;
        }
        seen_item = true;
        if !pending.is_empty() {
            let scope = match syntax {
                Syntax::Hcl => hcl_item(text, &starts, l),
                Syntax::Yaml => yaml_item(text, &starts, l),
            };
            for d in pending.drain(..) {
                found.directives.push(Directive {
                    scope: scope.clone(),
                    ..d
                });
            }
        }
        if syntax == Syntax::Hcl {
            heredoc = heredoc_marker(line);
        }
    }
    // Directives at the end of a file cover nothing; they show up as unused.
    found
        .directives
        .extend(pending.into_iter().map(|d| Directive { scope: 0..0, ..d }));
}

/// `"//": "ecslint-ignore ..."` in Terraform JSON: at the root (the file) or directly in a
/// `resource.<type>.<name>` body (that resource). Anywhere else: ECS014.
fn tf_json(file: &SourceFile, found: &mut Found) {
    if !file.text.contains("ecslint-ignore") {
        return;
    }
    let Ok(Some(root)) = crate::syntax::node::parse_json_at(&file.text, file.id, 0) else {
        return;
    };
    let mut visit = |value: &Node, scope: Option<Range<usize>>| {
        for (key, v) in value.as_object().into_iter().flatten() {
            if key.value != "//" {
                continue;
            }
            let Some(text) = v.as_str() else { continue };
            let body = text.trim_start();
            let Some(rest) = body
                .strip_prefix("ecslint-ignore-file")
                .or_else(|| body.strip_prefix("ecslint-ignore"))
            else {
                continue;
            };
            let at = key.span.start()..v.span.end();
            let Some(scope) = scope.clone() else {
                found.invalid.push(invalid(
                    file.id,
                    at,
                    "`\"//\"` suppressions work only at the root of a .tf.json file or in a resource body".into(),
                ));
                continue;
            };
            match parse_body(rest) {
                Err(m) => found.invalid.push(invalid(file.id, at, m)),
                Ok(p) => found.directives.push(Directive {
                    kind: Kind::Inline,
                    at: Span::new(file.id, at),
                    selectors: p.selectors,
                    reason: p.reason,
                    expires: p.expires,
                    scope,
                    removal: None,
                }),
            }
        }
    };
    visit(&root, Some(0..file.text.len()));
    // Every other object: only resource bodies are allowed.
    fn walk(n: &Node, path: &mut Vec<String>, f: &mut dyn FnMut(&Node, Option<Range<usize>>)) {
        if let Some(props) = n.as_object() {
            if !path.is_empty() {
                let is_resource = path.len() == 3 && path[0] == "resource";
                f(n, is_resource.then(|| n.span.start()..n.span.end()));
            }
            for (k, v) in props {
                path.push(k.value.clone());
                walk(v, path, f);
                path.pop();
            }
        } else if let Some(items) = n.as_array() {
            for v in items {
                walk(v, path, f);
            }
        }
    }
    walk(&root, &mut Vec::new(), &mut visit);
}

/// `Metadata: {ecslint: {ignore: [{rule, reason, container?, expires?}]}}` on the template
/// (the whole file) and on resources (that resource).
fn metadata(file: &SourceFile, root: &Node, found: &mut Found) {
    let mut from = |meta: &Node, scope: Range<usize>| {
        let Some(list) = meta.get("ecslint").and_then(|e| e.get("ignore")) else {
            return;
        };
        let Some(items) = list.as_array() else {
            found.invalid.push(invalid(
                file.id,
                list.span.start()..list.span.end(),
                "`Metadata.ecslint.ignore` must be a list of {rule, reason} entries".into(),
            ));
            return;
        };
        for item in items {
            let at = item.span.start()..item.span.end();
            let rule = item.get("rule").and_then(Node::scalar_text);
            let Some(rule) = rule else {
                found.invalid.push(invalid(
                    file.id,
                    at,
                    "a `Metadata.ecslint.ignore` entry needs `rule`".into(),
                ));
                continue;
            };
            let p = match parse_body(&rule) {
                Ok(p) => p,
                Err(m) => {
                    found.invalid.push(invalid(file.id, at, m));
                    continue;
                }
            };
            let expires = item.get("expires").and_then(Node::scalar_text);
            let expires = match expires {
                None => None,
                Some(s) => match Date::parse(&s) {
                    Some(d) => Some(d),
                    None => {
                        found.invalid.push(invalid(
                            file.id,
                            at,
                            format!("`expires: {s}` is not a YYYY-MM-DD date"),
                        ));
                        continue;
                    }
                },
            };
            found.directives.push(Directive {
                kind: Kind::Metadata,
                at: Span::new(file.id, at),
                selectors: p.selectors,
                reason: item.get("reason").and_then(Node::scalar_text),
                expires,
                scope: scope.clone(),
                removal: None,
            });
        }
    };
    if let Some(m) = root.get("Metadata") {
        from(m, 0..file.text.len());
    }
    for (key, resource) in root
        .get("Resources")
        .and_then(Node::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(m) = resource.get("Metadata") {
            from(m, key.span.start()..resource.span.end().max(key.span.end()));
        }
    }
}

/// The edit that deletes an unused directive (ECS010's safe fix).
pub fn removal_fix(file: FileId, d: &Directive) -> Option<Fix> {
    d.removal.as_ref().map(|r| Fix {
        description: "Remove the unused suppression".into(),
        edits: vec![Edit {
            span: Span::new(file, r.clone()),
            replacement: String::new(),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;
    use crate::source::SourceDb;

    /// A selector starting with a multi-byte character is an invalid id (ECS014), not a panic
    /// (the suppression fuzz target's first crash).
    #[test]
    fn a_selector_with_multibyte_characters_is_invalid_not_a_panic() {
        for body in ["Вߋags -- r", "E😀S401", "ECS9é -- x", "é"] {
            let err = parse_body(body).err().unwrap_or_default();
            assert!(err.contains("is not a rule id"), "{body}: {err}");
        }
        let f = found(
            "main.tf",
            "# ecslint-ignore ECS905 Вߋags -- from the pipeline\nresource \"a\" \"b\" {}\n",
            Format::Terraform,
        );
        assert_eq!(f.invalid.len(), 1);
    }

    /// The front-end's parse supplies a template's Metadata; here the test parses it.
    fn found(name: &str, text: &str, format: Format) -> Found {
        let db = SourceDb::new();
        let f = db.add(name.into(), text.into());
        let root = match format {
            Format::CloudFormationYaml => crate::syntax::cloudformation::yaml::parse(text, f.id)
                .ok()
                .flatten(),
            Format::CloudFormationJson => crate::syntax::node::parse_json_at(text, f.id, 0)
                .ok()
                .flatten(),
            _ => None,
        };
        let metadata = root.map(|r| template_metadata(&f, &r));
        collect(&f, format, metadata.as_ref())
    }

    fn scopes(text: &str, f: &Found) -> Vec<String> {
        f.directives
            .iter()
            .map(|d| text[d.scope.clone()].trim_end().to_string())
            .collect()
    }

    #[test]
    fn hcl_trailing_and_own_line() {
        let tf = "resource \"a\" \"b\" {\n  memory = 3000 # ecslint-ignore ECS101 -- r\n  cpu = 1 // ecslint-ignore ECS101 -- r\n  # ecslint-ignore ECS401 -- r\n  x = jsonencode([\n    {image = \"a#b\"}\n  ])\n  y = 2\n}\n";
        let f = found("m.tf", tf, Format::Terraform);
        assert!(f.invalid.is_empty(), "{:?}", f.invalid);
        assert_eq!(
            scopes(tf, &f),
            [
                "  memory = 3000 # ecslint-ignore ECS101 -- r",
                "  cpu = 1 // ecslint-ignore ECS101 -- r",
                "  x = jsonencode([\n    {image = \"a#b\"}\n  ])"
            ]
        );
    }

    #[test]
    fn hcl_heredoc_item() {
        let tf = "# ecslint-ignore ECS401 -- r\nx = <<EOF\n[{\"image\": \"nginx\"}\n# not a comment\nEOF\ny = 1\n";
        let f = found("m.tf", tf, Format::Terraform);
        assert_eq!(
            scopes(tf, &f),
            ["x = <<EOF\n[{\"image\": \"nginx\"}\n# not a comment\nEOF"]
        );
    }

    #[test]
    fn sup_03_all_is_refused_and_ids_parse() {
        let f = found(
            "m.tf",
            "x = 1 # ecslint-ignore all -- r\n",
            Format::Terraform,
        );
        assert_eq!(f.invalid.len(), 1);
        let f = found(
            "m.tf",
            "x = 1 # ecslint-ignore ECS401, ECS403 ECS4 -- r\n",
            Format::Terraform,
        );
        assert_eq!(f.directives[0].selectors, ["ECS401", "ECS403", "ECS4"]);
        assert!(covers("ECS4", "ECS401"));
        assert!(!covers("ECS4", "ECS000") && !covers("ECS0", "ECS000"));
    }

    #[test]
    fn yaml_item_is_entry_and_subtree() {
        let y = "Resources:\n  # ecslint-ignore ECS401 -- r\n  Task:\n    Type: X\n    Properties:\n      Image: a # c\n  Other:\n    Type: Y\n";
        let f = found("t.yaml", y, Format::CloudFormationYaml);
        assert_eq!(
            scopes(y, &f),
            ["  Task:\n    Type: X\n    Properties:\n      Image: a # c"]
        );
    }

    #[test]
    fn sup_09_expiry_suffix() {
        assert_eq!(
            expiry_suffix("load test, expires 2027-01-31")
                .unwrap()
                .to_string(),
            "2027-01-31"
        );
        assert!(expiry_suffix("no date").is_none());
    }
}
