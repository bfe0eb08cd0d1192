//! The Fargate price table: `data/fargate-pricing.json` embedded (figures with their sources and
//! `as_of` date), or a user's file of the same schema (`--pricing`). A missing figure stays
//! missing: the estimator then says "no price", it never derives one. Each figure carries how far
//! the table trusts it (`single_source`, `confidence: "low"`), which the estimate passes on.

use serde_json::Value;
use std::collections::BTreeMap;

pub const EMBEDDED: &str = include_str!("../../data/fargate-pricing.json");

/// How far the table trusts a figure, from its flags: `confidence: "low"` (sources conflict, or
/// the figure is implied or rounded) is `Low`; else `single_source: true` (one source, or one
/// project) is `SingleSource`; else `High`. Ordered from best to worst, so the worst of several
/// rates is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub enum Confidence {
    #[default]
    #[serde(rename = "high")]
    High,
    #[serde(rename = "single-source")]
    SingleSource,
    #[serde(rename = "low")]
    Low,
}

impl Confidence {
    /// The display marker of a figure that is not `High`.
    pub fn marker(self) -> Option<char> {
        match self {
            Confidence::High => None,
            Confidence::SingleSource => Some('†'),
            Confidence::Low => Some('‡'),
        }
    }

    /// From a figure's `single_source` flag and `confidence` string.
    fn from_flags(single_source: bool, confidence: Option<&str>) -> Confidence {
        if confidence.is_some_and(|c| c.eq_ignore_ascii_case("low")) {
            Confidence::Low
        } else if single_source {
            Confidence::SingleSource
        } else {
            Confidence::High
        }
    }

    fn of(v: &Value) -> Confidence {
        Confidence::from_flags(
            v.get("single_source").and_then(Value::as_bool) == Some(true),
            v.get("confidence").and_then(Value::as_str),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub vcpu_hour: f64,
    pub gb_hour: f64,
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionPrices {
    pub linux_x86: Option<Rate>,
    pub linux_arm: Option<Rate>,
    /// Windows vCPU and GB rates; the OS licence is separate because sources give it alone.
    pub windows: Option<Rate>,
    pub windows_os_license_vcpu_hour: Option<f64>,
    /// The `windows` object's flags cover its OS licence figure too.
    pub windows_os_license_confidence: Confidence,
    pub spot_linux_x86: Option<Rate>,
    pub spot_linux_arm: Option<Rate>,
    pub ephemeral_gb_hour: Option<f64>,
    pub ephemeral_confidence: Confidence,
}

#[derive(Debug, Clone)]
pub struct Pricing {
    pub as_of: String,
    pub hours_per_month: f64,
    pub ephemeral_free_gib: f64,
    pub regions: BTreeMap<String, RegionPrices>,
}

fn rate(v: Option<&Value>) -> Option<Rate> {
    let v = v?;
    Some(Rate {
        vcpu_hour: v.get("vcpu_hour")?.as_f64()?,
        gb_hour: v.get("gb_hour")?.as_f64()?,
        confidence: Confidence::of(v),
    })
}

/// The ephemeral-storage figure is a bare number, so its flags sit beside it in the region:
/// `ephemeral_single_source` and `ephemeral_confidence`. The shared table (as of 2026-12-03)
/// states a low confidence only in the region's `notes`, as a note about ephemeral storage that
/// says "confidence low" or "confidence: low"; such a note counts as `ephemeral_confidence: "low"`.
fn ephemeral_confidence(region: &Value) -> Confidence {
    let noted_low = region
        .get("notes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_ascii_lowercase)
        .any(|n| {
            n.starts_with("ephemeral")
                && (n.contains("confidence low") || n.contains("confidence: low"))
        });
    let stated = region.get("ephemeral_confidence").and_then(Value::as_str);
    Confidence::from_flags(
        region
            .get("ephemeral_single_source")
            .and_then(Value::as_bool)
            == Some(true),
        if noted_low { Some("low") } else { stated },
    )
}

impl Pricing {
    pub fn embedded() -> Pricing {
        Pricing::from_json(EMBEDDED).expect("the embedded price table is valid")
    }

    pub fn from_json(text: &str) -> Result<Pricing, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let regions = doc
            .get("regions")
            .and_then(Value::as_object)
            .ok_or("no `regions` object")?;
        let mut out = BTreeMap::new();
        for (code, r) in regions {
            let windows = r.get("windows");
            out.insert(
                code.clone(),
                RegionPrices {
                    linux_x86: rate(r.get("linux_x86")),
                    linux_arm: rate(r.get("linux_arm")),
                    windows: rate(windows),
                    windows_os_license_vcpu_hour: windows
                        .and_then(|w| w.get("os_license_vcpu_hour"))
                        .and_then(Value::as_f64),
                    windows_os_license_confidence: windows.map(Confidence::of).unwrap_or_default(),
                    spot_linux_x86: rate(r.get("spot_linux_x86")),
                    spot_linux_arm: rate(r.get("spot_linux_arm")),
                    ephemeral_gb_hour: r.get("ephemeral_gb_hour").and_then(Value::as_f64),
                    ephemeral_confidence: ephemeral_confidence(r),
                },
            );
        }
        Ok(Pricing {
            as_of: doc
                .get("as_of")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_owned(),
            hours_per_month: doc
                .get("hours_per_month")
                .and_then(Value::as_f64)
                .unwrap_or(730.0),
            ephemeral_free_gib: doc
                .pointer("/billing_rules/ephemeral_free_gib")
                .and_then(Value::as_f64)
                .unwrap_or(20.0),
            regions: out,
        })
    }
}
