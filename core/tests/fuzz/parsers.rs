//! The parsers and encoders: publishable key and FAPI URL, base64, JWT
//! claims and the token cache, URLs, queries and the email-link landing,
//! phone numbers, the forms' markup, form/URL encoding, the forms' plans.
//! Each checks a property besides "no panic" (an oracle written here, a
//! round trip, or a shape the docs promise).

use base64::alphabet;
use base64::engine::general_purpose::GeneralPurpose;
use base64::engine::{DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine as _;

use clerk_core::b64::{self, Alphabet};
use clerk_core::cookies;
use clerk_core::endpoints::check_id;
use clerk_core::engine::{Config, Engine, Op as EngineOp, Page};
use clerk_core::flow::email_link::{
    absolute_redirect_url, landing_outcome, link_verification, query_string, strip_link_params,
    LandingOutcome, CREATED_SESSION_PARAM, STATUS_PARAM,
};
use clerk_core::form_plan::{Channel, Job, Kind, Next, Op as FormOp};
use clerk_core::jwt::{decode_claims, TokenCache, TokenEntry, MIN_REMAINING_MS};
use clerk_core::key::{fapi_base_url, is_loopback, PublishableKey};
use clerk_core::markup::{self, Token};
use clerk_core::model::decode::{Decode, Source};
use clerk_core::model::{Client, Sessions};
use clerk_core::phone::{normalize_e164, same_number, PhoneError};
use clerk_core::request::{
    camel_case, int_to_string, snake_case, Form, Method, Request, API_VERSION, CLIENT_VERSION,
};
use clerk_core::response::parse_retry_after;
use clerk_core::url::{encode_path_segment, parse_query, resolve, split_absolute};

use crate::gen::{self, text, T0};
use crate::harness::Rng;
use crate::value::J;

// ---- publishable key, FAPI URL, cookies ------------------------------------------------

#[derive(Debug)]
pub struct KeyInput {
    key: String,
    proxy: Option<String>,
    origin: Option<String>,
    page_host: String,
}

pub fn key_input(r: &mut Rng) -> KeyInput {
    KeyInput {
        key: gen::publishable_key(r),
        proxy: r.chance(1, 2).then(|| gen::url(r)),
        origin: r.chance(2, 3).then(|| gen::url(r)),
        page_host: if r.bool() {
            "localhost:3000".into()
        } else {
            text(r)
        },
    }
}

pub fn key_check(i: &KeyInput) {
    let parsed = PublishableKey::parse(&i.key);
    if let Ok(k) = &parsed {
        let h = &k.frontend_api;
        assert!(h.contains('.') && !h.contains('$'), "host {h:?}");
        assert!(!h.contains(['/', '?', '#', '@']) && !h.contains(char::is_whitespace));
        assert_eq!(k.is_development(), i.key.trim().starts_with("pk_test_"));
        let _ = k.uses_dev_browser();
        let _ = is_loopback(h);
        match fapi_base_url(k, i.proxy.as_deref(), i.origin.as_deref()) {
            Ok(url) => {
                assert!(
                    url.starts_with("http://") || url.starts_with("https://"),
                    "{url}"
                );
                assert!(!url.ends_with('/'), "{url}");
                let proxied = i.proxy.as_deref().is_some_and(|p| !p.trim().is_empty());
                if proxied {
                    assert!(!url.contains(['?', '#']), "{url}");
                } else {
                    assert!(url.ends_with(h.as_str()), "{url}");
                }
            }
            Err(e) => assert_eq!(e.code(), "invalid_proxy_url"),
        }
        let _ = cookies::writes_client_uat(k.is_development(), h, &i.page_host);
    }
    let suffix = cookies::suffix(&i.key);
    assert_eq!(suffix.len(), 8);
    assert!(suffix
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    for d in cookies::domain_candidates(&i.page_host) {
        assert!(i.page_host.ends_with(d), "{d}");
    }
    let c = cookies::cookie_string(
        "__session",
        Some(&suffix),
        &i.page_host,
        true,
        true,
        Some(&i.key),
    );
    assert!(c.starts_with("__session_"));
    let _ = cookies::client_uat(T0, true);
    // The engine takes the same inputs; it fails exactly when they do.
    let engine = Engine::<J>::new(Config {
        publishable_key: i.key.clone(),
        proxy_url: i.proxy.clone(),
        page: Page {
            origin: i.origin.clone(),
            host: i.page_host.clone(),
            secure: false,
            locale: None,
        },
        dev_browser_jwt: None,
    });
    let ok = parsed
        .as_ref()
        .is_ok_and(|k| fapi_base_url(k, i.proxy.as_deref(), i.origin.as_deref()).is_ok());
    assert_eq!(engine.is_ok(), ok);
}

// ---- base64 --------------------------------------------------------------------------

/// The `base64` crate, as lenient as ours: no padding, trailing bits allowed.
fn oracle_b64(input: &str, alphabet: Alphabet) -> Option<Vec<u8>> {
    let data = input.trim_end_matches('=');
    if input.len() - data.len() > 2 {
        return None;
    }
    let config = GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone);
    let a = match alphabet {
        Alphabet::Standard => &alphabet::STANDARD,
        Alphabet::UrlSafe => &alphabet::URL_SAFE,
    };
    GeneralPurpose::new(a, config).decode(data).ok()
}

pub fn b64_input(r: &mut Rng) -> String {
    let bytes: Vec<u8> = (0..r.range(0, 40)).map(|_| r.u64() as u8).collect();
    let mut s = match r.below(4) {
        0 => base64::engine::general_purpose::STANDARD.encode(&bytes),
        1 => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes),
        2 => text(r),
        _ => base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes),
    };
    if r.chance(1, 3) {
        gen::mutate(r, &mut s);
    }
    s
}

