//! Input generators. Structure-aware: besides arbitrary strings and JSON,
//! they make FAPI-shaped values (a sign-in, a client, an error envelope, …)
//! whose every field is, now and then, missing, `null`, mistyped, huge,
//! deeply nested or odd unicode — so the decoders and the engine get past
//! the first `if` and meet the wrong thing deep inside.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine as _;

use crate::harness::Rng;
use crate::value::J;

/// The engine's test clock (2026-01-01), Unix ms.
pub const T0: u64 = 1_767_225_600_000;

/// Fragments that matter to some parser here.
pub const WORDS: &[&str] = &[
    "",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\u{a0}",
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "\u{202e}",
    "\u{2028}",
    "é",
    "ß",
    "İ",
    "K",
    "ﬀ",
    "😀",
    "𝔘",
    "中文",
    "\u{fffd}",
    "a",
    "Z",
    "0",
    "7",
    "9",
    "_",
    "-",
    ".",
    "..",
    "/",
    "//",
    "\\",
    "?",
    "#",
    "&",
    "=",
    "+",
    "%",
    "%2",
    "%zz",
    "%2F",
    "%00",
    "%E2%82%AC",
    "%ff",
    "@",
    ":",
    "$",
    "$$",
    ";",
    ",",
    "'",
    "\"",
    "<",
    ">",
    "</",
    "/>",
    "<p>",
    "</p>",
    "<a",
    "href=",
    "{",
    "}",
    "{0}",
    "{1}",
    "{9}",
    "{x}",
    "{{",
    "@@",
    "*",
    "~",
    "pk_test_",
    "pk_live_",
    "sk_test_",
    "pk_test",
    "http",
    "https",
    "http://",
    "https://",
    "HTTPS://",
    "ftp://",
    "javascript:",
    "//",
    "http:/",
    "localhost",
    "LOCALHOST",
    "127.0.0.1",
    "[::1]",
    "[::1",
    "::1",
    "0.0.0.0",
    ":443",
    ":80",
    ":4010",
    ":",
    ":99999",
    "a.test",
    "clerk.",
    "clerk.example.com",
    "accounts.dev",
    ".lcl.dev",
    "u:p@",
    "xn--",
    "example.com",
    "__clerk_status",
    "__clerk_created_session",
    "verified",
    "expired",
    "transferable",
    "client_mismatch",
    "failed",
    "sess_1",
    "sess_2",
    "sia_1",
    "sua_1",
    "idn_1",
    "user_1",
    "+",
    "+1",
    "+15555550100",
    "555",
    "(",
    ")",
    "-",
    "0123456789",
    "1234567890123456",
    "phone_code",
    "email_code",
    "email_link",
    "redirect_url",
    "strategy",
    "code",
    "==",
    "=",
    "eyJ",
    "e30",
    "ey",
    "A",
    "Zm9v",
    "____",
    "----",
    "++//",
    "true",
    "false",
    "null",
    "NaN",
    "1e309",
    "-0",
    "0x10",
    "9007199254740993",
];

/// A string: a word, a mix of fragments and random characters, or a long run.
pub fn text(r: &mut Rng) -> String {
    match r.below(20) {
        0..=5 => (*r.pick(WORDS)).to_string(),
        6..=13 => {
            let mut s = String::new();
            for _ in 0..r.range(1, 7) {
                piece(r, &mut s);
            }
            s
        }
        14..=15 => String::new(),
        16..=17 => (0..r.range(1, 12)).map(|_| any_char(r)).collect(),
        _ => {
            let unit = text_small(r);
            let n = if r.chance(1, 10) {
                r.range(200, 2000)
            } else {
                r.range(10, 100)
            };
            unit.repeat(n as usize)
        }
    }
}

fn text_small(r: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..r.range(1, 3) {
        piece(r, &mut s);
    }
    s
}

