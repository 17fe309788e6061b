//! The integration test suite: one binary, one small fixture folder per
//! case under tests/fixtures/, run through the real `sopbook` executable.

mod harness;
mod site;

mod check;
mod control;
mod errors;
mod example;
mod fuzz_corpus;
mod history;
mod history_objects;
mod hostile;
mod hosting;
mod html;
mod import;
mod init;
mod issue13;
mod links;
mod markdown;
mod migrated;
mod output;
mod pages;
mod raw_links;
mod search;
mod serve;
mod serve_safety;
mod theme;
mod unsafe_url;
