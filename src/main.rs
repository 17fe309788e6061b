//! The `sopbook` binary: everything lives in the library.

/// jemalloc rather than the system's allocator: see `Cargo.toml` and
/// docs/BENCHMARKS.md, "Allocator".
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read once when it starts: its documented
/// `malloc_conf` string (the crate's build names it `_rjem_malloc_conf`).
/// One arena, as a build's threads take turns on the same data, and freed
/// pages handed back after 50 ms rather than 10 s: a 10,000-SOP build's
/// peak memory falls by 30 MiB at the same speed (docs/BENCHMARKS.md,
/// "Allocator"). The `MALLOC_CONF` variable, prefixed `_RJEM_`, still
/// overrides it.
#[cfg(all(not(target_env = "msvc"), not(target_os = "macos")))]
#[allow(unsafe_code, non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8] = b"narenas:1,dirty_decay_ms:50\0";

fn main() {
    std::process::exit(sopbook::run(std::env::args_os()));
}
