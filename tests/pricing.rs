//! The embedded price table (`data/fargate-pricing.json`) against the shared reference copy
//! (found through `ECSLINT_REFERENCE`, which `.ci/run` sets), and the README's table of regions
//! and rates against the embedded table.

use ecslint::cost::pricing::{Pricing, RegionPrices};
use ecslint::cost::report::coverage_table;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Every number under `regions`, by JSON pointer (`/us-east-1/linux_x86/vcpu_hour`, and the
/// readings under `history` too).
fn numbers(doc: &Value) -> BTreeMap<String, f64> {
    fn walk(v: &Value, at: String, out: &mut BTreeMap<String, f64>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    walk(x, format!("{at}/{k}"), out);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{at}/{i}"), out);
                }
            }
            Value::Number(n) => {
                out.insert(at, n.as_f64().unwrap());
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    walk(&doc["regions"], String::new(), &mut out);
    out
}

/// The figure the loader gives for a number's pointer, or `None` when the loader does not read
/// that field at all (`Some(None)`: it reads the field but has no figure).
fn loaded(p: &RegionPrices, field: &[&str]) -> Option<Option<f64>> {
    let rate = |r: Option<ecslint::cost::pricing::Rate>, which: &str| match which {
        "vcpu_hour" => Some(r.map(|r| r.vcpu_hour)),
        "gb_hour" => Some(r.map(|r| r.gb_hour)),
        _ => None,
    };
    match field {
        ["linux_x86", f] => rate(p.linux_x86, f),
        ["linux_arm", f] => rate(p.linux_arm, f),
        ["spot_linux_x86", f] => rate(p.spot_linux_x86, f),
        ["spot_linux_arm", f] => rate(p.spot_linux_arm, f),
        ["windows", "os_license_vcpu_hour"] => Some(p.windows_os_license_vcpu_hour),
        ["windows", f] => rate(p.windows, f),
        ["ephemeral_gb_hour"] => Some(p.ephemeral_gb_hour),
        _ => None,
    }
}

#[test]
#[cfg_attr(
    not(ecslint_reference),
    ignore = "needs ECSLINT_REFERENCE (.ci/run sets it)"
)]
fn embedded_table_agrees_with_the_reference() {
    let reference = std::env::var_os("ECSLINT_REFERENCE").expect("ECSLINT_REFERENCE");
    let path = Path::new(&reference).join("fargate-pricing.json");
    assert!(path.is_file(), "{} missing", path.display());
    let reference_text = std::fs::read_to_string(&path).unwrap();
    let embedded_text = ecslint::cost::pricing::EMBEDDED;
    let reference_doc: Value = serde_json::from_str(&reference_text).unwrap();
    let embedded_doc: Value = serde_json::from_str(embedded_text).unwrap();
    let mut problems = Vec::new();

    // 1. Every rate of every region, both directions (history included).
    let (want, have) = (numbers(&reference_doc), numbers(&embedded_doc));
    for (at, r) in &want {
        match have.get(at) {
            None => problems.push(format!("regions{at}: reference {r}, embedded has none")),
            Some(e) if e != r => problems.push(format!("regions{at}: reference {r}, embedded {e}")),
            Some(_) => {}
        }
    }
    for (at, e) in &have {
        if !want.contains_key(at) {
            problems.push(format!("regions{at}: embedded {e}, reference has none"));
        }
    }

    // 2. The loader reads every current figure of the reference (a renamed or moved field
    //    would otherwise vanish from the estimate without a word).
    let reference = Pricing::from_json(&reference_text).unwrap();
    for (at, r) in &want {
        let parts: Vec<&str> = at.trim_start_matches('/').split('/').collect();
        let (region, field) = (parts[0], &parts[1..]);
        if field.contains(&"history") {
            continue;
        }
        // A Windows vCPU figure without its GB figure (or the reverse) is not loaded: the
        // estimator prices the two only as a pair.
        let half_a_pair = field[0] == "windows"
            && ["vcpu_hour", "gb_hour"]
                .iter()
                .any(|f| reference_doc["regions"][region]["windows"].get(f).is_none());
        match loaded(&reference.regions[region], field) {
            None => problems.push(format!(
                "regions{at} ({r}) is not a field the loader in src/cost/pricing.rs reads"
            )),
            Some(None) if half_a_pair => {}
            Some(v) if v != Some(*r) => problems.push(format!(
                "regions{at}: reference {r}, but the loader reads {v:?}"
            )),
            Some(_) => {}
        }
    }

    // 3. What the estimator sees: rates and their confidence, region by region, both ways.
    let embedded = Pricing::embedded();
    for (what, e, r) in [
        ("as_of", embedded.as_of.clone(), reference.as_of.clone()),
        (
            "hours_per_month",
            embedded.hours_per_month.to_string(),
            reference.hours_per_month.to_string(),
        ),
        (
            "billing_rules.ephemeral_free_gib",
            embedded.ephemeral_free_gib.to_string(),
            reference.ephemeral_free_gib.to_string(),
        ),
    ] {
        if e != r {
            problems.push(format!("{what}: reference {r}, embedded {e}"));
        }
    }
    for (code, r) in &reference.regions {
        match embedded.regions.get(code) {
            None => problems.push(format!("region {code}: in the reference only")),
            Some(e) if e != r => {
                problems.push(format!("region {code}: reference {r:?}\n  embedded {e:?}"))
            }
            Some(_) => {}
        }
    }
    for code in embedded.regions.keys() {
        if !reference.regions.contains_key(code) {
            problems.push(format!("region {code}: in the embedded table only"));
        }
    }
    assert!(
        problems.is_empty(),
        "data/fargate-pricing.json and {} disagree:\n{}",
        path.display(),
        problems.join("\n")
    );
}

const START: &str = "<!-- pricing-table:start -->\n";
const END: &str = "<!-- pricing-table:end -->";

#[test]
fn readme_table_of_regions_and_rates_is_current() {
    let table_source = std::fs::read_to_string(repo("data/fargate-pricing.json")).unwrap();
    let expected = coverage_table(&Pricing::from_json(&table_source).unwrap());
    let readme_path = repo("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let start = readme
        .find(START)
        .expect("README has <!-- pricing-table:start -->")
        + START.len();
    let end = start
        + readme[start..]
            .find(END)
            .expect("README has <!-- pricing-table:end --> after the start marker");
    if readme[start..end] == expected {
        return;
    }
    if std::env::var_os("ECSLINT_UPDATE_README").is_some_and(|v| v == "1") {
        let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
        std::fs::write(&readme_path, updated).unwrap();
        eprintln!("README.md: table of regions and rates rewritten");
        return;
    }
    panic!(
        "README.md's table of regions and rates differs from data/fargate-pricing.json. \
         Run `ECSLINT_UPDATE_README=1 cargo test --test pricing` to rewrite it, or paste this \
         between the pricing-table markers:\n\n{expected}"
    );
}
