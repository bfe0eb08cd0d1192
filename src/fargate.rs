//! ECS facts below the rules and the cost estimate, which both use them: valid Fargate task sizes (shared/reference/ecs-limits.md §1, incl. the 32 vCPU tier that
//! cfn-lint 1.58.0 accepts, PR #4668). CPU in units, memory in MiB.

/// Memory sizes valid for a Fargate `cpu` on Linux, ascending; empty for an invalid cpu.
pub fn linux_memory_for(cpu: u32) -> Vec<u32> {
    let gib = |g: u32| g * 1024;
    match cpu {
        256 => vec![512, 1024, 2048],
        512 => (1..=4).map(gib).collect(),
        1024 => (2..=8).map(gib).collect(),
        2048 => (4..=16).map(gib).collect(),
        4096 => (8..=30).map(gib).collect(),
        8192 => (16..=60).step_by(4).map(gib).collect(),
        16384 => (32..=120).step_by(8).map(gib).collect(),
        32768 => vec![61440, 122880, 249856],
        _ => Vec::new(),
    }
}

/// Windows on Fargate: only 1, 2 and 4 vCPU, with the Linux memory ranges.
pub fn memory_for(cpu: u32, windows: bool) -> Vec<u32> {
    if windows && !matches!(cpu, 1024 | 2048 | 4096) {
        return Vec::new();
    }
    linux_memory_for(cpu)
}

pub const LINUX_CPUS: [u32; 8] = [256, 512, 1024, 2048, 4096, 8192, 16384, 32768];
pub const WINDOWS_CPUS: [u32; 3] = [1024, 2048, 4096];

pub fn cpus(windows: bool) -> &'static [u32] {
    if windows { &WINDOWS_CPUS } else { &LINUX_CPUS }
}

/// The smallest valid (cpu, memory) that holds at least `cpu` units and `memory` MiB.
pub fn smallest_fit(cpu: u32, memory: u32, windows: bool) -> Option<(u32, u32)> {
    cpus(windows).iter().find_map(|&c| {
        (c >= cpu)
            .then(|| memory_for(c, windows).into_iter().find(|&m| m >= memory))
            .flatten()
            .map(|m| (c, m))
    })
}

pub fn vcpu_label(cpu: u32) -> String {
    let v = cpu as f64 / 1024.0;
    if v.fract() == 0.0 {
        format!("{} vCPU", v as u32)
    } else {
        format!("{v} vCPU")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_counts_match_reference() {
        let linux: usize = LINUX_CPUS[..7]
            .iter()
            .map(|&c| linux_memory_for(c).len())
            .sum();
        assert_eq!(
            linux, 74,
            "ecs-limits.md: 74 valid Linux pairs up to 16 vCPU"
        );
        let windows: usize = WINDOWS_CPUS
            .iter()
            .map(|&c| memory_for(c, true).len())
            .sum();
        assert_eq!(windows, 43);
        assert_eq!(linux_memory_for(8192).last(), Some(&61440));
        assert_eq!(linux_memory_for(16384).first(), Some(&32768));
    }

    #[test]
    fn smallest_fit_rounds_up() {
        assert_eq!(smallest_fit(1024, 3000, false), Some((1024, 3072)));
        assert_eq!(smallest_fit(256, 4096, false), Some((512, 4096)));
        assert_eq!(smallest_fit(256, 512, true), Some((1024, 2048)));
        assert_eq!(smallest_fit(40000, 512, false), None);
    }
}