fn piece(r: &mut Rng, s: &mut String) {
    match r.below(6) {
        0..=2 => s.push_str(r.pick::<&str>(WORDS)),
        3 => {
            for _ in 0..r.range(1, 8) {
                s.push(char::from(r.range(0x20, 0x7e) as u8));
            }
        }
        4 => s.push(any_char(r)),
        _ => s.push_str(&r.range(0, 99999).to_string()),
    }
}

/// Any `char`: ASCII (controls included), Latin, BMP, astral.
pub fn any_char(r: &mut Rng) -> char {
    let cp = match r.below(5) {
        0 => r.range(0, 0x7f),
        1 => r.range(0x80, 0x7ff),
        2 => r.range(0x800, 0xffff),
        3 => r.range(0x10000, 0x10ffff),
        _ => r.range(0x20, 0x7e),
    } as u32;
    char::from_u32(cp).unwrap_or('\u{fffd}')
}

/// A number, with the edges JS numbers have.
pub fn number(r: &mut Rng) -> f64 {
    match r.below(16) {
        0 => 0.0,
        1 => -0.0,
        2 => f64::NAN,
        3 => f64::INFINITY,
        4 => f64::NEG_INFINITY,
        5 => -(r.range(1, 1000) as f64),
        6 => r.range(0, 100) as f64,
        7 => r.range(0, 10_000) as f64 + 0.5,
        8 => *r.pick(&[
            1e15,
            1e16,
            9007199254740993.0,
            1.8446744073709552e19,
            1e21,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            4294967295.0,
            4294967296.0,
            -9.3e18,
        ]),
        9 => (T0 + r.range(0, 10_000_000)) as f64,
        10 => (T0 / 1000 + r.range(0, 10_000)) as f64,
        11 => f64::from_bits(r.u64()),
        _ => r.range(0, u64::from(u32::MAX)) as f64,
    }
}

/// Any JSON-like value, up to `depth` levels of containers.
pub fn any(r: &mut Rng, depth: u32) -> J {
    let top = if depth == 0 { 5 } else { 8 };
    match r.below(top) {
        0 => J::Null,
        1 => J::Bool(r.bool()),
        2 => J::Num(number(r)),
        3 | 4 => J::str(text(r)),
        5 => J::arr((0..r.range(0, 4)).map(|_| any(r, depth - 1)).collect()),
        6 if r.chance(1, 8) => deep(r),
        _ => {
            let n = r.range(0, 5);
            J::object(
                (0..n)
                    .map(|_| {
                        let k = if r.chance(3, 4) {
                            (*r.pick(KEYS)).to_string()
                        } else {
                            text(r)
                        };
                        (k, any(r, depth - 1))
                    })
                    .collect(),
            )
        }
    }
}

/// A deep chain of arrays and objects (the decoders must not recurse by it).
pub fn deep(r: &mut Rng) -> J {
    let mut v = J::Num(1.0);
    for _ in 0..r.range(20, 120) {
        v = if r.bool() {
            J::arr(vec![v])
        } else {
            J::object(vec![((*r.pick(KEYS)).to_string(), v)])
        };
    }
    v
}

/// Every member name the models and the engine read.
pub const KEYS: &[&str] = &[
    "response",
    "client",
    "meta",
    "errors",
    "object",
    "id",
    "status",
    "jwt",
    "sessions",
    "sign_in",
    "sign_up",
    "last_active_session_id",
    "last_active_token",
    "user",
    "updated_at",
    "created_at",
    "expire_at",
    "abandon_at",
    "identifier",
    "supported_first_factors",
    "supported_second_factors",
    "first_factor_verification",
    "second_factor_verification",
    "created_session_id",
    "strategy",
    "email_address_id",
    "phone_number_id",
    "safe_identifier",
    "verifications",
    "email_address",
    "phone_number",
    "verification",
    "missing_fields",
    "unverified_fields",
    "required_fields",
    "code",
    "message",
    "long_message",
    "param_name",
    "session_id",
    "clerk_trace_id",
    "email_addresses",
    "phone_numbers",
    "attempts",
    "channel",
    "error",
    "user_settings",
    "attributes",
    "display_config",
    "auth_config",
    "enabled",
    "first_factors",
    "verifications",
    "length",
    "0",
    "1",
    "__proto__",
    "constructor",
];

