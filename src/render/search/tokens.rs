//! The words search looks for, cut from text the same way in the index and
//! in the browser: search.js repeats these steps with what `meta.js`
//! carries (the stop-words, the CJK ranges), and tests/search-tokens.json
//! ties the two (this file's tests and tests/browser/search.mjs read it).
//!
//! Text splits at every character that is not a letter or a digit
//! (Unicode's Alphabetic and Numeric: `\p{Alphabetic}\p{N}` in JS). A run
//! of Han, Hiragana, Katakana or Hangul becomes overlapping character
//! bigrams ("日本語" → "日本", "本語"; a lone character stays itself), as
//! those scripts do not put spaces between words and a dictionary would be
//! a large download. Other runs are lowercased character by character,
//! cut at [`MAX_CHARS`], kept from two characters on, and dropped when the
//! book's language lists them as stop-words. The index then keys postings
//! by the word's stem ([`Language::stem`]); the browser has no stemmer and
//! looks a typed word up in the words the index lists instead.

use std::borrow::Cow;

use frostem::{Algorithm, Stemmer};

/// A word longer than this is cut: a 60-letter identifier is found by its
/// first 30 letters.
const MAX_CHARS: usize = 30;

/// Code point ranges of the scripts written without spaces between words
/// (Han, Hiragana, Katakana, Hangul, with their marks and numerals that
/// count as letters): their runs become bigrams. Sorted; sent to the
/// browser in `meta.js` as they are.
pub(crate) const CJK: &[(u32, u32)] = &[
    (0x1100, 0x11FF),   // Hangul Jamo
    (0x2E80, 0x2FDF),   // CJK and Kangxi radicals
    (0x3005, 0x3007),   // 々 〆 〇
    (0x3021, 0x3029),   // Hangzhou numerals
    (0x3031, 0x3035),   // kana repeat marks
    (0x3038, 0x303C),   // more Han numerals and marks
    (0x3040, 0x30FF),   // Hiragana, Katakana
    (0x3130, 0x318F),   // Hangul compatibility Jamo
    (0x31F0, 0x31FF),   // Katakana phonetic extensions
    (0x3400, 0x4DBF),   // Han extension A
    (0x4E00, 0x9FFF),   // Han
    (0xA960, 0xA97F),   // Hangul Jamo extended A
    (0xAC00, 0xD7FF),   // Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),   // Han compatibility ideographs
    (0xFF66, 0xFFDC),   // halfwidth Katakana and Hangul
    (0x1B000, 0x1B16F), // Kana supplement and extended
    (0x20000, 0x323AF), // Han extensions B to H, compatibility supplement
];

pub(crate) fn is_cjk(c: char) -> bool {
    let c = u32::from(c);
    c >= CJK[0].0
        && CJK
            .binary_search_by(|&(from, to)| {
                if to < c {
                    std::cmp::Ordering::Less
                } else if from > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

// Stop-words: the most common function words of each language, short
// lists on purpose (a word that can carry meaning in an SOP, such as
// "not", stays searchable). Sorted by bytes, for `binary_search`.
const STOP_EN: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "into", "is", "it",
    "its", "of", "on", "or", "that", "the", "their", "then", "there", "this", "to", "was", "were",
    "will", "with", "you", "your",
];
const STOP_DE: &[&str] = &[
    "am", "an", "auf", "aus", "bei", "bis", "das", "dass", "dem", "den", "der", "des", "die", "du",
    "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "für", "hat", "im", "in", "ist",
    "mit", "nach", "oder", "sich", "sie", "sind", "so", "um", "und", "vom", "von", "war", "wie",
    "wir", "wird", "zu", "zum", "zur", "über",
];
const STOP_FR: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "en",
    "est", "et", "il", "ils", "la", "le", "les", "leur", "lui", "ma", "mais", "même", "ne", "nous",
    "on", "ou", "par", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sont", "sur", "un",
    "une", "vous",
];
const STOP_ES: &[&str] = &[
    "al", "como", "con", "de", "del", "el", "en", "es", "esta", "este", "la", "las", "le", "les",
    "lo", "los", "más", "para", "pero", "por", "que", "se", "sin", "son", "su", "sus", "un", "una",
    "unas", "uno", "unos", "ya",
];
const STOP_NL: &[&str] = &[
    "aan", "al", "als", "bij", "dan", "dat", "de", "die", "dit", "een", "en", "er", "het", "hij",
    "in", "is", "je", "met", "naar", "of", "om", "ook", "op", "te", "tot", "uit", "van", "voor",
    "was", "wat", "we", "werd", "wordt", "zich", "zij", "zijn",
];

/// How the book's language shapes its search words: the stop-words and
/// the stemmer, chosen by the primary subtag of `[book] language` (`de`
/// for `de-CH`). A language sopbook has no lists for gets neither.
#[derive(Clone, Copy)]
pub(crate) struct Language {
    stop: &'static [&'static str],
    /// The length of the longest stop-word, in bytes.
    stop_len: usize,
    stemmer: Option<Stemmer>,
}

