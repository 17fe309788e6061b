//! One fuzz input → a whole book (book.toml and several content files, see
//! `sopbook::internals::memory::split`) → parse → model → validate → render, in
//! memory. Any panic, or a build that fails on something not the book's
//! fault, is a bug.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use sopbook::internals::{Theme, load_theme, memory};

static THEME: LazyLock<Theme> = LazyLock::new(|| {
    load_theme(std::path::Path::new("/nonexistent"), "default").expect("the built-in theme loads")
});

fuzz_target!(|data: &[u8]| {
    let (toml, files) = memory::split(data);
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let today = jiff::civil::Date::constant(2026, 6, 1);
    if let Err(f) = memory::build(&toml, &files, &THEME, today) {
        panic!("the build failed: {} ({:?})", f.message, f.help);
    }
});
