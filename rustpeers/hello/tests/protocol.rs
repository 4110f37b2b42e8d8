//! Runs the built hello peer and checks it against the protocol and workloads/README.md.

#[path = "../../testsupport/peer.rs"]
mod peer;

use peer::{checksum, refused, result, run, Expect};

const BIN: &str = env!("CARGO_BIN_EXE_hello");

#[test]
fn prints_hello_and_the_result_line() {
    let out = run(BIN, &[]);
    let v = result(
        &out,
        &Expect {
            workload: "hello",
            variant: "std",
            params: [0, 1, 1, 1],
            hiccup: false,
        },
    );
    assert_eq!(checksum(&v), "e60e7ee648829675");
    assert_eq!(v["ops"], 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let (first, rest) = stdout.split_once('\n').unwrap();
    assert_eq!(first, "hello, world");
    assert_eq!(
        rest.matches('\n').count(),
        1,
        "nothing but the result line after: {rest:?}"
    );
}

#[test]
fn accepts_and_echoes_every_flag() {
    let out = run(
        BIN,
        &[
            "--size",
            "5",
            "--iters=2",
            "--threads",
            "3",
            "--seed",
            "9",
            "--variant=std",
            "--input",
            "/nonexistent",
            "--addr",
            "127.0.0.1:0",
        ],
    );
    let v = result(
        &out,
        &Expect {
            workload: "hello",
            variant: "std",
            params: [5, 2, 3, 9],
            hiccup: false,
        },
    );
    assert_eq!(checksum(&v), "e60e7ee648829675");
    assert_eq!(v["ops"], 1);
}

#[test]
fn ignores_hiccup() {
    // workloads/README.md: hello has no hiccup thread; --hiccup is accepted like every flag
    // and not used, so there is no hiccup object.
    let out = run(BIN, &["--hiccup"]);
    let v = result(
        &out,
        &Expect {
            workload: "hello",
            variant: "std",
            params: [0, 1, 1, 1],
            hiccup: false,
        },
    );
    assert_eq!(checksum(&v), "e60e7ee648829675");
}

#[test]
fn refuses_bad_command_lines() {
    assert_eq!(
        refused(&run(BIN, &["--bogus", "1"]), "hello"),
        "hello: unknown flag --bogus"
    );
    assert_eq!(
        refused(&run(BIN, &["--variant", "fast"]), "hello"),
        r#"hello: unknown variant "fast" (have std)"#
    );
    refused(&run(BIN, &["--iters", "0"]), "hello");
    refused(&run(BIN, &["--size"]), "hello");
    refused(&run(BIN, &["--hiccup=yes"]), "hello");
}
