//! The Rust peer of the footprint workload (workloads/README.md): start N tasks that each
//! block on one shared signal, wait until all are parked, read RSS, release them and join.
//!
//! Variants: `tokio` (tasks on a multi-thread runtime of --threads workers, parked on a
//! `tokio::sync::Notify`) and `thread` (OS threads with std's default 2 MiB stack, set
//! explicitly so that it is known, parked on a `Mutex` + `Condvar`).

use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use common::{fail, usage, Params, Region};
use tokio::sync::Notify;

/// The stack size of the `thread` variant: std's documented default, set explicitly.
const THREAD_STACK: usize = 2 << 20;

/// Memory insisted on per task before starting (generous bounds, so that a run that cannot
/// fit refuses instead of meeting the OOM killer): a parked task takes well under 1 KiB, a
/// parked thread some KiB of touched stack plus its kernel stack.
const RESERVE_KIB: [(&str, u64); 2] = [("tokio", 16), ("thread", 64)];

/// Phase end times of one run.
struct Phases {
    rss_before: u64,
    rss_parked: u64,
    spawn_ns: u64,
    park_ns: u64,
    join_ns: u64,
}

fn main() {
    let mut p = Params {
        size: 10_000,
        ..Params::defaults("tokio")
    };
    p.parse();
    p.require_variant(&["tokio", "thread"]);
    if p.size == 0 {
        usage("--size: footprint needs at least 1 task");
    }
    if p.iters != 1 {
        usage("--iters: footprint measures one cold spawn, --iters must be 1");
    }
    let n = p.size;
    let reserve = RESERVE_KIB.iter().find(|r| r.0 == p.variant).unwrap().1;
    if let Some(avail) = proc_kib("/proc/meminfo", "MemAvailable:") {
        if n.saturating_mul(reserve) > avail {
            usage(&format!(
                "--size {n}: would need about {} MiB ({reserve} KiB per task), MemAvailable is {} MiB",
                n.saturating_mul(reserve) / 1024,
                avail / 1024
            ));
        }
    }
    if p.variant == "thread" {
        if let Err(why) = thread_limit(n) {
            usage(&format!("--size {n}: too many OS threads here: {why}"));
        }
    }

    let parked = Arc::new(AtomicU64::new(0));
    let (region, ph) = if p.variant == "tokio" {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(p.threads as usize)
            .build()
            .unwrap_or_else(|e| fail(&format!("cannot start the tokio runtime: {e}")));
        rt.block_on(with_tokio(&p, n, &parked))
    } else {
        with_threads(&p, n, &parked)
    };
    let m = region;
    let mut extra = vec![
        ("rss_before_kib", ph.rss_before),
        ("rss_parked_kib", ph.rss_parked),
        ("spawn_ns", ph.spawn_ns),
        ("park_ns", ph.park_ns),
        ("join_ns", ph.join_ns),
    ];
    if p.variant == "thread" {
        extra.push(("stack_bytes", THREAD_STACK as u64));
    }
    let checksum = common::fnv1a64_hex(parked.load(Ordering::SeqCst).to_string().as_bytes());
    common::report_extra("footprint", &p, n, &m, &checksum, &extra);
}

fn ns(from: Instant, to: Instant) -> u64 {
    u64::try_from((to - from).as_nanos()).unwrap_or(u64::MAX)
}

fn rss() -> u64 {
    proc_kib("/proc/self/status", "VmRSS:").unwrap_or_else(|| fail("cannot read VmRSS"))
}

async fn with_tokio(p: &Params, n: u64, parked: &Arc<AtomicU64>) -> (common::Measurement, Phases) {
    let release = Arc::new(Notify::new());
    let all_parked = Arc::new(Notify::new());
    let mut handles = Vec::with_capacity(n as usize);
    let rss_before = rss();
    let region = Region::begin(p);
    let t0 = Instant::now();
    for _ in 0..n {
        let (release, all_parked, parked) = (release.clone(), all_parked.clone(), parked.clone());
        handles.push(tokio::spawn(async move {
            let mut wake = pin!(release.notified());
            // Registered before counting: a notify_waiters() after this cannot be missed.
            wake.as_mut().enable();
            if parked.fetch_add(1, Ordering::SeqCst) + 1 == n {
                all_parked.notify_one();
            }
            wake.await;
        }));
    }
    let spawned = Instant::now();
    all_parked.notified().await;
    let parked_at = Instant::now();
    let rss_parked = rss();
    let released = Instant::now();
    release.notify_waiters();
    for h in handles {
        h.await
            .unwrap_or_else(|e| fail(&format!("a task failed: {e}")));
    }
    let joined = Instant::now();
    let m = region.end();
    let ph = Phases {
        rss_before,
        rss_parked,
        spawn_ns: ns(t0, spawned),
        park_ns: ns(spawned, parked_at),
        join_ns: ns(released, joined),
    };
    (m, ph)
}

