//! The Rust peer of the spectralnorm workload (workloads/README.md): the spectral norm of the
//! infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1) truncated to n x n, by 10 rounds of the
//! power method on AtA; rows of each product split over scoped threads in contiguous blocks.

use std::thread;

use common::fail;

const WARMUP_SIZE: u64 = 100;

fn main() {
    common::Kernel {
        name: "spectralnorm",
        default_size: 100,
        max_size: 1 << 24,
        size_what: "an order",
        warmup_size: WARMUP_SIZE,
        run,
    }
    .main();
}

/// The problem's program: the norm printed with %.9f and a newline.
fn run(n: usize, threads: usize) -> String {
    let mut u = vec![1.0; n];
    let mut v = vec![0.0; n];
    let mut tmp = vec![0.0; n];
    for _ in 0..10 {
        mul_at_av(&u, &mut v, &mut tmp, threads);
        mul_at_av(&v, &mut u, &mut tmp, threads);
    }
    let (mut vbv, mut vv) = (0.0, 0.0);
    for (ui, vi) in u.iter().zip(&v) {
        vbv += ui * vi;
        vv += vi * vi;
    }
    format!("{:.9}\n", (vbv / vv).sqrt())
}

fn a(i: usize, j: usize) -> f64 {
    1.0 / ((i + j) * (i + j + 1) / 2 + i + 1) as f64
}

/// out = At A v, using tmp for A v.
fn mul_at_av(v: &[f64], out: &mut [f64], tmp: &mut [f64], threads: usize) {
    parallel_rows(tmp, threads, |i| {
        v.iter().enumerate().map(|(j, vj)| a(i, j) * vj).sum()
    });
    let tmp = &*tmp;
    parallel_rows(out, threads, |i| {
        tmp.iter().enumerate().map(|(j, tj)| a(j, i) * tj).sum()
    });
}

/// Sets out[i] = row(i) for every i, the rows split into `threads` contiguous blocks, one scoped
/// thread each.
fn parallel_rows(out: &mut [f64], threads: usize, row: impl Fn(usize) -> f64 + Sync) {
    let fill = |block: &mut [f64], first: usize| {
        for (k, o) in block.iter_mut().enumerate() {
            *o = row(first + k);
        }
    };
    if threads <= 1 {
        fill(out, 0);
        return;
    }
    let n = out.len();
    thread::scope(|s| {
        let mut rest = out;
        let mut start = 0;
        for t in 1..=threads {
            let end = (t as u128 * n as u128 / threads as u128) as usize;
            let (block, tail) = std::mem::take(&mut rest).split_at_mut(end - start);
            rest = tail;
            let fill = &fill;
            let first = start;
            if let Err(e) = thread::Builder::new().spawn_scoped(s, move || fill(block, first)) {
                fail(&format!("cannot start thread {t} of {threads}: {e}"));
            }
            start = end;
        }
    });
}
