//! Timestamp formats found in must-gather and sosreport archives.