/// An id: usually one of a few that other values refer to.
pub fn id(r: &mut Rng, prefix: &str) -> String {
    match r.below(12) {
        0 => text(r),
        1 => String::new(),
        2 => format!("{prefix}_{}", r.range(1, 3)),
        _ => format!("{prefix}_{}", r.range(1, 2)),
    }
}

/// A field's value: the plausible one, or (1 in 6) something else.
fn field(r: &mut Rng, plausible: impl FnOnce(&mut Rng) -> J) -> Option<J> {
    match r.below(24) {
        0 | 1 => None,
        2 => Some(J::Null),
        3 => Some(any(r, 2)),
        _ => Some(plausible(r)),
    }
}

/// An object from `(key, generator)` pairs: fields drop out, go wrong, and
/// (sometimes) an unknown member or a duplicate key joins.
/// A field generator.
pub type Gen<'a> = &'a dyn Fn(&mut Rng) -> J;

pub fn object(r: &mut Rng, fields: &[(&str, Gen<'_>)]) -> J {
    if r.chance(1, 40) {
        return any(r, 2);
    }
    let mut out = Vec::with_capacity(fields.len() + 1);
    for (k, g) in fields {
        if let Some(v) = field(r, g) {
            out.push(((*k).to_string(), v));
        }
    }
    if r.chance(1, 6) {
        out.push((text(r), any(r, 2)));
    }
    if r.chance(1, 20) && !out.is_empty() {
        let (k, _) = out[r.below(out.len())].clone();
        out.push((k, any(r, 1)));
    }
    J::object(out)
}

pub fn s(v: &str) -> J {
    J::str(v)
}

fn one_of(r: &mut Rng, xs: &[&str]) -> J {
    if r.chance(1, 10) {
        J::str(text(r))
    } else {
        J::str(*r.pick(xs))
    }
}

fn list<F: Fn(&mut Rng) -> J>(r: &mut Rng, max: u64, f: F) -> J {
    J::arr((0..r.range(0, max)).map(|_| f(r)).collect())
}

fn ms(r: &mut Rng) -> J {
    if r.chance(1, 6) {
        J::Num(number(r))
    } else {
        J::Num((T0 + r.range(0, 1_200_000)) as f64 - 600_000.0)
    }
}

fn flag(r: &mut Rng) -> J {
    J::Bool(r.bool())
}

pub const VERIFICATION_STATUSES: &[&str] = &[
    "unverified",
    "verified",
    "transferable",
    "failed",
    "expired",
];
pub const STRATEGIES: &[&str] = &[
    "phone_code",
    "email_code",
    "email_link",
    "totp",
    "backup_code",
    "password",
];

pub fn verification(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("status", &|r| one_of(r, VERIFICATION_STATUSES)),
            ("strategy", &|r| one_of(r, STRATEGIES)),
            ("attempts", &|r| J::Num(number(r))),
            ("expire_at", &ms),
            ("verified_at_client", &|r| J::str(id(r, "client"))),
            ("channel", &|r| one_of(r, &["sms", "whatsapp"])),
            ("error", &error_item),
            ("next_action", &|r| {
                one_of(r, &["needs_prepare", "needs_attempt", ""])
            }),
            ("supported_strategies", &|r| {
                list(r, 3, |r| one_of(r, STRATEGIES))
            }),
        ],
    )
}

pub fn factor(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("strategy", &|r| one_of(r, STRATEGIES)),
            ("safe_identifier", &|r| {
                one_of(
                    r,
                    &["+1*******0100", "a***@x.test", "+15555550100", "bob@x.test"],
                )
            }),
            ("email_address_id", &|r| J::str(id(r, "idn"))),
            ("phone_number_id", &|r| J::str(id(r, "idn"))),
            ("primary", &flag),
            ("default", &flag),
            ("channel", &|r| one_of(r, &["sms", "whatsapp"])),
        ],
    )
}

