//! Searching and splitting on ASCII separators, byte by byte.
//!
//! std's `char` patterns (`split(';')`, `find(['?', '#'])`,
//! `trim_start_matches(['#', '/'])`) each bring a searcher — memchr, UTF-8
//! decoding — into the `.wasm`. Every separator the SDK looks for is ASCII,
//! and an ASCII byte never occurs inside a multi-byte character, so a byte
//! scan finds the same places and every cut is on a character boundary.

/// Whether `b` is one of `set`. Not `set.contains(&b)`: for bytes that is
/// memchr again (195 B gzip more on the headless entry).
#[allow(clippy::manual_contains)]
fn is_in(set: &[u8], b: u8) -> bool {
    set.iter().any(|&c| c == b)
}

/// The index of the first byte of `s` in `set` (`str::find` with a char set).
pub fn find(s: &str, set: &[u8]) -> Option<usize> {
    s.bytes().position(|b| is_in(set, b))
}

/// Whether `s` has a byte in `set` (`str::contains` with a char set).
pub fn contains(s: &str, set: &[u8]) -> bool {
    find(s, set).is_some()
}

/// `s` cut at its first `sep`, without it (`str::split_once`).
pub fn split_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = find(s, &[sep])?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `s` up to its first `sep`, or all of it (`s.split(sep).next()`).
pub fn before(s: &str, sep: u8) -> &str {
    split_once(s, sep).map_or(s, |(head, _)| head)
}

/// `s` without the bytes of `set` it starts with (`str::trim_start_matches`).
pub fn trim_start<'a>(s: &'a str, set: &[u8]) -> &'a str {
    let n = s.bytes().take_while(|&b| is_in(set, b)).count();
    s.get(n..).unwrap_or_default()
}

/// `s` without the bytes of `set` it ends with (`str::trim_end_matches`).
pub fn trim_end<'a>(s: &'a str, set: &[u8]) -> &'a str {
    let n = s.bytes().rev().take_while(|&b| is_in(set, b)).count();
    s.get(..s.len() - n).unwrap_or_default()
}

/// The pieces of `s` between the bytes of `set` (`str::split`): always at
/// least one, possibly empty.
pub fn split<'a>(s: &'a str, set: &'a [u8]) -> Split<'a> {
    Split { rest: Some(s), set }
}

/// The iterator of [`split`].
#[derive(Debug, Clone)]
pub struct Split<'a> {
    rest: Option<&'a str>,
    set: &'a [u8],
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match find(rest, self.set) {
            Some(i) => {
                self.rest = rest.get(i + 1..);
                rest.get(..i)
            }
            None => self.rest.take(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agree_with_std_on_ascii_separators() {
        for s in [
            "", "a", "a=b", "=", "a==b=", "é=ü;ß", "?#/a?b#c", ";;", "x;y;",
        ] {
            assert_eq!(split_once(s, b'='), s.split_once('='), "{s}");
            assert_eq!(before(s, b'='), s.split('=').next().unwrap(), "{s}");
            assert_eq!(find(s, b"?#"), s.find(['?', '#']), "{s}");
            assert_eq!(contains(s, b";"), s.contains(';'), "{s}");
            assert_eq!(
                trim_start(s, b"#/?"),
                s.trim_start_matches(['#', '/', '?']),
                "{s}"
            );
            assert_eq!(trim_end(s, b";="), s.trim_end_matches([';', '=']), "{s}");
            let ours: Vec<&str> = split(s, b";=").collect();
            let std: Vec<&str> = s.split([';', '=']).collect();
            assert_eq!(ours, std, "{s}");
        }
    }
}
