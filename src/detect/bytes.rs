//! Byte classes tested sixteen bytes at a time, one bit per byte: for the
//! scans that look for rare bytes (a digit, an at-word after a space) in
//! mostly plain text. A chunk is a few vector instructions through `wide`
//! (SSE2 on x86-64, which every x86-64 processor has; NEON on arm64; a
//! plain loop elsewhere); the bytes after the last whole chunk are tested
//! one by one. A mask built in plain Rust with a shift per byte did not
//! vectorise and cost about three times as much.

use wide::u8x16;

/// Bytes per chunk.
const CHUNK: usize = 16;

/// A set of bytes a chunk can be tested against at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// ASCII whitespace as `\s` reads it without Unicode ([`super::view::SPACES`]).
    Space,
    /// An ASCII digit.
    Digit,
    /// A byte that is not ASCII.
    NonAscii,
    /// One of four bytes, compared after ASCII lower-casing (give them in
    /// lower case; repeat one to fill).
    Folded([u8; 4]),
    /// An ASCII word byte: a letter, a digit or `_`.
    Word,
    /// An ASCII letter or a byte that is not ASCII (of a letter, in the view).
    Letter,
    /// An ASCII letter or digit, or a byte that is not ASCII.
    Alnum,
    /// Every byte.
    Any,
}

impl Class {
    /// Whether the class holds `b`.
    pub(super) fn holds(self, b: u8) -> bool {
        match self {
            Class::Space => (b == b' ') | (b.wrapping_sub(b'\t') < 5),
            Class::Digit => b.is_ascii_digit(),
            Class::NonAscii => b >= 0x80,
            Class::Folded([p, q, r, s]) => {
                let b = b.to_ascii_lowercase();
                (b == p) | (b == q) | (b == r) | (b == s)
            }
            Class::Word => b.is_ascii_alphanumeric() || b == b'_',
            Class::Letter => b.is_ascii_alphabetic() || b >= 0x80,
            Class::Alnum => b.is_ascii_alphanumeric() || b >= 0x80,
            Class::Any => true,
        }
    }

    /// Bit `i` set when the class holds `chunk[i]`.
    fn mask(self, chunk: &[u8; CHUNK]) -> u16 {
        let x = u8x16::new(*chunk);
        // Lanes where `x - low <= span`, unsigned: `low..=low + span`.
        let in_range = |x: u8x16, low: u8, span: u8| {
            let t = x - u8x16::splat(low);
            t.min(u8x16::splat(span)).cmp_eq(t)
        };
        let eq = |x: u8x16, b: u8| x.cmp_eq(u8x16::splat(b));
        let hits = match self {
            Class::Space => eq(x, b' ') | in_range(x, b'\t', 4),
            Class::Digit => in_range(x, b'0', 9),
            // The top bit of each lane is the mask.
            Class::NonAscii => x,
            Class::Folded([p, q, r, s]) => {
                let x = x | (in_range(x, b'A', 25) & u8x16::splat(0x20));
                (eq(x, p) | eq(x, q)) | (eq(x, r) | eq(x, s))
            }
            Class::Word => in_range(x, b'0', 9) | in_range(x, b'a', 25) | in_range(x, b'A', 25) | eq(x, b'_'),
            // Upper case folded onto lower case by setting 0x20; the top
            // bit of a lane that is not ASCII survives the `|`.
            Class::Letter => {
                in_range(x | u8x16::splat(0x20), b'a', 25)
                    | (x & u8x16::splat(0x80)).cmp_eq(u8x16::splat(0x80))
            }
            Class::Alnum => {
                in_range(x | u8x16::splat(0x20), b'a', 25)
                    | in_range(x, b'0', 9)
                    | (x & u8x16::splat(0x80)).cmp_eq(u8x16::splat(0x80))
            }
            Class::Any => return u16::MAX,
        };
        // `move_mask` fills the low 16 bits only.
        u16::try_from(hits.move_mask() & 0xffff).unwrap_or(u16::MAX)
    }
}

/// The ASCII digits `bytes` starts with: how many, and their value
/// (saturating: a long run reads as `u32::MAX`, never wraps).
pub(super) fn leading_number(bytes: &[u8]) -> (usize, u32) {
    let n = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let v = bytes[..n].iter().fold(0u32, |v, b| {
        v.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    });
    (n, v)
}

