//! Builds the memcheck client-request shim (valgrind's own header, no library to link: the
//! requests are no-ops outside valgrind).

fn main() {
    println!("cargo:rerun-if-changed=shim/memcheck_shim.c");
    cc::Build::new()
        .file("shim/memcheck_shim.c")
        .warnings(true)
        .compile("kep_memcheck_shim");
}
