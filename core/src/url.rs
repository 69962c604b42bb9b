//! Minimal absolute-URL handling (no `url` crate): resolving relative URLs
//! against the page origin and normalising an origin the way `new URL().origin`
//! does (lower-case scheme and host, default port dropped).

use crate::ascii;

/// Resolves `url` to an absolute `http(s)` URL.
///
/// * `http://…` / `https://…` are kept (origin normalised, path untouched).
/// * `/path` is appended to `page_origin`; `//host/path` takes the page's scheme.
///
/// Returns `None` for anything else (other schemes, bare words, a relative URL
/// without a usable `page_origin`, an empty host).
pub fn resolve(url: &str, page_origin: Option<&str>) -> Option<String> {
    let url = url.trim();
    if let Some((origin, rest)) = split_absolute(url) {
        let mut out = origin;
        out.push_str(rest);
        return Some(out);
    }
    let (page, _) = split_absolute(page_origin?.trim())?;
    if let Some(rest) = url.strip_prefix("//") {
        let scheme = if page.starts_with("https:") {
            "https:"
        } else {
            "http:"
        };
        return resolve(&crate::list::concat(&[scheme, "//", rest]), None);
    }
    if url.starts_with('/') {
        let mut out = page;
        out.push_str(url);
        return Some(out);
    }
    None
}

/// Splits an absolute `http(s)` URL into its normalised origin and the rest
/// (path, query, fragment; possibly empty).
pub fn split_absolute(url: &str) -> Option<(String, &str)> {
    let (scheme, after) = ascii::split_once(url, b':')?;
    let after = after.strip_prefix("//")?;
    let https = if scheme.eq_ignore_ascii_case("https") {
        true
    } else if scheme.eq_ignore_ascii_case("http") {
        false
    } else {
        return None;
    };
    let end = ascii::find(after, b"/?#").unwrap_or(after.len());
    let (authority, rest) = (after.get(..end)?, after.get(end..)?);
    if authority.is_empty()
        || ascii::contains(authority, b"@")
        || authority.chars().any(char::is_whitespace)
    {
        return None;
    }
    let default_port = if https { ":443" } else { ":80" };
    let host = authority.strip_suffix(default_port).unwrap_or(authority);
    if host.is_empty() || host.starts_with(':') {
        return None;
    }
    let mut origin = String::with_capacity(8 + host.len());
    origin.push_str(if https { "https://" } else { "http://" });
    origin.push_str(&host.to_ascii_lowercase());
    Some((origin, rest))
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `b` as `%XX`.
fn push_escaped(out: &mut String, b: u8) {
    out.push('%');
    out.push(HEX[(b >> 4) as usize] as char);
    out.push(HEX[(b & 15) as usize] as char);
}

/// Percent-encodes one path segment (everything but RFC 3986 unreserved bytes).
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for &b in segment.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            push_escaped(&mut out, b);
        }
    }
    out
}

/// Appends `key=value` to a query or form body, `application/x-www-form-urlencoded`
/// as the WHATWG URL standard serializes it (what `URLSearchParams` and ClerkJS
/// send): `*-._` and ASCII alphanumerics stay, a space is `+`, every other byte
/// is `%XX`. A `&` goes first unless `out` is empty or ends with `?`.
///
/// Hand-written instead of the `form_urlencoded` crate: with
/// [`parse_query`], the shipped entry is 1.9 KB gzip smaller (no
/// percent-encoding table, generic serializer or lossy UTF-8 decoder), and
/// the rule is short and pinned by tests and the fuzz targets.
pub fn push_pair(out: &mut String, key: &str, value: &str) {
    if !out.is_empty() && !out.ends_with('?') {
        out.push('&');
    }
    push_component(out, key);
    out.push('=');
    push_component(out, value);
}

fn push_component(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        match b {
            b' ' => out.push('+'),
            b'*' | b'-' | b'.' | b'_' => out.push(b as char),
            _ if b.is_ascii_alphanumeric() => out.push(b as char),
            _ => push_escaped(out, b),
        }
    }
}

/// Decodes one form-urlencoded component: `+` is a space, a valid `%XX` its
/// byte (anything else stays as written). A component whose bytes are not
/// UTF-8 stays as written, percent escapes and all (`URLSearchParams` would
/// put U+FFFD there; no parameter the SDK reads can hold such bytes, and
/// std's lossy decoder costs ~550 B gzip in the `.wasm`).
fn decode_component(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let hex = |j: usize| b.get(j).and_then(|c| (*c as char).to_digit(16));
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    crate::utf8::decode(&out).unwrap_or_else(|| s.into())
}

/// Parses a query string (with or without the leading `?`) into decoded pairs
/// (empty pieces are skipped; a piece without `=` has an empty value).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut pairs = Vec::new();
    // A loop, not `collect`: see `crate::list`.
    for p in ascii::split(query, b"&").filter(|p| !p.is_empty()) {
        let (k, v) = ascii::split_once(p, b'=').unwrap_or((p, ""));
        pairs.push((decode_component(k), decode_component(v)));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_absolute_and_relative() {
        assert_eq!(
            resolve("HTTPS://Example.COM:443/a/b?x=1", None).unwrap(),
            "https://example.com/a/b?x=1"
        );
        assert_eq!(
            resolve("http://127.0.0.1:4010", None).unwrap(),
            "http://127.0.0.1:4010"
        );
        assert_eq!(resolve("http://h:80/", None).unwrap(), "http://h/");
        assert_eq!(
            resolve("/verify?x", Some("http://localhost:3000")).unwrap(),
            "http://localhost:3000/verify?x"
        );
        assert_eq!(
            resolve("//cdn.test/x", Some("https://a.test")).unwrap(),
            "https://cdn.test/x"
        );
        assert_eq!(resolve("/verify", None), None);
        assert_eq!(resolve("verify", Some("https://a.test")), None);
        assert_eq!(resolve("ftp://a.test/x", None), None);
        assert_eq!(resolve("https:///x", None), None);
        assert_eq!(resolve("https://u:p@a.test/", None), None);
        assert_eq!(resolve("/x", Some("not a url")), None);
    }

    #[test]
    fn encodes_path_segments() {
        assert_eq!(encode_path_segment("my template/1"), "my%20template%2F1");
        assert_eq!(encode_path_segment("a-b_c.d~"), "a-b_c.d~");
    }

    #[test]
    fn parses_queries() {
        assert_eq!(
            parse_query("?a=1&b=x+y&c=%2F"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("c".into(), "/".into())
            ]
        );
        assert!(parse_query("").is_empty());
        assert_eq!(
            parse_query("&&k&=v&%zz=%4&%E2%82%AC=%FF"),
            vec![
                ("k".into(), "".into()),
                ("".into(), "v".into()),
                ("%zz".into(), "%4".into()),
                ("\u{20ac}".into(), "%FF".into())
            ]
        );
    }

    #[test]
    fn form_encoding_matches_the_url_standard() {
        let mut s = String::from("?");
        push_pair(&mut s, "a b", "*-._~!'()/?&=+%\u{e9}");
        push_pair(&mut s, "", "");
        assert_eq!(s, "?a+b=*-._%7E%21%27%28%29%2F%3F%26%3D%2B%25%C3%A9&=");
        let all: String = (1u8..128).map(char::from).collect();
        let mut enc = String::new();
        push_pair(&mut enc, "k", &all);
        assert_eq!(parse_query(&enc), vec![("k".to_string(), all)]);
    }
}
