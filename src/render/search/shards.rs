//! Terms split into shards by their first letters: a shard that would
//! hold more than [`SHARD_POSTINGS`] postings is split by one more letter
//! (up to three), so a query loads a few small files whatever the size of
//! the book.

use std::collections::BTreeMap;

use serde::Serialize;

use super::postings::Posting;

/// Postings a shard may hold before it is split by one more letter.
const SHARD_POSTINGS: usize = 4000;

/// What a shard holds under a key: a stem's postings, or the stem of a
/// word of the book.
#[derive(Clone, Copy)]
pub(super) enum Entry<'a> {
    Stem(&'a [Posting]),
    Word(&'a str),
}

/// A shard key and what it holds.
pub(super) type Keyed<'a> = (&'a str, Entry<'a>);

/// A shard: stems with their postings (`t`), and the words of the book
/// whose stem differs from them (`w`), each with its stem: a number when
/// the stem is the word's first characters, else the stem.
#[derive(Serialize)]
pub(super) struct Shard<'a> {
    t: BTreeMap<&'a str, Vec<u32>>,
    w: BTreeMap<&'a str, Alias<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Alias<'a> {
    Prefix(usize),
    Stem(&'a str),
}

impl<'a> Shard<'a> {
    pub(super) fn of(group: &[Keyed<'a>]) -> Shard<'a> {
        let mut shard = Shard {
            t: BTreeMap::new(),
            w: BTreeMap::new(),
        };
        for &(k, entry) in group {
            match entry {
                Entry::Stem(p) => {
                    shard.t.insert(k, encode(p));
                }
                Entry::Word(stem) => {
                    let alias = match k.strip_prefix(stem) {
                        Some(_) => Alias::Prefix(stem.chars().count()),
                        None => Alias::Stem(stem),
                    };
                    shard.w.insert(k, alias);
                }
            }
        }
        shard
    }
}

/// The file name of the shard of `key` (without `.js`).
pub(super) fn name(key: &str) -> String {
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("s-{hex}")
}

/// Postings in page order as a flat list: document (the difference from
/// the previous posting's), passage, weight. Short numbers keep shards
/// small.
fn encode(postings: &[Posting]) -> Vec<u32> {
    let mut out = Vec::with_capacity(postings.len() * 3);
    let mut prev = 0;
    for &(d, s, w) in postings {
        out.extend([d - prev, u32::from(s), u32::from(w)]);
        prev = d;
    }
    out
}

/// Groups sorted keys by their first `len` characters; a group too big is
/// split by one more character (keys no longer than the prefix stay).
pub(super) fn split<'a>(keys: &[Keyed<'a>], len: usize, emit: &mut dyn FnMut(&str, &[Keyed<'a>])) {
    let mut i = 0;
    while i < keys.len() {
        let key: String = keys[i].0.chars().take(len).collect();
        let mut j = i;
        while j < keys.len() && keys[j].0.starts_with(key.as_str()) {
            j += 1;
        }
        let group = &keys[i..j];
        // A word costs about what one posting does.
        let size: usize = group
            .iter()
            .map(|(_, e)| match e {
                Entry::Stem(p) => p.len(),
                Entry::Word(_) => 1,
            })
            .sum();
        if size <= SHARD_POSTINGS || len >= 3 {
            emit(&key, group);
        } else {
            let (short, long): (Vec<_>, Vec<_>) =
                group.iter().partition(|(t, _)| t.chars().count() <= len);
            if !short.is_empty() {
                emit(&key, &short);
            }
            split(&long, len + 1, emit);
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_groups_split_by_one_more_letter() {
        let big: Vec<Posting> = (0..3000).map(|i| (i, 0, 1)).collect();
        let small = vec![(1, 0, 1)];
        let terms: Vec<Keyed> = vec![
            ("p", Entry::Stem(&small)),
            ("pay", Entry::Stem(&big)),
            ("payroll", Entry::Stem(&big)),
            ("pen", Entry::Stem(&small)),
        ];
        let mut keys = Vec::new();
        split(&terms, 1, &mut |k, g| keys.push((k.to_owned(), g.len())));
        assert_eq!(
            keys,
            [
                ("p".to_owned(), 1),
                ("pay".to_owned(), 2),
                ("pe".to_owned(), 1)
            ]
        );
        assert_eq!(name("pé"), "s-70c3a9");
    }

    #[test]
    fn postings_are_delta_encoded() {
        assert_eq!(
            encode(&[(3, 0, 17), (3, 2, 1), (10, 1, 4)]),
            [3, 0, 17, 0, 2, 1, 7, 1, 4]
        );
    }
}
