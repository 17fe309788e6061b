//! The `sopbook` binary: everything lives in the library.

/// jemalloc rather than the system's allocator: see `Cargo.toml` and
/// docs/BENCHMARKS.md, "Allocator".
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read once when it starts: its documented
/// `malloc_conf` string (the crate's build names it `_rjem_malloc_conf`).
/// One arena, and freed pages handed back after 50 ms rather than 10 s:
/// what the reading and parsing threads free is reused while the pages
/// render rather than held beside it; a 10,000-SOP build's peak memory is
/// 171 MiB, against 190 MiB with an arena per thread and 202 MiB with the
/// defaults, at the same speed on two cores (docs/BENCHMARKS.md,
/// "Allocator"; on many cores the threads share the arena's lock when
/// their caches refill). The `MALLOC_CONF` variable, prefixed `_RJEM_`,
/// overrides it. Not set on macOS, where the symbol's name takes the
/// platform's extra underscore (untested there): jemalloc's defaults apply.
#[cfg(all(not(target_env = "msvc"), not(target_os = "macos")))]
#[allow(unsafe_code, non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8] = b"narenas:1,dirty_decay_ms:50\0";

fn main() {
    std::process::exit(sopbook::run(std::env::args_os()));
}
