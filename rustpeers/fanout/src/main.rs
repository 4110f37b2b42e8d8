//! The Rust peer of the fanout workload (workloads/README.md): one producer sends M numbers
//! over a bounded channel of capacity B to K workers, which mix each one and send the result
//! over a second channel to one collector that sums them.
//!
//! Variants: `crossbeam` (crossbeam-channel, K OS threads), `flume` (K OS threads), `std`
//! (std::sync::mpsc::sync_channel, K OS threads sharing the receiver behind a Mutex: std has
//! no multi-consumer channel), `tokio` (tokio::sync::mpsc, K tasks on a multi-thread runtime
//! of --threads workers; the receiver is shared behind a tokio Mutex, mpsc being
//! single-consumer), `tokio-flume` (the same tasks and runtime over flume's async API, a
//! multi-consumer channel: what a tokio user writes for a worker pool, no Mutex).
//! With --threads T below the CPUs available the process is pinned to T of them, so that the
//! OS threads of every variant share T CPUs, as Go's GOMAXPROCS=T does.

use std::sync::{mpsc, Arc, Mutex};
use std::thread;

use common::{fail, usage, Params, Region};

const VARIANTS: [&str; 5] = ["crossbeam", "flume", "tokio", "tokio-flume", "std"];

fn main() {
    let mut p = Params {
        size: 100_000,
        workers: Some(4),
        capacity: Some(64),
        ..Params::defaults("crossbeam")
    };
    p.parse();
    p.require_variant(&VARIANTS);
    let k = p.workers.unwrap_or(0);
    let b = p.capacity.unwrap_or(0);
    if k == 0 {
        usage("--workers: fanout needs at least 1 worker");
    }
    if p.variant == "tokio" && b == 0 {
        usage("--capacity: tokio::sync::mpsc needs a capacity >= 1 (it has no rendezvous mode)");
    }
    if p.size == 0 {
        usage("--size: fanout needs at least 1 message");
    }
    let (k, b) = (k as usize, b as usize);
    pin_to(p.threads);
    let runtime = p.variant.starts_with("tokio").then(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(p.threads as usize)
            .build()
            .unwrap_or_else(|e| fail(&format!("cannot start the tokio runtime: {e}")))
    });
    let run = |m: u64| -> u64 {
        match p.variant.as_str() {
            "crossbeam" => with_crossbeam(m, p.seed, k, b),
            "flume" => with_flume(m, p.seed, k, b),
            "std" => with_std(m, p.seed, k, b),
            "tokio-flume" => runtime
                .as_ref()
                .unwrap()
                .block_on(with_tokio_flume(m, p.seed, k, b)),
            _ => runtime
                .as_ref()
                .unwrap()
                .block_on(with_tokio(m, p.seed, k, b)),
        }
    };
    run(p.size.min(10_000)); // warm-up, untimed
    let mut sum = 0;
    let region = Region::begin(&p);
    for _ in 0..p.iters {
        sum = run(p.size);
    }
    let m = region.end();
    common::report("fanout", &p, p.iters * p.size, &m, &checksum(sum));
}

