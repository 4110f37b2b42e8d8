//! The Rust peer of the json workload (workloads/README.md, "json"): decode a document into
//! typed structures and encode it back, with serde_json into owned types (`serde`), serde_json
//! borrowing strings from the input (`serde-borrow`), sonic-rs, or simd-json's serde API.
//! Decode and encode are timed separately and reported as phases, with the bytes allocated.

mod schema;

use std::time::Instant;

use common::{allocated_bytes, fail, usage, CountingAlloc, Params, Phase, Region};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use schema::{Catalog, Checksum, CowStr, Geo, Social};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const VARIANTS: &[&str] = &["serde", "serde-borrow", "sonic-rs", "simd-json"];

fn main() {
    let mut p = Params::defaults("serde");
    p.parse();
    p.require_variant(VARIANTS);
    if p.input.is_empty() {
        usage("--input PATH is required (a json workload document)");
    }
    let data = std::fs::read(&p.input).unwrap_or_else(|e| fail(&format!("{}: {e}", p.input)));
    let shape = shape(&data).unwrap_or_else(|e| fail(&format!("{}: {e}", p.input)));
    let v = p.variant.as_str();
    let data = &data[..];
    // Owned types: every library; the round trip decodes the output the same way.
    macro_rules! owned {
        ($t:ty) => {
            run::<$t>(
                &p,
                data,
                |s, b| decode_owned::<$t>(v, data, s, b),
                |out| {
                    let mut s = out.to_vec();
                    let mut b = simd_json::Buffers::new(out.len());
                    decode_owned::<$t>(v, out, &mut s, &mut b).map(|d| d.checksum())
                },
            )
        };
    }
    // Borrowed strings: serde_json only, the type borrowing from the bytes it decodes.
    macro_rules! borrowed {
        ($t:ident) => {
            run::<$t<CowStr>>(
                &p,
                data,
                |_, _| decode_borrowed::<$t<CowStr>>(data),
                |out| decode_borrowed::<$t<CowStr>>(out).map(|d| d.checksum()),
            )
        };
    }
    match (shape, v) {
        (Shape::Social, "serde-borrow") => borrowed!(Social),
        (Shape::Social, _) => owned!(Social<String>),
        (Shape::Catalog, "serde-borrow") => borrowed!(Catalog),
        (Shape::Catalog, _) => owned!(Catalog<String>),
        (Shape::Geo, "serde-borrow") => borrowed!(Geo),
        (Shape::Geo, _) => owned!(Geo<String>),
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Social,
    Catalog,
    Geo,
}

/// Checks that `data` is UTF-8 and recognises the shape by the first key (posts: social,
/// products: catalog, type: geo); errors name the byte offset.
fn shape(data: &[u8]) -> Result<Shape, String> {
    if let Err(e) = std::str::from_utf8(data) {
        return Err(format!("invalid UTF-8 at byte {}", e.valid_up_to()));
    }
    let ws = |i: usize| {
        (i..data.len())
            .find(|&j| !matches!(data[j], b' ' | b'\n' | b'\r' | b'\t'))
            .unwrap_or(data.len())
    };
    let i = ws(0);
    if data.get(i) != Some(&b'{') {
        return Err(format!("invalid JSON at byte {i}: a document is an object"));
    }
    let i = ws(i + 1);
    if data.get(i) != Some(&b'"') {
        return Err(format!("invalid JSON at byte {i}: expected the first key"));
    }
    let rest = &data[i + 1..data.len().min(i + 64)];
    let Some(end) = rest.iter().position(|&c| c == b'"') else {
        return Err(format!("invalid JSON at byte {i}: unterminated first key"));
    };
    match &rest[..end] {
        b"posts" => Ok(Shape::Social),
        b"products" => Ok(Shape::Catalog),
        b"type" => Ok(Shape::Geo),
        k => Err(format!(
            "byte {i}: first key {:?} is none of posts (social), products (catalog), type (geo)",
            String::from_utf8_lossy(k)
        )),
    }
}

/// The byte offset of a 1-based line and column (serde_json's error position).
fn offset_of(data: &[u8], line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        data.iter()
            .enumerate()
            .filter(|&(_, &c)| c == b'\n')
            .nth(line - 2)
            .map_or(data.len(), |(i, _)| i + 1)
    };
    (start + column.saturating_sub(1)).min(data.len())
}

/// Decodes `input` into owned types with the variant's library. simd-json parses in place:
/// `scratch` is the copy it may destroy (the caller fills it, inside the timed decode) and `buffers` its
/// reusable indexes, as its README recommends for repeated parsing.
fn decode_owned<T: DeserializeOwned>(
    variant: &str,
    input: &[u8],
    scratch: &mut [u8],
    buffers: &mut simd_json::Buffers,
) -> Result<T, String> {
    one_line(match variant {
        "sonic-rs" => sonic_rs::from_slice(input).map_err(|e| {
            let off = if e.is_eof() { input.len() } else { e.offset() };
            (off, e.to_string())
        }),
        "simd-json" => simd_json::serde::from_slice_with_buffers(scratch, buffers).map_err(|e| {
            // simd-json's first stage reports unbalanced input (a truncated file) at index 0:
            // then serde_json, reading the same bytes, names the offset.
            let off = match e.index() {
                0 if !input.is_empty() => serde_offset(input).unwrap_or(0),
                i => i,
            };
            (off, e.to_string())
        }),
        _ => serde_json::from_slice(input)
            .map_err(|e| (serde_error_offset(input, &e), e.to_string())),
    })
}