pub fn b64_check(s: &String) {
    for a in [Alphabet::Standard, Alphabet::UrlSafe] {
        assert_eq!(b64::decode(s, a), oracle_b64(s, a), "{a:?}");
    }
}

// ---- JWT claims and the token cache ------------------------------------------------------

pub fn jwt_input(r: &mut Rng) -> String {
    match r.below(8) {
        0 => text(r),
        1 => {
            // Three parts, the payload any JSON text or none.
            let payload = if r.bool() {
                gen::any(r, 3).to_json().unwrap_or_default()
            } else {
                text(r)
            };
            format!(
                "{}.{}.{}",
                text(r),
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload),
                text(r)
            )
        }
        _ => gen::jwt(r, T0),
    }
}

pub fn jwt_check(t: &String) {
    if let Ok(c) = decode_claims::<J>(t) {
        assert!(c.exp.is_none_or(|e| e < 1_000_000_000_000_000));
        assert!(c.iat.is_none_or(|e| e < 1_000_000_000_000_000));
        assert_eq!(t.split('.').count(), 3);
    }
    if let Ok(e) = TokenEntry::new::<J>(t) {
        for now in [0, T0, e.exp_ms(), u64::MAX] {
            if let Some(jwt) = e.fresh(now) {
                assert_eq!(jwt, t);
                assert!(e.exp_ms() - now > MIN_REMAINING_MS);
            }
        }
        assert!(e.refresh_due_at_ms() <= e.exp_ms());
    }
}

#[derive(Debug)]
pub enum CacheOp {
    Insert(String, String),
    Offer(String, String),
    Get(String, u64),
    Remove(String),
    Clear,
}

pub fn cache_input(r: &mut Rng) -> Vec<CacheOp> {
    let key = |r: &mut Rng| {
        let sid = gen::id(r, "sess");
        match r.below(4) {
            0 => TokenCache::key(&sid, Some(&text(r)), r.bool().then_some("org_1")),
            1 => text(r),
            _ => sid,
        }
    };
    (0..r.range(1, 20))
        .map(|_| match r.below(10) {
            0..=2 => CacheOp::Insert(key(r), jwt_input(r)),
            3..=5 => CacheOp::Offer(gen::id(r, "sess"), jwt_input(r)),
            6 | 7 => CacheOp::Get(key(r), T0 + r.range(0, 400_000) - 100_000),
            8 => CacheOp::Remove(gen::id(r, "sess")),
            _ => CacheOp::Clear,
        })
        .collect()
}

