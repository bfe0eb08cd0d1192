//! Fargate cost estimates from the model: per task definition (one task) and per service
//! (desired count, split across a capacity-provider strategy). Amounts are kept unrounded and
//! summed unrounded; only display rounds (half away from zero, to the cent).

pub mod pricing;
pub mod report;

use crate::link;
use crate::model::{Service, TaskDefinition, Unit, known};
use pricing::{Confidence, Pricing, Rate};

pub const DEFAULT_REGION: &str = "us-east-1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    X86_64,
    Arm64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Linux,
    Windows,
}

/// What one task is billed for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaskSize {
    pub vcpu: f64,
    pub gb: f64,
    pub arch: Arch,
    pub os: Os,
    pub ephemeral_gib: f64,
}

impl TaskSize {
    /// The billed size of a task definition, or why it cannot be known.
    pub fn of(td: &TaskDefinition) -> Result<TaskSize, String> {
        let cpu = known(&td.cpu).ok_or_else(|| match &td.cpu {
            None => "task cpu is not set".to_owned(),
            Some(_) => "task cpu is not known statically".to_owned(),
        })?;
        let memory = known(&td.memory).ok_or_else(|| match &td.memory {
            None => "task memory is not set".to_owned(),
            Some(_) => "task memory is not known statically".to_owned(),
        })?;
        let os = match &td.operating_system_family {
            None => Os::Linux,
            Some(f) => match f.value.known() {
                Some(s) if s.to_ascii_uppercase().starts_with("WINDOWS") => Os::Windows,
                Some(_) => Os::Linux,
                None => return Err("operating system family is not known statically".into()),
            },
        };
        let arch = match &td.cpu_architecture {
            None => Arch::X86_64,
            Some(a) => match a.value.known() {
                Some(s) if s.eq_ignore_ascii_case("ARM64") => Arch::Arm64,
                Some(_) => Arch::X86_64,
                None => return Err("CPU architecture is not known statically".into()),
            },
        };
        let ephemeral_gib = match &td.ephemeral_storage_gib {
            None => 0.0,
            Some(e) => {
                *e.value
                    .known()
                    .ok_or("ephemeral storage size is not known statically")? as f64
            }
        };
        if !crate::fargate::memory_for(*cpu, os == Os::Windows).contains(memory) {
            return Err(format!(
                "cpu {cpu} / memory {memory} is not a Fargate size (see ECS101)"
            ));
        }
        Ok(TaskSize {
            vcpu: *cpu as f64 / 1024.0,
            gb: *memory as f64 / 1024.0,
            arch,
            os,
            ephemeral_gib,
        })
    }

    pub fn label(&self) -> String {
        let arch = match self.arch {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        };
        let os = match self.os {
            Os::Linux => "linux",
            Os::Windows => "windows",
        };
        format!("{os}/{arch}")
    }
}

/// On-demand or Fargate Spot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    OnDemand,
    Spot,
}

/// $ per hour for one task of `size` in `region`, or "no price for X in Y".
pub fn hourly(
    pricing: &Pricing,
    region: &str,
    size: &TaskSize,
    capacity: Capacity,
) -> Result<f64, String> {
    quote(pricing, region, size, capacity).map(|q| q.usd_per_hour)
}

/// The hourly price of one task and the table's confidence in it: the worst confidence of the
/// rates it uses (vCPU and GB, the Windows OS licence, ephemeral storage when billed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quote {
    pub usd_per_hour: f64,
    pub confidence: Confidence,
}

