//! The Rust peer of the matmul workload (workloads/README.md): dense f64 C = A x B, n x n,
//! row-major flat arrays, by the naive i-k-j loop (variant `naive`, split over threads by
//! contiguous row blocks) or by faer (variant `faer`).

use std::fmt::Write as _;
use std::thread;

use common::{fail, usage, Params, Region, SplitMix64};
use faer::linalg::matmul::matmul;
use faer::{Accum, MatMut, MatRef, Par};

fn main() {
    let mut p = Params {
        size: 256,
        seed: 42,
        ..Params::defaults("naive")
    };
    p.parse();
    p.require_variant(&["naive", "faer"]);
    if p.size == 0 {
        usage("--size: matmul needs a matrix order >= 1");
    }
    let (n, nn) = match usize::try_from(p.size)
        .ok()
        .and_then(|n| Some((n, n.checked_mul(n)?)))
    {
        Some(dims) => dims,
        None => usage(&format!("--size: {} squared overflows", p.size)),
    };
    let threads = usize::try_from(p.threads).unwrap_or(usize::MAX);

    // Input, not timed: A then B from one splitmix64 stream.
    let mut rng = SplitMix64::new(p.seed);
    let mut a = alloc(nn);
    a.extend((0..nn).map(|_| rng.next_f64()));
    let mut b = alloc(nn);
    b.extend((0..nn).map(|_| rng.next_f64()));
    let mut c = alloc(nn);
    c.resize(nn, 0.0);

    let multiply = match p.variant.as_str() {
        "naive" => naive,
        _ => with_faer,
    };
    // One untimed warm-up multiply (PROTOCOL.md): it faults in C's pages and starts rayon's
    // pool (faer starts it lazily on the first parallel call), so the timed region holds
    // only steady-state multiplies. Every multiply computes C from zero: the result is the same.
    multiply(&a, &b, &mut c, n, threads);
    let region = Region::begin(&p);
    for _ in 0..p.iters {
        multiply(&a, &b, &mut c, n, threads);
    }
    let m = region.end();

    common::report("matmul", &p, p.iters, &m, &checksum(&c));
}

/// An empty vector with room for `len` values; running out of memory is a failure (exit 1).
fn alloc(len: usize) -> Vec<f64> {
    let mut v = Vec::new();
    if let Err(e) = v.try_reserve_exact(len) {
        fail(&format!("cannot allocate {len} f64 values: {e}"));
    }
    v
}

/// C = A x B by the i-k-j loop; with threads > 1 the rows of C are split into `threads`
/// contiguous blocks, one scoped thread each.
fn naive(a: &[f64], b: &[f64], c: &mut [f64], n: usize, threads: usize) {
    if threads <= 1 {
        naive_rows(a, b, c, n);
        return;
    }
    thread::scope(|s| {
        let mut rest = c;
        let mut start = 0;
        for t in 1..=threads {
            // Rows [start, end): the t-th of `threads` near-equal blocks.
            let end = (t as u128 * n as u128 / threads as u128) as usize;
            let (block, tail) = std::mem::take(&mut rest).split_at_mut((end - start) * n);
            rest = tail;
            let a_rows = &a[start * n..end * n];
            let spawned = thread::Builder::new().spawn_scoped(s, move || {
                naive_rows(a_rows, b, block, n);
            });
            if let Err(e) = spawned {
                fail(&format!("cannot start matmul thread {t} of {threads}: {e}"));
            }
            start = end;
        }
    });
}

/// The naive kernel over a block of rows: `c_rows` (zeroed here) += `a_rows` x B, where both
/// blocks hold the same rows i and B is the whole n x n matrix.
fn naive_rows(a_rows: &[f64], b: &[f64], c_rows: &mut [f64], n: usize) {
    c_rows.fill(0.0);
    for (a_row, c_row) in a_rows.chunks_exact(n).zip(c_rows.chunks_exact_mut(n)) {
        for (&aik, b_row) in a_row.iter().zip(b.chunks_exact(n)) {
            for (cij, &bkj) in c_row.iter_mut().zip(b_row) {
                *cij += aik * bkj;
            }
        }
    }
}

