//! Log records: one logical entry of a log or journal file, with its time and provenance.
