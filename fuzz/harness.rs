//! What every fuzz target runs, shared with the stable `cargo test` harness
//! (`tests/fuzz_seeds.rs` includes this file): one input through a front-end, the rules and
//! every report, checking that nothing panics and that every span of every finding lies inside
//! its file on character boundaries. Also the byte-driven generator of syntactically valid
//! Terraform the structure-aware target feeds the evaluator with.
//!
//! Only the public API of the `ecslint` library is used; the input lives in memory under a
//! path that does not exist, so nothing is read from or written to disk.

#![allow(dead_code)]

use ecslint::engine::{RuleSelection, Scan};
use ecslint::model::Format;
use ecslint::source::{SourceDb, Span};
use ecslint::syntax::{self, Ctx, Parsed};
use std::path::{Path, PathBuf};

/// The front-end an input is given to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    TaskDefJson,
    CloudFormationYaml,
    CloudFormationJson,
    Terraform,
    TerraformJson,
    TerraformPlan,
    /// A tfvars file (given as `--var-file`) for the fixed module [`TFVARS_MODULE`].
    TerraformVars,
}

impl Front {
    pub fn file_name(self) -> &'static str {
        match self {
            Front::TaskDefJson => "taskdef.json",
            Front::CloudFormationYaml => "template.yaml",
            Front::CloudFormationJson => "template.json",
            Front::Terraform => "main.tf",
            Front::TerraformJson => "main.tf.json",
            Front::TerraformPlan => "plan.json",
            Front::TerraformVars => "fuzz.tfvars",
        }
    }
}

/// The module a fuzzed tfvars file sets the variables of: typed and untyped variables, with and
/// without defaults, read by a task definition and a service through templates, `for`
/// expressions and type conversions, so the values reach the rules.
pub const TFVARS_MODULE: &str = r#"variable "image" {
  type = string
}
variable "cpu" {}
variable "memory" {
  type    = number
  default = 512
}
variable "env" {
  type    = map(string)
  default = {}
}
variable "sidecars" {
  type = list(object({
    name  = string
    image = optional(string, "busybox:1.36")
    port  = optional(number)
  }))
  default = []
}
variable "tags" {
  default = null
}
variable "desired" {
  type    = number
  default = 1
}

resource "aws_ecs_task_definition" "t" {
  family                   = "app-${var.image}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  tags                     = var.tags
  container_definitions = jsonencode(concat([
    {
      name        = "web"
      image       = var.image
      essential   = true
      environment = [for k, v in var.env : { name = k, value = v }]
    }
  ], [for s in var.sidecars : {
    name         = s.name
    image        = s.image
    portMappings = s.port == null ? [] : [{ containerPort = s.port }]
  }]))
}

resource "aws_ecs_service" "s" {
  name            = "s"
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = var.desired
  launch_type     = "FARGATE"
}
"#;

/// A small budget: the fuzzer must find crashes, not spend seconds in a legal blow-up.
const EVAL_BUDGET: u64 = 2_000_000;
const MAX_INPUT: usize = 256 * 1024;

/// What one input produced.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    pub parse_errors: usize,
    pub units: usize,
    pub findings: usize,
}

/// Which front-end a file of `testdata/` or of the corpus is a seed for: by name for
/// Terraform, by a look at the content for JSON and YAML.
pub fn classify(path: &Path, text: &str) -> Option<Front> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let cloudformation = text.contains("AWSTemplateFormatVersion")
        || (text.contains("Resources") && text.contains("AWS::"));
    if name.ends_with(".tf.json") {
        Some(Front::TerraformJson)
    } else if name.ends_with(".tfvars") {
        Some(Front::TerraformVars)
    } else if name.ends_with(".tf") {
        Some(Front::Terraform)
    } else if name.ends_with(".json") {
        if text.contains("\"format_version\"") && text.contains("\"resource_changes\"") {
            Some(Front::TerraformPlan)
        } else if cloudformation {
            Some(Front::CloudFormationJson)
        } else if text.contains("ontainerDefinitions\"") || text.trim_start().starts_with('[') {
            Some(Front::TaskDefJson)
        } else {
            None
        }
    } else if (name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template"))
        && cloudformation
    {
        Some(Front::CloudFormationYaml)
    } else {
        None
    }
}

