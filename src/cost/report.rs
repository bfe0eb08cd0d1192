//! `ecslint cost` output: a table (human, markdown) or JSON; and the difference between two
//! estimates (`--compare`), matched by resource kind, name and file.

use super::pricing::{Confidence, Pricing, Rate};
use super::{Estimate, Line, cents};
use serde_json::json;
use std::collections::BTreeMap;

fn num(v: Option<f64>) -> String {
    v.map_or_else(
        || "-".to_owned(),
        |x| {
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x:.2}").trim_end_matches('0').to_owned()
            }
        },
    )
}

fn money(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |x| format!("${}", cents(x)))
}

fn region(l: &Line) -> String {
    if l.region_assumed {
        format!("{}*", l.region)
    } else {
        l.region.clone()
    }
}

/// The worst confidence of the priced lines (`High` when there are none).
fn worst_confidence(est: &Estimate) -> Confidence {
    est.lines
        .iter()
        .filter_map(|l| l.rate_confidence)
        .max()
        .unwrap_or_default()
}

/// The monthly amount with the marker of its rates' confidence (`†` single source, `‡` low).
/// When any line has a marker, the others get a space in its place so that the amounts stay
/// aligned.
fn monthly_cell(l: &Line, marked: bool) -> String {
    let mut cell = money(l.monthly_usd);
    if marked {
        cell.push(
            l.rate_confidence
                .and_then(Confidence::marker)
                .unwrap_or(' '),
        );
    }
    cell
}

