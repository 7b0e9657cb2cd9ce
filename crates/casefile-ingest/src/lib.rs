//! casefile's parser crate: archives → index → typed model.
pub mod logs;
pub mod timefmt;
