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

// ---- the engine -------------------------------------------------------------------------------

use clerk_core::engine::{Answer, Call, Cmd, Config, Engine, Op, Page, TimerId};
use clerk_core::request::Form;

use crate::value::J;

fn drain(e: &mut Engine<J>) -> Vec<Cmd<J>> {
    std::iter::from_fn(|| e.poll()).collect()
}

fn sends(cmds: &[Cmd<J>]) -> Vec<(u32, String)> {
    cmds.iter()
        .filter_map(|c| match c {
            Cmd::Send { req, url, .. } => Some((*req, url.clone())),
            _ => None,
        })
        .collect()
}

fn respond(status: u16, body: serde_json::Value) -> Answer<J> {
    Answer::Response {
        status,
        body: Some(J::from_serde(&body)),
        retry_after: None,
        dev_browser_jwt: None,
    }
}

/// A GET that failed twice waits for its retry (700 ms); meanwhile another
/// request renews the dev browser (401 `dev_browser_unauthenticated`).
/// Returns the engine, the GET's id and the handshake's id.
fn retry_during_renewal() -> (Engine<J>, u32, u32) {
    let mut e = Engine::<J>::new(Config {
        publishable_key: "pk_test_MTI3LjAuMC4xOjQwMTAk".into(), // 127.0.0.1:4010
        proxy_url: None,
        page: Page {
            origin: Some("http://localhost:3000".into()),
            host: "localhost:3000".into(),
            ..Page::default()
        },
        dev_browser_jwt: Some("dvb_1".into()),
    })
    .unwrap();
    let t = 1_767_225_600_000;
    e.call(Call::new(Op::ReloadClient, Form::new()), t);
    let get = sends(&drain(&mut e))[0].0;
    e.http(get, Answer::Failed("offline".into()), t);
    assert_eq!(
        sends(&drain(&mut e)).len(),
        1,
        "the first retry goes at once"
    );
    e.http(get, Answer::Failed("offline".into()), t);
    let cmds = drain(&mut e);
    assert!(cmds.contains(&Cmd::SetTimer {
        timer: TimerId::Retry(get),
        ms: 700
    }));
    e.call(Call::new(Op::SignInCreate, Form::new()), t);
    let post = sends(&drain(&mut e))[0].0;
    let renew = serde_json::json!({"errors": [{"code": "dev_browser_unauthenticated"}]});
    e.http(post, respond(401, renew), t);
    let cmds = drain(&mut e);
    let handshake = sends(&cmds);
    assert!(handshake.len() == 1 && handshake[0].1.contains("/v1/dev_browser"));
    (e, get, handshake[0].0)
}

/// Found by `engine` (seed 0xc1e26a53, case 610): the handshake's end sent
/// every request waiting for it — a GET waiting for its retry too — and left
/// that GET's retry timer armed while it was on the wire (a live timer in
/// the driver, and the backoff skipped). It now clears that timer.
#[test]
fn handshake_end_clears_a_waiting_retry() {
    let (mut e, get, handshake) = retry_during_renewal();
    let t = 1_767_225_600_100;
    e.http(
        handshake,
        respond(200, serde_json::json!({"id": "dvb_2"})),
        t,
    );
    let cmds = drain(&mut e);
    let clear = cmds
        .iter()
        .position(|c| *c == Cmd::ClearTimer(TimerId::Retry(get)));
    let resend = cmds
        .iter()
        .position(|c| matches!(c, Cmd::Send { req, url, .. } if *req == get && url.contains("__clerk_db_jwt=dvb_2")));
    assert!(clear.is_some() && resend.is_some(), "{cmds:?}");
    assert_eq!(sends(&cmds).len(), 2, "the GET and the renewed POST");
}

/// The same, when the retry timer fires while the handshake is in flight:
/// the GET waits for the new dev browser instead of going without one.
#[test]
fn a_retry_during_a_handshake_waits_for_it() {
    let (mut e, get, handshake) = retry_during_renewal();
    let t = 1_767_225_600_700;
    e.timer(TimerId::Retry(get), t);
    assert!(
        sends(&drain(&mut e)).is_empty(),
        "sent during the handshake"
    );
    e.http(
        handshake,
        respond(200, serde_json::json!({"id": "dvb_2"})),
        t,
    );
    let sent = sends(&drain(&mut e));
    assert_eq!(sent.len(), 2);
    assert!(sent
        .iter()
        .all(|(_, url)| url.contains("__clerk_db_jwt=dvb_2")));
}

// ---- URLs ----------------------------------------------------------------------------------

/// Found by `url` (seed 0xbb1d08ace240, case 88410): an IPv6 literal with two
/// ports (`https://[::1]:443:443`) kept its last `:443`. The core is right
/// (URLs with two ports pass as they are, like `a.test:443:443`); the check
/// took every `[…]` host for one with at most one port. It now looks after
/// the `]`.
#[test]
fn url_an_ipv6_literal_with_two_ports_passes_as_it_is() {
    let input = crate::parsers::UrlInput {
        url: "https://[::1]:443:443".into(),
        origin: Some("https:///App.Test:4010?x=1?__clerk_status=verified/%2F".into()),
        segment: "e<falsec75462".into(),
    };
    crate::parsers::url_check(&input);
    assert_eq!(
        clerk_core::url::split_absolute("https://[::1]:443").map(|(o, _)| o),
        Some("https://[::1]".into())
    );
}