/// What the parked threads share: how many have parked, and whether they are released.
struct Gate {
    state: Mutex<(u64, bool)>,
    parked: Condvar,
    release: Condvar,
}

fn with_threads(p: &Params, n: u64, parked: &Arc<AtomicU64>) -> (common::Measurement, Phases) {
    let gate = Arc::new(Gate {
        state: Mutex::new((0, false)),
        parked: Condvar::new(),
        release: Condvar::new(),
    });
    let mut handles = Vec::with_capacity(n as usize);
    let rss_before = rss();
    let region = Region::begin(p);
    let t0 = Instant::now();
    for _ in 0..n {
        let (gate, parked) = (gate.clone(), parked.clone());
        let h = std::thread::Builder::new()
            .stack_size(THREAD_STACK)
            .spawn(move || {
                let mut st = gate.state.lock().unwrap();
                st.0 += 1;
                parked.fetch_add(1, Ordering::SeqCst);
                if st.0 == n {
                    gate.parked.notify_one();
                }
                while !st.1 {
                    st = gate.release.wait(st).unwrap();
                }
            })
            .unwrap_or_else(|e| fail(&format!("cannot start thread {}: {e}", handles.len())));
        handles.push(h);
    }
    let spawned = Instant::now();
    {
        let mut st = gate.state.lock().unwrap();
        while st.0 < n {
            st = gate.parked.wait(st).unwrap();
        }
    }
    let parked_at = Instant::now();
    let rss_parked = rss();
    let released = Instant::now();
    gate.state.lock().unwrap().1 = true;
    gate.release.notify_all();
    for h in handles {
        h.join().unwrap_or_else(|_| fail("a thread panicked"));
    }
    let joined = Instant::now();
    let m = region.end();
    let ph = Phases {
        rss_before,
        rss_parked,
        spawn_ns: ns(t0, spawned),
        park_ns: ns(spawned, parked_at),
        join_ns: ns(released, joined),
    };
    (m, ph)
}

/// The memory mappings one std thread adds: its stack and guard page (glibc), and the
/// alternate signal stack and guard page std installs in every thread it starts to report stack
/// overflows. Counted from /proc/PID/maps with 100 and 1000 parked threads (4.3 and 4.03 per
/// thread, the excess being malloc's per-thread arenas); a C pthread adds 2.
const MAPPINGS_PER_THREAD: u64 = 4;

/// Whether this machine's limits allow n more threads, with the reason when they do not.
fn thread_limit(n: u64) -> Result<(), String> {
    let read =
        |path: &str| -> Option<u64> { std::fs::read_to_string(path).ok()?.trim().parse().ok() };
    // Margin for the threads and mappings the rest of the system already has.
    const MARGIN: u64 = 1024;
    let mut limits = vec![];
    if let Some(v) = read("/proc/sys/kernel/threads-max") {
        limits.push((v, "kernel.threads-max"));
    }
    if let Some(v) = read("/proc/sys/kernel/pid_max") {
        limits.push((v, "kernel.pid_max"));
    }
    if let Some(v) = read("/proc/sys/vm/max_map_count") {
        limits.push((
            v / MAPPINGS_PER_THREAD,
            "vm.max_map_count / 4 (a stack, its guard page, std's signal stack and its guard page each)",
        ));
    }
    if let Some(v) = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Max processes"))?
                .split_whitespace()
                .nth(2)?
                .parse()
                .ok()
        })
    {
        limits.push((v, "RLIMIT_NPROC (ulimit -u)"));
    }
    match limits.iter().min() {
        Some(&(v, what)) if n + MARGIN > v => {
            Err(format!("{what} is {v}, less than {n} + {MARGIN}"))
        }
        _ => Ok(()),
    }
}

/// A "Name: value kB" line of a /proc file, in KiB.
fn proc_kib(path: &str, key: &str) -> Option<u64> {
    std::fs::read_to_string(path)
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(key))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
