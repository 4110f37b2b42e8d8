//! Runs the built fanout peer and checks it against the protocol and the expected-checksum
//! table shared with the Go and C tests (workloads/fanout/checksums.txt).

#[path = "../../testsupport/peer.rs"]
mod peer;

use peer::{checksum, refused, result, run, Expect};

const BIN: &str = env!("CARGO_BIN_EXE_fanout");

/// (size, seed, checksum) rows of the shared table.
fn table() -> Vec<(u64, u64, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../workloads/fanout/checksums.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let rows: Vec<_> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<_> = l.split_whitespace().collect();
            assert_eq!(f.len(), 3, "bad line {l:?}");
            (
                f[0].parse().unwrap(),
                f[1].parse().unwrap(),
                f[2].to_string(),
            )
        })
        .collect();
    assert!(!rows.is_empty());
    rows
}

fn fanout(variant: &str, size: u64, seed: u64, k: u64, b: u64, threads: u64) -> serde_json::Value {
    let a = [size, seed, k, b, threads].map(|v| v.to_string());
    let args = [
        "--variant",
        variant,
        "--size",
        &a[0],
        "--seed",
        &a[1],
        "--workers",
        &a[2],
        "--capacity",
        &a[3],
        "--threads",
        &a[4],
    ];
    let v = result(
        &run(BIN, &args),
        &Expect {
            workload: "fanout",
            variant,
            params: [size, 1, threads, seed],
            hiccup: false,
        },
    );
    assert_eq!(v["params"]["workers"].as_u64(), Some(k), "{v}");
    assert_eq!(v["params"]["capacity"].as_u64(), Some(b), "{v}");
    assert_eq!(v["ops"].as_u64(), Some(size), "{v}");
    v
}

#[test]
fn every_variant_and_shape_matches_the_table() {
    for (size, seed, want) in table() {
        for variant in ["crossbeam", "flume", "tokio", "tokio-flume", "std"] {
            for (k, b, threads) in [(1, 1, 1), (3, 0, 2), (64, 7, 2)] {
                // Every shape on the small rows, one on the large: the test stays fast.
                if (variant == "tokio" && b == 0) || (size > 1000 && k != 1) {
                    continue;
                }
                let v = fanout(variant, size, seed, k, b, threads);
                assert_eq!(checksum(&v), want, "{variant} k={k} b={b}: {v}");
            }
        }
    }
}

#[test]
fn refusals_exit_2_with_one_line() {
    for args in [
        &["--workers", "0"][..],
        &["--workers", "-1"],
        &["--capacity", "x"],
        &["--variant", "tokio", "--capacity", "0"],
        &["--size", "0"],
        &["--variant", "chan"],
        &["--bogus"],
    ] {
        refused(&run(BIN, args), "fanout");
    }
}