pub const SIGN_IN_STATUSES: &[&str] = &[
    "needs_identifier",
    "needs_first_factor",
    "needs_second_factor",
    "needs_client_trust",
    "needs_new_password",
    "complete",
    "abandoned",
];

pub fn sign_in(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("object", &|_| s("sign_in_attempt")),
            ("id", &|r| J::str(id(r, "sia"))),
            ("status", &|r| one_of(r, SIGN_IN_STATUSES)),
            ("identifier", &|r| {
                one_of(r, &["+15555550100", "bob@x.test", "a***@x.test"])
            }),
            ("supported_first_factors", &|r| list(r, 4, factor)),
            ("supported_second_factors", &|r| list(r, 3, factor)),
            ("first_factor_verification", &verification),
            ("second_factor_verification", &verification),
            ("created_session_id", &|r| J::str(id(r, "sess"))),
            ("user_data", &|r| {
                object(
                    r,
                    &[("first_name", &|r| J::str(text(r))), ("has_image", &flag)],
                )
            }),
            ("client_trust_state", &|r| {
                one_of(r, &["new", "known", "pending"])
            }),
            ("abandon_at", &ms),
        ],
    )
}

pub fn sign_up(r: &mut Rng) -> J {
    let fields = |r: &mut Rng| {
        list(r, 3, |r| {
            one_of(
                r,
                &[
                    "email_address",
                    "phone_number",
                    "username",
                    "password",
                    "legal_accepted",
                ],
            )
        })
    };
    object(
        r,
        &[
            ("object", &|_| s("sign_up_attempt")),
            ("id", &|r| J::str(id(r, "sua"))),
            ("status", &|r| {
                one_of(r, &["missing_requirements", "complete", "abandoned"])
            }),
            ("required_fields", &fields),
            ("optional_fields", &fields),
            ("missing_fields", &fields),
            ("unverified_fields", &fields),
            ("verifications", &|r| {
                object(
                    r,
                    &[
                        ("email_address", &verification),
                        ("phone_number", &verification),
                    ],
                )
            }),
            ("email_address", &|r| one_of(r, &["bob@x.test"])),
            ("phone_number", &|r| one_of(r, &["+15555550100"])),
            ("created_session_id", &|r| J::str(id(r, "sess"))),
            ("created_user_id", &|r| J::str(id(r, "user"))),
            ("has_password", &flag),
            ("abandon_at", &ms),
            ("legal_accepted_at", &ms),
        ],
    )
}

pub fn email_address(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("object", &|_| s("email_address")),
            ("id", &|r| J::str(id(r, "idn"))),
            ("email_address", &|r| one_of(r, &["bob@x.test", "a@b.c"])),
            ("verification", &verification),
            ("created_at", &ms),
            ("updated_at", &ms),
        ],
    )
}

pub fn phone_number(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("id", &|r| J::str(id(r, "idn"))),
            ("phone_number", &|r| one_of(r, &["+15555550100"])),
            ("verification", &verification),
            ("reserved_for_second_factor", &flag),
            ("default_second_factor", &flag),
        ],
    )
}

pub fn user(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("object", &|_| s("user")),
            ("id", &|r| J::str(id(r, "user"))),
            ("primary_email_address_id", &|r| J::str(id(r, "idn"))),
            ("primary_phone_number_id", &|r| J::str(id(r, "idn"))),
            ("email_addresses", &|r| list(r, 3, email_address)),
            ("phone_numbers", &|r| list(r, 2, phone_number)),
            ("username", &|r| J::str(text(r))),
            ("first_name", &|r| J::str(text(r))),
            ("has_image", &flag),
            ("two_factor_enabled", &flag),
            ("created_at", &ms),
            ("updated_at", &ms),
        ],
    )
}

