//! Shared by the peers' integration tests (each includes this file with `#[path]`): runs a
//! built peer and checks its result line the way the harness does (bench/peer.ParseResult).

#![allow(dead_code)]

use std::process::{Command, Output};

use serde_json::Value;

/// Runs the peer at `bin` with `args` and returns what it did.
pub fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"))
}

/// What the harness expects of a run: the workload, variant and parameters it started.
pub struct Expect<'a> {
    pub workload: &'a str,
    pub variant: &'a str,
    /// size, iters, threads, seed
    pub params: [u64; 4],
    /// The result line must carry the hiccup object (the peer ran with `--hiccup` and meters).
    pub hiccup: bool,
}

fn uint(v: &Value, key: &str, line: &str) -> u64 {
    v.get(key)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("{key} is not a non-negative integer in {line}"))
}

/// Checks that the run exited 0 with nothing on stderr and a valid result line as the last
/// line of stdout, and returns that line parsed.
pub fn result(out: &Output, want: &Expect) -> Value {
    let stdout = String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}, stderr {stderr:?}",
        out.status
    );
    assert!(stderr.is_empty(), "stderr {stderr:?}");
    assert!(
        stdout.ends_with('\n'),
        "stdout does not end with a newline: {stdout:?}"
    );
    let line = stdout.trim_end_matches('\n').rsplit('\n').next().unwrap();
    let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert!(v.is_object(), "not an object: {line}");
    assert_eq!(v["protocol"].as_u64(), Some(1), "{line}");
    assert_eq!(v["workload"].as_str(), Some(want.workload), "{line}");
    assert_eq!(v["lang"].as_str(), Some("rust"), "{line}");
    assert_eq!(v["variant"].as_str(), Some(want.variant), "{line}");
    let params = &v["params"];
    let got = ["size", "iters", "threads", "seed"].map(|k| uint(params, k, line));
    assert_eq!(got, want.params, "params echoed in {line}");
    assert!(uint(&v, "ops", line) >= 1, "{line}");
    uint(&v, "elapsed_ns", line);
    assert!(
        !v["checksum"].as_str().unwrap_or_default().is_empty(),
        "{line}"
    );
    assert!(uint(&v, "vmhwm_kib", line) > 0, "{line}");
    assert!(v.get("go").is_none(), "{line}");
    match v.get("hiccup") {
        Some(h) => {
            assert!(want.hiccup, "unexpected hiccup object: {line}");
            assert_eq!(uint(h, "interval_ns", line), 1_000_000);
            uint(h, "count", line);
            let q = ["p50_ns", "p99_ns", "p999_ns", "max_ns"].map(|k| uint(h, k, line));
            assert!(
                q[0] <= q[1] && q[1] <= q[2],
                "quantiles out of order: {line}"
            );
        }
        None => assert!(!want.hiccup, "missing the hiccup object: {line}"),
    }
    v
}

/// The checksum of a parsed result line.
pub fn checksum(v: &Value) -> String {
    v["checksum"].as_str().unwrap().to_string()
}

/// Checks that the run was refused as a bad command line: exit 2, nothing on stdout, one line
/// `<program>: ...` on stderr. Returns that line.
pub fn refused(out: &Output, program: &str) -> String {
    let stderr = String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8");
    assert_eq!(out.status.code(), Some(2), "stderr {stderr:?}");
    assert!(
        out.stdout.is_empty(),
        "stdout {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.ends_with('\n') && stderr.matches('\n').count() == 1,
        "{stderr:?}"
    );
    assert!(stderr.starts_with(&format!("{program}: ")), "{stderr:?}");
    stderr.trim_end().to_string()
}