fn rows(est: &Estimate) -> Vec<[String; 10]> {
    let marked = worst_confidence(est) != Confidence::High;
    est.lines
        .iter()
        .map(|l| {
            let count = match (l.count, l.spot_count) {
                (Some(c), Some(s)) => format!("{} ({} spot)", num(Some(c)), num(Some(s))),
                (c, _) => num(c),
            };
            [
                format!(
                    "{} {}",
                    if l.kind == "service" {
                        "service"
                    } else {
                        "task def"
                    },
                    l.name
                ),
                format!("{}:{}", l.file, l.line),
                region(l),
                num(l.vcpu),
                num(l.gb),
                l.platform.clone().unwrap_or_else(|| "-".into()),
                count,
                l.hourly_usd
                    .map_or_else(|| "-".to_owned(), |h| format!("${h:.4}")),
                monthly_cell(l, marked),
                l.note.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

const HEADERS: [&str; 10] = [
    "resource",
    "file:line",
    "region",
    "vCPU",
    "GiB",
    "platform",
    "count",
    "$/hour",
    "$/month",
    "note",
];

/// `3 services not priced: EC2 launch type 2, size unknown 1`, or nothing.
pub fn unpriced_line(est: &Estimate) -> Option<String> {
    let (n, reasons) = est.unpriced();
    (n > 0).then(|| {
        format!(
            "{n} service{} not priced: {}",
            if n == 1 { "" } else { "s" },
            reasons
                .iter()
                .map(|(why, k)| format!("{} {k}", why.label()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

fn footer(est: &Estimate) -> String {
    let mut s = String::new();
    let by_file = est.totals_by_file();
    let services = est.services_by_file();
    if by_file.len() > 1 {
        for (file, total) in &by_file {
            let (all, unpriced) = services.get(file).copied().unwrap_or_default();
            s.push_str(&match unpriced {
                0 => format!("services in {file}: ${} per month\n", cents(*total)),
                k if k == all => format!(
                    "services in {file}: not priced ({all} service{})\n",
                    if all == 1 { "" } else { "s" }
                ),
                k => format!(
                    "services in {file}: ${} per month ({k} of {all} not priced)\n",
                    cents(*total)
                ),
            });
        }
    }
    let (unpriced, _) = est.unpriced();
    let all = est.service_count();
    let mut whom = if unpriced == 0 {
        "services".to_owned()
    } else {
        format!("{} of {all} services", all - unpriced)
    };
    // Nothing priced is not $0.00.
    let amount = if all > 0 && unpriced == all {
        whom = "services".to_owned();
        "not priced".to_owned()
    } else {
        format!("${} per month", cents(est.total_monthly()))
    };
    s.push_str(&format!(
        "total for {whom}: {amount} ({} h; prices as of {}; rounded at display only)\n",
        num(Some(est.hours_per_month)),
        est.pricing_as_of
    ));
    if let Some(line) = unpriced_line(est) {
        s.push_str(&line);
        s.push_str(" (see the note column)\n");
    }
    if est.lines.iter().any(|l| l.region_assumed) {
        s.push_str("* region not given by the input or --region: us-east-1 assumed\n");
    }
    let used = |c: Confidence| est.lines.iter().any(|l| l.rate_confidence == Some(c));
    if used(Confidence::SingleSource) {
        s.push_str("† priced with a single-source rate: only one source (or one project) gave the figure\n");
    }
    if used(Confidence::Low) {
        s.push_str("‡ priced with a low-confidence rate (sources conflict, or the figure is implied or rounded): check it before relying on the amount\n");
    }
    s.push_str("task-definition lines are the price of one task; service lines multiply by the desired count\n");
    s
}

pub fn human(est: &Estimate) -> String {
    let rows = rows(est);
    let mut widths = HEADERS.map(str::len);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let fmt = |cells: &[String]| -> String {
        let mut line = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            if (3..=8).contains(&i) {
                line.push_str(&" ".repeat(pad));
                line.push_str(c);
            } else {
                line.push_str(c);
                if i + 1 < cells.len() {
                    line.push_str(&" ".repeat(pad));
                }
            }
            if i + 1 < cells.len() {
                line.push_str("  ");
            }
        }
        line.trim_end().to_owned() + "\n"
    };
    let mut out = fmt(&HEADERS.map(String::from));
    for r in &rows {
        out.push_str(&fmt(r));
    }
    out.push('\n');
    out.push_str(&footer(est));
    out
}

pub fn markdown(est: &Estimate) -> String {
    let mut out = String::from("### ecslint cost estimate\n\n| ");
    out.push_str(&HEADERS.join(" | "));
    out.push_str(" |\n|---|---|---|---:|---:|---|---:|---:|---:|---|\n");
    for r in rows(est) {
        out.push_str("| ");
        out.push_str(
            &r.iter()
                .map(|c| c.replace('|', "\\|"))
                .collect::<Vec<_>>()
                .join(" | "),
        );
        out.push_str(" |\n");
    }
    out.push('\n');
    out.push_str(
        &footer(est)
            .lines()
            .map(|l| format!("{l}  \n"))
            .collect::<String>(),
    );
    out
}

pub fn json(est: &Estimate) -> String {
    let (unpriced, reasons) = est.unpriced();
    let services = est.services_by_file();
    let doc = json!({
        "schema_version": 1,
        "currency": "USD",
        "hours_per_month": est.hours_per_month,
        "pricing_as_of": est.pricing_as_of,
        "total_monthly_usd": est.total_monthly(),
        "services": est.service_count(),
        "services_not_priced": unpriced,
        "not_priced": reasons.iter().map(|(why, n)| (serde_json::to_value(why).expect("a string").as_str().unwrap_or_default().to_owned(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "files": est.totals_by_file().into_iter().map(|(file, total)| json!({"file": file, "monthly_usd": total, "services_not_priced": services.get(file).map_or(0, |s| s.1)})).collect::<Vec<_>>(),
        "resources": est.lines,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("serializable");
    s.push('\n');
    s
}

/// Monthly difference per resource (services and task definitions) and in total.
pub struct Diff {
    pub rows: Vec<(String, Option<f64>, Option<f64>)>,
    pub base_total: f64,
    pub head_total: f64,
}

fn key(l: &Line) -> String {
    format!(
        "{} {} ({})",
        if l.kind == "service" {
            "service"
        } else {
            "task def"
        },
        l.name,
        l.file
    )
}

pub fn compare(base: &Estimate, head: &Estimate, strip_base: &str, strip_head: &str) -> Diff {
    let mut map: BTreeMap<String, (Option<f64>, Option<f64>)> = BTreeMap::new();
    let rel = |l: &Line, prefix: &str| {
        let mut l = l.clone();
        l.file = l
            .file
            .strip_prefix(prefix)
            .map_or(l.file.clone(), |f| f.trim_start_matches('/').to_owned());
        l
    };
    for l in &base.lines {
        map.entry(key(&rel(l, strip_base))).or_default().0 = l.monthly_usd;
    }
    for l in &head.lines {
        map.entry(key(&rel(l, strip_head))).or_default().1 = l.monthly_usd;
    }
    Diff {
        rows: map.into_iter().map(|(k, (a, b))| (k, a, b)).collect(),
        base_total: base.total_monthly(),
        head_total: head.total_monthly(),
    }
}

fn delta(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => signed(b - a),
        (None, Some(b)) => signed(b),
        (Some(a), None) => signed(-a),
        (None, None) => "-".into(),
    }
}

fn signed(x: f64) -> String {
    let c = cents(x);
    if c.starts_with('-') || c == "0.00" {
        format!("${c}").replace("$-", "-$")
    } else {
        format!("+${c}")
    }
}

pub fn diff_human(d: &Diff, markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        out.push_str("### ecslint cost difference\n\n| resource | before $/month | after $/month | change |\n|---|---:|---:|---:|\n");
    }
    for (k, a, b) in &d.rows {
        if markdown {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                k.replace('|', "\\|"),
                money(*a),
                money(*b),
                delta(*a, *b)
            ));
        } else {
            out.push_str(&format!(
                "{k}\n    {} -> {}  ({})\n",
                money(*a),
                money(*b),
                delta(*a, *b)
            ));
        }
    }
    let total = format!(
        "total for services: ${} -> ${} per month ({})",
        cents(d.base_total),
        cents(d.head_total),
        signed(d.head_total - d.base_total)
    );
    out.push_str(&if markdown {
        format!("\n**{total}**\n")
    } else {
        format!("\n{total}\n")
    });
    out
}

pub fn diff_json(d: &Diff) -> String {
    let doc = json!({
        "base_total_monthly_usd": d.base_total,
        "total_monthly_usd": d.head_total,
        "difference_monthly_usd": d.head_total - d.base_total,
        "resources": d.rows.iter().map(|(k, a, b)| json!({
            "resource": k, "base_monthly_usd": a, "monthly_usd": b,
            "difference_monthly_usd": b.unwrap_or(0.0) - a.unwrap_or(0.0),
        })).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("serializable");
    s.push('\n');
    s
}

/// The regions and rates of a price table as a Markdown table (the README's "Regions and rates"
/// section is this output for the embedded table; `tests/pricing.rs` keeps the two equal).
pub fn coverage_table(pricing: &Pricing) -> String {
    fn mark(cell: String, c: Confidence) -> String {
        match c.marker() {
            Some(m) => format!("{cell} {m}"),
            None => cell,
        }
    }
    let rate = |r: Option<Rate>| {
        r.map_or_else(
            || "—".to_owned(),
            |r| mark(format!("{} / {}", r.vcpu_hour, r.gb_hour), r.confidence),
        )
    };
    let mut out = format!(
        "Prices as of {}. Linux, ARM and Spot: USD per vCPU-hour / USD per GB-hour; Windows \
         adds its OS licence per vCPU-hour (+); ephemeral: USD per GB-hour above the free {} GiB. \
         † one source (or one project) gave the figure; ‡ low confidence (sources conflict, or \
         the figure is implied or rounded); — not in the table, so not priced (a Windows cell \
         needs the vCPU, GB and OS-licence figures).\n\n",
        pricing.as_of, pricing.ephemeral_free_gib
    );
    out.push_str("| region | Linux/x86 | Linux/ARM | Windows | Spot Linux/x86 | Spot Linux/ARM | ephemeral |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for (code, p) in &pricing.regions {
        let windows = match (p.windows, p.windows_os_license_vcpu_hour) {
            (Some(w), Some(fee)) => mark(
                format!("{} / {} + {fee}", w.vcpu_hour, w.gb_hour),
                w.confidence.max(p.windows_os_license_confidence),
            ),
            _ => "—".to_owned(),
        };
        let ephemeral = p.ephemeral_gb_hour.map_or_else(
            || "—".to_owned(),
            |e| mark(e.to_string(), p.ephemeral_confidence),
        );
        out.push_str(&format!(
            "| {code} | {} | {} | {windows} | {} | {} | {ephemeral} |\n",
            rate(p.linux_x86),
            rate(p.linux_arm),
            rate(p.spot_linux_x86),
            rate(p.spot_linux_arm),
        ));
    }
    out
}
