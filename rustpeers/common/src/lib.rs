//! What every Rust peer shares: the peer protocol's flags, the result line, VmHWM, the hiccup
//! meter, the workloads' input generator and checksum, and the server peers' helpers (loopback
//! bind, READY, server checksum). The protocol itself is written down in
//! `bench/peer/PROTOCOL.md` and the workloads in `workloads/README.md`; this crate only
//! implements them, mirroring the Go kit `workloads/peerkit`.
//!
//! It uses std only, with no dependencies: every Rust peer links it, and the peers are measured
//! for binary size, start-up time and compile time.

mod alloc;
mod flags;
mod hash;
mod hiccup;
mod kernel;
mod result;
mod server;

pub use alloc::{allocated_bytes, CountingAlloc};
pub use flags::{fail, program_name, usage, Params};
pub use hash::{fnv1a64, fnv1a64_hex, SplitMix64};
pub use hiccup::{Hiccup, HiccupMeter, Histogram, HICCUP_INTERVAL};
pub use kernel::Kernel;
pub use result::{
    report, report_extra, report_phases, result_line, vmhwm_kib, Measurement, Phase, Region,
};
pub use server::{
    bound_addr, listen, loopback_addrs, ready, ready_line, server_checksum, try_listen,
    ListenError, DEFAULT_ADDR,
};
