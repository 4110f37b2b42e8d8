//! Shared by the CPU kernels' integration tests (included with `#[path]` next to `peer.rs`):
//! every size in workloads/testdata/kernels.txt gives its checksum with 1 and 3 threads, on a
//! valid result line, and bad command lines are refused.

use crate::peer::{checksum, refused, result, run, Expect};

/// (size, checksum) for `workload` from the shared table.
pub fn table(workload: &str) -> Vec<(u64, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../workloads/testdata/kernels.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases: Vec<(u64, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
            [w, size, sum] if w == workload => Some((size.parse().unwrap(), sum.to_string())),
            _ => None,
        })
        .collect();
    assert!(!cases.is_empty(), "no cases for {workload} in {path}");
    cases
}

/// Runs the peer at `bin` over the table and a few bad command lines.
pub fn check(bin: &str, workload: &str) {
    for (size, want) in table(workload) {
        for threads in [1u64, 3] {
            let (size_s, threads_s) = (size.to_string(), format!("--threads={threads}"));
            let args = ["--size", &size_s, &threads_s, "--iters", "2", "--seed", "9"];
            let v = result(
                &run(bin, &args),
                &Expect {
                    workload,
                    variant: "std",
                    params: [size, 2, threads, 9],
                    hiccup: false,
                },
            );
            assert_eq!(v["ops"].as_u64(), Some(2), "{v}");
            assert_eq!(
                checksum(&v),
                want,
                "{workload} --size {size} --threads {threads}"
            );
        }
    }
    for args in [
        &["--bogus", "1"][..],
        &["--size"],
        &["--size", "0"],
        &["--size", "x"],
        &["--threads", "0"],
        &["--variant", "simd"],
        &["--iters=0"],
    ] {
        refused(&run(bin, args), workload);
    }
}