/// Like [`hourly`], with the confidence of the rates used.
pub fn quote(
    pricing: &Pricing,
    region: &str,
    size: &TaskSize,
    capacity: Capacity,
) -> Result<Quote, String> {
    let prices = pricing
        .regions
        .get(region)
        .ok_or_else(|| format!("no Fargate prices for region {region}"))?;
    let missing = |what: &str| format!("no price for {what} in {region}");
    let (rate, os_license): (Rate, Option<(f64, Confidence)>) = match (size.os, size.arch, capacity)
    {
        (Os::Windows, _, Capacity::Spot) => {
            return Err("Fargate Spot does not run Windows tasks".into());
        }
        (Os::Windows, Arch::Arm64, _) => return Err("Fargate runs Windows only on x86_64".into()),
        (Os::Windows, Arch::X86_64, Capacity::OnDemand) => (
            prices.windows.ok_or_else(|| missing("Fargate Windows"))?,
            Some((
                prices
                    .windows_os_license_vcpu_hour
                    .ok_or_else(|| missing("the Fargate Windows OS licence"))?,
                prices.windows_os_license_confidence,
            )),
        ),
        (Os::Linux, Arch::X86_64, Capacity::OnDemand) => (
            prices
                .linux_x86
                .ok_or_else(|| missing("Fargate Linux/x86_64"))?,
            None,
        ),
        (Os::Linux, Arch::Arm64, Capacity::OnDemand) => (
            prices
                .linux_arm
                .ok_or_else(|| missing("Fargate Linux/ARM64"))?,
            None,
        ),
        (Os::Linux, Arch::X86_64, Capacity::Spot) => (
            prices
                .spot_linux_x86
                .ok_or_else(|| missing("Fargate Spot Linux/x86_64"))?,
            None,
        ),
        (Os::Linux, Arch::Arm64, Capacity::Spot) => (
            prices
                .spot_linux_arm
                .ok_or_else(|| missing("Fargate Spot Linux/ARM64"))?,
            None,
        ),
    };
    let mut confidence = rate.confidence;
    let os_license = match os_license {
        Some((fee, c)) => {
            confidence = confidence.max(c);
            fee
        }
        None => 0.0,
    };
    let extra_storage = (size.ephemeral_gib - pricing.ephemeral_free_gib).max(0.0);
    let storage = if extra_storage > 0.0 {
        confidence = confidence.max(prices.ephemeral_confidence);
        extra_storage
            * prices
                .ephemeral_gb_hour
                .ok_or_else(|| missing("Fargate ephemeral storage"))?
    } else {
        0.0
    };
    Ok(Quote {
        usd_per_hour: size.vcpu * (rate.vcpu_hour + os_license) + size.gb * rate.gb_hour + storage,
        confidence,
    })
}

/// How many of a service's tasks run on demand and on Spot: `base` first, then the rest split
/// by `weight`. The split is the weights' proportion of the remaining tasks (a long-run
/// average; ECS places whole tasks, so a given moment can differ by one task).
pub fn split(
    unit: &Unit,
    service: &Service,
    desired: f64,
) -> Result<Vec<(Capacity, f64)>, (Unpriced, String)> {
    let ec2 = |why: &str| (Unpriced::Ec2, why.to_owned());
    let unknown = |why: &str| (Unpriced::LaunchUnknown, why.to_owned());
    if let Some(lt) = &service.launch_type {
        return match lt.value.known().map(String::as_str) {
            Some("FARGATE") => Ok(vec![(Capacity::OnDemand, desired)]),
            Some("EC2") | Some("EXTERNAL") => Err(ec2("EC2 capacity is billed by instance")),
            Some(other) => Err(unknown(&format!("launch type {other} is not priced"))),
            None => Err(unknown("launch type is not known statically")),
        };
    }
    // Without either, ECS uses the cluster's default strategy, and the EC2 launch type when the
    // cluster has none (CreateService).
    let strategy = match &service.capacity_provider_strategy {
        Some(s) => s,
        None => match link::default_strategy_of(unit, service) {
            Some(Some(s)) => s,
            _ if link::cluster_of(unit, service).is_some() => {
                return Err(ec2(
                    "EC2 launch type (no launch type, and the cluster has no default capacity-provider strategy): billed by instance",
                ));
            }
            _ => {
                return Err(unknown(
                    "no launch type or capacity-provider strategy, and the service's cluster is not declared here: its default strategy decides",
                ));
            }
        },
    };
    let items = strategy
        .value
        .known()
        .ok_or_else(|| unknown("capacity-provider strategy is not known statically"))?;
    let mut providers = Vec::new();
    for item in items {
        let capacity = match known(&item.capacity_provider).map(String::as_str) {
            Some("FARGATE") => Capacity::OnDemand,
            Some("FARGATE_SPOT") => Capacity::Spot,
            Some(_) => {
                return Err(ec2(
                    "capacity provider backed by EC2 instances: billed by instance",
                ));
            }
            None => return Err(unknown("capacity provider is not known statically")),
        };
        let weight = match &item.weight {
            None => 0.0,
            Some(w) => *w
                .value
                .known()
                .ok_or_else(|| unknown("capacity-provider weight is not known statically"))?
                as f64,
        };
        let base = match &item.base {
            None => 0.0,
            Some(b) => *b
                .value
                .known()
                .ok_or_else(|| unknown("capacity-provider base is not known statically"))?
                as f64,
        };
        providers.push((capacity, weight, base));
    }
    let mut shares: Vec<(Capacity, f64)> = Vec::new();
    let mut remaining = desired;
    for &(capacity, _, base) in &providers {
        let n = base.min(remaining);
        remaining -= n;
        shares.push((capacity, n));
    }
    let total_weight: f64 = providers.iter().map(|p| p.1).sum();
    if remaining > 0.0 {
        if total_weight > 0.0 {
            for (share, &(_, weight, _)) in shares.iter_mut().zip(&providers) {
                share.1 += remaining * weight / total_weight;
            }
        } else if let [only] = shares.as_mut_slice() {
            // A single provider may have weight 0: it takes every task.
            only.1 += remaining;
        } else {
            return Err(unknown(
                "capacity-provider weights are all 0 beyond the base",
            ));
        }
    }
    shares.retain(|s| s.1 > 0.0);
    Ok(shares)
}

