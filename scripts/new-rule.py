#!/usr/bin/env python3
"""Scaffold a new ecslint rule in one step.

Usage:
  scripts/new-rule.py ECS8NN rule-name family severity "Summary line" \
      [--off] [--formats taskdef-json,terraform,cloudformation]

Creates (and refuses to overwrite):
  src/rules/<family>/ecsNNN.rs     the rule, with a `check` stub and a unit-test stub
  rules/ECSNNN.md                  the page: front matter and the sections the registry test wants
  testdata/rules/ECSNNN/           fail/pass fixtures for every format the rule applies to
and registers the rule: `pub mod ecsNNN;` in the family's mod.rs, `&<family>::ecsNNN::RULE` in
`RULES` (id order) and the README rule-table row (id order). The metadata given here is written
once into the `Rule` static, the page's front matter and the README row; the registry test
(`pages_and_readme_agree_with_the_registry`) fails on any later drift between them.

Then: write the check, the page and the fixtures, run
`cargo test --test rule_fixtures` and review the new snapshots (`cargo insta review`).
"""

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FAMILIES = [
    "validity", "input", "suppression", "sizing", "network", "logging", "image",
    "secrets", "health", "deployment", "iam", "security", "cost",
]
SEVERITIES = {"error": "Error", "warning": "Warning", "info": "Info"}
ALL = ["taskdef-json", "terraform", "cloudformation"]
SERVICE = ["terraform", "cloudformation"]

