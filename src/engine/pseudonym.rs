//! Keyed pseudonyms (P9): a stable stand-in for an identifier, so distinct
//! anonymous commenters can still be counted, that cannot be reversed or
//! recomputed without the key.

use std::fmt;

const PREFIX: &str = "anon-";
/// Bytes of the BLAKE3 output kept: 128 bits, collision-free in practice.
const KEPT: usize = 16;
/// Short secrets are guessable; a key must have at least this many bytes.
pub const MIN_SECRET_BYTES: usize = 16;

/// The pseudonym key. Its `Debug` never shows it.
#[derive(Clone)]
pub struct PseudonymKey([u8; 32]);

#[derive(Debug, thiserror::Error)]
#[error("the pseudonym key must be at least {MIN_SECRET_BYTES} bytes long")]
pub struct ShortKey;

impl PseudonymKey {
    /// Derives the key from a secret of any length (at least 16 bytes), so
    /// a passphrase and 32 random bytes both work.
    pub fn from_secret(secret: &[u8]) -> Result<PseudonymKey, ShortKey> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(ShortKey);
        }
        Ok(PseudonymKey(blake3::derive_key(
            "anoniem 2026-11 pseudonym key",
            secret,
        )))
    }

    /// `anon-` and 32 hex digits. The source is part of the input, so the
    /// same native id on two platforms gives two pseudonyms.
    pub fn pseudonym(&self, source: &str, value: &str) -> String {
        let mut h = blake3::Hasher::new_keyed(&self.0);
        h.update(&(source.len() as u64).to_le_bytes());
        h.update(source.as_bytes());
        h.update(value.as_bytes());
        let hash = h.finalize();
        let mut out = String::with_capacity(PREFIX.len() + 2 * KEPT);
        out.push_str(PREFIX);
        for b in &hash.as_bytes()[..KEPT] {
            out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
            out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
        }
        out
    }
}

/// True for a value this module made, so that sanitising twice changes nothing.
pub fn is_pseudonym(value: &str) -> bool {
    value.len() == PREFIX.len() + 2 * KEPT
        && value.starts_with(PREFIX)
        && value[PREFIX.len()..]
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymKey(<secret>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> PseudonymKey {
        PseudonymKey::from_secret(s.as_bytes()).unwrap()
    }

    #[test]
    fn stable_per_key_and_source() {
        let k = key("a secret of enough length");
        let p = k.pseudonym("facebook", "100004567890123");
        assert_eq!(p, k.pseudonym("facebook", "100004567890123"));
        assert!(is_pseudonym(&p), "{p}");
        assert_ne!(p, k.pseudonym("instagram", "100004567890123"));
        assert_ne!(
            p,
            key("another secret, also long").pseudonym("facebook", "100004567890123")
        );
        assert!(!p.contains("100004567890123"));
    }

    #[test]
    fn refuses_short_secrets_and_hides_the_key() {
        assert!(PseudonymKey::from_secret(b"short").is_err());
        let k = key("a secret of enough length");
        assert_eq!(format!("{k:?}"), "PseudonymKey(<secret>)");
    }

    #[test]
    fn recognises_only_its_own_shape() {
        assert!(!is_pseudonym("anon-xyz"));
        assert!(!is_pseudonym("100004567890123"));
        assert!(!is_pseudonym("anon-0123456789ABCDEF0123456789abcdef"));
    }
}
