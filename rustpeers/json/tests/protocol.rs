//! Runs the built json peer on the committed fixtures (workloads/testdata/json) and on broken
//! inputs, and checks it against the protocol and workloads/README.md.

#[path = "../../testsupport/peer.rs"]
mod peer;

use std::path::PathBuf;

use peer::{checksum, refused, result, run, Expect};

const BIN: &str = env!("CARGO_BIN_EXE_json");
const VARIANTS: [&str; 4] = ["serde", "serde-borrow", "sonic-rs", "simd-json"];

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../workloads/testdata/json")
}

/// checksums.txt, which the Go tests read too: (file, expected checksum).
fn fixtures() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(testdata().join("checksums.txt")).unwrap();
    let v: Vec<_> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (f, c) = l.split_once(' ').unwrap();
            (f.to_owned(), c.to_owned())
        })
        .collect();
    assert_eq!(v.len(), 3, "{text}");
    v
}

#[test]
fn every_variant_gives_the_fixture_checksum() {
    for (file, want) in fixtures() {
        let path = testdata().join(&file);
        let path = path.to_str().unwrap();
        for variant in VARIANTS {
            let out = run(
                BIN,
                &[
                    "--input",
                    path,
                    "--variant",
                    variant,
                    "--iters",
                    "2",
                    "--size",
                    "4000",
                    "--hiccup",
                ],
            );
            let v = result(
                &out,
                &Expect {
                    workload: "json",
                    variant,
                    params: [4000, 2, 1, 1],
                    hiccup: true,
                },
            );
            assert_eq!(checksum(&v), want, "{file} {variant}");
            assert_eq!(v["ops"].as_u64(), Some(2));
            let (d, e) = (&v["phases"]["decode"], &v["phases"]["encode"]);
            let ns = d["ns"].as_u64().unwrap() + e["ns"].as_u64().unwrap();
            assert_eq!(v["elapsed_ns"].as_u64(), Some(ns), "{v}");
            let alloc = d["alloc_bytes"].as_u64().unwrap() + e["alloc_bytes"].as_u64().unwrap();
            assert_eq!(v["alloc_bytes"].as_u64(), Some(alloc), "{v}");
            // Decoding allocates (the owned types at least hold the posts' vectors).
            assert!(d["alloc_bytes"].as_u64().unwrap() > 0, "{v}");
        }
    }
}

#[test]
fn bad_command_lines_are_refused() {
    let geo = testdata().join("geo.json");
    let geo = geo.to_str().unwrap();
    refused(&run(BIN, &["--input", geo, "--variant", "nope"]), "json");
    refused(&run(BIN, &["--variant", "serde"]), "json");
    refused(&run(BIN, &["--input"]), "json");
}

/// A truncated, corrupt or non-UTF-8 document: exit 1 with one line naming the offset.
#[test]
fn bad_inputs_name_the_offset() {
    let good = std::fs::read(testdata().join("social.json")).unwrap();
    let dir = std::env::temp_dir().join(format!("json-peer-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    // Cut after an ASCII byte (a cut inside a character is a UTF-8 error, tested apart).
    let half = &good[..good.len() / 2];
    let cut = half.windows(7).rposition(|w| w == b"\"tags\":").unwrap() + 3;
    let colon = find(&good, b",\"score\":").unwrap() + 8;
    let mut corrupt = good.clone();
    corrupt[colon] = b'@';
    let mut not_utf8 = good.clone();
    not_utf8[1500] = 0xff;
    let cases: [(&str, Vec<u8>, String); 4] = [
        (
            "truncated.json",
            good[..cut].to_vec(),
            format!("invalid JSON at byte {cut}:"),
        ),
        (
            "corrupt.json",
            corrupt,
            format!("invalid JSON at byte {colon}:"),
        ),
        (
            "utf8.json",
            not_utf8,
            "invalid UTF-8 at byte 1500\n".to_owned(),
        ),
        (
            "empty.json",
            Vec::new(),
            "invalid JSON at byte 0:".to_owned(),
        ),
    ];
    for (name, bytes, want) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        for variant in VARIANTS {
            let out = run(
                BIN,
                &["--input", path.to_str().unwrap(), "--variant", variant],
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{name} {variant}: {stderr}");
            assert!(out.stdout.is_empty(), "{name} {variant}");
            assert_eq!(stderr.matches('\n').count(), 1, "{stderr:?}");
            assert!(stderr.starts_with("json: "), "{stderr:?}");
            assert!(
                stderr.contains(&want),
                "{name} {variant}: {stderr:?}, want {want:?}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
