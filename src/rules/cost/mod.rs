pub mod ecs901;
pub mod ecs902;
pub mod ecs903;
pub mod ecs905;

use crate::cost::{self, Capacity, TaskSize, pricing::Pricing};
use crate::model::{Unit, known};
use std::sync::OnceLock;

/// The embedded price table, parsed once per process.
pub fn pricing() -> &'static Pricing {
    static PRICING: OnceLock<Pricing> = OnceLock::new();
    PRICING.get_or_init(Pricing::embedded)
}

/// The unit's region, or the estimator's default (and whether it was assumed).
pub fn region(unit: &Unit) -> (&str, bool) {
    match known(&unit.region) {
        Some(r) => (r.as_str(), false),
        None => (cost::DEFAULT_REGION, true),
    }
}

/// Monthly on-demand price of one task, if the table has one.
pub fn monthly(region: &str, size: &TaskSize) -> Option<f64> {
    let p = pricing();
    cost::hourly(p, region, size, Capacity::OnDemand)
        .ok()
        .map(|h| h * p.hours_per_month)
}
