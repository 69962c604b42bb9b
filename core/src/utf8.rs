//! UTF-8 bytes to a `String`, checked, in safe code.
//!
//! Hand-rolled for size: std's `String::from_utf8` validates with a
//! word-at-a-time fast path for long ASCII runs, about 600 B of `.wasm`;
//! the SDK decodes only short texts (a key's host, a JWT's claims, a
//! percent-decoded query value), for which this byte loop is enough. It
//! accepts exactly what std accepts (`matches_std` below checks every
//! sequence of up to three bytes and a sample of four-byte ones).

/// `bytes` as a `String`, or `None` when they are not UTF-8 (a truncated or
/// overlong sequence, a surrogate, a code point past U+10FFFF).
pub fn decode(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i] as u32;
        // The sequence's length and the smallest code point it may carry.
        let (len, min) = match b {
            0x00..=0x7f => (1, 0),
            0xc0..=0xdf => (2, 0x80),
            0xe0..=0xef => (3, 0x800),
            0xf0..=0xf7 => (4, 0x1_0000),
            _ => return None,
        };
        let rest = bytes.get(i + 1..i + len)?;
        let mut cp = if len == 1 { b } else { b & (0x7f >> len) };
        for &c in rest {
            if c & 0xc0 != 0x80 {
                return None;
            }
            cp = cp << 6 | (c & 0x3f) as u32;
        }
        if cp < min {
            return None;
        }
        out.push(char::from_u32(cp)?);
        i += len;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::decode;

    fn std(bytes: &[u8]) -> Option<String> {
        String::from_utf8(bytes.to_vec()).ok()
    }

    #[test]
    fn matches_std() {
        for a in 0..=255u8 {
            assert_eq!(decode(&[a]), std(&[a]), "{a:02x}");
            for b in 0..=255u8 {
                assert_eq!(decode(&[a, b]), std(&[a, b]), "{a:02x} {b:02x}");
                for c in 0..=255u8 {
                    let s = [a, b, c];
                    assert_eq!(decode(&s), std(&s), "{s:02x?}");
                }
            }
        }
        // Four-byte sequences: every lead byte with a spread of continuations.
        for a in 0xe0..=0xffu8 {
            for b in (0..=255u8).step_by(3) {
                for c in [0x00, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xff] {
                    for d in [0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xff] {
                        let s = [a, b, c, d];
                        assert_eq!(decode(&s), std(&s), "{s:02x?}");
                    }
                }
            }
        }
    }

    #[test]
    fn texts() {
        for s in [
            "",
            "clerk.example.com$",
            "Zoë 🦀 日本",
            "{\"sub\":\"user_1\"}",
        ] {
            assert_eq!(decode(s.as_bytes()).as_deref(), Some(s));
        }
        assert_eq!(decode(b"ok\xf0\x9f\xa6"), None, "truncated at the end");
        assert_eq!(decode(b"\xc0\xaf"), None, "overlong slash");
        assert_eq!(decode(b"\xed\xa0\x80"), None, "surrogate");
        assert_eq!(decode(b"\xf4\x90\x80\x80"), None, "past U+10FFFF");
    }
}
