//! The timed region and the result line (PROTOCOL.md, "The result line").

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::Instant;

use crate::flags::{fail, Params};
use crate::hiccup::{Hiccup, HiccupMeter};

/// A peer's timed region: its own monotonic clock, and the hiccup meter when `--hiccup` was
/// given. Begin it once the input is ready.
pub struct Region {
    start: Instant,
    meter: Option<HiccupMeter>,
}

/// What a timed region measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measurement {
    /// Nanoseconds of the timed region.
    pub elapsed_ns: u64,
    /// The hiccup meter's summary, when it ran.
    pub hiccup: Option<Hiccup>,
}

impl Region {
    /// Starts the timed region (and the hiccup meter, with `--hiccup`; nothing else otherwise).
    pub fn begin(p: &Params) -> Region {
        let meter = p.hiccup.then(HiccupMeter::start);
        Region {
            start: Instant::now(),
            meter,
        }
    }

    /// Ends the timed region: call it right after the last timed operation. The clock is read
    /// first; the hiccup meter is stopped after.
    pub fn end(self) -> Measurement {
        let elapsed = self.start.elapsed();
        let hiccup = self.meter.map(HiccupMeter::stop);
        Measurement {
            elapsed_ns: u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX),
            hiccup,
        }
    }
}

/// Prints the result line as the last line of stdout and flushes stdout; VmHWM is read just
/// before. A stdout that cannot be written is a failure (exit 1).
pub fn report(workload: &str, p: &Params, ops: u64, m: &Measurement, checksum: &str) {
    let line = result_line(
        workload,
        p,
        ops,
        m.elapsed_ns,
        checksum,
        vmhwm_kib(),
        m.hiccup.as_ref(),
    );
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
        fail(&format!("writing the result line: {e}"));
    }
}

/// [`report`] with the result line's optional `extra` object: workload-defined measurements,
/// names and non-negative integers, in the order given.
pub fn report_extra(
    workload: &str,
    p: &Params,
    ops: u64,
    m: &Measurement,
    checksum: &str,
    extra: &[(&str, u64)],
) {
    let mut line = result_line(
        workload,
        p,
        ops,
        m.elapsed_ns,
        checksum,
        vmhwm_kib(),
        m.hiccup.as_ref(),
    );
    if !extra.is_empty() {
        line.truncate(line.len() - 2); // "}\n"
        line.push_str(r#","extra":{"#);
        for (i, (k, v)) in extra.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            push_json_string(&mut line, k);
            let _ = write!(line, ":{v}");
        }
        line.push_str("}}\n");
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
        fail(&format!("writing the result line: {e}"));
    }
}

/// One named part of a timed region (PROTOCOL.md, "phases"): its time and the bytes
/// allocated during it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Phase {
    pub name: &'static str,
    pub ns: u64,
    pub alloc_bytes: u64,
}

/// Like `report`, with the optional fields `alloc_bytes` (the phases' sum) and `phases`;
/// `elapsed_ns` becomes the sum of the phases' times (the work between phases is not the
/// workload's).
pub fn report_phases(
    workload: &str,
    p: &Params,
    ops: u64,
    m: &Measurement,
    checksum: &str,
    phases: &[Phase],
) {
    let ns = phases.iter().map(|ph| ph.ns).sum();
    let mut line = result_line(
        workload,
        p,
        ops,
        ns,
        checksum,
        vmhwm_kib(),
        m.hiccup.as_ref(),
    );
    line.truncate(line.len() - 2); // "}\n"
    push_phases(&mut line, phases);
    line.push_str("}\n");
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
        fail(&format!("writing the result line: {e}"));
    }
}

