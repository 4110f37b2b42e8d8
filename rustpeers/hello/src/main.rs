//! The Rust peer of the hello workload (workloads/README.md): prints "hello, world" and the
//! result line, and so measures what it costs a Rust program to start.
//!
//! Deliberately minimal: no hiccup thread and no other set-up, as the workload says. Every
//! flag is accepted (the protocol asks that) and none is used, `--hiccup` included: this
//! binary does not link the hiccup meter at all, so it never reports a `hiccup` object.

use std::io::Write;
use std::time::Instant;

const LINE: &[u8] = b"hello, world\n";

fn main() {
    let mut p = common::Params::defaults("std");
    p.parse();
    p.require_variant(&["std"]);
    let start = Instant::now();
    // Stdout is line-buffered: the newline makes this one write(2), inside the timed region.
    if let Err(e) = std::io::stdout().lock().write_all(LINE) {
        common::fail(&format!("writing to stdout: {e}"));
    }
    let m = common::Measurement {
        elapsed_ns: u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX),
        hiccup: None,
    };
    common::report("hello", &p, 1, &m, &common::fnv1a64_hex(LINE));
}