/// Why a service has no price: the totals count them by this instead of adding $0.00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unpriced {
    /// EC2 or external launch type, or an EC2 capacity provider: billed by instance.
    Ec2,
    /// Launch type or capacity-provider strategy not known here.
    LaunchUnknown,
    /// `desiredCount` not known statically.
    CountUnknown,
    /// The service's task definition is not declared here, or not known statically.
    TaskDefinitionUnknown,
    /// cpu, memory, platform or ephemeral storage not set or not known statically.
    SizeUnknown,
    /// cpu / memory is no Fargate size (ECS101).
    NotAFargateSize,
    /// A platform Fargate does not offer (Windows on Spot or ARM).
    NotOffered,
    /// The price table has no rate for it in that region.
    NoRate,
}

impl Unpriced {
    pub fn label(self) -> &'static str {
        match self {
            Unpriced::Ec2 => "EC2 launch type",
            Unpriced::LaunchUnknown => "launch type unknown",
            Unpriced::CountUnknown => "desired count unknown",
            Unpriced::TaskDefinitionUnknown => "task definition unknown",
            Unpriced::SizeUnknown => "size unknown",
            Unpriced::NotAFargateSize => "not a Fargate size",
            Unpriced::NotOffered => "not offered by Fargate",
            Unpriced::NoRate => "no rate in the price table",
        }
    }
}

/// One priced (or unpriced) line of the estimate.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Line {
    pub kind: &'static str,
    pub name: String,
    pub file: String,
    pub line: usize,
    pub region: String,
    pub region_assumed: bool,
    pub vcpu: Option<f64>,
    pub gb: Option<f64>,
    pub platform: Option<String>,
    pub count: Option<f64>,
    pub spot_count: Option<f64>,
    pub hourly_usd: Option<f64>,
    pub monthly_usd: Option<f64>,
    /// The worst confidence of the rates priced into the line ("high", "single-source", "low");
    /// `None` when the line has no price.
    pub rate_confidence: Option<Confidence>,
    pub note: Option<String>,
    /// Why a service line has no price (`None` for a priced line and for task definitions,
    /// which the totals do not count).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpriced: Option<Unpriced>,
}

pub struct Estimate {
    pub lines: Vec<Line>,
    pub pricing_as_of: String,
    /// From the price table (`hours_per_month`): what a month is billed as.
    pub hours_per_month: f64,
}

impl Estimate {
    /// Services only: a task definition line is the price of one task, and counting it would
    /// bill the tasks of its services twice.
    /// (Folded from +0.0: an empty `f64` sum is -0.0, which the JSON would print as `-0.0`.)
    pub fn total_monthly(&self) -> f64 {
        self.service_lines()
            .filter_map(|l| l.monthly_usd)
            .fold(0.0, |a, b| a + b)
    }

