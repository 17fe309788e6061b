//! Step text as the repeated-steps rule compares it: normalised words and
//! a hash that is the same in every run.

/// The ASCII letters and digits, by byte: one lookup a byte.
static WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Lowercase words joined by single spaces: `"Export the CSV, then
/// *check* it!"` → `"export the csv then check it"`.
pub(crate) fn normalize(text: &str) -> String {
    if text.is_ascii() {
        // Most steps: bytes, without decoding or case tables.
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        for word in bytes.split(|&b| !WORD[usize::from(b)]) {
            if word.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(b' ');
            }
            out.extend_from_slice(word);
        }
        out.make_ascii_lowercase();
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        let word = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if !word {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// A hash that is the same in every run (cached parses are compared with
/// new ones in `serve`).
pub(crate) fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x50_50_b0_0c).hash_one(text)
}

/// A second hash of `text`, with another seed and foldhash's stronger
/// mixing: with [`text_hash`], 128 bits that tell steps apart without
/// keeping their words. Two different steps match only if both 64-bit
/// hashes collide: never by chance at any book's size; the seeds are
/// public, so a text could be made to collide on purpose, and the worst
/// it does is a wrong `repeated-steps` warning.
pub(crate) fn text_check(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x0c_a5_e5_7e_9a_11).hash_one(text)
}