impl Language {
    pub(crate) fn of(tag: &str) -> Language {
        let (stop, algorithm) = match crate::i18n::primary(tag).as_str() {
            "en" => (STOP_EN, Algorithm::English),
            "de" => (STOP_DE, Algorithm::German),
            "fr" => (STOP_FR, Algorithm::French),
            "es" => (STOP_ES, Algorithm::Spanish),
            "nl" => (STOP_NL, Algorithm::Dutch),
            _ => {
                return Language {
                    stop: &[],
                    stop_len: 0,
                    stemmer: None,
                };
            }
        };
        Language {
            stop,
            stop_len: stop.iter().map(|w| w.len()).max().unwrap_or(0),
            stemmer: Some(Stemmer::new(algorithm)),
        }
    }

    pub(crate) fn stop(&self) -> &'static [&'static str] {
        self.stop
    }

    /// The Snowball algorithm's name (`"english"`), or `None`: no stemming.
    pub(crate) fn stem_name(&self) -> Option<&'static str> {
        self.stemmer.map(|s| s.algorithm().name())
    }

    fn is_stop(&self, word: &str) -> bool {
        // Called for every word of the book. Stop-words are short: a
        // longer word is none; and a byte loop the compiler inlines beats
        // a call to memcmp for each of the search's five or so comparisons.
        if word.len() > self.stop_len {
            return false;
        }
        let word = word.as_bytes();
        self.stop
            .binary_search_by(|s| {
                let s = s.as_bytes();
                for (a, b) in s.iter().zip(word) {
                    if a != b {
                        return a.cmp(b);
                    }
                }
                s.len().cmp(&word.len())
            })
            .is_ok()
    }

    /// The stem a search word is indexed under: the Snowball stem of a
    /// word, a CJK bigram as it is.
    pub(crate) fn stem<'a>(&self, token: &'a str) -> Cow<'a, str> {
        match self.stemmer {
            Some(s) if !token.chars().next().is_some_and(is_cjk) => s.stem(token),
            _ => Cow::Borrowed(token),
        }
    }

    /// Calls `each` with every search word of `text`, in order. One
    /// buffer, no allocation per word.
    pub(crate) fn each_token(&self, text: &str, buf: &mut String, each: &mut dyn FnMut(&str)) {
        for (run, ascii) in runs(text) {
            if ascii {
                if run.len() >= 2 {
                    buf.clear();
                    // ASCII: a byte is a character.
                    buf.push_str(&run[..run.len().min(MAX_CHARS)]);
                    buf.make_ascii_lowercase();
                    if !self.is_stop(buf) {
                        each(buf);
                    }
                }
                continue;
            }
            // Parts of one script kind: "Windows版" is a word and a CJK
            // character.
            let mut rest = run;
            while let Some(first) = rest.chars().next() {
                let cjk = is_cjk(first);
                let end = rest
                    .char_indices()
                    .find(|&(_, c)| is_cjk(c) != cjk)
                    .map_or(rest.len(), |(i, _)| i);
                let (part, tail) = rest.split_at(end);
                rest = tail;
                if cjk {
                    bigrams(part, each);
                } else {
                    buf.clear();
                    buf.extend(part.chars().flat_map(char::to_lowercase).take(MAX_CHARS));
                    if buf.chars().nth(1).is_some() && !self.is_stop(buf) {
                        each(buf);
                    }
                }
            }
        }
    }
}

/// The runs of letters and digits of `text` between the other characters
/// (what `text.split(|c| !c.is_alphanumeric())` gives, empty runs
/// included), each with whether it is ASCII. The text is read byte by
/// byte; only a non-ASCII character is decoded, so the book's mostly
/// ASCII text is cut quickly.
fn runs(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = at;
        let mut ascii = true;
        // The length of the character that ends the run; 0: the text ends.
        let mut stop = 0;
        while at < bytes.len() {
            if bytes[at] < 0x80 {
                if !bytes[at].is_ascii_alphanumeric() {
                    stop = 1;
                    break;
                }
                at += 1;
                continue;
            }
            // `at` is on a character boundary: runs start and end there.
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            if !c.is_alphanumeric() {
                stop = c.len_utf8();
                break;
            }
            ascii = false;
            at += c.len_utf8();
        }
        let run = &text[start..at];
        if stop == 0 {
            done = true;
        }
        at += stop;
        Some((run, ascii))
    })
}

