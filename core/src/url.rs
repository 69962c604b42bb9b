//! Minimal absolute-URL handling (no `url` crate): resolving relative URLs
//! against the page origin and normalising an origin the way `new URL().origin`
//! does (lower-case scheme and host, default port dropped).

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
        return resolve(&[scheme, "//", rest].concat(), None);
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
    let (scheme, after) = url.split_once(':')?;
    let after = after.strip_prefix("//")?;
    let https = if scheme.eq_ignore_ascii_case("https") {
        true
    } else if scheme.eq_ignore_ascii_case("http") {
        false
    } else {
        return None;
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = (after.get(..end)?, after.get(end..)?);
    if authority.is_empty() || authority.contains('@') || authority.contains(char::is_whitespace) {
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

/// Percent-encodes one path segment (everything but RFC 3986 unreserved bytes).
pub fn encode_path_segment(segment: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(segment.len());
    for &b in segment.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// Parses a query string (with or without the leading `?`) into decoded pairs.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
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
    }
}