/// The first byte of `bytes` the class holds.
pub(super) fn first_where(bytes: &[u8], class: Class) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut offset = 0;
    for chunk in &mut chunks {
        if let Ok(c) = <&[u8; CHUNK]>::try_from(chunk) {
            let m = class.mask(c);
            if m != 0 {
                return Some(offset + m.trailing_zeros() as usize);
            }
        }
        offset += CHUNK;
    }
    let rest = chunks.remainder();
    rest.iter().position(|b| class.holds(*b)).map(|i| offset + i)
}

/// How many bytes of `bytes` the class holds.
pub(crate) fn count_where(bytes: &[u8], class: Class) -> usize {
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut n = 0;
    for chunk in &mut chunks {
        if let Ok(c) = <&[u8; CHUNK]>::try_from(chunk) {
            n += class.mask(c).count_ones() as usize;
        }
    }
    n + chunks.remainder().iter().filter(|b| class.holds(**b)).count()
}

/// Calls `found(i)` for each `i`, in order, where the class holds
/// `bytes[i]`, except inside a word: where `bytes[i]` and `bytes[i - 1]`
/// are both word bytes ([`Class::Word`]). For terms matched whole-word,
/// which start nowhere else.
pub(super) fn each_start_where(bytes: &[u8], class: Class, mut found: impl FnMut(usize)) {
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut offset = 0;
    // Whether the byte before the chunk is a word byte.
    let mut carry = 0u16;
    for chunk in &mut chunks {
        if let Ok(c) = <&[u8; CHUNK]>::try_from(chunk) {
            let word = Class::Word.mask(c);
            let inside = word & ((word << 1) | carry);
            let mut m = class.mask(c) & !inside;
            while m != 0 {
                found(offset + m.trailing_zeros() as usize);
                m &= m - 1;
            }
            carry = word >> (CHUNK - 1);
        }
        offset += CHUNK;
    }
    let mut prev_word = carry != 0;
    for (i, b) in chunks.remainder().iter().enumerate() {
        let word = Class::Word.holds(*b);
        if class.holds(*b) && !(word && prev_word) {
            found(offset + i);
        }
        prev_word = word;
    }
}

/// Fills `out[c]` with one bit per byte of `bytes` where `classes[c]`
/// holds: bit `i % 64` of word `i / 64`; the bits past the end are 0.
pub(super) fn bitmaps<const N: usize>(bytes: &[u8], classes: [Class; N], out: &mut [Vec<u64>; N]) {
    let words = bytes.len().div_ceil(64);
    for o in out.iter_mut() {
        o.clear();
        o.resize(words, 0);
    }
    let mut chunks = bytes.chunks_exact(CHUNK);
    for (k, chunk) in (&mut chunks).enumerate() {
        if let Ok(c) = <&[u8; CHUNK]>::try_from(chunk) {
            let shift = (k % 4) * CHUNK;
            for (class, o) in classes.iter().zip(out.iter_mut()) {
                if let Some(w) = o.get_mut(k / 4) {
                    *w |= u64::from(class.mask(c)) << shift;
                }
            }
        }
    }
    // The last bytes as one more chunk, padded with zeros whose bits are
    // masked off.
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; CHUNK];
        last[..rest.len()].copy_from_slice(rest);
        let k = bytes.len() / CHUNK;
        let keep = (1u16 << rest.len()) - 1;
        for (class, o) in classes.iter().zip(out.iter_mut()) {
            if let Some(w) = o.get_mut(k / 4) {
                *w |= u64::from(class.mask(&last) & keep) << ((k % 4) * CHUNK);
            }
        }
    }
}

/// The first `i >= from` whose bit is set in `bits` (as [`bitmaps`] fills them).
pub(super) fn next_one(bits: &[u64], from: usize) -> Option<usize> {
    let mut k = from / 64;
    let mut w = bits.get(k)? & (u64::MAX << (from % 64));
    loop {
        if w != 0 {
            return Some(k * 64 + w.trailing_zeros() as usize);
        }
        k += 1;
        w = *bits.get(k)?;
    }
}

/// The first `i >= from` whose bit is clear in `bits`; `None` when every
/// bit from there to the last word is set.
pub(super) fn next_zero(bits: &[u64], from: usize) -> Option<usize> {
    let mut k = from / 64;
    let mut w = !bits.get(k)? & (u64::MAX << (from % 64));
    loop {
        if w != 0 {
            return Some(k * 64 + w.trailing_zeros() as usize);
        }
        k += 1;
        w = !*bits.get(k)?;
    }
}