    /// Monthly service totals per file, in file order (unrounded).
    pub fn totals_by_file(&self) -> Vec<(&str, f64)> {
        let mut totals: std::collections::BTreeMap<&str, f64> = Default::default();
        for l in self.service_lines() {
            *totals.entry(l.file.as_str()).or_default() += l.monthly_usd.unwrap_or(0.0);
        }
        totals.into_iter().collect()
    }

    /// Services without a price, counted by why (most frequent first), and how many in all.
    pub fn unpriced(&self) -> (usize, Vec<(Unpriced, usize)>) {
        let mut by: std::collections::BTreeMap<Unpriced, usize> = Default::default();
        for l in self.service_lines() {
            if let Some(why) = l.unpriced {
                *by.entry(why).or_default() += 1;
            }
        }
        let total = by.values().sum();
        let mut list: Vec<(Unpriced, usize)> = by.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        (total, list)
    }

    /// Services in all, and services without a price, per file (file order).
    pub fn services_by_file(&self) -> std::collections::BTreeMap<&str, (usize, usize)> {
        let mut out: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        for l in self.service_lines() {
            let e = out.entry(l.file.as_str()).or_default();
            e.0 += 1;
            e.1 += usize::from(l.unpriced.is_some());
        }
        out
    }

    pub fn service_count(&self) -> usize {
        self.service_lines().count()
    }

    fn service_lines(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.kind == "service")
    }
}

/// The monthly cost of the task definitions and services of `units` (their files in `db`).
pub fn estimate(
    units: &[Unit],
    db: &crate::source::SourceDb,
    pricing: &Pricing,
    default_region: Option<&str>,
) -> Estimate {
    let mut lines = Vec::new();
    for unit in units {
        let (region, assumed) = unit_region(unit, default_region);
        for td in &unit.task_definitions {
            lines.push(task_line(db, pricing, &region, assumed, td));
        }
        for svc in &unit.services {
            lines.push(service_line(db, pricing, unit, &region, assumed, svc));
        }
    }
    Estimate {
        lines,
        pricing_as_of: pricing.as_of.clone(),
        hours_per_month: pricing.hours_per_month,
    }
}

fn unit_region(unit: &Unit, default_region: Option<&str>) -> (String, bool) {
    if let Some(r) = known(&unit.region) {
        return (r.clone(), false);
    }
    match default_region {
        Some(r) => (r.to_owned(), false),
        None => (DEFAULT_REGION.to_owned(), true),
    }
}

fn position(db: &crate::source::SourceDb, span: &crate::source::Span) -> (String, usize) {
    let file = db.get(span.file);
    (
        crate::source::display_path(&file.path),
        file.line_col(span.start()).line,
    )
}

fn base_line(
    db: &crate::source::SourceDb,
    kind: &'static str,
    name: &str,
    span: &crate::source::Span,
    region: &str,
    assumed: bool,
) -> Line {
    let (file, line) = position(db, span);
    Line {
        kind,
        name: name.to_owned(),
        file,
        line,
        region: region.to_owned(),
        region_assumed: assumed,
        vcpu: None,
        gb: None,
        platform: None,
        count: None,
        spot_count: None,
        hourly_usd: None,
        monthly_usd: None,
        rate_confidence: None,
        note: None,
        unpriced: None,
    }
}

fn task_line(
    db: &crate::source::SourceDb,
    pricing: &Pricing,
    region: &str,
    assumed: bool,
    td: &TaskDefinition,
) -> Line {
    let mut line = base_line(db, "task_definition", &td.name, &td.span, region, assumed);
    line.count = Some(1.0);
    if !td.is_fargate() {
        line.note = Some(match &td.requires_compatibilities {
            Some(c) if c.value.known().is_none() => "requiresCompatibilities is not known statically".into(),
            _ => "not Fargate-compatible (no FARGATE in requiresCompatibilities): EC2 capacity is billed by instance".into(),
        });
        return line;
    }
    match TaskSize::of(td) {
        Err(why) => line.note = Some(why),
        Ok(size) => {
            line.vcpu = Some(size.vcpu);
            line.gb = Some(size.gb);
            line.platform = Some(size.label());
            match quote(pricing, region, &size, Capacity::OnDemand) {
                Ok(q) => {
                    line.hourly_usd = Some(q.usd_per_hour);
                    line.monthly_usd = Some(q.usd_per_hour * pricing.hours_per_month);
                    line.rate_confidence = Some(q.confidence);
                }
                Err(why) => line.note = Some(why),
            }
        }
    }
    line
}