/// A compact JWS (unsigned) with these claims; `now_ms` sets its lifetime.
pub fn jwt_with(r: &mut Rng, sid: Option<&str>, now_ms: u64) -> String {
    let now = (now_ms / 1000) as f64;
    let claims = object(
        r,
        &[
            ("exp", &|r| J::Num(now + r.range(0, 400) as f64 - 100.0)),
            ("iat", &|r| J::Num(now - r.range(0, 60) as f64)),
            ("sid", &|r| {
                J::str(sid.map_or_else(|| id(r, "sess"), String::from))
            }),
            ("sub", &|r| J::str(id(r, "user"))),
        ],
    );
    let payload = if r.chance(1, 30) {
        text(r)
    } else {
        claims.to_json().unwrap_or_default()
    };
    let mut jwt = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#);
    jwt.push('.');
    jwt.push_str(&URL_SAFE_NO_PAD.encode(payload));
    jwt.push_str(".c2ln");
    jwt
}

/// A readable JWT of `sid` expiring at `exp` (Unix seconds).
pub fn jwt_exact(sid: &str, iat: u64, exp: u64) -> String {
    let payload = format!(r#"{{"sid":"{sid}","sub":"user_1","iat":{iat},"exp":{exp}}}"#);
    let mut jwt = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#);
    jwt.push('.');
    jwt.push_str(&URL_SAFE_NO_PAD.encode(payload));
    jwt.push_str(".c2ln");
    jwt
}

/// A token string: mostly a readable JWT, else something broken.
pub fn jwt(r: &mut Rng, now_ms: u64) -> String {
    match r.below(10) {
        0 => text(r),
        1 => {
            let mut t = jwt_with(r, None, now_ms);
            mutate(r, &mut t);
            t
        }
        _ => jwt_with(r, None, now_ms),
    }
}

pub fn session(r: &mut Rng, now_ms: u64) -> J {
    let sid = id(r, "sess");
    let sid2 = sid.clone();
    object(
        r,
        &[
            ("object", &|_| s("session")),
            ("id", &|_| J::str(sid.clone())),
            ("status", &|r| {
                one_of(
                    r,
                    &[
                        "active", "active", "pending", "ended", "removed", "revoked", "expired",
                    ],
                )
            }),
            ("expire_at", &ms),
            ("last_active_at", &ms),
            ("last_active_token", &|r| {
                object(
                    r,
                    &[
                        ("object", &|_| s("token")),
                        ("jwt", &|r| {
                            J::str(if r.chance(4, 5) {
                                jwt_with(r, Some(&sid2), now_ms)
                            } else {
                                jwt(r, now_ms)
                            })
                        }),
                    ],
                )
            }),
            ("last_active_organization_id", &|r| J::str(text(r))),
            ("user", &user),
            ("public_user_data", &|r| {
                object(
                    r,
                    &[
                        ("identifier", &|r| J::str(text(r))),
                        ("user_id", &|r| J::str(id(r, "user"))),
                    ],
                )
            }),
            ("created_at", &ms),
            ("updated_at", &ms),
        ],
    )
}

pub fn client(r: &mut Rng, now_ms: u64) -> J {
    object(
        r,
        &[
            ("object", &|_| s("client")),
            ("id", &|r| J::str(id(r, "client"))),
            ("sessions", &|r| list(r, 3, |r| session(r, now_ms))),
            ("sign_in", &sign_in),
            ("sign_up", &sign_up),
            ("last_active_session_id", &|r| J::str(id(r, "sess"))),
            ("cookie_expires_at", &ms),
            ("created_at", &ms),
            ("updated_at", &ms),
        ],
    )
}

fn attribute(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("enabled", &flag),
            ("required", &flag),
            ("used_for_first_factor", &flag),
            ("first_factors", &|r| list(r, 3, |r| one_of(r, STRATEGIES))),
            ("used_for_second_factor", &flag),
            ("second_factors", &|r| list(r, 2, |r| one_of(r, STRATEGIES))),
            ("verifications", &|r| list(r, 3, |r| one_of(r, STRATEGIES))),
            ("verify_at_sign_up", &flag),
            ("channels", &|r| {
                list(r, 2, |r| one_of(r, &["sms", "whatsapp"]))
            }),
        ],
    )
}

