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

fn run_ffi(iters: u64) -> u64 {
    let mut acc = 0u64;
    for i in 0..iters {
        // SAFETY: gorb_add is a pure C function of two integers (ffi/c/gorb_add.c).
        acc = unsafe { gorb_add(acc, i) };
    }
    acc
}

fn run_plain(iters: u64) -> u64 {
    let mut acc = 0u64;
    for i in 0..iters {
        acc = add(black_box(acc), black_box(i));
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

    let region = common::Region::begin(&p);
    let acc = match p.variant.as_str() {
        "ffi" => run_ffi(p.iters),
        _ => run_plain(p.iters),
    };
    let m = region.end();

    let checksum = common::fnv1a64_hex(acc.to_string().as_bytes());
    common::report("ffi", &p, p.iters, &m, &checksum);
}
