//! Runs the built ffi peer and checks it against the protocol and workloads/README.md.

#[path = "../../testsupport/peer.rs"]
mod peer;

use peer::{checksum, refused, result, run, Expect};

const BIN: &str = env!("CARGO_BIN_EXE_ffi");

fn ffi(variant: &str, args: &[&str], params: [u64; 4], hiccup: bool) -> serde_json::Value {
    let mut all = vec!["--variant", variant];
    all.extend_from_slice(args);
    result(
        &run(BIN, &all),
        &Expect {
            workload: "ffi",
            variant,
            params,
            hiccup,
        },
    )
}

#[test]
fn both_variants_sum_the_same() {
    // acc = 0 + 1 + ... + 999 = 499500.
    let want = common::fnv1a64_hex(b"499500");
    for variant in ["ffi", "plain"] {
        let v = ffi(variant, &["--iters", "1000"], [0, 1000, 1, 1], false);
        assert_eq!(checksum(&v), want, "variant {variant}");
        assert_eq!(v["ops"], 1000);
    }
}

#[test]
fn wraps_like_c() {
    // One call: acc = 0 + 0. Two: 0 + 1. Both variants, and the C add wraps at 2^64 like
    // Rust's wrapping_add, which the sums here never reach; the checksum is of the decimal.
    for variant in ["ffi", "plain"] {
        let v = ffi(variant, &["--iters=1"], [0, 1, 1, 1], false);
        assert_eq!(checksum(&v), common::fnv1a64_hex(b"0"));
        let v = ffi(variant, &["--iters=2", "--hiccup"], [0, 2, 1, 1], true);
        assert_eq!(checksum(&v), common::fnv1a64_hex(b"1"));
    }
}

#[test]
fn default_is_the_ffi_variant_with_1e8_calls() {
    let out = run(BIN, &[]);
    let v = result(
        &out,
        &Expect {
            workload: "ffi",
            variant: "ffi",
            params: [0, 100_000_000, 1, 1],
            hiccup: false,
        },
    );
    // sum of 0..1e8 = 4999999950000000
    assert_eq!(checksum(&v), common::fnv1a64_hex(b"4999999950000000"));
    assert_eq!(v["ops"], 100_000_000u64);
}

#[test]
fn refuses_bad_command_lines() {
    assert_eq!(
        refused(&run(BIN, &["--bogus"]), "ffi"),
        "ffi: unknown flag --bogus"
    );
    assert_eq!(
        refused(&run(BIN, &["--variant", "cgo"]), "ffi"),
        r#"ffi: unknown variant "cgo" (have ffi, plain)"#
    );
    assert_eq!(
        refused(&run(BIN, &["--iters", "0"]), "ffi"),
        r#"ffi: --iters: "0" is not an integer >= 1"#
    );
}
