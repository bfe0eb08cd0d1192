//! The Fargate price table: `data/fargate-pricing.json` embedded (figures with their sources and
//! `as_of` date), or a user's file of the same schema (`--pricing`). A missing figure stays
//! missing: the estimator then says "no price", it never derives one.

use serde_json::Value;
use std::collections::BTreeMap;

pub const EMBEDDED: &str = include_str!("../../data/fargate-pricing.json");

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub vcpu_hour: f64,
    pub gb_hour: f64,
}

#[derive(Debug, Clone, Default)]
pub struct RegionPrices {
    pub linux_x86: Option<Rate>,
    pub linux_arm: Option<Rate>,
    /// Windows vCPU and GB rates; the OS licence is separate because sources give it alone.
    pub windows: Option<Rate>,
    pub windows_os_license_vcpu_hour: Option<f64>,
    pub spot_linux_x86: Option<Rate>,
    pub spot_linux_arm: Option<Rate>,
    pub ephemeral_gb_hour: Option<f64>,
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
    })
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
                    spot_linux_x86: rate(r.get("spot_linux_x86")),
                    spot_linux_arm: rate(r.get("spot_linux_arm")),
                    ephemeral_gb_hour: r.get("ephemeral_gb_hour").and_then(Value::as_f64),
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
