//! The CPU-kernel peers' shared `main` (workloads/README.md, "CPU kernels"): flags, the size's
//! bounds, one untimed warm-up run, the timed runs and the result line, whose checksum is
//! FNV-1a 64 of the last run's output.

use crate::{fnv1a64_hex, report, usage, Params, Region};

/// A CPU kernel: a program that builds its whole output in memory for a size n with some
/// threads.
pub struct Kernel<T: AsRef<[u8]>> {
    pub name: &'static str,
    pub default_size: u64,
    /// The largest `--size`; 0 for no bound.
    pub max_size: u64,
    /// What `--size` is, for the usage line: "a depth", "an order".
    pub size_what: &'static str,
    /// The untimed warm-up run's size (or `--size`, if smaller).
    pub warmup_size: u64,
    /// The program: its whole output for size n with the given threads.
    pub run: fn(usize, usize) -> T,
}

impl<T: AsRef<[u8]>> Kernel<T> {
    /// Runs the kernel as a peer: the protocol's flags (variant `std`, `--size` in
    /// [1, max_size]), one untimed warm-up run, then `--iters` timed runs and the result line.
    pub fn main(&self) {
        let mut p = Params {
            size: self.default_size,
            ..Params::defaults("std")
        };
        p.parse();
        p.require_variant(&["std"]);
        if p.size == 0 || (self.max_size > 0 && p.size > self.max_size) {
            let bound = if self.max_size > 0 {
                format!("in [1, {}]", self.max_size)
            } else {
                "at least 1".to_string()
            };
            usage(&format!(
                "--size: {} needs {} {bound}",
                self.name, self.size_what
            ));
        }
        let threads = usize::try_from(p.threads).unwrap_or(usize::MAX);
        let size = usize::try_from(p.size).unwrap_or(usize::MAX);
        (self.run)(size.min(self.warmup_size as usize), threads); // warm-up, untimed
        let mut out = None;
        let region = Region::begin(&p);
        for _ in 0..p.iters {
            out = Some((self.run)(size, threads));
        }
        let m = region.end();
        let sum = out.map_or_else(|| fnv1a64_hex(b""), |o| fnv1a64_hex(o.as_ref()));
        report(self.name, &p, p.iters, &m, &sum);
    }
}
