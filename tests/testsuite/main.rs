//! The integration test suite: one binary, one small fixture folder per
//! case under tests/fixtures/, run through the real `sopbook` executable.

mod harness;
mod site;

mod big_lists;
mod brand;
mod check;
mod cli_habits;
mod contents;
mod control;
mod errors;
mod example;
mod extra;
mod fuzz_corpus;
mod highlight;
mod history;
mod history_objects;
mod hostile;
mod hosting;
mod html;
mod i18n;
mod import;
mod init;
mod issue13;
mod links;
mod markdown;
mod migrated;
mod order;
mod output;
mod pages;
mod raw_links;
mod redirects;
mod search;
mod search_words;
mod serve;
mod serve_safety;
mod theme;
mod unsafe_url;