pub fn environment(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("object", &|_| s("environment")),
            ("auth_config", &|r| {
                object(
                    r,
                    &[("single_session_mode", &flag), ("session_minter", &flag)],
                )
            }),
            ("display_config", &|r| {
                object(
                    r,
                    &[
                        ("application_name", &|r| J::str(text(r))),
                        ("instance_environment_type", &|r| {
                            one_of(r, &["development", "production"])
                        }),
                        ("sign_in_url", &|r| J::str(url(r))),
                        ("home_url", &|r| J::str(url(r))),
                    ],
                )
            }),
            ("user_settings", &|r| {
                object(
                    r,
                    &[
                        ("attributes", &|r| {
                            object(
                                r,
                                &[
                                    ("email_address", &attribute),
                                    ("phone_number", &attribute),
                                    ("username", &attribute),
                                    ("password", &attribute),
                                ],
                            )
                        }),
                        ("sign_in", &|r| {
                            object(
                                r,
                                &[("second_factor", &|r| {
                                    object(r, &[("required", &flag), ("enabled", &flag)])
                                })],
                            )
                        }),
                        ("sign_up", &|r| {
                            object(
                                r,
                                &[
                                    ("captcha_enabled", &flag),
                                    ("mode", &|r| one_of(r, &["public", "restricted"])),
                                    ("legal_consent_enabled", &flag),
                                ],
                            )
                        }),
                        ("attack_protection", &|r| {
                            object(
                                r,
                                &[("email_link", &|r| {
                                    object(r, &[("require_same_client", &flag)])
                                })],
                            )
                        }),
                    ],
                )
            }),
        ],
    )
}

pub const ERROR_CODES: &[&str] = &[
    "form_code_incorrect",
    "dev_browser_unauthenticated",
    "user_banned",
    "user_deactivated",
    "resource_not_found",
    "too_many_requests",
    "identifier_already_signed_in",
    "",
];

pub fn error_item(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("code", &|r| one_of(r, ERROR_CODES)),
            ("message", &|r| J::str(text(r))),
            ("long_message", &|r| J::str(text(r))),
            ("meta", &|r| {
                object(
                    r,
                    &[
                        ("param_name", &|r| {
                            one_of(
                                r,
                                &[
                                    "code",
                                    "identifier",
                                    "email_address",
                                    "phone_number",
                                    "first_name",
                                    "legal_accepted",
                                    "password",
                                    "",
                                ],
                            )
                        }),
                        ("session_id", &|r| J::str(id(r, "sess"))),
                        ("email_addresses", &|r| list(r, 2, |r| J::str(text(r)))),
                    ],
                )
            }),
        ],
    )
}

pub fn error_body(r: &mut Rng) -> J {
    object(
        r,
        &[
            ("errors", &|r| list(r, 4, error_item)),
            ("meta", &|r| any(r, 2)),
            ("clerk_trace_id", &|r| J::str(text(r))),
        ],
    )
}

/// `{response, client}` around `resource` (the client sometimes in `meta`).
pub fn envelope(r: &mut Rng, resource: J, now_ms: u64) -> J {
    let mut pairs = vec![("response".to_string(), resource)];
    match r.below(5) {
        0 => {}
        1 => pairs.push(("client".into(), J::Null)),
        2 => pairs.push(("meta".into(), J::obj(vec![("client", client(r, now_ms))]))),
        _ => pairs.push(("client".into(), client(r, now_ms))),
    }
    if r.chance(1, 20) {
        pairs.retain(|_| r.bool());
    }
    J::object(pairs)
}