pub fn cache_check(ops: &Vec<CacheOp>) {
    let mut c = TokenCache::default();
    // A model: key → (jwt, exp).
    let mut model: Vec<(String, String, u64)> = Vec::new();
    for op in ops {
        match op {
            CacheOp::Insert(k, t) => {
                let r = c.insert::<J>(k.clone(), t);
                assert_eq!(r.is_ok(), TokenEntry::new::<J>(t).is_ok());
                if let Ok(e) = TokenEntry::new::<J>(t) {
                    model.retain(|(mk, _, _)| mk != k);
                    model.push((k.clone(), t.clone(), e.exp));
                }
            }
            CacheOp::Offer(sid, t) => {
                let taken = c.offer::<J>(sid, t);
                let want = TokenEntry::new::<J>(t).is_ok_and(|e| {
                    model
                        .iter()
                        .find(|(k, _, _)| k == sid)
                        .is_none_or(|(_, _, exp)| *exp < e.exp)
                });
                assert_eq!(taken, want);
                if taken {
                    let e = TokenEntry::new::<J>(t).unwrap();
                    model.retain(|(k, _, _)| k != sid);
                    model.push((sid.clone(), t.clone(), e.exp));
                    assert_eq!(c.entry(sid).map(|e| e.jwt.as_str()), Some(t.as_str()));
                }
            }
            CacheOp::Get(k, now) => {
                let want = model
                    .iter()
                    .find(|(mk, _, _)| mk == k)
                    .filter(|(_, _, exp)| {
                        exp.saturating_mul(1000).saturating_sub(*now) > MIN_REMAINING_MS
                    })
                    .map(|(_, t, _)| t.as_str());
                assert_eq!(c.get(k, *now), want);
            }
            CacheOp::Remove(sid) => {
                c.remove_session(sid);
                model.retain(|(k, _, _)| {
                    !k.strip_prefix(sid.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('|'))
                });
            }
            CacheOp::Clear => {
                c.clear();
                model.clear();
            }
        }
        assert_eq!(c.len(), model.len());
        assert_eq!(c.is_empty(), model.is_empty());
        for sid in c.sessions() {
            assert!(model
                .iter()
                .any(|(k, _, _)| k.split('|').next() == Some(sid.as_str())));
        }
    }
}

// ---- URLs, queries, the email-link landing -------------------------------------------------

#[derive(Debug)]
pub struct UrlInput {
    pub url: String,
    pub origin: Option<String>,
    pub segment: String,
}