FIXTURES = {
    "taskdef-json": [("fail.json", '{\n  "family": "TODO",\n  "containerDefinitions": []\n}\n'),
                     ("pass.json", '{\n  "family": "TODO",\n  "containerDefinitions": []\n}\n')],
    "terraform": [("fail.tf", "# TODO: a Terraform module the rule reports\n"),
                  ("pass.tf", "# TODO: the same module, fixed\n")],
    "cloudformation": [("fail.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n'),
                       ("pass.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n')],
}


def die(msg):
    print(f"new-rule: {msg}", file=sys.stderr)
    sys.exit(2)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("id")
    p.add_argument("name")
    p.add_argument("family", choices=FAMILIES)
    p.add_argument("severity", choices=list(SEVERITIES))
    p.add_argument("summary")
    p.add_argument("--off", action="store_true", help="off by default (opt-in)")
    p.add_argument("--formats", default=",".join(ALL))
    a = p.parse_args()

    if not re.fullmatch(r"ECS\d{3}", a.id):
        die("the id is ECS and three digits")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a.name):
        die("the name is kebab-case")
    formats = [f.strip() for f in a.formats.split(",") if f.strip()]
    if any(f not in ALL for f in formats) or not formats:
        die(f"formats are some of {ALL}")
    lower = a.id.lower()
    rule_rs = ROOT / "src/rules" / a.family / f"{lower}.rs"
    page = ROOT / "rules" / f"{a.id}.md"
    fixtures = ROOT / "testdata/rules" / a.id
    for path in (rule_rs, page, fixtures):
        if path.exists():
            die(f"{path.relative_to(ROOT)} exists")
    registry = ROOT / "src/rules/mod.rs"
    if f'"{a.id}"' in "".join(f.read_text() for f in (ROOT / "src/rules").rglob("*.rs")):
        die(f"{a.id} is already used")

    if formats == ALL:
        formats_expr, formats_import = "ALL_FORMATS", "use crate::rules::{ALL_FORMATS, Family, Rule, RuleCtx};"
    elif formats == SERVICE:
        formats_expr = "SERVICE_FORMATS"
        formats_import = "use crate::rules::network::SERVICE_FORMATS;\nuse crate::rules::{Family, Rule, RuleCtx};"
    else:
        formats_expr = "&[" + ", ".join(f'"{f}"' for f in formats) + "]"
        formats_import = "use crate::rules::{Family, Rule, RuleCtx};"
    family_variant = a.family.capitalize()
    test_runner = "run_json" if "taskdef-json" in formats else "run_tf"

    rule_rs.parent.mkdir(parents=True, exist_ok=True)
    rule_rs.write_text(f'''//! {a.id}: {a.summary[0].lower() + a.summary[1:]}.

use crate::diagnostic::{{Diagnostic, Severity}};
{formats_import}

pub static RULE: Rule = Rule {{
    id: "{a.id}",
    name: "{a.name}",
    family: Family::{family_variant},
    severity: Severity::{SEVERITIES[a.severity]},
    enabled_by_default: {str(not a.off).lower()},
    formats: {formats_expr},
    summary: "{a.summary}",
    doc: include_str!("../../../rules/{a.id}.md"),
    check,
}};

fn check(ctx: &RuleCtx, out: &mut Vec<Diagnostic>) {{
    // TODO: report with `ctx.diag(span, message)`; stay silent on Unresolved values.
    let _ = (ctx, out);
}}

#[cfg(test)]
mod tests {{
    use crate::rules::testing::{test_runner};

    #[test]
    fn cases() {{
        // TODO: one passing and one failing input.
        let _ = {test_runner};
    }}
}}
''')

    mod_rs = rule_rs.parent / "mod.rs"
    text = mod_rs.read_text()
    mods = re.findall(r"^pub mod (ecs\d{3});$", text, re.M)
    line = f"pub mod {lower};\n"
    after = [m for m in mods if m < lower]
    if after:
        anchor = f"pub mod {after[-1]};\n"
        text = text.replace(anchor, anchor + line, 1)
    elif mods:
        anchor = f"pub mod {mods[0]};\n"
        text = text.replace(anchor, line + anchor, 1)
    else:
        text += "\n" + line
    mod_rs.write_text(text)

    text = registry.read_text()
    start = text.index("pub static RULES: &[&Rule] = &[")
    end = text.index("];", start)
    body = text[start:end]
    entries = re.findall(r"^    &(\w+)::(\w+)(?:::RULE)?,$", body, re.M)
    new = f"    &{a.family}::{lower}::RULE,\n"
    ids = []
    for fam, item in entries:
        m = re.search(r"(\d{3})", item)
        ids.append((("ECS" + m.group(1)) if m else "", f"    &{fam}::{item}" + ("::RULE" if item.startswith("ecs") else "") + ",\n"))
    pos = None
    for rid, entry in ids:
        if rid > a.id:
            pos = text.index(entry, start)
            break
    if pos is None:
        pos = end
    text = text[:pos] + new + text[pos:]
    registry.write_text(text)

    page.write_text(f'''---
id: {a.id}
name: {a.name}
family: {a.family}
severity: {a.severity}
formats: [{", ".join(formats)}]
---
# {a.id}: {a.summary}

## What it checks
TODO: the condition, where the finding points, and what is not reported (unknown values are
never reported).

## Why it matters
TODO

## Example
```yaml
TODO
```

## Use instead
```yaml
TODO
```

## References
- TODO
''')

    fixtures.mkdir(parents=True)
    for f in formats:
        for name, body in FIXTURES[f]:
            (fixtures / name).write_text(body)

    readme = ROOT / "README.md"
    text = readme.read_text()
    default = "" if not a.off else " (off by default)"
    row = f"| [{a.id}](rules/{a.id}.md) | {a.name} | {a.severity}{default} | {', '.join(formats)} | {a.summary} |\n"
    rows = [m for m in re.finditer(r"^\| \[(ECS\d{3})\]\(rules/.*\n", text, re.M)]
    if not rows:
        die("README has no rule table")
    pos = rows[-1].end()
    for m in rows:
        if m.group(1) > a.id:
            pos = m.start()
            break
    readme.write_text(text[:pos] + row + text[pos:])

    for path in (rule_rs, page, fixtures):
        print(f"created {path.relative_to(ROOT)}")
    print(f"registered {a.id} in src/rules/mod.rs, {mod_rs.relative_to(ROOT)} and README.md")


if __name__ == "__main__":
    main()
