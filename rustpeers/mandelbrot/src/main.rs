//! The Rust peer of the mandelbrot workload (workloads/README.md): the Mandelbrot set on
//! [-1.5, 0.5] x [-1, 1] as an n x n PBM bitmap, 50 iterations per pixel; row y is computed by
//! scoped thread y mod threads.

use std::thread;

use common::fail;

const WARMUP_SIZE: u64 = 200;

fn main() {
    common::Kernel {
        name: "mandelbrot",
        default_size: 200,
        max_size: 32768,
        size_what: "a width",
        warmup_size: WARMUP_SIZE,
        run,
    }
    .main();
}

/// The problem's program: the PBM header "P4\nn n\n", then n rows of ceil(n/8) bytes, the
/// leftmost pixel in the high bit, 1 for a point in the set.
fn run(n: usize, threads: usize) -> Vec<u8> {
    let mut out = format!("P4\n{n} {n}\n").into_bytes();
    let header = out.len();
    let row_bytes = n.div_ceil(8);
    out.resize(header + row_bytes * n, 0);
    let mut shares: Vec<Vec<(usize, &mut [u8])>> = (0..threads).map(|_| Vec::new()).collect();
    for (y, dst) in out[header..].chunks_exact_mut(row_bytes).enumerate() {
        shares[y % threads].push((y, dst));
    }
    thread::scope(|s| {
        for (t, share) in shares.into_iter().enumerate() {
            let spawned = thread::Builder::new().spawn_scoped(s, move || {
                for (y, dst) in share {
                    row(dst, y, n);
                }
            });
            if let Err(e) = spawned {
                fail(&format!("cannot start thread {} of {threads}: {e}", t + 1));
            }
        }
    });
    out
}

/// Computes row y into dst (zeroed).
fn row(dst: &mut [u8], y: usize, n: usize) {
    let ci = 2.0 * y as f64 / n as f64 - 1.0;
    for x in 0..n {
        let cr = 2.0 * x as f64 / n as f64 - 1.5;
        let (mut zr, mut zi, mut tr, mut ti) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        let mut i = 0;
        while i < 50 && tr + ti <= 4.0 {
            zi = 2.0 * zr * zi + ci;
            zr = tr - ti + cr;
            tr = zr * zr;
            ti = zi * zi;
            i += 1;
        }
        if tr + ti <= 4.0 {
            dst[x / 8] |= 0x80 >> (x % 8);
        }
    }
}