fn service_line(
    db: &crate::source::SourceDb,
    pricing: &Pricing,
    unit: &Unit,
    region: &str,
    assumed: bool,
    svc: &Service,
) -> Line {
    let mut line = base_line(db, "service", &svc.name, &svc.span, region, assumed);
    let result = (|| -> Result<(), (Unpriced, String)> {
        let desired = match &svc.desired_count {
            // CloudFormation starts a new replica service with one task when DesiredCount is
            // not given (AWS::ECS::Service docs); the Terraform provider's default is 0.
            None if unit.format.is_cloudformation()
                && !svc
                    .scheduling_strategy
                    .as_ref()
                    .and_then(|s| s.value.known())
                    .is_some_and(|s| s.eq_ignore_ascii_case("DAEMON")) =>
            {
                1.0
            }
            None => 0.0,
            Some(d) => *d.value.known().ok_or((
                Unpriced::CountUnknown,
                "desired count is not known statically".to_owned(),
            ))? as f64,
        };
        line.count = Some(desired);
        let shares = split(unit, svc, desired)?;
        let td = link::task_definition_of(unit, svc).ok_or((
            Unpriced::TaskDefinitionUnknown,
            "its task definition is not declared here (or not known statically)".to_owned(),
        ))?;
        let size = TaskSize::of(td).map_err(|e| {
            let why = if e.contains("is not a Fargate size") {
                Unpriced::NotAFargateSize
            } else {
                Unpriced::SizeUnknown
            };
            (why, e)
        })?;
        line.vcpu = Some(size.vcpu);
        line.gb = Some(size.gb);
        line.platform = Some(size.label());
        let mut hourly_total = 0.0;
        let mut confidence = Confidence::High;
        for (capacity, n) in shares {
            if capacity == Capacity::Spot {
                line.spot_count = Some(n);
            }
            let q = quote(pricing, region, &size, capacity).map_err(|e| {
                // `quote` says "no price…" / "no Fargate prices…" for a gap in the table;
                // anything else is a platform Fargate does not run.
                let why = if e.starts_with("no ") {
                    Unpriced::NoRate
                } else {
                    Unpriced::NotOffered
                };
                (why, e)
            })?;
            hourly_total += n * q.usd_per_hour;
            confidence = confidence.max(q.confidence);
        }
        line.hourly_usd = Some(hourly_total);
        line.monthly_usd = Some(hourly_total * pricing.hours_per_month);
        line.rate_confidence = Some(confidence);
        Ok(())
    })();
    if let Err((unpriced, why)) = result {
        line.note = Some(why);
        line.unpriced = Some(unpriced);
        line.hourly_usd = None;
        line.monthly_usd = None;
        line.rate_confidence = None;
    }
    line
}

