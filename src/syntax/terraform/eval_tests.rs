//! The evaluator, one expression form or function at a time: a known result, an unknown input
//! (the result is unknown: never a guess), and an error input (what `try` and `can` see).

use super::super::{ModuleCache, ModuleSource, root_module};
use crate::source::SourceDb;
use crate::syntax::node::{Node, NodeKind};
use crate::syntax::{Ctx, Parsed};
use std::sync::Arc;

/// What `expr` evaluates to in a module that declares `var.unknown` (no default, no value),
/// `var.obj` ({ a = 1, b = "x" }), `var.list` (["b", "a", "b"]) and `local.parts`
/// ("${var.unknown}:latest"): its JSON, `?` when unknown, `partial:<text>` when partly known.
fn eval(expr: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("main.tf");
    std::fs::write(
        &path,
        format!(
            r#"variable "unknown" {{}}
variable "obj" {{
  default = {{ a = 1, b = "x" }}
}}
variable "list" {{
  default = ["b", "a", "b"]
}}
variable "typed" {{
  type = object({{ name = string, port = optional(number), cpu = number }})
  default = {{ name = "api", cpu = "256", extra = true }}
}}
data "aws_iam_policy_document" "doc" {{
  statement {{
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:aws:iam::1:root"]
    }}
    condition {{
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["1"]
    }}
  }}
}}
data "aws_iam_policy_document" "merged" {{
  source_policy_documents = []
  statement {{
    actions = ["*"]
  }}
}}
locals {{
  parts  = "${{var.unknown}}:latest"
  result = {expr}
}}
"#
        ),
    )
    .unwrap();
    let db = SourceDb::new();
    let roots = [dir.path().canonicalize().unwrap()];
    let modules = ModuleCache::default();
    let ctx = Ctx {
        db: &db,
        roots: &roots,
        region: None,
        var_files: &[],
        max_file_size: u64::MAX,
        eval_budget: crate::syntax::budget::DEFAULT_EVAL_BUDGET,
        terraform_modules: &modules,
        used_dirs: None,
    };
    let src = Arc::new(ModuleSource::parse(&ctx, dir.path(), &[path], true));
    assert!(src.diagnostics.is_empty(), "{:?}", src.diagnostics);
    let mut out = Parsed::default();
    let (module, _) = root_module(&ctx, src, &mut out);
    // `local()` hands out known values only; evaluate the expression itself to see the rest.
    let (file, e) = module.src.locals.get("result").unwrap().clone();
    let node = super::Eval {
        module: &module,
        file,
    }
    .eval(&e, &super::Scope::default(), 0);
    show(&node)
}

fn show(node: &Node) -> String {
    match &node.kind {
        NodeKind::Partial(_) => format!("partial:{}", node.describe()),
        _ if node.is_unknown() => "?".into(),
        _ => super::to_json(node).unwrap(),
    }
}

#[track_caller]
fn check(cases: &[(&str, &str)]) {
    for (expr, expected) in cases {
        assert_eq!(&eval(expr), expected, "{expr}");
    }
}

#[test]
fn literals_operators_and_conditionals() {
    check(&[
        ("1 + 2 * 3", "7"),
        ("\"a\" == \"a\"", "true"),
        ("!true", "false"),
        ("-var.obj.a", "-1"),
        ("var.unknown + 1", "?"),
        ("true ? 1 : 2", "1"),
        ("var.unknown ? 1 : 1", "1"),
        ("var.unknown ? 1 : 2", "?"),
        ("10 / 0", "?"),
    ]);
}

#[test]
fn templates_keep_what_is_known() {
    check(&[
        ("\"${var.obj.b}-${var.obj.a}\"", "\"x-1\""),
        ("local.parts", "partial:${var.unknown}:latest"),
        ("\"%{if true}yes%{endif}\"", "\"yes\""),
        ("\"%{for s in var.list}${s}%{endfor}\"", "\"bab\""),
        ("\"%{if var.unknown}yes%{endif}\"", "?"),
    ]);
}

#[test]
fn traversals_and_errors() {
    check(&[
        ("var.obj.b", "\"x\""),
        ("var.obj[\"a\"]", "1"),
        ("var.list[1]", "\"a\""),
        ("var.list[7]", "?"),
        ("var.obj.missing", "?"),
        ("var.unknown.anything", "?"),
        ("data.aws_region.current.name", "?"),
        ("path.module == \"\"", "false"),
    ]);
}

#[test]
fn for_expressions_iterate_maps_in_key_order() {
    check(&[
        ("[for s in var.list : upper(s)]", "[\"B\",\"A\",\"B\"]"),
        ("[for k, v in { z = 1, a = 2 } : k]", "[\"a\",\"z\"]"),
        (
            "{ for s in [\"x\", \"y\"] : s => length(s) }",
            "{\"x\":1,\"y\":1}",
        ),
        ("[for s in var.list : s if s != \"b\"]", "[\"a\"]"),
        ("[for s in var.unknown : s]", "?"),
        ("[for s in var.list : s if var.unknown]", "?"),
    ]);
}

#[test]
fn variable_types_convert_as_terraform_does() {
    check(&[
        // Number from string, optional attribute added as null, undeclared one dropped.
        ("var.typed", "{\"name\":\"api\",\"port\":null,\"cpu\":256}"),
        ("var.typed.port == null", "true"),
    ]);
}

