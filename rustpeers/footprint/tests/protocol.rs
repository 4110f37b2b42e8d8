//! Runs the built footprint peer and checks it against the protocol and workloads/README.md.

#[path = "../../testsupport/peer.rs"]
mod peer;

use peer::{checksum, refused, result, run, Expect};

const BIN: &str = env!("CARGO_BIN_EXE_footprint");

#[test]
fn both_variants_report_their_measurements() {
    for (variant, n) in [("tokio", 2000u64), ("thread", 200)] {
        let ns = n.to_string();
        let v = result(
            &run(
                BIN,
                &["--variant", variant, "--size", &ns, "--threads", "2"],
            ),
            &Expect {
                workload: "footprint",
                variant,
                params: [n, 1, 2, 1],
                hiccup: false,
            },
        );
        // FNV-1a 64 of the decimal count of tasks that parked.
        assert_eq!(checksum(&v), common::fnv1a64_hex(ns.as_bytes()), "{v}");
        assert_eq!(v["ops"].as_u64(), Some(n));
        let e = &v["extra"];
        for k in [
            "rss_before_kib",
            "rss_parked_kib",
            "spawn_ns",
            "park_ns",
            "join_ns",
        ] {
            assert!(e[k].as_u64().is_some(), "extra lacks {k}: {v}");
        }
        assert!(e["rss_before_kib"].as_u64().unwrap() > 0, "{v}");
        assert_eq!(
            e.get("stack_bytes").and_then(|s| s.as_u64()),
            (variant == "thread").then_some(2 << 20),
            "{v}"
        );
    }
}

#[test]
fn refusals_exit_2_with_one_line() {
    for args in [
        &["--size", "0"][..],
        &["--iters", "2"],
        &["--variant", "goroutine"],
        // Far beyond any memory: refused before starting, with MemAvailable named.
        &["--size", "1000000000000"],
        // Far beyond any thread limit (pid_max is at most 2^22).
        &["--variant", "thread", "--size", "10000000"],
    ] {
        refused(&run(BIN, args), "footprint");
    }
}