/// Half away from zero, to the cent — for display only. The amount is first taken to the
/// nearest micro-dollar so that binary floating point cannot turn 28.835 into 28.83.
pub fn cents(amount: f64) -> String {
    let micro = (amount * 1e6).round() as i64;
    let c = (micro.abs() + 5_000) / 10_000;
    let sign = if micro < 0 && c != 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(vcpu: f64, gb: f64) -> TaskSize {
        TaskSize {
            vcpu,
            gb,
            arch: Arch::X86_64,
            os: Os::Linux,
            ephemeral_gib: 0.0,
        }
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn worked_examples_to_the_cent() {
        let p = Pricing::embedded();
        // 0.5 vCPU / 1 GB for 24 h in us-east-1: 0.5 × 0.04048 + 1 × 0.004445 = 0.024685 $/h;
        // × 24 = 0.59244, shown $0.59.
        let h = hourly(&p, "us-east-1", &size(0.5, 1.0), Capacity::OnDemand).unwrap();
        close(h * 24.0, 0.59244);
        assert_eq!(cents(h * 24.0), "0.59");
        // 0.25 vCPU / 0.5 GB × 730 h: (0.25 × 0.04048 + 0.5 × 0.004445) × 730
        // = (0.01012 + 0.0022225) × 730 = 0.0123425 × 730 = 9.010025 → $9.01.
        let h = hourly(&p, "us-east-1", &size(0.25, 0.5), Capacity::OnDemand).unwrap();
        close(h * 730.0, 9.010025);
        assert_eq!(cents(h * 730.0), "9.01");
        // ARM 1 vCPU / 2 GB month: (0.03238 + 2 × 0.00356) × 730 = 0.0395 × 730 = 28.835 → $28.84
        // (half up; in binary floating point 28.835 is 28.83499…, which `cents` must not show
        // as 28.83).
        let arm = TaskSize {
            arch: Arch::Arm64,
            ..size(1.0, 2.0)
        };
        let h = hourly(&p, "us-east-1", &arm, Capacity::OnDemand).unwrap();
        close(h * 730.0, 28.835);
        assert_eq!(cents(h * 730.0), "28.84");
        // Windows 1 vCPU / 2 GB month with the OS licence:
        // (0.046552 + 0.046 + 2 × 0.00511175) × 730 = 0.1027755 × 730 = 75.026115 → $75.03.
        let win = TaskSize {
            os: Os::Windows,
            ..size(1.0, 2.0)
        };
        let h = hourly(&p, "us-east-1", &win, Capacity::OnDemand).unwrap();
        close(h * 730.0, 75.026115);
        assert_eq!(cents(h * 730.0), "75.03");
        // 50 GiB ephemeral storage: (50 − 20) × 0.000111 × 730 = 2.4309 → $2.43 on top of the
        // 1 vCPU / 2 GB x86 task, (0.04048 + 2 × 0.004445) × 730 = 36.0401: 38.471 → $38.47.
        // (cost-worked-examples.md §2.4 prints the x86 task as $35.04; 29.5504 + 6.4897 is
        // 36.0401, as Infracost's golden lines $29.55 + $6.49 confirm.)
        let eph = TaskSize {
            ephemeral_gib: 50.0,
            ..size(1.0, 2.0)
        };
        let h = hourly(&p, "us-east-1", &eph, Capacity::OnDemand).unwrap();
        close(h * 730.0, 36.0401 + 2.4309);
        assert_eq!(cents(h * 730.0), "38.47");
        // Spot x86 1 vCPU / 2 GB month: (0.01288871 + 2 × 0.00141527) × 730
        // = 0.01571925 × 730 = 11.4750525 → $11.48.
        let h = hourly(&p, "us-east-1", &size(1.0, 2.0), Capacity::Spot).unwrap();
        close(h * 730.0, 11.4750525);
        assert_eq!(cents(h * 730.0), "11.48");
    }

    #[test]
    fn spot_split_base_then_weights() {
        use crate::model::{CapacityProviderItem, Value};
        use crate::source::{Span, Spanned};
        let item = |cp: &str, weight: u32, base: u32| CapacityProviderItem {
            span: Span::default(),
            capacity_provider: Some(Spanned::new(Value::Known(cp.to_owned()), Span::default())),
            weight: Some(Spanned::new(Value::Known(weight), Span::default())),
            base: Some(Spanned::new(Value::Known(base), Span::default())),
        };
        let svc = Service {
            capacity_provider_strategy: Some(Spanned::new(
                Value::Known(vec![item("FARGATE", 70, 2), item("FARGATE_SPOT", 30, 0)]),
                Span::default(),
            )),
            ..Service::default()
        };
        // 5 tasks: base 2 on FARGATE, the other 3 split 70/30 → 2 + 2.1 on demand, 0.9 on Spot.
        let shares = split(
            &Unit::new("u".into(), crate::model::Format::Terraform),
            &svc,
            5.0,
        )
        .unwrap();
        close(shares[0].1, 4.1);
        close(shares[1].1, 0.9);
        // Per month for 1 vCPU / 2 GB in us-east-1 (on demand 0.04937 $/h, Spot 0.01571925 $/h):
        // 4.1 × 0.04937 × 730 = 147.76441; 0.9 × 0.01571925 × 730 = 10.32754725;
        // total 158.09195725 → $158.09.
        let p = Pricing::embedded();
        let s = size(1.0, 2.0);
        let monthly: f64 = shares
            .iter()
            .map(|&(c, n)| n * hourly(&p, "us-east-1", &s, c).unwrap() * 730.0)
            .sum();
        close(monthly, 158.09195725);
        assert_eq!(cents(monthly), "158.09");
    }

    #[test]
    fn display_rounding() {
        assert_eq!(cents(0.005), "0.01");
        assert_eq!(cents(-0.005), "-0.01");
        assert_eq!(cents(-0.004), "0.00");
        assert_eq!(cents(828.9223), "828.92");
    }

    #[test]
    fn confidence_is_the_worst_of_the_rates_used() {
        let p = Pricing::embedded();
        let c = |region: &str, size: TaskSize, capacity: Capacity| {
            quote(&p, region, &size, capacity).unwrap().confidence
        };
        let x86 = size(1.0, 2.0);
        let arm = TaskSize {
            arch: Arch::Arm64,
            ..x86
        };
        let win = TaskSize {
            os: Os::Windows,
            ..x86
        };
        let big_disk = TaskSize {
            ephemeral_gib: 50.0,
            ..x86
        };
        // Several sources for each rate.
        assert_eq!(c("us-east-1", x86, Capacity::OnDemand), Confidence::High);
        assert_eq!(c("us-west-2", arm, Capacity::OnDemand), Confidence::High);
        // us-east-1 Windows: the 2025 Price List settles the 2022 conflict.
        assert_eq!(c("us-east-1", win, Capacity::OnDemand), Confidence::High);
        // `single_source: true`.
        assert_eq!(
            c("us-west-1", arm, Capacity::OnDemand),
            Confidence::SingleSource
        );
        assert_eq!(
            c("us-west-2", x86, Capacity::Spot),
            Confidence::SingleSource
        );
        // `confidence: "low"`, with or without `single_source`.
        assert_eq!(
            c("ap-northeast-3", arm, Capacity::OnDemand),
            Confidence::Low
        );
        assert_eq!(c("eu-west-1", win, Capacity::OnDemand), Confidence::Low);
        // Ephemeral storage counts only when billed (above 20 GiB): us-west-2's is low (said in
        // the region's notes), ap-northeast-2's single-source.
        assert_eq!(c("us-west-2", x86, Capacity::OnDemand), Confidence::High);
        assert_eq!(
            c("us-west-2", big_disk, Capacity::OnDemand),
            Confidence::Low
        );
        assert_eq!(
            c("ap-northeast-2", big_disk, Capacity::OnDemand),
            Confidence::SingleSource
        );
        assert_eq!(
            c("eu-central-1", big_disk, Capacity::OnDemand),
            Confidence::Low
        );
        assert_eq!(
            c("af-south-1", big_disk, Capacity::OnDemand),
            Confidence::Low
        );
        assert_eq!(
            c("us-east-1", big_disk, Capacity::OnDemand),
            Confidence::High
        );
    }

    #[test]
    fn confidence_flags_of_a_user_table() {
        let p = Pricing::from_json(
            r#"{"regions": {"r": {
                "linux_x86": {"vcpu_hour": 0.1, "gb_hour": 0.01},
                "linux_arm": {"vcpu_hour": 0.1, "gb_hour": 0.01, "single_source": true, "confidence": "low"},
                "spot_linux_x86": {"vcpu_hour": 0.1, "gb_hour": 0.01, "single_source": true},
                "ephemeral_gb_hour": 0.0001, "ephemeral_confidence": "low"}}}"#,
        )
        .unwrap();
        let r = &p.regions["r"];
        assert_eq!(r.linux_x86.unwrap().confidence, Confidence::High);
        assert_eq!(r.linux_arm.unwrap().confidence, Confidence::Low);
        assert_eq!(
            r.spot_linux_x86.unwrap().confidence,
            Confidence::SingleSource
        );
        assert_eq!(r.ephemeral_confidence, Confidence::Low);
    }

    #[test]
    fn never_invents_a_rate() {
        let p = Pricing::embedded();
        let arm = TaskSize {
            arch: Arch::Arm64,
            ..size(1.0, 2.0)
        };
        assert_eq!(
            hourly(&p, "eu-west-3", &arm, Capacity::OnDemand).unwrap_err(),
            "no price for Fargate Linux/ARM64 in eu-west-3"
        );
        assert!(hourly(&p, "xx-nowhere-1", &size(1.0, 2.0), Capacity::OnDemand).is_err());
    }
}