fn push_phases(b: &mut String, phases: &[Phase]) {
    let total: u64 = phases.iter().map(|ph| ph.alloc_bytes).sum();
    let _ = write!(b, r#","alloc_bytes":{total},"phases":{{"#);
    for (i, ph) in phases.iter().enumerate() {
        if i > 0 {
            b.push(',');
        }
        push_json_string(b, ph.name);
        let _ = write!(b, r#":{{"ns":{},"alloc_bytes":{}}}"#, ph.ns, ph.alloc_bytes);
    }
    b.push('}');
}

/// Formats the protocol's result line for a Rust peer, newline included.
pub fn result_line(
    workload: &str,
    p: &Params,
    ops: u64,
    elapsed_ns: u64,
    checksum: &str,
    vmhwm_kib: i64,
    hiccup: Option<&Hiccup>,
) -> String {
    let mut b = String::with_capacity(384);
    b.push_str(r#"{"protocol":1,"workload":"#);
    push_json_string(&mut b, workload);
    b.push_str(r#","lang":"rust","variant":"#);
    push_json_string(&mut b, &p.variant);
    // Writing to a String cannot fail.
    let _ = write!(
        b,
        r#","params":{{"size":{},"iters":{},"threads":{},"seed":{}"#,
        p.size, p.iters, p.threads, p.seed
    );
    if let Some(w) = p.workers {
        let _ = write!(b, r#","workers":{w}"#);
    }
    if let Some(c) = p.capacity {
        let _ = write!(b, r#","capacity":{c}"#);
    }
    let _ = write!(b, r#"}},"ops":{ops},"elapsed_ns":{elapsed_ns},"checksum":"#);
    push_json_string(&mut b, checksum);
    let _ = write!(b, r#","vmhwm_kib":{vmhwm_kib}"#);
    if let Some(h) = hiccup {
        let _ = write!(
            b,
            r#","hiccup":{{"interval_ns":{},"count":{},"p50_ns":{},"p99_ns":{},"p999_ns":{},"max_ns":{}}}"#,
            h.interval_ns, h.count, h.p50_ns, h.p99_ns, h.p999_ns, h.max_ns
        );
    }
    b.push_str("}\n");
    b
}

/// Appends `s` as a JSON string literal.
fn push_json_string(b: &mut String, s: &str) {
    b.push('"');
    for c in s.chars() {
        match c {
            '"' => b.push_str("\\\""),
            '\\' => b.push_str("\\\\"),
            '\n' => b.push_str("\\n"),
            '\r' => b.push_str("\\r"),
            '\t' => b.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(b, "\\u{:04x}", u32::from(c));
            }
            c => b.push(c),
        }
    }
    b.push('"');
}

/// The peak resident set size, `VmHWM` from /proc/self/status, in KiB; -1 if unreadable
/// (which the harness rejects, as it should).
pub fn vmhwm_kib() -> i64 {
    // No let-else: this crate also builds with Debian's rustc 1.63 for the wasm hello
    // (common/wasm.rs).
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| parse_vmhwm(&status))
        .unwrap_or(-1)
}

fn parse_vmhwm(status: &str) -> Option<i64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The result lines every kit must print for the same inputs (the Go and C kits and the
    /// harness's validator read the same table): this kit's rows, byte for byte.
    #[test]
    fn shared_result_lines() {
        let table = include_str!("../../../bench/peer/testdata/result-lines.txt");
        let mut n = 0;
        for row in table.lines().filter(|l| !l.starts_with('#')) {
            let c: Vec<&str> = row.split('\t').collect();
            assert_eq!(c.len(), 14, "{row}");
            if c[1] != "rust" {
                continue;
            }
            let num = |i: usize| c[i].parse::<u64>().expect("a number");
            let opt = |i: usize| (c[i] != "-").then(|| num(i));
            let p = Params {
                size: num(3),
                iters: num(4),
                threads: num(5),
                seed: num(6),
                workers: opt(7),
                capacity: opt(8),
                ..Params::defaults(c[2])
            };
            let vmhwm = c[12].parse::<i64>().expect("a number");
            let line = result_line(c[0], &p, num(9), num(10), c[11], vmhwm, None);
            assert_eq!(line, format!("{}\n", c[13]), "{} {}", c[0], c[2]);
            n += 1;
        }
        assert!(n > 0, "no Rust row in the shared table");
    }

    #[test]
    fn result_line_without_hiccup() {
        let p = Params::defaults("std");
        let line = result_line("hello", &p, 1, 2104, "e60e7ee648829675", 1084, None);
        assert_eq!(
            line,
            concat!(
                r#"{"protocol":1,"workload":"hello","lang":"rust","variant":"std","#,
                r#""params":{"size":0,"iters":1,"threads":1,"seed":1},"#,
                r#""ops":1,"elapsed_ns":2104,"checksum":"e60e7ee648829675","vmhwm_kib":1084}"#,
                "\n"
            )
        );
    }

    #[test]
    fn result_line_with_hiccup_and_escapes() {
        let p = Params {
            size: 512,
            iters: 3,
            threads: 2,
            seed: u64::MAX,
            ..Params::defaults("fa\"er")
        };
        let h = Hiccup {
            interval_ns: 1_000_000,
            count: 950,
            p50_ns: 61_000,
            p99_ns: 180_000,
            p999_ns: 410_000,
            max_ns: 522_311,
        };
        let line = result_line("matmul", &p, 3, 7, "1.5 -2e-7\\\n\u{1}", 20480, Some(&h));
        assert_eq!(
            line,
            concat!(
                r#"{"protocol":1,"workload":"matmul","lang":"rust","variant":"fa\"er","#,
                r#""params":{"size":512,"iters":3,"threads":2,"seed":18446744073709551615},"#,
                r#""ops":3,"elapsed_ns":7,"checksum":"1.5 -2e-7\\\n\u0001","vmhwm_kib":20480,"#,
                r#""hiccup":{"interval_ns":1000000,"count":950,"p50_ns":61000,"p99_ns":180000,"#,
                r#""p999_ns":410000,"max_ns":522311}}"#,
                "\n"
            )
        );
        // One line only: nothing inside may end it.
        assert_eq!(line.matches('\n').count(), 1);
    }

    #[test]
    fn phases_fields() {
        let mut b = String::new();
        let ph = [
            Phase {
                name: "decode",
                ns: 5,
                alloc_bytes: 7,
            },
            Phase {
                name: "encode",
                ns: 6,
                alloc_bytes: 8,
            },
        ];
        push_phases(&mut b, &ph);
        assert_eq!(
            b,
            r#","alloc_bytes":15,"phases":{"decode":{"ns":5,"alloc_bytes":7},"encode":{"ns":6,"alloc_bytes":8}}"#
        );
    }

    #[test]
    fn vmhwm() {
        let status = "Name:\tx\nVmPeak:\t  10 kB\nVmHWM:\t    1084 kB\nVmRSS:\t 900 kB\n";
        assert_eq!(parse_vmhwm(status), Some(1084));
        assert_eq!(parse_vmhwm("VmRSS:\t1 kB\n"), None);
        assert!(vmhwm_kib() > 0, "this process has a VmHWM");
    }

    #[test]
    fn region_measures() {
        let p = Params::defaults("std");
        let m = Region::begin(&p).end();
        assert!(m.hiccup.is_none());
        let p = Params {
            hiccup: true,
            ..Params::defaults("std")
        };
        let r = Region::begin(&p);
        std::thread::sleep(std::time::Duration::from_millis(5));
        let m = r.end();
        assert!(m.elapsed_ns >= 5_000_000);
        assert_eq!(m.hiccup.map(|h| h.interval_ns), Some(1_000_000));
    }

    #[test]
    fn result_line_echoes_workers_and_capacity() {
        let p = Params {
            workers: Some(64),
            capacity: Some(0),
            ..Params::defaults("crossbeam")
        };
        let line = result_line("fanout", &p, 1, 1, "x", 1, None);
        assert!(
            line.contains(r#""seed":1,"workers":64,"capacity":0},"ops""#),
            "{line}"
        );
    }
}