/// Run one input through `front`, the rules and the reports. Panics on any failure.
pub fn run(front: Front, bytes: &[u8]) -> Outcome {
    if bytes.len() > MAX_INPUT {
        return Outcome::default();
    }
    // The binary skips what is not UTF-8 (with a note) before any front-end sees it.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Outcome::default();
    };
    let dir = PathBuf::from("/nonexistent-ecslint-fuzz");
    let path = dir.join(front.file_name());
    let db = SourceDb::new();
    let file = db.add(path.clone(), text.to_owned());
    let modules = syntax::terraform::ModuleCache::default();
    let roots = [dir.clone()];
    // A tfvars file is read as `--var-file` (found in `db`, never on disk) by a fixed module.
    let (var_files, module) = if front == Front::TerraformVars {
        let main = dir.join("main.tf");
        db.add(main.clone(), TFVARS_MODULE.to_owned());
        (vec![path.clone()], main)
    } else {
        (Vec::new(), path.clone())
    };
    let ctx = Ctx {
        db: &db,
        roots: &roots,
        region: None,
        var_files: &var_files,
        max_file_size: MAX_INPUT as u64,
        eval_budget: EVAL_BUDGET,
        terraform_modules: &modules,
        used_dirs: None,
    };
    let parsed: Parsed = match front {
        Front::TaskDefJson => syntax::taskdef_json::parse(&ctx, &file),
        Front::CloudFormationYaml => {
            syntax::cloudformation::parse(&ctx, &file, Format::CloudFormationYaml)
        }
        Front::CloudFormationJson => {
            syntax::cloudformation::parse(&ctx, &file, Format::CloudFormationJson)
        }
        Front::TerraformPlan => syntax::terraform::parse_plan(&ctx, &file),
        Front::Terraform | Front::TerraformJson | Front::TerraformVars => {
            syntax::terraform::parse_module(&ctx, &dir, std::slice::from_ref(&module))
        }
    };
    let scan = Scan::from_parsed(db, parsed);
    let diagnostics = ecslint::engine::check(&scan, &RuleSelection::default());
    for d in &diagnostics {
        check_span(&scan, &d.primary, d.rule_id);
        for (span, _) in &d.labels {
            check_span(&scan, span, d.rule_id);
        }
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                check_span(&scan, &e.span, d.rule_id);
            }
        }
    }
    // Every report walks every span (line and column arithmetic, quoting, UTF-16 columns).
    let json = ecslint::report::json::render(&scan, &diagnostics, &scan.notes);
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
    // SARIF is mostly the rule catalogue; written to a sink, its results still walk every span.
    let extra = ecslint::report::sarif::Extra::default();
    ecslint::report::sarif::write_with(&scan, &diagnostics, &extra, &mut std::io::sink())
        .expect("SARIF to a sink");
    ecslint::report::human::render(&scan, &diagnostics, &scan.notes, false);
    ecslint::report::github::render(&scan, &diagnostics);
    ecslint::report::markdown::render(&scan, &diagnostics);
    ecslint::report::inspect::model_json(&scan);
    Outcome {
        parse_errors: scan.parse_errors.len(),
        units: scan.units.len(),
        findings: diagnostics.len(),
    }
}

fn check_span(scan: &Scan, span: &Span, rule: &str) {
    let file = scan.db.get(span.file);
    let (start, end) = (span.start(), span.end());
    assert!(
        start <= end && end <= file.text.len(),
        "{rule}: span {start}..{end} outside {} ({} bytes)",
        file.path.display(),
        file.text.len()
    );
    assert!(
        file.text.is_char_boundary(start) && file.text.is_char_boundary(end),
        "{rule}: span {start}..{end} not on character boundaries in {}",
        file.path.display()
    );
}

/// The config target: `.ecslint.toml` text into settings, then every question a scan asks of
/// them (selection, severity, `exclude`, `per-file-ignores`, `[[suppress]]` globs).
pub fn run_config(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let Ok(config) = ecslint::config::from_text(Path::new("/fuzz/.ecslint.toml"), text) else {
        return false;
    };
    let cli = ecslint::config::CliSelection::default();
    for rule in ecslint::rules::RULES.iter() {
        config.enabled(&cli, rule);
        config.severity(rule.id, rule.severity);
    }
    for path in [
        "/fuzz/a.json",
        "/fuzz/m/main.tf",
        "/fuzz/x/y/template.yaml",
        "/other/z.tf",
    ] {
        let path = Path::new(path);
        config.excluded(path);
        for rule in ecslint::rules::RULES.iter() {
            config.file_ignores(path, rule.id);
        }
        for s in &config.suppress {
            if let Some(rel) = ecslint::config::rel_posix(path, &s.dir) {
                s.glob.is_match(rel);
            }
        }
    }
    true
}

