//! The `casefile` command line.
fn main() {}
