//! The Rust peer of the echo workload (workloads/README.md, "echo"): a small HTTP/1.1 service
//! on a loopback address, served until SIGTERM.
//!
//! - `POST /echo`: 200 with the request body byte for byte, `Content-Type` copied from the
//!   request (`application/octet-stream` when it has none); bodies up to 16 MiB, 413 beyond.
//! - `GET /health`: 200, body `ok`.
//! - Anything else, other methods on those two paths included (`HEAD /health` too): 404.
//!
//! Variants: `axum` (the default; axum on a tokio multi-thread runtime with `--threads`
//! workers) and `hyper` (hyper's HTTP/1 server, `--threads` OS threads each running its own
//! tokio current_thread runtime, all accepting on the same listening socket).
//!
//! The protocol's side (PROTOCOL.md, "Server peers"): `READY <addr>` once accepting; on SIGTERM
//! (or SIGINT) the server stops accepting, lets in-flight connections finish for at most
//! [`DRAIN`], and prints the result line: `ops` = requests answered (any status), `elapsed_ns`
//! = READY to SIGTERM, checksum = FNV-1a 64 of `echo`.

mod with_axum;
mod with_hyper;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::{fail, Params};
use tokio::signal::unix::{signal, Signal, SignalKind};

const WORKLOAD: &str = "echo";

/// The largest request body `POST /echo` takes: 16 MiB. Larger ones get 413.
const MAX_BODY: usize = 16 << 20;

/// How long, after SIGTERM, in-flight connections may take to finish before the server stops
/// regardless.
const DRAIN: Duration = Duration::from_secs(1);

/// The `Content-Type` of an echo whose request has none.
const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// Requests answered so far, whatever the status: the result line's `ops`.
static OPS: AtomicU64 = AtomicU64::new(0);

fn answered() {
    OPS.fetch_add(1, Ordering::Relaxed);
}

fn main() {
    let mut p = Params::defaults("axum");
    p.parse();
    p.require_variant(&["axum", "hyper"]);
    let threads = usize::try_from(p.threads).unwrap_or(usize::MAX);
    let ln = common::listen(&mut p);
    // std's TcpListener::bind listens with a backlog of 128, Go's net.Listen with the system's
    // net.core.somaxconn. Listen again with the largest backlog (Linux caps it at somaxconn)
    // so that a burst of connections is not dropped by the Rust peer alone.
    if let Err(e) = socket2::SockRef::from(&ln).listen(i32::MAX) {
        fail(&format!("cannot set the listen backlog on {}: {e}", p.addr));
    }
    if let Err(e) = ln.set_nonblocking(true) {
        fail(&format!("cannot make the listener non-blocking: {e}"));
    }
    let m = match p.variant.as_str() {
        "axum" => with_axum::serve(&p, ln, threads),
        _ => with_hyper::serve(&p, ln, threads),
    };
    // Every server thread has stopped: the count is final. It is printed as it is, even 0
    // (no request served), which the harness then rejects, as it should.
    let ops = OPS.load(Ordering::Relaxed);
    common::report(WORKLOAD, &p, ops, &m, &common::server_checksum(WORKLOAD));
}

/// Whether a request announces a body larger than [`MAX_BODY`] in its `Content-Length`, so it
/// can be refused before it is read. (A chunked body is cut off by the limit while read.)
fn announces_too_much(headers: &hyper::HeaderMap) -> bool {
    headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY as u64)
}

/// The signals that stop the server: SIGTERM from the harness, SIGINT from a person at a
/// terminal. Create it (inside a tokio runtime with I/O enabled) before READY is printed, so
/// that a SIGTERM right after READY is caught rather than fatal.
struct StopSignals {
    term: Signal,
    int: Signal,
}

impl StopSignals {
    fn install() -> StopSignals {
        let install = |kind: SignalKind, name: &str| {
            signal(kind).unwrap_or_else(|e| fail(&format!("cannot handle {name}: {e}")))
        };
        StopSignals {
            term: install(SignalKind::terminate(), "SIGTERM"),
            int: install(SignalKind::interrupt(), "SIGINT"),
        }
    }

    /// Returns when either signal arrives.
    async fn wait(mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::{HeaderValue, CONTENT_LENGTH};

    #[test]
    fn announced_length_against_the_limit() {
        let with = |v: &'static str| {
            let mut h = hyper::HeaderMap::new();
            h.insert(CONTENT_LENGTH, HeaderValue::from_static(v));
            announces_too_much(&h)
        };
        assert!(!announces_too_much(&hyper::HeaderMap::new()));
        assert!(!with("0"));
        assert!(!with("16777216"));
        assert!(with("16777217"));
        assert!(with("18446744073709551615"));
        // Not a number: left to hyper, which refuses such a request itself.
        assert!(!with("x"));
    }
}