/// C = A x B by faer's matmul, sequential for one thread, on rayon otherwise.
fn with_faer(a: &[f64], b: &[f64], c: &mut [f64], n: usize, threads: usize) {
    let par = if threads <= 1 {
        Par::Seq
    } else {
        Par::rayon(threads)
    };
    let a = MatRef::from_row_major_slice(a, n, n);
    let b = MatRef::from_row_major_slice(b, n, n);
    let c = MatMut::from_row_major_slice_mut(c, n, n);
    matmul(c, Accum::Replace, a, b, 1.0, par);
}

/// The sum of all entries in row-major order in one accumulator, then C\[idx_k\] for k in 0..8,
/// `idx_k = (k * 0x9E3779B97F4A7C15 mod 2^64) mod (n*n)`; shortest round-trip formatting.
fn checksum(c: &[f64]) -> String {
    let mut sum = 0.0f64;
    for &x in c {
        sum += x;
    }
    let mut out = format!("{sum:?}");
    let len = c.len() as u64;
    for k in 0..8u64 {
        let idx = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) % len;
        let _ = write!(out, " {:?}", c[idx as usize]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(n: usize) -> (Vec<f64>, Vec<f64>) {
        let mut rng = SplitMix64::new(7);
        let a = (0..n * n).map(|_| rng.next_f64()).collect();
        let b = (0..n * n).map(|_| rng.next_f64()).collect();
        (a, b)
    }

    #[test]
    fn naive_small_product() {
        // [[1, 2], [3, 4]] x [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
        let mut c = vec![9.0; 4];
        naive(&[1.0, 2.0, 3.0, 4.0], &[5.0, 6.0, 7.0, 8.0], &mut c, 2, 1);
        assert_eq!(c, [19.0, 22.0, 43.0, 50.0]);
        let mut c = vec![9.0; 4];
        with_faer(&[1.0, 2.0, 3.0, 4.0], &[5.0, 6.0, 7.0, 8.0], &mut c, 2, 1);
        assert_eq!(c, [19.0, 22.0, 43.0, 50.0]);
    }

    #[test]
    fn threads_give_identical_results() {
        for n in [1, 5, 17] {
            let (a, b) = inputs(n);
            let mut one = vec![0.0; n * n];
            naive(&a, &b, &mut one, n, 1);
            // More threads than rows too: some blocks are empty.
            for threads in [2, 3, 4, 32] {
                let mut many = vec![1.0; n * n];
                naive(&a, &b, &mut many, n, threads);
                assert_eq!(one, many, "n={n} threads={threads}");
            }
        }
    }

    #[test]
    fn faer_agrees_with_naive() {
        let n = 33;
        let (a, b) = inputs(n);
        let mut want = vec![0.0; n * n];
        naive(&a, &b, &mut want, n, 1);
        for threads in [1, 2] {
            let mut got = vec![f64::NAN; n * n];
            with_faer(&a, &b, &mut got, n, threads);
            for (x, y) in want.iter().zip(&got) {
                assert!(
                    (x - y).abs() <= 1e-9 * x.abs().max(y.abs()) + 1e-6,
                    "{x} vs {y}"
                );
            }
        }
    }

    #[test]
    fn checksum_format() {
        let c: Vec<f64> = (0..9).map(f64::from).collect();
        // idx_k for n*n = 9: k * 0x9E3779B97F4A7C15 mod 2^64 mod 9.
        let idx: Vec<u64> = (0..8u64)
            .map(|k| k.wrapping_mul(0x9E37_79B9_7F4A_7C15) % 9)
            .collect();
        let want = std::iter::once("36.0".to_string())
            .chain(idx.iter().map(|&i| format!("{:?}", i as f64)))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(checksum(&c), want);
        assert_eq!(
            checksum(&[1e-7]),
            "1e-7 1e-7 1e-7 1e-7 1e-7 1e-7 1e-7 1e-7 1e-7"
        );
        assert_eq!(checksum(&[-0.1]).split(' ').next(), Some("-0.1"));
    }
}
