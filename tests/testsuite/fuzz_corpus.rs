//! Replays the fuzz target's committed corpus (fuzz/corpus/book) and its
//! kept crash inputs (fuzz/regressions) through the same in-memory build the
//! target runs, so what the fuzzer found stays fixed on stable Rust, without
//! cargo-fuzz. Each input is a whole book: see `sopbook::internals::memory::split`.

use std::path::Path;

use sopbook::internals::{load_theme, memory};

fn inputs(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
}

#[test]
fn fuzz_corpus_builds_without_a_panic() {
    let theme = load_theme(Path::new("/nonexistent"), "default").expect("the built-in theme");
    let today = jiff::civil::Date::constant(2026, 6, 1);
    let corpus = inputs("fuzz/corpus/book");
    assert!(corpus.len() > 100, "the corpus is committed");
    let regressions = inputs("fuzz/regressions");
    let mut rendered = 0;
    for path in corpus.iter().chain(&regressions) {
        let data = std::fs::read(path).expect("read corpus file");
        let (toml, files) = memory::split(&data);
        let files: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            memory::build(&toml, &files, &theme, today)
        }))
        .unwrap_or_else(|_| panic!("{} panics", path.display()));
        match built {
            Ok(built) => rendered += usize::from(!built.files.is_empty()),
            Err(f) => panic!("{}: the build failed: {}", path.display(), f.message),
        }
    }
    // Books with errors stop before rendering: the corpus must hold enough
    // clean ones for the renderer to be exercised at all.
    assert!(rendered * 10 > corpus.len(), "{rendered} books rendered");
}