#[test]
fn try_and_can_tell_errors_from_unknowns() {
    check(&[
        ("try(var.obj.missing, 256)", "256"),
        ("try(var.obj.a, 256)", "1"),
        // Unknown is not an error: the result is unknown, not the fallback.
        ("try(var.unknown, 256)", "?"),
        ("try(var.unknown.x, 256)", "?"),
        ("can(var.obj.a)", "true"),
        ("can(var.obj.missing)", "false"),
        ("can(var.unknown)", "?"),
        ("lookup(var.obj, \"missing\", 3)", "3"),
        ("try(lookup(var.obj, \"missing\"), 4)", "4"),
        ("lookup(var.unknown, \"a\", 3)", "?"),
    ]);
}

#[test]
fn collection_functions() {
    check(&[
        ("merge(var.obj, { b = \"y\" })", "{\"a\":1,\"b\":\"y\"}"),
        ("merge(var.obj, var.unknown)", "?"),
        ("concat([1], [2, 3])", "[1,2,3]"),
        ("concat([1], var.unknown)", "?"),
        ("flatten([[1, [2]], 3])", "[1,2,3]"),
        ("flatten([var.unknown])", "?"),
        ("compact([\"a\", \"\", null])", "[\"a\"]"),
        ("distinct(var.list)", "[\"b\",\"a\"]"),
        ("toset(var.list)", "[\"a\",\"b\"]"),
        ("keys({ b = 1, a = 2 })", "[\"a\",\"b\"]"),
        ("values({ b = 1, a = 2 })", "[2,1]"),
        ("zipmap([\"a\", \"b\"], [1, 2])", "{\"a\":1,\"b\":2}"),
        ("zipmap([\"a\"], [1, 2])", "?"),
        ("length(var.list)", "3"),
        ("length(var.unknown)", "?"),
        ("element(var.list, 4)", "\"a\""),
        ("contains(var.list, \"a\")", "true"),
        ("contains(var.list, var.unknown)", "?"),
        ("one([])", "null"),
        ("one([5])", "5"),
        ("one([1, 2])", "?"),
        ("try(one([1, 2]), 0)", "0"),
        ("coalesce(null, \"\", \"z\")", "\"z\""),
        ("coalesce(var.unknown, \"z\")", "?"),
        ("coalescelist([], [1])", "[1]"),
        ("reverse([1, 2])", "[2,1]"),
        ("sort([\"b\", \"a\"])", "[\"a\",\"b\"]"),
        ("range(3)", "[0,1,2]"),
        ("range(1, 7, 3)", "[1,4]"),
        ("range(1e9)", "?"),
        ("alltrue([true, true])", "true"),
        ("anytrue([false])", "false"),
        ("alltrue([var.unknown])", "?"),
        ("tolist([1])", "[1]"),
        ("tomap({ a = 1 })", "{\"a\":1}"),
    ]);
}

#[test]
fn string_and_number_functions() {
    check(&[
        ("format(\"%s-%d\", \"a\", 2)", "\"a-2\""),
        ("format(\"%s\", var.unknown)", "?"),
        ("join(\",\", var.list)", "\"b,a,b\""),
        ("join(\",\", [var.unknown])", "?"),
        ("split(\",\", \"a,b\")", "[\"a\",\"b\"]"),
        ("replace(\"a-b\", \"-\", \"_\")", "\"a_b\""),
        ("replace(\"a-b\", \"/-/\", \"_\")", "?"),
        ("upper(\"a\")", "\"A\""),
        ("lower(var.unknown)", "?"),
        ("trimspace(\" a \")", "\"a\""),
        ("startswith(\"arn:aws\", \"arn:\")", "true"),
        ("endswith(\"x.json\", \".yaml\")", "false"),
        ("trimprefix(\"v1.2\", \"v\")", "\"1.2\""),
        ("trimsuffix(\"a.tf\", \".tf\")", "\"a\""),
        ("substr(\"hello\", 1, 3)", "\"ell\""),
        ("substr(\"hello\", 1, -1)", "\"ello\""),
        ("tonumber(\"42\")", "42"),
        ("tonumber(\"x\")", "?"),
        ("tostring(5)", "\"5\""),
        ("max(1, 5, 3)", "5"),
        ("min(1, var.unknown)", "?"),
        ("abs(-2)", "2"),
        ("ceil(1.2)", "2"),
        ("floor(1.8)", "1"),
        ("jsonencode({ a = [1] })", "{\"a\":[1]}"),
        ("jsondecode(\"{\\\"a\\\": 1}\")", "{\"a\":1}"),
        ("jsondecode(var.unknown)", "?"),
        ("not_a_function(1)", "?"),
    ]);
}

#[test]
fn iam_policy_document_data_sources() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Action":["s3:GetObject"],"Resource":["*"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root"]},"Condition":{"StringEquals":{"aws:SourceAccount":["1"]}}}]}"#;
    check(&[
        ("data.aws_iam_policy_document.doc.json", doc),
        ("data.aws_iam_policy_document.doc[0].json", doc),
        ("data.aws_iam_policy_document.doc.minified_json", doc),
        // Merged with other documents by the provider: not rendered here.
        ("data.aws_iam_policy_document.merged.json", "?"),
        ("data.aws_iam_policy_document.doc.id", "?"),
        ("data.aws_iam_policy_document.missing.json", "?"),
        ("data.aws_caller_identity.current.account_id", "?"),
    ]);
}
