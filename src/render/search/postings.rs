//! The book's words and the passages each is in, kept compactly while the
//! pages are read batch after batch: a word is stored once, and its
//! postings are bytes (the document as the difference from the word's
//! previous one, the passage, what the word is there), a few bytes a
//! posting rather than a string per word and page. At 10,000 SOPs this is
//! what the index holds between the first page and the shards.

use super::weight::Found;

/// `(document, passage, weight)`; [`Found`] bits until the postings of a
/// stem are merged.
pub(super) type Posting = (u32, u16, u8);

/// Postings kept per term (the best-weighted): a word in every passage
/// does not help anyone find one.
const MAX_POSTINGS: usize = 500;

/// A word key with this bit is a word the store did not have when its
/// page was read: an index into that page's new words.
const NEW: u32 = 1 << 31;

/// Every word seen so far and its postings.
#[derive(Default)]
pub(super) struct Store {
    ids: foldhash::HashMap<Box<str>, u32>,
    lists: Vec<List>,
}

#[derive(Default)]
struct List {
    /// The document of the word's last posting.
    last: u32,
    bytes: Vec<u8>,
}

/// Where a word is met, and so what it adds to its passage's [`Found`].
#[derive(Clone, Copy)]
pub(super) enum Place {
    Title,
    Label,
    Text,
    Step,
}

/// The words of one page as it is read: one number for each word met
/// (the word's key, the passage, the place), sorted and folded into
/// postings when the page is done. A word the store already has is not
/// copied; pages are read in parallel against the store as it was
/// before their batch.
pub(super) struct PageWords<'a> {
    store: &'a Store,
    met: Vec<u64>,
    new: foldhash::HashMap<String, u32>,
}

/// A page's postings `(word key, passage, what the word is there)`, and
/// the words the store did not have.
pub(super) struct Page {
    postings: Vec<(u32, u16, Found)>,
    new: Vec<String>,
}

impl<'a> PageWords<'a> {
    pub(super) fn new(store: &'a Store) -> PageWords<'a> {
        PageWords {
            store,
            met: Vec::new(),
            new: foldhash::HashMap::default(),
        }
    }

    pub(super) fn add(&mut self, word: &str, passage: u16, place: Place) {
        let key = match self.store.ids.get(word) {
            Some(&id) => id,
            None => match self.new.get(word) {
                Some(&key) => key,
                None => {
                    let key = NEW | self.new.len() as u32;
                    self.new.insert(word.to_owned(), key);
                    key
                }
            },
        };
        let place = place as u64;
        self.met
            .push(u64::from(key) << 32 | u64::from(passage) << 16 | place);
    }

    pub(super) fn finish(mut self) -> Page {
        self.met.sort_unstable();
        let mut postings: Vec<(u32, u16, Found)> = Vec::new();
        let mut prev = None;
        for m in self.met {
            let (key, passage) = ((m >> 32) as u32, (m >> 16) as u16);
            if prev != Some((key, passage)) {
                postings.push((key, passage, Found::default()));
                prev = Some((key, passage));
            }
            if let Some((_, _, found)) = postings.last_mut() {
                match m & 3 {
                    0 => found.title(),
                    1 => found.label(),
                    2 => found.text(),
                    _ => found.step(),
                }
            }
        }
        let mut new = vec![String::new(); self.new.len()];
        for (word, key) in self.new {
            new[(key & !NEW) as usize] = word;
        }
        Page { postings, new }
    }
}

impl Store {
    /// Adds the postings of document `doc`. Documents come in order.
    pub(super) fn add(&mut self, doc: u32, page: Page) {
        let ids: Vec<u32> = page.new.into_iter().map(|w| self.intern(w)).collect();
        for (key, passage, found) in page.postings {
            let id = match key & NEW {
                0 => key,
                _ => ids[(key & !NEW) as usize],
            };
            let list = &mut self.lists[id as usize];
            // The first posting in the page carries the distance from the
            // word's previous page; the others, 0.
            varint(&mut list.bytes, doc - list.last);
            list.last = doc;
            varint(&mut list.bytes, u32::from(passage));
            list.bytes.push(found.0);
        }
    }