pub fn url_input(r: &mut Rng) -> UrlInput {
    UrlInput {
        url: gen::url(r),
        origin: r.chance(3, 4).then(|| gen::url(r)),
        segment: text(r),
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// `host[:port]` with at most one port of digits (for an IPv6 literal, after its `]`).
fn port_ok(host: &str) -> bool {
    let after = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((_, "")) | None => return true,
            Some((_, after)) => after,
        },
        None => host,
    };
    after
        .split_once(':')
        .is_none_or(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

pub fn url_check(i: &UrlInput) {
    if let Some((origin, rest)) = split_absolute(&i.url) {
        assert!(origin.starts_with("http://") || origin.starts_with("https://"));
        let host = origin.split_once("://").unwrap().1;
        assert!(!host.is_empty() && !host.contains(['/', '?', '#', '@']));
        assert!(!host.bytes().any(|b| b.is_ascii_uppercase()));
        let raw = i.url.split_once(':').unwrap().1.strip_prefix("//").unwrap();
        if port_ok(raw.split(['/', '?', '#']).next().unwrap()) {
            assert!(
                !origin.ends_with(":443") || origin.starts_with("http://"),
                "{origin}"
            );
            assert!(
                !origin.ends_with(":80") || origin.starts_with("https://"),
                "{origin}"
            );
        }
        assert!(i.url.ends_with(rest));
        assert!(rest.is_empty() || rest.starts_with(['/', '?', '#']));
    }
    let resolved = resolve(&i.url, i.origin.as_deref());
    if let Some(u) = &resolved {
        assert!(u.starts_with("http://") || u.starts_with("https://"), "{u}");
        // Resolving is idempotent: an absolute result resolves to itself —
        // when its port is one. (`a.test:443:443`, `a.test:x` pass as they
        // are, where `new URL()` throws: the core's URLs are minimal.)
        // (A default port still there means the input had two.)
        let (scheme, after) = u.split_once("://").unwrap();
        let authority = after.split(['/', '?', '#']).next().unwrap();
        let default_port = (scheme == "https" && authority.ends_with(":443"))
            || (scheme == "http" && authority.ends_with(":80"));
        if port_ok(authority) && !default_port {
            assert_eq!(resolve(u, None).as_deref(), Some(u.as_str()));
            assert_eq!(
                resolve(u, Some("https://other.test")).as_deref(),
                Some(u.as_str())
            );
        }
    }
    assert_eq!(
        absolute_redirect_url(&i.url, i.origin.as_deref()).ok(),
        resolved
    );
    let enc = encode_path_segment(&i.segment);
    assert!(enc
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
    assert_eq!(percent_decode(&enc), i.segment.as_bytes());
}

#[derive(Debug)]
pub struct QueryInput {
    raw: String,
    pairs: Vec<(String, String)>,
    client: J,
}

pub fn query_input(r: &mut Rng) -> QueryInput {
    let pairs = gen::pairs(r);
    let raw = match r.below(3) {
        0 => text(r),
        1 => gen::url(r),
        _ => {
            let mut q = query_string(&pairs);
            if r.chance(1, 3) {
                gen::mutate(r, &mut q);
            }
            q
        }
    };
    QueryInput {
        raw,
        pairs,
        client: gen::client(r, T0),
    }
}

pub fn query_check(i: &QueryInput) {
    // Round trip: encode the pairs, parse them back.
    let q = query_string(&i.pairs);
    assert_eq!(q.is_empty(), i.pairs.is_empty());
    assert_eq!(parse_query(&q), i.pairs);
    let client = Client::decode(&i.client);
    for params in [parse_query(&i.raw), i.pairs.clone()] {
        let first = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let outcome = landing_outcome(&params, &client);
        match first(STATUS_PARAM).unwrap_or("") {
            "verified" => {
                let o = outcome.expect("verified");
                let sid = first(CREATED_SESSION_PARAM).filter(|s| !s.is_empty());
                let here = sid.is_some_and(|s| client.has_signed_in_session(s));
                assert_eq!(
                    matches!(&o, LandingOutcome::VerifiedSessionHere(s) if Some(s.as_str()) == sid),
                    here
                );
            }
            "transferable" => assert_eq!(outcome, Ok(LandingOutcome::Transferable)),
            _ => assert!(outcome.is_err()),
        }
        let v = link_verification(&params, &client);
        assert_eq!(
            v.is_some(),
            first(STATUS_PARAM).is_some() && first(CREATED_SESSION_PARAM).is_some()
        );
        if let Some(v) = v {
            assert!(!v.verified_from_the_same_client || v.status == "verified");
        }
        let kept = strip_link_params(&params);
        assert!(kept
            .iter()
            .all(|(k, _)| k != STATUS_PARAM && k != CREATED_SESSION_PARAM));
        assert_eq!(parse_query(&query_string(&kept)), kept);
    }
}

// ---- phone numbers -------------------------------------------------------------------------

pub fn phone_input(r: &mut Rng) -> String {
    match r.below(3) {
        0 => text(r),
        _ => {
            let mut s = String::new();
            for _ in 0..r.range(0, 24) {
                s.push(*r.pick(&[
                    '+', '0', '1', '5', '9', ' ', '-', '.', '(', ')', '\t', '\u{a0}', 'x', '٣', '+',
                ]));
            }
            s
        }
    }
}

/// The documented rule, written again.
fn oracle_phone(s: &str) -> Result<String, PhoneError> {
    let mut out = String::new();
    for c in s.chars() {
        if c == '+' && out.is_empty() {
            out.push('+');
        } else if c.is_ascii_digit() {
            if out.is_empty() {
                return Err(PhoneError::MissingPlus);
            }
            out.push(c);
        } else if !" -.()\t\u{a0}".contains(c) {
            return Err(PhoneError::InvalidCharacter);
        }
    }
    match out.len() {
        0 => Err(PhoneError::MissingPlus),
        n if n - 1 < 8 => Err(PhoneError::TooShort),
        n if n - 1 > 15 => Err(PhoneError::TooLong),
        _ => Ok(out),
    }
}

pub fn phone_check(s: &String) {
    let got = normalize_e164(s);
    assert_eq!(got, oracle_phone(s));
    assert_eq!(same_number(s, s), got.is_ok());
    if let Ok(p) = got {
        assert_eq!(normalize_e164(&p), Ok(p.clone()));
    }
}

// ---- the forms' markup -------------------------------------------------------------------

#[derive(Debug)]
pub struct MarkupInput {
    tpl: String,
    ids: String,
    args: Vec<String>,
}

const MARKUP: &[&str] = &[
    "<",
    "</",
    ">",
    "/>",
    "/",
    "=",
    "\"",
    " ",
    "  ",
    "<p",
    "<input",
    "<a",
    "</p>",
    "div",
    "a",
    "b=c",
    "x=\"y z\"",
    "flag",
    "@",
    "@x",
    "{0}",
    "{1}",
    "{9}",
    "{",
    "}",
    "{é}",
    "text",
    "é",
    "😀",
    "\u{0}",
    "<b>",
    "</b>",
    "href=",
    "=\"",
    "\"/>",
    "\t",
];

pub fn markup_input(r: &mut Rng) -> MarkupInput {
    let mut tpl = String::new();
    for _ in 0..r.range(0, 16) {
        if r.chance(5, 6) {
            tpl.push_str(r.pick::<&str>(MARKUP));
        } else {
            tpl.push_str(&text(r));
        }
    }
    let evil = [
        "<img src=x onerror=alert(1)>",
        "</form>",
        "{0}",
        "@",
        "\"",
        "<p a=\"b\"/>",
    ];
    MarkupInput {
        tpl,
        ids: if r.bool() { "cw1-".into() } else { text(r) },
        args: (0..r.range(0, 4))
            .map(|_| {
                if r.bool() {
                    (*r.pick(&evil)).to_string()
                } else {
                    text(r)
                }
            })
            .collect(),
    }
}

/// `fill` written again: `@` → ids, `{` + one char + one more char → the
/// argument when the first is a digit (else nothing).
fn oracle_fill(raw: &str, ids: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut it = raw.chars();
    while let Some(c) = it.next() {
        match c {
            '@' => out.push_str(ids),
            '{' => {
                let d = it.next();
                it.next();
                if let Some(n) = d.and_then(|d| d.to_digit(10)) {
                    out.push_str(args.get(n as usize).copied().unwrap_or(""));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The tokens of `tpl`, checking their shapes; panics if the tokenizer
/// stops making progress (more tokens than the template has bytes).
fn tokens(tpl: &str) -> Vec<String> {
    let limit = tpl.len() + 1;
    let mut out = Vec::new();
    markup::parse(tpl, |t| {
        assert!(
            out.len() <= limit,
            "the tokenizer makes no progress: {:?}",
            &out[out.len().saturating_sub(4)..]
        );
        match t {
            Token::Open(tag) => {
                assert!(!tag.contains([' ', '>', '/']));
                out.push(format!("open:{tag}"));
            }
            Token::Attr(name, value) => {
                assert!(!name.contains([' ', '>', '=', '/']));
                out.push(format!("attr:{name}={value}"));
            }
            Token::Close => out.push("close".into()),
            Token::Text(s) => {
                assert!(!s.is_empty() && !s.contains('<'));
                out.push(format!("text:{s}"));
            }
        }
    });
    out
}

pub fn markup_check(i: &MarkupInput) {
    let toks = tokens(&i.tpl);
    let args: Vec<&str> = i.args.iter().map(String::as_str).collect();
    // Arguments go in after tokenizing, as text or one attribute's value:
    // the structure is the template's whatever the arguments hold.
    let mut opens = 0;
    markup::parse(&i.tpl, |t| match t {
        Token::Open(_) => opens += 1,
        Token::Attr(_, raw) | Token::Text(raw) => {
            let filled = markup::fill(raw, &i.ids, &args);
            assert_eq!(filled, oracle_fill(raw, &i.ids, &args));
        }
        Token::Close => {}
    });
    assert_eq!(
        opens,
        toks.iter().filter(|t| t.starts_with("open:")).count()
    );
    assert_eq!(
        markup::fill(&i.tpl, &i.ids, &args),
        oracle_fill(&i.tpl, &i.ids, &args)
    );
}

// ---- form and URL encoding ---------------------------------------------------------------

#[derive(Debug)]
pub struct RequestInput {
    params: J,
    method: u8,
    query: Vec<(String, String)>,
    extra: Vec<(String, String)>,
    base: String,
    path_id: String,
    int: i64,
    retry_after: String,
}

const PARAM_KEYS: &[&str] = &[
    "identifier",
    "emailAddress",
    "email_address",
    "phoneNumber",
    "strategy",
    "code",
    "redirectUrl",
    "legalAccepted",
    "unsafeMetadata",
    "organizationId",
    "ids",
    "ABC",
    "aB_c",
    "_x",
    "",
    "é",
    "0",
    "1",
];

/// A JS parameter object: camelCase keys, values of every kind (`undefined` too).
pub fn params(r: &mut Rng, keys: &[&str]) -> J {
    let n = r.range(0, 6);
    J::object(
        (0..n)
            .map(|_| {
                let k = if r.chance(4, 5) {
                    (*r.pick(keys)).to_string()
                } else {
                    text(r)
                };
                let v = match r.below(10) {
                    0 => J::Undef,
                    1 => J::Null,
                    2 => J::Bool(r.bool()),
                    3 => J::Num(gen::number(r)),
                    4 => J::arr((0..r.range(0, 3)).map(|_| gen::any(r, 1)).collect()),
                    5 => gen::any(r, 3),
                    _ => J::str(text(r)),
                };
                (k, v)
            })
            .collect(),
    )
}

pub fn request_input(r: &mut Rng) -> RequestInput {
    RequestInput {
        params: if r.chance(1, 10) {
            gen::any(r, 3)
        } else {
            params(r, PARAM_KEYS)
        },
        method: r.below(5) as u8,
        query: gen::pairs(r),
        extra: gen::pairs(r),
        base: gen::url(r),
        path_id: gen::id(r, "sia"),
        int: match r.below(3) {
            0 => *r.pick(&[i64::MIN, i64::MAX, 0, -1]),
            _ => r.u64() as i64,
        },
        retry_after: match r.below(3) {
            0 => r.u64().to_string(),
            _ => text(r),
        },
    }
}

/// What `Form::from_source` must make of a parameter object.
fn oracle_form(params: &J) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in Source::entries(params) {
        let k = snake_case(&k);
        match &v {
            J::Null => out.push((k, String::new())),
            J::Bool(b) => out.push((k, b.to_string())),
            J::Arr(items) => {
                for it in items.iter() {
                    if let Some(t) = it.text() {
                        out.push((k.clone(), t));
                    }
                }
            }
            J::Str(_) | J::Num(_) => out.push((k, v.text().unwrap())),
            J::Obj(_) => out.push((k, v.to_json().unwrap())),
            J::Undef => unreachable!(),
        }
    }
    out
}

pub fn request_check(i: &RequestInput) {
    let form = Form::from_source(&i.params);
    let pairs = form.clone().into_pairs();
    assert_eq!(pairs, oracle_form(&i.params));
    for (k, _) in &pairs {
        assert!(!k.bytes().any(|b| b.is_ascii_uppercase()));
        assert!(form.contains(k));
    }
    let method = [
        Method::Get,
        Method::Post,
        Method::Patch,
        Method::Put,
        Method::Delete,
    ][i.method as usize];
    let path = match check_id(&i.path_id) {
        Ok(id) => format!("/client/sign_ins/{id}"),
        Err(_) => {
            assert!(
                i.path_id.is_empty()
                    || i.path_id
                        .bytes()
                        .any(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
            );
            "/client".into()
        }
    };
    let mut req = Request::new(method, path.clone()).with_form(form);
    for (k, v) in &i.query {
        req = req.with_query(k, v);
    }
    // The body parses back to the pairs.
    match req.body() {
        None => assert_eq!(method, Method::Get),
        Some(body) => assert_eq!(parse_query(&body), pairs),
    }
    // The URL: the base, /v1, the path, then the query in its documented order.
    let extra: Vec<(&str, &str)> = i
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let url = req.url(&i.base, &extra);
    let head = format!("{}/v1{path}?", i.base.trim_end_matches('/'));
    let query = url.strip_prefix(head.as_str()).expect("base, /v1, path, ?");
    let mut want = vec![
        ("__clerk_api_version".to_string(), API_VERSION.to_string()),
        ("_clerk_js_version".to_string(), CLIENT_VERSION.to_string()),
    ];
    want.extend(i.query.iter().cloned());
    if !matches!(method, Method::Get | Method::Post) {
        want.push(("_method".into(), method.as_str().into()));
    }
    want.extend(i.extra.iter().cloned());
    assert_eq!(parse_query(query), want);
    assert_eq!(req.wire_method() == "GET", method == Method::Get);
    // Small helpers.
    assert_eq!(int_to_string(i.int), i.int.to_string());
    let digits = i.retry_after.trim();
    let want = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| {
        digits
            .parse::<u128>()
            .map_or(u32::MAX, |n| n.min(u128::from(u32::MAX)) as u32)
    });
    assert_eq!(parse_retry_after(&i.retry_after), want);
    if let J::Obj(members) = &i.params {
        for (k, _) in members.iter() {
            let s = snake_case(k);
            let _ = camel_case(&s);
            if k.bytes().all(|b| b.is_ascii_lowercase()) {
                assert_eq!(camel_case(&s), *k);
            }
        }
    }
}

// ---- the forms' plans --------------------------------------------------------------------

#[derive(Debug)]
pub struct PlanInput {
    kind: Kind,
    op: FormOp,
    unverified: Vec<String>,
    second: Option<Channel>,
    steps: u8,
}

pub fn plan_input(r: &mut Rng) -> PlanInput {
    let ch = if r.bool() {
        Channel::Email
    } else {
        Channel::Phone
    };
    let op = match r.below(7) {
        0 => FormOp::Send(text(r), ch),
        1 => FormOp::Create(gen::pairs(r), r.bool()),
        2 => FormOp::Link(text(r)),
        3 => FormOp::Verify(text(r), ch),
        4 => FormOp::Send2(ch),
        5 => FormOp::Verify2(text(r), ch),
        _ => FormOp::Wait(text(r), gen::url(r)),
    };
    let second = match r.below(3) {
        0 => None,
        1 => Some(Channel::Phone),
        _ => Some(Channel::Email),
    };
    PlanInput {
        kind: if r.bool() { Kind::SignIn } else { Kind::SignUp },
        op,
        unverified: (0..r.range(0, 2))
            .map(|_| (*r.pick(&["phone_number", "email_address", "x"])).to_string())
            .collect(),
        second,
        steps: r.range(1, 8) as u8,
    }
}

pub fn plan_check(i: &PlanInput) {
    let mut job = Job::new(i.op.clone());
    let unverified = |f: &str| i.unverified.iter().any(|u| u == f);
    for _ in 0..i.steps {
        match job.next(i.kind, &unverified, i.second) {
            Next::Call(call) => {
                assert!(call.tracked);
                assert!(!matches!(call.op, EngineOp::Load | EngineOp::SignOut));
                job.stage = job.stage.saturating_add(1);
            }
            Next::End(_) => break,
        }
    }
}
