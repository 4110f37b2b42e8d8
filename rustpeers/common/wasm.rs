//! The `common` crate as the WebAssembly peers (hello, nbody) link it: the same modules as
//! `src/lib.rs` except `server` (loopback TCP, which they do not use and which needs a newer
//! std).
//!
//! The harness builds it with Debian's rustc (1.63, the one that ships a wasm32-wasi std)
//! directly, without cargo: `bench/build/wasm.go`. Keep it to what 1.63 accepts.

// The peers built for wasm use part of each module (none of the phase reports, for one).
#![allow(dead_code)]

#[path = "src/flags.rs"]
mod flags;
#[path = "src/hash.rs"]
mod hash;
#[path = "src/hiccup.rs"]
mod hiccup;
#[path = "src/kernel.rs"]
mod kernel;
#[path = "src/result.rs"]
mod result;

pub use flags::{fail, program_name, usage, Params};
pub use hash::{fnv1a64, fnv1a64_hex, SplitMix64};
pub use hiccup::{Hiccup, HiccupMeter, Histogram, HICCUP_INTERVAL};
pub use kernel::Kernel;
pub use result::{report, report_extra, result_line, vmhwm_kib, Measurement, Region};
