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

/// Every word seen so far and its postings.
#[derive(Default)]
pub(super) struct Store {
    ids: foldhash::HashMap<Box<str>, u32>,
    lists: Vec<List>,
}

#[derive(Default)]
struct List {
    /// The document of the word's last postings.
    last: u32,
    bytes: Vec<u8>,
}

impl Store {
    /// Adds the postings `(passage, what the word is there)` of `word` in
    /// document `doc`. Documents come in order, each once per word.
    pub(super) fn add(&mut self, word: &str, doc: u32, postings: &[(u16, Found)]) {
        let id = match self.ids.get(word) {
            Some(&id) => id,
            None => {
                let id = self.lists.len() as u32;
                self.ids.insert(word.into(), id);
                self.lists.push(List::default());
                id
            }
        };
        let list = &mut self.lists[id as usize];
        let mut delta = doc - list.last;
        for &(s, found) in postings {
            varint(&mut list.bytes, delta);
            varint(&mut list.bytes, u32::from(s));
            list.bytes.push(found.0);
            delta = 0;
        }
        list.last = doc;
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
    list.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    list.truncate(MAX_POSTINGS);
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
        let found = Found;
        store.add("pay", 0, &[(0, found(1)), (3, found(4))]);
        store.add("run", 2, &[(1, found(2))]);
        store.add("pay", 200, &[(60_000, found(16))]);
        store.add("pay", 100_000, &[(2, found(5))]);
        let (words, lists) = store.into_words();
        assert_eq!(words, ["pay".into(), "run".into()]);
        let mut pay = Vec::new();
        decode(&lists[0], &mut pay);
        assert_eq!(
            pay,
            [(0, 0, 1), (0, 3, 4), (200, 60_000, 16), (100_000, 2, 5)]
        );
        let mut run = Vec::new();
        decode(&lists[1], &mut run);
        assert_eq!(run, [(2, 1, 2)]);
        // Small numbers take a byte each: three bytes for most postings.
        assert_eq!(lists[1].len(), 3);
    }
}
