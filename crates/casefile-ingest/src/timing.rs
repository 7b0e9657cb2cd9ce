//! Opt-in phase timings on stderr (`casefile --timings`), for finding where time goes.
//!
//! Off by default: a disabled [`Phase`] costs one relaxed atomic load.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turns phase timings on or off for the whole process.
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Whether phase timings are printed.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// A running phase: prints `timing: <name> <ms> ms` on stderr when dropped, if enabled.
#[derive(Debug)]
#[must_use = "a phase is timed until it is dropped"]
pub struct Phase {
    name: Option<String>,
    started: Instant,
    cpu: u64,
}

impl Phase {
    /// Starts timing `name` (the name is only built when timings are on).
    pub fn start(name: impl FnOnce() -> String) -> Self {
        let name = enabled().then(name);
        let cpu = if name.is_some() { cpu_ns() } else { 0 };
        Self {
            name,
            started: Instant::now(),
            cpu,
        }
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(name) = &self.name {
            let ms = self.started.elapsed().as_secs_f64() * 1000.0;
            let cpu = cpu_ns().saturating_sub(self.cpu) as f64 / 1e6;
            eprintln!("timing: {name} {ms:.1} ms, cpu {cpu:.1} ms{}", memory());
        }
    }
}

/// CPU time used so far by the process' live threads, in nanoseconds, from
/// `/proc/self/task/*/schedstat` where there is one (0 elsewhere). Threads that already ended
/// are not counted, so a phase that outlives a thread it started under-reports.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// Resident memory after a phase, from `/proc/self/status` where there is one: anonymous
/// (heap) and file-backed (mapped cache) pages, and the peak so far.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().strip_suffix(" kB"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    format!(
        " (rss anon {} MiB, file {} MiB, peak {} MiB)",
        field("RssAnon:"),
        field("RssFile:"),
        field("VmHWM:")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn cpu_time_counts_the_work_of_this_process() {
        let before = cpu_ns();
        assert!(before > 0, "no CPU time read from /proc/self/task");
        // A fixed amount of work (a dependent chain of multiplications, some tens of ms), so
        // the bound holds however busy the machine is.
        let mut x = 0u64;
        for _ in 0..20_000_000 {
            x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
        }
        let spent = cpu_ns() - before;
        assert!(
            spent >= 1_000_000,
            "{spent} ns of CPU for 20 million multiplications"
        );
    }

    #[test]
    fn a_disabled_phase_never_builds_its_name() {
        set_enabled(false);
        let p = Phase::start(|| unreachable!("the name is built only when enabled"));
        assert!(p.name.is_none());
    }
}