/// The per-message computation: four rounds of splitmix64's step on the value.
pub fn work(mut v: u64) -> u64 {
    for _ in 0..4 {
        v = v.wrapping_add(0x9E37_79B9_7F4A_7C15);
        v = (v ^ (v >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        v = (v ^ (v >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        v ^= v >> 31;
    }
    v
}

/// FNV-1a 64 of the decimal sum.
fn checksum(sum: u64) -> String {
    common::fnv1a64_hex(sum.to_string().as_bytes())
}

/// Restricts the process to the first `threads` CPUs it may run on, if it may run on more.
fn pin_to(threads: u64) {
    // SAFETY: cpu_set_t is plain data; the calls only read and write the set we own.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of_val(&set), &mut set) != 0 {
            return;
        }
        let mut kept = 0;
        for cpu in 0..libc::CPU_SETSIZE as usize {
            if libc::CPU_ISSET(cpu, &set) {
                if kept >= threads {
                    libc::CPU_CLR(cpu, &mut set);
                }
                kept += 1;
            }
        }
        if kept > threads && libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set) != 0 {
            fail(&format!(
                "cannot pin to {threads} CPUs: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
}

fn spawn(f: impl FnOnce() + Send + 'static) -> thread::JoinHandle<()> {
    thread::Builder::new()
        .spawn(f)
        .unwrap_or_else(|e| fail(&format!("cannot start a thread: {e}")))
}

fn with_crossbeam(m: u64, seed: u64, k: usize, b: usize) -> u64 {
    let (in_tx, in_rx) = crossbeam_channel::bounded(b);
    let (out_tx, out_rx) = crossbeam_channel::bounded(b);
    let producer = spawn(move || {
        for i in 0..m {
            in_tx.send(seed.wrapping_add(i)).unwrap();
        }
    });
    let workers: Vec<_> = (0..k)
        .map(|_| {
            let (rx, tx) = (in_rx.clone(), out_tx.clone());
            spawn(move || {
                for v in rx {
                    tx.send(work(v)).unwrap();
                }
            })
        })
        .collect();
    drop((in_rx, out_tx));
    let sum = out_rx.iter().fold(0u64, u64::wrapping_add);
    producer.join().unwrap();
    workers.into_iter().for_each(|w| w.join().unwrap());
    sum
}

fn with_flume(m: u64, seed: u64, k: usize, b: usize) -> u64 {
    let (in_tx, in_rx) = flume::bounded(b);
    let (out_tx, out_rx) = flume::bounded(b);
    let producer = spawn(move || {
        for i in 0..m {
            in_tx.send(seed.wrapping_add(i)).unwrap();
        }
    });
    let workers: Vec<_> = (0..k)
        .map(|_| {
            let (rx, tx) = (in_rx.clone(), out_tx.clone());
            spawn(move || {
                for v in rx {
                    tx.send(work(v)).unwrap();
                }
            })
        })
        .collect();
    drop((in_rx, out_tx));
    let sum = out_rx.iter().fold(0u64, u64::wrapping_add);
    producer.join().unwrap();
    workers.into_iter().for_each(|w| w.join().unwrap());
    sum
}

fn with_std(m: u64, seed: u64, k: usize, b: usize) -> u64 {
    let (in_tx, in_rx) = mpsc::sync_channel(b);
    let (out_tx, out_rx) = mpsc::sync_channel(b);
    let in_rx = Arc::new(Mutex::new(in_rx));
    let producer = spawn(move || {
        for i in 0..m {
            in_tx.send(seed.wrapping_add(i)).unwrap();
        }
    });
    let workers: Vec<_> = (0..k)
        .map(|_| {
            let (rx, tx) = (Arc::clone(&in_rx), out_tx.clone());
            spawn(move || loop {
                // The guard is dropped at the end of the statement, before the work.
                let next = rx.lock().unwrap().recv();
                match next {
                    Ok(v) => tx.send(work(v)).unwrap(),
                    Err(_) => break,
                }
            })
        })
        .collect();
    drop(out_tx);
    let sum = out_rx.iter().fold(0u64, u64::wrapping_add);
    producer.join().unwrap();
    workers.into_iter().for_each(|w| w.join().unwrap());
    sum
}

async fn with_tokio(m: u64, seed: u64, k: usize, b: usize) -> u64 {
    use tokio::sync::mpsc;
    let (in_tx, in_rx) = mpsc::channel(b);
    let (out_tx, mut out_rx) = mpsc::channel(b);
    let in_rx = Arc::new(tokio::sync::Mutex::new(in_rx));
    let producer = tokio::spawn(async move {
        for i in 0..m {
            in_tx.send(seed.wrapping_add(i)).await.unwrap();
        }
    });
    let workers: Vec<_> = (0..k)
        .map(|_| {
            let (rx, tx) = (Arc::clone(&in_rx), out_tx.clone());
            tokio::spawn(async move {
                loop {
                    let next = rx.lock().await.recv().await;
                    match next {
                        Some(v) => tx.send(work(v)).await.unwrap(),
                        None => break,
                    }
                }
            })
        })
        .collect();
    drop(out_tx);
    let mut sum = 0u64;
    while let Some(v) = out_rx.recv().await {
        sum = sum.wrapping_add(v);
    }
    producer.await.unwrap();
    for w in workers {
        w.await.unwrap();
    }
    sum
}

/// The tokio fan-out with a multi-consumer channel: flume's async API (`send_async`,
/// `recv_async`), every worker task holding its own clone of the receiver. Capacity 0 is a
/// rendezvous channel, as in the thread variants.
async fn with_tokio_flume(m: u64, seed: u64, k: usize, b: usize) -> u64 {
    let (in_tx, in_rx) = flume::bounded(b);
    let (out_tx, out_rx) = flume::bounded(b);
    let producer = tokio::spawn(async move {
        for i in 0..m {
            in_tx.send_async(seed.wrapping_add(i)).await.unwrap();
        }
    });
    let workers: Vec<_> = (0..k)
        .map(|_| {
            let (rx, tx) = (in_rx.clone(), out_tx.clone());
            tokio::spawn(async move {
                while let Ok(v) = rx.recv_async().await {
                    tx.send_async(work(v)).await.unwrap();
                }
            })
        })
        .collect();
    drop((in_rx, out_tx));
    let mut sum = 0u64;
    while let Ok(v) = out_rx.recv_async().await {
        sum = sum.wrapping_add(v);
    }
    producer.await.unwrap();
    for w in workers {
        w.await.unwrap();
    }
    sum
}