/// The suppression target: the first byte picks the syntax (HCL comments, YAML comments,
/// `.tf.json` `"//"` keys), the rest is the file. Every directive's place, scope and removal
/// lie inside the file on character boundaries; the `--add-ignore` placement answers for any
/// offset.
pub fn run_suppressions(bytes: &[u8]) -> usize {
    let Some((&kind, rest)) = bytes.split_first() else {
        return 0;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return 0;
    };
    let (name, format) = match kind % 3 {
        0 => ("main.tf", Format::Terraform),
        1 => ("template.yaml", Format::CloudFormationYaml),
        _ => ("main.tf.json", Format::TerraformJson),
    };
    let file = ecslint::source::SourceFile::new(
        ecslint::source::FileId(0),
        PathBuf::from(name),
        text.to_owned(),
    );
    let found = ecslint::suppress::collect(&file, format, None);
    let inside = |r: &std::ops::Range<usize>, what: &str| {
        assert!(
            r.start <= r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end),
            "{what} {r:?} outside the {} bytes of the file or off a character boundary",
            text.len()
        );
    };
    for d in &found.directives {
        inside(&(d.at.start()..d.at.end()), "directive");
        inside(&d.scope, "scope");
        if let Some(r) = &d.removal {
            inside(r, "removal");
        }
        if let Some(fix) = ecslint::suppress::removal_fix(ecslint::source::FileId(0), d) {
            for e in &fix.edits {
                inside(&(e.span.start()..e.span.end()), "removal edit");
            }
        }
    }
    for d in &found.invalid {
        inside(&(d.primary.start()..d.primary.end()), "invalid directive");
    }
    let mut offsets: Vec<usize> = vec![0, text.len() / 3, text.len() / 2, text.len()];
    for o in &mut offsets {
        while !text.is_char_boundary(*o) {
            *o -= 1;
        }
    }
    for o in offsets {
        let line = ecslint::suppress::directive_line(text, o, kind % 3 == 0);
        assert!(line <= text.len() && text.is_char_boundary(line));
        inside(&ecslint::suppress::hcl_item_at(text, line), "item");
    }
    found.directives.len()
}

/// The structure-aware Terraform target: valid HCL built from `bytes`, then [`run`].
pub fn run_generated_terraform(bytes: &[u8]) -> Outcome {
    let hcl = terraform_from_bytes(bytes);
    run(Front::Terraform, hcl.as_bytes())
}

/// Reads choices from the fuzzer's bytes; zeros once they run out, so every input is finite.
struct Choices<'a> {
    bytes: &'a [u8],
}

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((b, rest)) => {
                self.bytes = rest;
                *b
            }
            None => 0,
        }
    }

    fn below(&mut self, n: usize) -> usize {
        self.byte() as usize % n.max(1)
    }

    fn exhausted(&self) -> bool {
        self.bytes.is_empty()
    }
}

const WORDS: [&str; 12] = [
    "web",
    "nginx:latest",
    "512",
    "1024",
    "awsvpc",
    "FARGATE",
    "é😀",
    "$${literal}",
    "%%{x}",
    "a,b,c",
    "",
    "AKIAIOSFODNN7EXAMPLE",
];