/// Overlapping pairs of characters of a CJK run; a lone character as it is.
fn bigrams(run: &str, each: &mut dyn FnMut(&str)) {
    let mut ends = run.char_indices().map(|(i, c)| i + c.len_utf8());
    let Some(mut mid) = ends.next() else { return };
    let mut from = 0;
    let mut pairs = false;
    for to in ends {
        each(&run[from..to]);
        (from, mid) = (mid, to);
        pairs = true;
    }
    if !pairs {
        each(run);
    }
}

#[cfg(test)]
pub(crate) fn tokens(lang: &Language, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    lang.each_token(text, &mut String::new(), &mut |t| out.push(t.to_owned()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_drop_stopwords_and_short_words() {
        let en = Language::of("en");
        let t = tokens(&en, "How to run the Payroll, step 3 — Größe!");
        assert_eq!(t, ["how", "run", "payroll", "step", "größe"]);
        let de = Language::of("de-CH");
        assert_eq!(
            tokens(&de, "Die Rechnung und der Beleg für das Amt"),
            ["rechnung", "beleg", "amt"]
        );
        assert_eq!(Language::of("ja").stem_name(), None);
        assert_eq!(
            tokens(&Language::of("it"), "the and"),
            ["the", "and"],
            "no list"
        );
        for list in [STOP_EN, STOP_DE, STOP_FR, STOP_ES, STOP_NL] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted, list, "binary_search needs them sorted");
        }
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        let en = Language::of("en");
        assert_eq!(
            tokens(&en, "日本語学校、版 Windows版"),
            ["日本", "本語", "語学", "学校", "版", "windows", "版"]
        );
        assert_eq!(tokens(&en, "서울시"), ["서울", "울시"]);
        assert!(is_cjk('ア') && is_cjk('𠀋') && !is_cjk('a') && !is_cjk('é'));
        let mut sorted = CJK.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, CJK);
        assert!(CJK.windows(2).all(|w| w[0].1 < w[1].0), "ranges overlap");
    }

    /// tests/search-tokens.json holds tricky strings with the words this
    /// file cuts from them, and what `meta.js` tells search.js for each
    /// language; tests/browser/search.mjs runs search.js on the same
    /// strings. `SOPBOOK_BLESS_TOKENS=1` rewrites the file's answers from
    /// this code (check the diff by hand).
    #[test]
    fn the_shared_cases_are_what_the_index_cuts() {
        use serde_json::{Value, json};
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search-tokens.json");
        let text = std::fs::read_to_string(path).expect("tests/search-tokens.json");
        let file: Value = serde_json::from_str(&text).expect("JSON");
        let mut languages = serde_json::Map::new();
        for tag in ["en", "de", "fr", "es", "nl", "ja"] {
            let lang = Language::of(tag);
            let rules = json!({ "stem": lang.stem_name(), "stop": lang.stop(), "cjk": CJK });
            languages.insert(tag.to_owned(), rules);
        }
        let cases: Vec<Value> = file["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|case| {
                let tag = case["lang"].as_str().expect("lang");
                let text = case["text"].as_str().expect("text");
                let lang = Language::of(tag);
                let words = tokens(&lang, text);
                let stems: Vec<String> = words.iter().map(|w| lang.stem(w).into_owned()).collect();
                json!({ "lang": tag, "text": text, "tokens": words, "stems": stems })
            })
            .collect();
        let want = json!({ "about": file["about"], "languages": languages, "cases": cases });
        if std::env::var_os("SOPBOOK_BLESS_TOKENS").is_some() {
            let pretty = serde_json::to_string_pretty(&want).expect("JSON");
            std::fs::write(path, pretty + "\n").expect("write tests/search-tokens.json");
        } else {
            assert!(
                want == file,
                "tests/search-tokens.json differs from what the index cuts; \
                 SOPBOOK_BLESS_TOKENS=1 rewrites it:\n{}",
                serde_json::to_string_pretty(&want).unwrap_or_default()
            );
        }
    }

    #[test]
    fn runs_are_what_splitting_at_every_other_character_gives() {
        for text in [
            "",
            "a",
            " ",
            "How to run the Payroll, step 3 — Größe!",
            "日本語学校、版 Windows版 ",
            "«quoted» x—y  z\u{00a0}w\tend.",
            "ümlaut-ñ_x2",
        ] {
            let split: Vec<(&str, bool)> = text
                .split(|c: char| !c.is_alphanumeric())
                .map(|r| (r, r.is_ascii()))
                .collect();
            assert_eq!(runs(text).collect::<Vec<_>>(), split, "{text:?}");
        }
    }

    #[test]
    fn stems_join_the_forms_of_a_word() {
        let en = Language::of("en-GB");
        assert_eq!(en.stem("approving"), en.stem("approved"));
        assert_eq!(en.stem("日本"), "日本");
        let de = Language::of("de");
        assert_eq!(de.stem("rechnungen"), de.stem("rechnung"));
        assert_eq!(Language::of("zh").stem("running"), "running");
    }
}
