//! The Rust peer of the binarytrees workload (workloads/README.md): the binary-trees problem,
//! every node its own `Box` from the global allocator (the system's malloc, glibc); the trees of
//! each depth are split into contiguous shares, one scoped thread each.

use std::fmt::Write as _;
use std::thread;

use common::fail;

const MIN_DEPTH: usize = 4;
const WARMUP_SIZE: u64 = 10;

struct Node {
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

fn main() {
    common::Kernel {
        name: "binarytrees",
        default_size: 10,
        max_size: 30,
        size_what: "a depth",
        warmup_size: WARMUP_SIZE,
        run,
    }
    .main();
}

/// A perfect tree of the given depth (depth 0 is one node).
fn bottom_up(depth: usize) -> Box<Node> {
    if depth == 0 {
        return Box::new(Node {
            left: None,
            right: None,
        });
    }
    Box::new(Node {
        left: Some(bottom_up(depth - 1)),
        right: Some(bottom_up(depth - 1)),
    })
}

/// The number of nodes.
fn check(node: &Node) -> u64 {
    match (&node.left, &node.right) {
        (Some(l), Some(r)) => 1 + check(l) + check(r),
        _ => 1,
    }
}

/// The problem's program and its output lines.
fn run(n: usize, threads: usize) -> String {
    let max_depth = n.max(MIN_DEPTH + 2);
    let mut out = String::new();
    let stretch = bottom_up(max_depth + 1);
    let _ = writeln!(
        out,
        "stretch tree of depth {}\t check: {}",
        max_depth + 1,
        check(&stretch)
    );
    drop(stretch);
    let long_lived = bottom_up(max_depth);
    for depth in (MIN_DEPTH..=max_depth).step_by(2) {
        let iters = 1u64 << (max_depth - depth + MIN_DEPTH);
        // One thread computes in place: a spawned one would only add its start, and WASI
        // preview 1 (the wasm build) cannot start threads at all.
        let total: u64 = if threads == 1 {
            (0..iters).map(|_| check(&bottom_up(depth))).sum()
        } else {
            thread::scope(|s| {
                let handles: Vec<_> = (0..threads as u64)
                    .map(|t| {
                        let lo = t * iters / threads as u64;
                        let hi = (t + 1) * iters / threads as u64;
                        thread::Builder::new()
                            .spawn_scoped(s, move || {
                                (lo..hi).map(|_| check(&bottom_up(depth))).sum::<u64>()
                            })
                            .unwrap_or_else(|e| fail(&format!("cannot start thread {t}: {e}")))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|_| fail("a tree thread panicked")))
                    .sum()
            })
        };
        let _ = writeln!(out, "{iters}\t trees of depth {depth}\t check: {total}");
    }
    let _ = writeln!(
        out,
        "long lived tree of depth {max_depth}\t check: {}",
        check(&long_lived)
    );
    out
}