/// Syntactically valid Terraform without modules: variables with defaults, a chain of locals
/// (each may use the variables and the locals before it, in templates, `for` expressions,
/// function calls, conditionals, splats), and an ECS task definition and service that read the
/// last locals, so the evaluator is reached.
pub fn terraform_from_bytes(bytes: &[u8]) -> String {
    let mut c = Choices { bytes };
    let mut out = String::new();
    let vars = c.below(4);
    for v in 0..vars {
        let default = literal(&mut c, 2);
        out.push_str(&format!(
            "variable \"v{v}\" {{\n  default = {default}\n}}\n\n"
        ));
    }
    let mut refs: Vec<String> = (0..vars).map(|v| format!("var.v{v}")).collect();
    out.push_str("locals {\n");
    let locals = 1 + c.below(12);
    for l in 0..locals {
        let e = expr(&mut c, &refs, 3);
        out.push_str(&format!("  l{l} = {e}\n"));
        refs.push(format!("local.l{l}"));
        if c.exhausted() {
            break;
        }
    }
    out.push_str("}\n\n");
    let last = refs.len() - 1;
    let pick = |c: &mut Choices| refs[c.below(refs.len()).max(last.saturating_sub(3))].clone();
    let (image, cpu, env, name) = (pick(&mut c), pick(&mut c), pick(&mut c), pick(&mut c));
    out.push_str(&format!(
        r#"resource "aws_ecs_task_definition" "t" {{
  family                   = "f-${{{name}}}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = {cpu}
  memory                   = 1024
  container_definitions = jsonencode([
    {{
      name        = "web"
      image       = {image}
      essential   = true
      environment = [for k, v in try(tomap({env}), {{}}) : {{ name = k, value = tostring(v) }}]
    }}
  ])
}}

resource "aws_ecs_service" "s" {{
  name            = "s"
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = try(length({env}), 1)
  launch_type     = "FARGATE"
}}
"#
    ));
    out
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn literal(c: &mut Choices, depth: usize) -> String {
    match c.below(if depth == 0 { 4 } else { 6 }) {
        0 => (c.byte() as i64 - 64).to_string(),
        1 => quoted(WORDS[c.below(WORDS.len())]),
        2 => ["true", "false", "null"][c.below(3)].to_owned(),
        3 => format!("{}.{}", c.byte(), c.byte()),
        4 => {
            let items: Vec<String> = (0..c.below(4)).map(|_| literal(c, depth - 1)).collect();
            format!("[{}]", items.join(", "))
        }
        _ => {
            let items: Vec<String> = (0..c.below(4))
                .map(|i| format!("k{i} = {}", literal(c, depth - 1)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
    }
}

fn expr(c: &mut Choices, refs: &[String], depth: usize) -> String {
    let reference = |c: &mut Choices| -> String {
        if refs.is_empty() {
            "null".to_owned()
        } else {
            refs[c.below(refs.len())].clone()
        }
    };
    if depth == 0 {
        return if c.below(2) == 0 {
            reference(c)
        } else {
            literal(c, 0)
        };
    }
    let sub = |c: &mut Choices| expr(c, refs, depth - 1);
    match c.below(22) {
        0 => literal(c, 2),
        1 | 2 => reference(c),
        3 => format!("\"${{{}}}-{}\"", sub(c), WORDS[c.below(3)]),
        4 => {
            let items: Vec<String> = (0..c.below(4)).map(|_| sub(c)).collect();
            format!("[{}]", items.join(", "))
        }
        5 => {
            let items: Vec<String> = (0..c.below(4))
                .map(|i| format!("k{i} = {}", sub(c)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
        6 => format!(
            "[for x in {} : {}]",
            sub(c),
            ["x", "\"${x}!\"", "[x, x]"][c.below(3)]
        ),
        7 => format!("{{ for k, v in {} : k => v }}", sub(c)),
        8 => format!("[for i, x in {} : x if i < {}]", sub(c), c.below(5)),
        9 => {
            let f = [
                "concat", "merge", "coalesce", "try", "flatten", "distinct", "compact", "setunion",
            ][c.below(8)];
            let args: Vec<String> = (0..1 + c.below(3)).map(|_| sub(c)).collect();
            match f {
                "flatten" | "distinct" | "compact" => format!("{f}([{}])", args.join(", ")),
                _ => format!("{f}({})", args.join(", ")),
            }
        }
        10 => {
            let f = [
                "length",
                "upper",
                "lower",
                "jsonencode",
                "tostring",
                "tonumber",
                "tolist",
                "toset",
                "tomap",
                "keys",
                "values",
                "reverse",
                "sort",
                "abs",
                "trimspace",
                "base64encode",
                "sum",
            ][c.below(17)];
            format!("{f}({})", sub(c))
        }
        11 => format!("lookup({}, \"k{}\", {})", sub(c), c.below(3), sub(c)),
        12 => format!("join(\",\", {})", sub(c)),
        13 => format!("split(\",\", {})", sub(c)),
        14 => format!("format(\"%s-%v\", {}, {})", sub(c), sub(c)),
        15 => format!("{} == {} ? {} : {}", sub(c), sub(c), sub(c), sub(c)),
        16 => format!(
            "({} {} {})",
            sub(c),
            ["+", "*", "-", "/", "%"][c.below(5)],
            sub(c)
        ),
        17 => format!("{}[{}]", sub(c), ["0", "1", "\"k0\"", "-1"][c.below(4)]),
        18 => format!("{}.k{}", sub(c), c.below(3)),
        19 => format!("{}[*].k0", sub(c)),
        20 => format!("replace({}, \"a\", \"${{1}}\")", sub(c)),
        _ => format!(
            "{}({}, {})",
            [
                "zipmap",
                "element",
                "range",
                "min",
                "max",
                "contains",
                "templatestring"
            ][c.below(7)],
            sub(c),
            sub(c)
        ),
    }
}
