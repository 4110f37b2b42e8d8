//! The Rust peer of the fannkuch workload (workloads/README.md): the fannkuch-redux problem,
//! every permutation of 0..n-1 in the problem's order, its pancake flips counted; the
//! permutation indices are split into contiguous blocks, one scoped thread each.

use std::thread;

use common::fail;

const WARMUP_SIZE: u64 = 7;

fn main() {
    common::Kernel {
        name: "fannkuch",
        default_size: 7,
        max_size: 12,
        size_what: "n",
        warmup_size: WARMUP_SIZE,
        run,
    }
    .main();
}

/// The problem's program: the checksum, then "Pfannkuchen(n) = maxflips".
fn run(n: usize, threads: usize) -> String {
    let mut fact = vec![1u64; n + 1];
    for i in 1..=n {
        fact[i] = fact[i - 1] * i as u64;
    }
    let total = fact[n];
    let fact = &fact;
    let (checksum, max_flips) = thread::scope(|s| {
        let handles: Vec<_> = (0..threads as u64)
            .map(|t| {
                let lo = (t as u128 * total as u128 / threads as u128) as u64;
                let hi = ((t + 1) as u128 * total as u128 / threads as u128) as u64;
                thread::Builder::new()
                    .spawn_scoped(s, move || block(n, fact, lo, hi))
                    .unwrap_or_else(|e| fail(&format!("cannot start thread {t}: {e}")))
            })
            .collect();
        handles.into_iter().fold((0i64, 0u32), |(sum, max), h| {
            let (s, m) = h
                .join()
                .unwrap_or_else(|_| fail("a fannkuch thread panicked"));
            (sum + s, max.max(m))
        })
    });
    format!("{checksum}\nPfannkuchen({n}) = {max_flips}\n")
}

/// Visits permutations [lo, hi): the signed flip sum (+ for even indices, - for odd) and the
/// largest flip count.
fn block(n: usize, fact: &[u64], lo: u64, hi: u64) -> (i64, u32) {
    let (mut checksum, mut max_flips) = (0i64, 0u32);
    if lo >= hi {
        return (0, 0);
    }
    let mut perm: Vec<usize> = (0..n).collect();
    let mut count = vec![0usize; n];
    // The permutation with index lo: its digits in the factorial base say how far to rotate
    // each prefix.
    let mut rest = lo;
    for i in (1..n).rev() {
        let d = rest / fact[i];
        rest %= fact[i];
        count[i] = d as usize;
        perm[..=i].rotate_left(d as usize);
    }
    let mut flipped = vec![0usize; n];
    let mut idx = lo;
    loop {
        if perm[0] != 0 {
            flipped.copy_from_slice(&perm);
            let mut flips = 0u32;
            let mut k = flipped[0];
            while k != 0 {
                flipped[..=k].reverse();
                flips += 1;
                k = flipped[0];
            }
            max_flips = max_flips.max(flips);
            if idx % 2 == 0 {
                checksum += i64::from(flips);
            } else {
                checksum -= i64::from(flips);
            }
        }
        idx += 1;
        if idx == hi {
            return (checksum, max_flips);
        }
        // The next permutation: rotate the prefix of length i+1 left by one, carrying into
        // longer prefixes as the counters wrap.
        let mut i = 1;
        loop {
            perm[..=i].rotate_left(1);
            count[i] += 1;
            if count[i] <= i {
                break;
            }
            count[i] = 0;
            i += 1;
        }
    }
}
