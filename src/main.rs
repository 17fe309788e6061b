//! The `sopbook` binary: everything lives in the library.

fn main() {
    std::process::exit(sopbook::run(std::env::args_os()));
}
