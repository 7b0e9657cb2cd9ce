//! Seeded, label-derived random streams.
//!
//! Every stream is derived from the case seed and a label with SHA-256, so adding a new
//! random draw in one part of a scenario never shifts the values drawn elsewhere.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

/// Alphabet Kubernetes uses for generated name suffixes (`utilrand.String`).
const K8S_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A deterministic random stream.
pub struct Rng {
    seed: [u8; 32],
    inner: ChaCha20Rng,
}

impl Rng {
    /// A stream for `label` under the numeric `seed`.
    pub fn new(seed: u64, label: &str) -> Self {
        let mut h = Sha256::new();
        h.update(seed.to_le_bytes());
        h.update(label.as_bytes());
        Self::from_bytes(h.finalize().into())
    }

    fn from_bytes(seed: [u8; 32]) -> Self {
        Self {
            seed,
            inner: ChaCha20Rng::from_seed(seed),
        }
    }

    /// A child stream that depends only on this stream's seed and `label`.
    #[must_use]
    pub fn fork(&self, label: &str) -> Self {
        let mut h = Sha256::new();
        h.update(self.seed);
        h.update(label.as_bytes());
        Self::from_bytes(h.finalize().into())
    }

    /// The 32 seed bytes of this stream.
    pub fn seed_bytes(&self) -> [u8; 32] {
        self.seed
    }

    /// Next raw 64-bit value.
    pub fn u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        self.u64() % n
    }

    /// Uniform value in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `n` lowercase hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        const H: &[u8] = b"0123456789abcdef";
        (0..n).map(|_| H[self.below(16) as usize] as char).collect()
    }

    /// `n` decimal digits, first one non-zero.
    pub fn digits(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        for i in 0..n {
            let d = if i == 0 {
                1 + self.below(9)
            } else {
                self.below(10)
            };
            s.push(char::from(b'0' + d as u8));
        }
        s
    }

    /// `n` lowercase letters.
    pub fn lower(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'a' + self.below(26) as u8))
            .collect()
    }

    /// A Kubernetes generated-name suffix of `n` characters.
    pub fn k8s_suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| K8S_ALPHABET[self.below(K8S_ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    /// A random (version 4) UUID in canonical form.
    pub fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.inner.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().fold(String::new(), |mut acc, x| {
            let _ = write!(acc, "{x:02x}");
            acc
        });
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// Fill `buf` with random bytes.
    pub fn fill(&mut self, buf: &mut [u8]) {
        self.inner.fill_bytes(buf);
    }

    /// The underlying `ChaCha20` generator (for key generation).
    pub fn chacha(&mut self) -> &mut ChaCha20Rng {
        &mut self.inner
    }
}