/// A URL-ish string: absolute, relative, protocol-relative, or broken.
pub fn url(r: &mut Rng) -> String {
    if r.chance(1, 6) {
        return text(r);
    }
    let scheme = *r.pick(&[
        "http://",
        "https://",
        "HTTP://",
        "HttpS://",
        "//",
        "/",
        "ftp://",
        "http:",
        "https:///",
        "",
        "javascript:",
    ]);
    let host = *r.pick(&[
        "a.test",
        "App.Test",
        "localhost",
        "127.0.0.1",
        "[::1]",
        "",
        "u:p@h.test",
        "h h",
        "ex.com.",
        "xn--bcher-kva.example",
        "é.test",
        ":80",
    ]);
    let port = *r.pick(&["", "", ":80", ":443", ":4010", ":", ":x", ":65536"]);
    let mut s = format!("{scheme}{host}{port}");
    for _ in 0..r.range(0, 3) {
        s.push_str(r.pick::<&str>(&[
            "/",
            "/verify",
            "/a/b",
            "?x=1",
            "?",
            "#h",
            "/%2F",
            "/é",
            "?__clerk_status=verified",
            "&a=b",
            "//",
        ]));
    }
    if r.chance(1, 5) {
        piece(r, &mut s);
    }
    if r.chance(1, 8) {
        s = format!(
            "{}{s}{}",
            r.pick(&[" ", "\t", "\n"]),
            r.pick(&[" ", "", "\u{a0}"])
        );
    }
    s
}

/// `(key, value)` pairs, query-like, with the email-link parameters often.
pub fn pairs(r: &mut Rng) -> Vec<(String, String)> {
    (0..r.range(0, 5))
        .map(|_| {
            let k = match r.below(4) {
                0 => "__clerk_status".to_string(),
                1 => "__clerk_created_session".to_string(),
                _ => text(r),
            };
            let v = match r.below(4) {
                0 => (*r.pick(&[
                    "verified",
                    "expired",
                    "transferable",
                    "client_mismatch",
                    "failed",
                    "",
                ]))
                .to_string(),
                1 => id(r, "sess"),
                _ => text(r),
            };
            (k, v)
        })
        .collect()
}

/// A publishable key: well-formed around an odd host, or broken.
pub fn publishable_key(r: &mut Rng) -> String {
    let prefix = *r.pick(&[
        "pk_test_",
        "pk_live_",
        "pk_test_",
        "pk_live_",
        "sk_test_",
        "pk_",
        "",
        " pk_test_",
        "pk_test_x_",
    ]);
    let host = match r.below(6) {
        0 => text(r),
        _ => {
            let h = *r.pick(&[
                "example.accounts.dev",
                "127.0.0.1:4010",
                "clerk.example.com",
                "localhost",
                "a.b",
                "x.lcl.dev",
                "[::1]:4010",
                "clerk.app.test:8443",
                "a$b.c",
                "a b.c",
                "a/b.c",
                ".",
                "",
            ]);
            let mut h = h.to_string();
            if r.chance(1, 5) {
                piece(r, &mut h);
            }
            h
        }
    };
    let mut decoded = host;
    match r.below(8) {
        0 => {}
        1 => decoded.push_str("$$"),
        _ => decoded.push('$'),
    }
    let encoded = match r.below(6) {
        0 => STANDARD.encode(&decoded),
        1 => URL_SAFE_NO_PAD.encode(&decoded),
        2 => text(r),
        _ => STANDARD_NO_PAD.encode(&decoded),
    };
    let mut key = format!("{prefix}{encoded}");
    if r.chance(1, 8) {
        mutate(r, &mut key);
    }
    if r.chance(1, 10) {
        key = format!(
            "{}{key}{}",
            r.pick(&[" ", "\n", ""]),
            r.pick(&[" ", "\t", ""])
        );
    }
    key
}

/// A few random edits: insert, delete, replace (on char boundaries).
pub fn mutate(r: &mut Rng, s: &mut String) {
    for _ in 0..r.range(1, 3) {
        let chars: Vec<char> = s.chars().collect();
        let at = if chars.is_empty() {
            0
        } else {
            r.below(chars.len() + 1)
        };
        let mut out: Vec<char> = chars.clone();
        match r.below(3) {
            0 => {
                let ins: Vec<char> = text_small(r).chars().collect();
                out.splice(at..at, ins);
            }
            1 if at < out.len() => {
                let end = (at + r.range(1, 4) as usize).min(out.len());
                out.drain(at..end);
            }
            _ if at < out.len() => out[at] = any_char(r),
            _ => out.push(any_char(r)),
        }
        *s = out.into_iter().collect();
    }
}
