//! The Rust peer of the ffi workload (workloads/README.md): `iters` calls of a trivial add,
//! through `extern "C"` to the C function `gorb_add` (variant `ffi`) or to a Rust function that
//! is never inlined (variant `plain`).

use std::hint::black_box;

extern "C" {
    fn gorb_add(a: u64, b: u64) -> u64;
}

/// The plain variant's function: never inlined, like the C one behind the FFI boundary.
#[inline(never)]
fn add(a: u64, b: u64) -> u64 {
    a.wrapping_add(b)
}

/// The loop of both variants calls through a function pointer that `black_box` hides from
/// the optimiser once, outside the loop: the call cannot be inlined, folded or hoisted, and
/// nothing is added to the loop-carried chain `acc` (no stack round trip per iteration, as
/// `black_box` on the arguments did). The variants differ only in the function called; both
/// loops compile to the same `call *reg` (workloads/README.md, ffi).
fn run_ffi(iters: u64) -> u64 {
    let f: unsafe extern "C" fn(u64, u64) -> u64 = black_box(gorb_add);
    let mut acc = 0u64;
    for i in 0..iters {
        // SAFETY: gorb_add is a pure C function of two integers (ffi/c/gorb_add.c).
        acc = unsafe { f(acc, i) };
    }
    acc
}

fn run_plain(iters: u64) -> u64 {
    let f: fn(u64, u64) -> u64 = black_box(add);
    let mut acc = 0u64;
    for i in 0..iters {
        acc = f(acc, i);
    }
    acc
}

fn main() {
    let mut p = common::Params {
        iters: 100_000_000,
        ..common::Params::defaults("ffi")
    };
    p.parse();
    p.require_variant(&["ffi", "plain"]);

    let run: fn(u64) -> u64 = match p.variant.as_str() {
        "ffi" => run_ffi,
        _ => run_plain,
    };
    // One untimed warm-up operation (PROTOCOL.md): the first call pays for resolving the
    // symbol and faulting in the code; its result is discarded.
    black_box(run(1));
    let region = common::Region::begin(&p);
    let acc = run(p.iters);
    let m = region.end();

    let checksum = common::fnv1a64_hex(acc.to_string().as_bytes());
    common::report("ffi", &p, p.iters, &m, &checksum);
}
