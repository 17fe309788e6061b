//! The integration test suite: one binary, one small fixture folder per
//! case under tests/fixtures/, run through the real `sopbook` executable.

mod harness;
mod site;

mod check;
mod errors;
mod example;
mod fuzz_corpus;
mod init;
mod links;
mod output;
mod pages;
mod serve;
mod theme;
