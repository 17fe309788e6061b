//! The `sopbook` binary: everything lives in the library.

/// jemalloc rather than the system's allocator: see `Cargo.toml` and
/// docs/BENCHMARKS.md, "Allocator".
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    std::process::exit(sopbook::run(std::env::args_os()));
}
