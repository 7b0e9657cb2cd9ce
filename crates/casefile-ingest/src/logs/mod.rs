//! Log and journal parsing.