/// Calls `found(i)` for each `i`, in order, where `first` holds
/// `bytes[i]` and `second` holds `bytes[i + 1]`, until it returns true
/// (then true).
pub(super) fn any_pair_where(
    bytes: &[u8],
    first: Class,
    second: Class,
    mut found: impl FnMut(usize) -> bool,
) -> bool {
    let mut i = 0;
    // Whole chunks of pairs: the firsts at `i..i + 16`, the seconds one on.
    while let (Some(a), Some(b)) = (bytes.get(i..i + CHUNK), bytes.get(i + 1..i + 1 + CHUNK)) {
        if let (Ok(a), Ok(b)) = (<&[u8; CHUNK]>::try_from(a), <&[u8; CHUNK]>::try_from(b)) {
            let mut m = first.mask(a) & second.mask(b);
            while m != 0 {
                if found(i + m.trailing_zeros() as usize) {
                    return true;
                }
                m &= m - 1;
            }
        }
        i += CHUNK;
    }
    while let (Some(&x), Some(&y)) = (bytes.get(i), bytes.get(i + 1)) {
        if first.holds(x) && second.holds(y) && found(i) {
            return true;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CLASSES: [Class; 8] = [
        Class::Space,
        Class::Digit,
        Class::NonAscii,
        Class::Folded([b'a', b'p', b'@', b'z']),
        Class::Word,
        Class::Letter,
        Class::Alnum,
        Class::Any,
    ];

    #[test]
    fn a_chunk_mask_agrees_with_the_byte_test_for_every_byte() {
        for class in CLASSES {
            for start in (0..=255u8).step_by(CHUNK) {
                let chunk: [u8; CHUNK] = std::array::from_fn(|i| start.wrapping_add(i as u8));
                let want = chunk
                    .iter()
                    .enumerate()
                    .fold(0u16, |m, (i, b)| m | (u16::from(class.holds(*b)) << i));
                assert_eq!(class.mask(&chunk), want, "{class:?} from {start}");
            }
        }
        assert!(Class::Space.holds(b'\x0c') && !Class::Space.holds(b'\x0e'));
        assert!(Class::Folded([b'a'; 4]).holds(b'A') && !Class::Folded([b'a'; 4]).holds(b'a' - 0x20 + 0x40));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn scans_agree_with_a_naive_scan(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b' '), Just(b'a'), Just(b'A'), Just(b'\n'), Just(b'7'), Just(0xc3u8), any::<u8>()],
                0..150,
            ),
            stop_after in 0usize..6,
            which in 0usize..8,
            from in 0usize..90,
        ) {
            let class = CLASSES[which];
            let mut maps = [Vec::new(), Vec::new()];
            bitmaps(&bytes, [class, Class::Digit], &mut maps);
            let bit = |i: usize| maps[0].get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1);
            for i in 0..maps[0].len() * 64 {
                prop_assert_eq!(bit(i), bytes.get(i).is_some_and(|b| class.holds(*b)), "bit {}", i);
            }
            let want_one = (from..maps[0].len() * 64).find(|&i| bit(i));
            prop_assert_eq!(next_one(&maps[0], from), want_one);
            let want_zero = (from..maps[0].len() * 64).find(|&i| !bit(i));
            prop_assert_eq!(next_zero(&maps[0], from), want_zero);
            prop_assert_eq!(first_where(&bytes, class), bytes.iter().position(|b| class.holds(*b)));
            let mut starts = Vec::new();
            each_start_where(&bytes, class, |i| starts.push(i));
            let word = |i: usize| Class::Word.holds(bytes[i]);
            let outside: Vec<usize> = (0..bytes.len())
                .filter(|&i| class.holds(bytes[i]) && !(word(i) && i > 0 && word(i - 1)))
                .collect();
            prop_assert_eq!(starts, outside);
            let (first, second) = (Class::Space, Class::Folded([b'a'; 4]));
            let naive: Vec<usize> = (0..bytes.len().saturating_sub(1))
                .filter(|&i| first.holds(bytes[i]) && second.holds(bytes[i + 1]))
                .collect();
            let mut seen = Vec::new();
            let stopped = any_pair_where(&bytes, first, second, |i| {
                seen.push(i);
                seen.len() > stop_after
            });
            prop_assert_eq!(&seen[..], &naive[..naive.len().min(stop_after + 1)]);
            prop_assert_eq!(stopped, naive.len() > stop_after);
        }
    }
}
