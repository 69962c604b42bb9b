//! Every failure the fuzzer found, as a plain test (it must keep passing
//! whatever the seed).

use clerk_core::markup::{parse, Token};

fn tokens(tpl: &str) -> Vec<String> {
    let mut out = Vec::new();
    parse(tpl, |t| {
        assert!(out.len() <= tpl.len(), "no progress on {tpl:?}");
        out.push(match t {
            Token::Open(tag) => format!("<{tag}"),
            Token::Attr(k, v) => format!("{k}={v}"),
            Token::Close => "/".into(),
            Token::Text(s) => format!("#{s}"),
        });
    });
    out
}

/// Found by `markup` (seed 0xc1e26a53, case 7): a `/` inside a tag that is
/// not `/>` (`<a /x>`, or an unquoted value with a slash, `<a href=/x>`)
/// made `markup::attrs` loop forever, pushing empty attributes until memory
/// ran out. The `/` is now skipped, as HTML's tokenizer does.
#[test]
fn markup_slash_inside_a_tag_ends() {
    assert_eq!(tokens("<a /x>t"), ["<a", "x=", "#t"]);
    assert_eq!(tokens("<a href=/x>"), ["<a", "href=", "x="]);
    assert_eq!(tokens("<@</  é</b>"), ["<@<", "é<=", "b="]);
    assert_eq!(tokens("<p //>"), ["<p", "/"]);
    assert_eq!(tokens("<p a=\"/\"/>"), ["<p", "a=/", "/"]);
    assert_eq!(
        tokens("}/>/\"/>}<@</  é</b>div\t~@xdiv"),
        ["#}/>/\"/>}", "<@<", "é<=", "b=", "#div\t~@xdiv"]
    );
}
