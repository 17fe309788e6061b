//! One file per command, each the same shape: options in, exit code out.

pub mod build;
pub mod check;
pub mod init;
