//! The forms' markup: a small HTML subset that the `ui` feature turns into DOM
//! nodes with `createElement` / `setAttribute` / text appends (never
//! `innerHTML`, so pages with Trusted Types or a strict CSP work). Templates are
//! the crate's own constants; what comes from users or the instance (an email
//! address, the application's name) only ever enters through `{N}` slots, as
//! text or as one attribute's value, never as markup.
//!
//! Why hand-rolled: one tokenizer of a dozen lines replaces a few hundred
//! `create_element` / `set_attribute` call sites, and is most of the size
//! budget of issue 6. No HTML parser crate fits in that budget.
//!
//! Syntax: `<tag a=b c="d/e" flag>` opens an element (unquoted values stop
//! at a space, `>` or `/`), `<input …/>` is one
//! without children, `</…>` closes the innermost open element, anything else
//! is text. In values and text, `@` stands for the widget's id prefix and
//! `{N}` (one digit) for the N-th argument.

/// One piece of a template.
#[derive(Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<tag`: a new element, child of the innermost open one.
    Open(&'a str),
    /// `name=value` (value unquoted, raw: see [`fill`]); a bare `name` has "".
    Attr(&'a str, &'a str),
    /// `/>` or `</…>`: the innermost open element is complete.
    Close,
    /// Text (raw: see [`fill`]).
    Text(&'a str),
}

/// Calls `f` with each token of `tpl`, in order.
pub fn parse<'a>(mut tpl: &'a str, mut f: impl FnMut(Token<'a>)) {
    while !tpl.is_empty() {
        if let Some(rest) = tpl.strip_prefix("</") {
            f(Token::Close);
            tpl = rest.get(until(rest, b">") + 1..).unwrap_or("");
        } else if let Some(rest) = tpl.strip_prefix('<') {
            let (tag, rest) = split(rest, b" >/");
            f(Token::Open(tag));
            tpl = attrs(rest, &mut f);
        } else {
            let (text, rest) = split(tpl, b"<");
            f(Token::Text(text));
            tpl = rest;
        }
    }
}

/// The index of the first byte of `s` in `stops` (all ASCII), else `s.len()`.
fn until(s: &str, stops: &[u8]) -> usize {
    s.bytes()
        .position(|b| stops.contains(&b))
        .unwrap_or(s.len())
}

/// `s` split before its first byte in `stops` (ASCII: always a char
/// boundary; `get` keeps the panic path out of the wasm).
fn split<'a>(s: &'a str, stops: &[u8]) -> (&'a str, &'a str) {
    let i = until(s, stops);
    (s.get(..i).unwrap_or(s), s.get(i..).unwrap_or(""))
}

/// The attributes of an open tag, up to `>` or `/>`; returns what follows.
fn attrs<'a>(mut s: &'a str, f: &mut impl FnMut(Token<'a>)) -> &'a str {
    loop {
        s = crate::ascii::trim_start(s, b" ");
        if let Some(rest) = s.strip_prefix("/>") {
            f(Token::Close);
            return rest;
        }
        if let Some(rest) = s.strip_prefix('>') {
            return rest;
        }
        if s.is_empty() {
            return s;
        }
        // A `/` not before `>` is skipped, as HTML does (else no progress).
        if let Some(rest) = s.strip_prefix('/') {
            s = rest;
            continue;
        }
        let (name, rest) = split(s, b" >=/");
        s = rest;
        let mut value = "";
        if let Some(rest) = s.strip_prefix('=') {
            let (v, r) = match rest.strip_prefix('"') {
                Some(q) => split(q, b"\""),
                None => split(rest, b" >/"),
            };
            value = v;
            s = r.strip_prefix('"').unwrap_or(r);
        }
        f(Token::Attr(name, value));
    }
}

/// `raw` with `@` replaced by `ids` and `{N}` by `args[N]` (absent ones by "").
/// Arguments are copied as they are: they are never read as markup.
pub fn fill(raw: &str, ids: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '@' => out.push_str(ids),
            '{' => {
                let n = chars.next().and_then(|d| d.to_digit(10)).unwrap_or(99);
                chars.next();
                out.push_str(args.get(n as usize).copied().unwrap_or(""));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the tokens back as a canonical string, filling every piece.
    fn render(tpl: &str, args: &[&str]) -> String {
        let mut out = String::new();
        let mut open = Vec::new();
        let mut in_tag = false;
        parse(tpl, |t| {
            let close_tag = |out: &mut String, in_tag: &mut bool| {
                if std::mem::take(in_tag) {
                    out.push('>');
                }
            };
            match t {
                Token::Open(tag) => {
                    close_tag(&mut out, &mut in_tag);
                    out.push('<');
                    out.push_str(tag);
                    open.push(tag);
                    in_tag = true;
                }
                Token::Attr(k, v) => {
                    out.push_str(&format!(" {k}=[{}]", fill(v, "cw1-", args)));
                }
                Token::Close => {
                    close_tag(&mut out, &mut in_tag);
                    out.push_str(&format!("</{}>", open.pop().unwrap_or("?")));
                }
                Token::Text(s) => {
                    close_tag(&mut out, &mut in_tag);
                    out.push_str(&format!("[{}]", fill(s, "cw1-", args)));
                }
            }
        });
        out
    }

    #[test]
    fn elements_attributes_text_and_void_elements() {
        assert_eq!(
            render(
                r#"<form class=cw-form novalidate><label for=@code>Code</label><input id=@code aria-describedby="@code-hint @code-err" spellcheck=false/><p>We sent it to {0}.</p></form>"#,
                &["a@b.co"]
            ),
            "<form class=[cw-form] novalidate=[]><label for=[cw1-code]>[Code]</label>\
             <input id=[cw1-code] aria-describedby=[cw1-code-hint cw1-code-err] spellcheck=[false]></input>\
             <p>[We sent it to a@b.co.]</p></form>"
        );
    }

    #[test]
    fn arguments_are_never_markup() {
        let evil = "<img src=x onerror=alert(1)> {0} @";
        assert_eq!(
            render("<p title={0}>{0}</p>", &[evil]),
            format!("<p title=[{evil}]>[{evil}]</p>")
        );
        // Missing arguments are empty; non-ASCII text passes through.
        assert_eq!(render("<b>×{3}…</b>", &[]), "<b>[×…]</b>");
    }

    #[test]
    fn nesting_and_siblings() {
        assert_eq!(
            render("<div><p>a<a href={0}>b</a></p><p></p></div>c", &["/x"]),
            "<div><p>[a]<a href=[/x]>[b]</a></p><p></p></div>[c]"
        );
    }

    #[test]
    fn truncated_templates_end_cleanly() {
        assert_eq!(render("<p a", &[]), "<p a=[]");
        assert_eq!(render("<p a=\"b", &[]), "<p a=[b]");
        assert_eq!(render("</p", &[]), "</?>");
    }
}
