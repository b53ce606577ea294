//! The server's memory and CPU, read from Linux's /proc: resident set size sampled every
//! 100 ms (the peak of the sum over the given processes, for a server of several processes),
//! the kernel's own high-water mark (VmHWM), and CPU time used.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A field of /proc/PID/status in kB (`VmRSS`, `VmHWM`).
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_status_kib(&text, field)
}

/// The value of `field` in the text of /proc/PID/status, in kB.
fn parse_status_kib(text: &str, field: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// The CPU time (user + system) a process has used, in clock ticks (/proc/PID/stat fields 14
/// and 15).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    parse_stat_ticks(&text)
}

fn parse_stat_ticks(text: &str) -> Option<u64> {
    // The command name (field 2) may hold spaces; fields after it follow the last ')'.
    let after = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3 (state), so fields 14 and 15 are at 11 and 12.
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

/// Clock ticks per second (`getconf CLK_TCK`); Linux reports 100 on every common platform.
pub const TICKS_PER_SECOND: f64 = 100.0;

/// The summed CPU ticks of the processes, `None` when one cannot be read.
#[must_use]
pub fn total_cpu_ticks(pids: &[u32]) -> Option<u64> {
    pids.iter().map(|pid| cpu_ticks(*pid)).sum()
}

/// The summed VmHWM of the processes, in kB.
#[must_use]
pub fn total_hwm_kib(pids: &[u32]) -> Option<u64> {
    pids.iter().map(|pid| status_kib(*pid, "VmHWM")).sum()
}

/// The machine's load averages over 1, 5 and 15 minutes (/proc/loadavg): on a shared machine,
/// how much else was running.
#[must_use]
pub fn load_average() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<f64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??])
}

/// Samples the summed VmRSS of the processes every 100 ms until stopped.
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    handle: tokio::task::JoinHandle<Option<u64>>,
}

impl RssSampler {
    /// Starts sampling.
    #[must_use]
    pub fn start(pids: Vec<u32>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = tokio::spawn(async move {
            let mut peak: Option<u64> = None;
            let mut interval = tokio::time::interval(Duration::from_millis(100));
            while !flag.load(Ordering::Relaxed) {
                interval.tick().await;
                let sum: Option<u64> = pids.iter().map(|pid| status_kib(*pid, "VmRSS")).sum();
                if let Some(sum) = sum {
                    peak = Some(peak.map_or(sum, |p| p.max(sum)));
                }
            }
            peak
        });
        Self { stop, handle }
    }

    /// Stops sampling and returns the peak summed VmRSS seen, in kB.
    pub async fn finish(self) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.await.ok().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_files() {
        let status = "Name:\tgazette\nVmHWM:\t  81234 kB\nVmRSS:\t  80000 kB\n";
        assert_eq!(parse_status_kib(status, "VmRSS"), Some(80_000));
        assert_eq!(parse_status_kib(status, "VmHWM"), Some(81_234));
        assert_eq!(parse_status_kib(status, "VmSwap"), None);
        let stat = "1234 (tokio rt) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0";
        assert_eq!(parse_stat_ticks(stat), Some(300));
    }

    #[test]
    fn reads_this_process() {
        let me = std::process::id();
        assert!(status_kib(me, "VmRSS").is_some_and(|kib| kib > 0));
        assert!(total_cpu_ticks(&[me]).is_some());
        assert!(load_average().is_some());
    }
}