    fn intern(&mut self, word: String) -> u32 {
        if let Some(&id) = self.ids.get(word.as_str()) {
            return id;
        }
        let id = self.lists.len() as u32;
        self.ids.insert(word.into_boxed_str(), id);
        self.lists.push(List::default());
        id
    }

    /// The words, and the postings of each as [`decode`] reads them.
    pub(super) fn into_words(self) -> (Vec<Box<str>>, Vec<Vec<u8>>) {
        let mut words: Vec<Box<str>> = vec![Box::default(); self.lists.len()];
        for (word, id) in self.ids {
            words[id as usize] = word;
        }
        let lists = self.lists.into_iter().map(|l| l.bytes).collect();
        (words, lists)
    }
}

fn varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads what [`Store::add`] wrote; stops at a truncated posting, which
/// the store never writes.
pub(super) fn decode(bytes: &[u8], out: &mut Vec<Posting>) {
    let mut it = bytes.iter().copied();
    let mut next = || -> Option<u32> {
        let mut n = 0u32;
        for shift in (0..35).step_by(7) {
            let b = it.next()?;
            n |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    };
    let mut doc = 0;
    while let Some(delta) = next() {
        let (Some(s), Some(found)) = (next(), next()) else {
            return;
        };
        doc += delta;
        // Passages and weights were written from u16 and u8.
        out.push((doc, s as u16, found as u8));
    }
}

/// The postings of one stem, from the postings of its words: two forms in
/// one passage are one posting, weighed; the best [`MAX_POSTINGS`] kept,
/// in page order.
pub(super) fn merge(list: &mut Vec<Posting>) {
    // Two forms in one passage are one posting: what each found adds up.
    list.sort_unstable_by_key(|&(d, s, _)| (d, s));
    list.dedup_by(|later, kept| {
        let same = later.0 == kept.0 && later.1 == kept.1;
        if same {
            kept.2 = Found(kept.2).merge(Found(later.2)).0;
        }
        same
    });
    for p in list.iter_mut() {
        p.2 = Found(p.2).weight();
    }
    // The best first: the weight, then page order, which (one posting
    // per passage) decides every tie. Only the kept ones need sorting.
    let best = |a: &Posting, b: &Posting| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1));
    if list.len() > MAX_POSTINGS {
        list.select_nth_unstable_by(MAX_POSTINGS - 1, best);
        list.truncate(MAX_POSTINGS);
    }
    // In page order for the delta encoding.
    list.sort_unstable();
    list.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_come_back_as_they_went_in() {
        let mut store = Store::default();
        let page = |store: &Store, words: &[(&str, u16, Place)]| {
            let mut p = PageWords::new(store);
            for &(w, s, place) in words {
                p.add(w, s, place);
            }
            p.finish()
        };
        let p = page(
            &store,
            &[
                ("pay", 3, Place::Text),
                ("pay", 0, Place::Title),
                ("pay", 3, Place::Step),
            ],
        );
        store.add(0, p);
        let p = page(
            &store,
            &[("run", 1, Place::Label), ("run", 1, Place::Label)],
        );
        store.add(2, p);
        let p = page(
            &store,
            &[("pay", 60_000, Place::Text), ("walk", 0, Place::Text)],
        );
        // A word first met in one page of a batch, then in another.
        let q = page(&store, &[("walk", 5, Place::Text)]);
        store.add(200, p);
        store.add(100_000, q);
        let (words, lists) = store.into_words();
        assert_eq!(words, ["pay".into(), "run".into(), "walk".into()]);
        let decoded = |i: usize| {
            let mut out = Vec::new();
            decode(&lists[i], &mut out);
            out
        };
        let found = |places: &[fn(&mut Found)]| {
            let mut f = Found::default();
            places.iter().for_each(|p| p(&mut f));
            f.0
        };
        assert_eq!(
            decoded(0),
            [
                (0, 0, found(&[Found::title])),
                (0, 3, found(&[Found::text, Found::step])),
                (200, 60_000, found(&[Found::text])),
            ]
        );
        assert_eq!(decoded(1), [(2, 1, found(&[Found::label, Found::label]))]);
        let text = found(&[Found::text]);
        assert_eq!(decoded(2), [(200, 0, text), (100_000, 5, text)]);
        // Small numbers take a byte each: three bytes for most postings.
        assert_eq!(lists[1].len(), 3);
    }
}
