//! Runs the built matmul peer and checks it against the protocol and workloads/README.md.

#[path = "../../testsupport/peer.rs"]
mod peer;

use peer::{checksum, refused, result, run, Expect};

const BIN: &str = env!("CARGO_BIN_EXE_matmul");

fn matmul(variant: &str, n: u64, threads: u64, seed: u64, extra: &[&str]) -> serde_json::Value {
    let (n_s, t_s, s_s) = (n.to_string(), threads.to_string(), seed.to_string());
    let mut args = vec![
        "--variant",
        variant,
        "--size",
        &n_s,
        "--threads",
        &t_s,
        "--seed",
        &s_s,
    ];
    args.extend_from_slice(extra);
    let iters = extra
        .iter()
        .position(|a| *a == "--iters")
        .map_or(1, |i| extra[i + 1].parse().unwrap());
    result(
        &run(BIN, &args),
        &Expect {
            workload: "matmul",
            variant,
            params: [n, iters, threads, seed],
            hiccup: extra.contains(&"--hiccup"),
        },
    )
}

fn values(checksum: &str) -> Vec<f64> {
    checksum
        .split(' ')
        .map(|f| {
            f.parse()
                .unwrap_or_else(|e| panic!("{f:?} in {checksum:?}: {e}"))
        })
        .collect()
}

/// The suite's tolerance: |a - b| <= 1e-9 * max(|a|, |b|) + 1e-6 per value.
fn assert_close(a: &str, b: &str) {
    let (va, vb) = (values(a), values(b));
    assert_eq!(va.len(), 9, "{a:?}");
    assert_eq!(vb.len(), 9, "{b:?}");
    for (x, y) in va.iter().zip(&vb) {
        assert!(
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()) + 1e-6,
            "{x} vs {y}: checksums {a:?} and {b:?}"
        );
    }
}

/// An independent reference: the workload's generator and definition written out plainly,
/// with the product done as dot products (another summation order than i-k-j).
fn reference_checksum(n: usize, seed: u64) -> String {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        let z = z ^ (z >> 31);
        (z >> 11) as f64 * 2f64.powi(-53) * 2.0 - 1.0
    };
    let a: Vec<f64> = (0..n * n).map(|_| next()).collect();
    let b: Vec<f64> = (0..n * n).map(|_| next()).collect();
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            c[i * n + j] = (0..n).map(|k| a[i * n + k] * b[k * n + j]).sum();
        }
    }
    let mut vals = vec![c.iter().sum::<f64>()];
    for k in 0..8u64 {
        vals.push(c[(k.wrapping_mul(0x9E3779B97F4A7C15) % (n * n) as u64) as usize]);
    }
    vals.iter()
        .map(|v| format!("{v:e}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn naive_and_faer_agree_n64() {
    let reference = reference_checksum(64, 42);
    let naive1 = checksum(&matmul("naive", 64, 1, 42, &[]));
    assert_close(&naive1, &reference);
    for threads in [1, 2] {
        let naive = checksum(&matmul("naive", 64, threads, 42, &[]));
        // Splitting rows over threads changes no summation order: bit-identical.
        assert_eq!(naive, naive1, "naive threads {threads}");
        let faer = checksum(&matmul("faer", 64, threads, 42, &[]));
        assert_close(&naive, &faer);
    }
}

#[test]
fn odd_sizes_threads_and_iters() {
    // An order that does not split evenly, more threads than rows, several multiplies.
    let base = checksum(&matmul("naive", 7, 1, 3, &[]));
    assert_close(&base, &reference_checksum(7, 3));
    for threads in [2, 3, 9] {
        let v = matmul("naive", 7, threads, 3, &["--iters", "3", "--hiccup"]);
        assert_eq!(checksum(&v), base);
        assert_eq!(v["ops"], 3);
        let v = matmul("faer", 7, threads, 3, &["--iters", "2"]);
        assert_close(&checksum(&v), &base);
        assert_eq!(v["ops"], 2);
    }
    // n = 1: C = a * b, and every sampled index is 0.
    let one = values(&checksum(&matmul("naive", 1, 1, 5, &[])));
    assert!(one.iter().all(|&x| x == one[0]));
}

#[test]
fn defaults() {
    let out = run(BIN, &[]);
    let v = result(
        &out,
        &Expect {
            workload: "matmul",
            variant: "naive",
            params: [256, 1, 1, 42],
            hiccup: false,
        },
    );
    assert_eq!(values(&checksum(&v)).len(), 9);
    assert_eq!(v["ops"], 1);
}

#[test]
fn refuses_bad_command_lines() {
    assert_eq!(
        refused(&run(BIN, &["--bogus", "1"]), "matmul"),
        "matmul: unknown flag --bogus"
    );
    assert_eq!(
        refused(&run(BIN, &["--variant=openblas"]), "matmul"),
        r#"matmul: unknown variant "openblas" (have naive, faer)"#
    );
    refused(&run(BIN, &["--size", "0"]), "matmul");
    refused(&run(BIN, &["--threads", "0"]), "matmul");
    refused(&run(BIN, &["--seed", "-3"]), "matmul");
}
