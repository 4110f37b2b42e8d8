//! Runs the built mandelbrot peer: the shared checksum table, the result line, bad command lines.

#[path = "../../testsupport/peer.rs"]
mod peer;

#[path = "../../testsupport/kernels.rs"]
mod kernels;

#[test]
fn table_checksums_and_protocol() {
    kernels::check(env!("CARGO_BIN_EXE_mandelbrot"), "mandelbrot");
}
