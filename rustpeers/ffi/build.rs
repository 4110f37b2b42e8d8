//! Builds the ffi workload's C function, ffi/c/gorb_add.c, with the system C compiler at -O2.

fn main() {
    println!("cargo:rerun-if-changed=c/gorb_add.c");
    cc::Build::new()
        .file("c/gorb_add.c")
        .opt_level(2)
        .compile("gorb_add");
}
