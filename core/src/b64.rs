//! base64 decoding for the two places the SDK needs it: the publishable key
//! (standard alphabet) and JWT payloads (URL-safe alphabet), `=` padding
//! optional in both.
//!
//! Hand-written on purpose: the `base64` crate's general-purpose engine cost
//! 3.5 KB of the shipped `.wasm` for these two calls; this is ~0.3 KB. It is
//! checked against the crate (a dev-dependency) in the tests below.

/// Which 62nd/63rd characters the input uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `+` and `/` (RFC 4648 §4).
    Standard,
    /// `-` and `_` (RFC 4648 §5, JWTs).
    UrlSafe,
}

/// Decodes `input`; `None` when it holds a character outside the alphabet,
/// padding anywhere but the end, or an impossible length.
pub fn decode(input: &str, alphabet: Alphabet) -> Option<Vec<u8>> {
    let data = crate::ascii::trim_end(input, b"=");
    if input.len() - data.len() > 2 || data.len() % 4 == 1 {
        return None;
    }
    let (c62, c63) = match alphabet {
        Alphabet::Standard => (b'+', b'/'),
        Alphabet::UrlSafe => (b'-', b'_'),
    };
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in data.as_bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            _ if c == c62 => 62,
            _ if c == c63 => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    use base64::Engine;

    #[test]
    fn matches_the_base64_crate() {
        let samples: [&[u8]; 6] = [
            b"",
            b"f",
            b"fo",
            b"foo",
            b"foob",
            b"\xfb\xff\xfe\x00\x10 clerk$",
        ];
        for s in samples {
            let std = STANDARD_NO_PAD.encode(s);
            let url = URL_SAFE_NO_PAD.encode(s);
            assert_eq!(decode(&std, Alphabet::Standard).as_deref(), Some(s));
            assert_eq!(decode(&url, Alphabet::UrlSafe).as_deref(), Some(s));
            let padded = base64::engine::general_purpose::STANDARD.encode(s);
            assert_eq!(decode(&padded, Alphabet::Standard).as_deref(), Some(s));
        }
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(decode("a+b/", Alphabet::UrlSafe), None);
        assert_eq!(decode("a-b_", Alphabet::Standard), None);
        assert_eq!(decode("abcde", Alphabet::Standard), None);
        assert_eq!(decode("ab=c", Alphabet::Standard), None);
        assert_eq!(decode("ab===", Alphabet::Standard), None);
        assert_eq!(decode("a b", Alphabet::Standard), None);
    }
}
