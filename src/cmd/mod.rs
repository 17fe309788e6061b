//! One file per command, each the same shape: options in, exit code out.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod theme;