/// The byte offset of a serde_json error: the end of the input for a premature end.
fn serde_error_offset(input: &[u8], e: &serde_json::Error) -> usize {
    if e.is_eof() {
        input.len()
    } else {
        offset_of(input, e.line(), e.column())
    }
}

/// Where serde_json finds `input` not to be JSON, if it does.
fn serde_offset(input: &[u8]) -> Option<usize> {
    serde_json::from_slice::<serde::de::IgnoredAny>(input)
        .err()
        .map(|e| serde_error_offset(input, &e))
}

/// Decodes `input` with serde_json into a type that borrows from it.
fn decode_borrowed<'a, T: Deserialize<'a>>(input: &'a [u8]) -> Result<T, String> {
    one_line(
        serde_json::from_slice(input).map_err(|e| (serde_error_offset(input, &e), e.to_string())),
    )
}

fn one_line<T>(r: Result<T, (usize, String)>) -> Result<T, String> {
    r.map_err(|(off, msg)| {
        let msg = msg.split_whitespace().collect::<Vec<_>>().join(" ");
        let msg: String = msg.chars().take(200).collect();
        format!("invalid JSON at byte {off}: {msg}")
    })
}

fn encode<T: Serialize>(variant: &str, doc: &T) -> Vec<u8> {
    let out = match variant {
        "sonic-rs" => sonic_rs::to_vec(doc).map_err(|e| e.to_string()),
        "simd-json" => simd_json::serde::to_vec(doc).map_err(|e| e.to_string()),
        _ => serde_json::to_vec(doc).map_err(|e| e.to_string()),
    };
    out.unwrap_or_else(|e| fail(&format!("encode: {e}")))
}

/// Warm-up, timed loop, round trip and report for one document type: `decode` decodes the
/// input (given simd-json's scratch copy and buffers), `round_trip` decodes the re-encoded
/// output and returns its checksum.
fn run<T: Serialize + Checksum>(
    p: &Params,
    data: &[u8],
    mut decode: impl FnMut(&mut [u8], &mut simd_json::Buffers) -> Result<T, String>,
    round_trip: impl Fn(&[u8]) -> Result<String, String>,
) {
    let v = p.variant.as_str();
    let simd = v == "simd-json";
    let mut scratch = if simd { data.to_vec() } else { Vec::new() };
    let mut buffers = simd_json::Buffers::new(if simd { data.len() } else { 0 });
    let mut dec = |scratch: &mut Vec<u8>, buffers: &mut simd_json::Buffers| -> T {
        decode(scratch, buffers).unwrap_or_else(|e| fail(&format!("{}: {e}", p.input)))
    };

    // Warm-up, untimed: one decode and one encode; its checksum is the one to match. The
    // warm-up's document and output are kept, so that the first timed decode frees them as
    // every later one frees its predecessor's (with iters = 1, the 16 MiB and larger cases,
    // it is the only free): Go's collector likewise reclaims the warm-up's garbage inside
    // the timed phases.
    let doc = dec(&mut scratch, &mut buffers);
    let want = doc.checksum();
    let out = encode(v, &doc);

    let mut phases = [
        Phase {
            name: "decode",
            ..Phase::default()
        },
        Phase {
            name: "encode",
            ..Phase::default()
        },
    ];
    let mut last: Option<(T, Vec<u8>)> = Some((doc, out));
    let region = Region::begin(p);
    for _ in 0..p.iters {
        let (a0, t0) = (allocated_bytes(), Instant::now());
        // Freeing the previous document is timed with the decode, as Go's collector runs
        // inside its phases: a service pays for freeing what it decoded.
        drop(last.take());
        if simd {
            // simd-json parses in place and destroyed the last copy: the fresh copy is part
            // of its decode, as the Go libraries copy (or scan) their input inside theirs.
            // Into the reused buffer: no allocation.
            scratch.copy_from_slice(data);
        }
        let doc = dec(&mut scratch, &mut buffers);
        let t1 = Instant::now();
        let a1 = allocated_bytes();
        let t2 = Instant::now();
        let out = encode(v, &doc);
        let t3 = Instant::now();
        let a2 = allocated_bytes();
        phases[0].ns += (t1 - t0).as_nanos() as u64;
        phases[1].ns += (t3 - t2).as_nanos() as u64;
        phases[0].alloc_bytes += a1 - a0;
        phases[1].alloc_bytes += a2 - a1;
        last = Some((doc, out));
    }
    let m = region.end();
    let Some((doc, out)) = last else {
        unreachable!("iters >= 1")
    };
    let got = doc.checksum();
    if got != want {
        fail(&format!(
            "checksum changed between decodes: {want}, then {got}"
        ));
    }
    drop(doc);
    let got = round_trip(&out).unwrap_or_else(|e| fail(&format!("round trip: {e}")));
    if got != want {
        fail(&format!(
            "round trip: re-encoded document has checksum {got}, want {want}"
        ));
    }
    common::report_phases("json", p, p.iters, &m, &want, &phases);
}
