//! JSON rendering of the stored records, with FAPI's field names.
//!
//! Rendering reads nothing from the database: the records are loaded first
//! (inside the request's transaction, see [`ClientData::load`]) and rendered
//! after it ended, so the RSA signature of a `last_active_token` is never
//! computed while a transaction or the write lock is held.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::config::InstanceConfig;
use crate::domain::session as sess;
use crate::domain::{mask_email, mask_phone, tokens};
use crate::model::{
    Client, EmailAddress, PhoneNumber, Session, SignIn, SignUp, User, VStatus, Verification,
};
use crate::store::{Store, StoreError};
use crate::AppState;

/// What rendering needs: the configuration, the virtual time, and (for
/// session tokens) the keys and the requesting origin (`azp`).
pub struct Rc<'a> {
    pub st: &'a AppState,
    pub cfg: &'a InstanceConfig,
    pub now: i64,
    pub azp: Option<&'a str>,
}

impl Rc<'_> {
    /// A freshly signed session token (also remembered for reuse).
    pub fn mint(&self, s: &Session) -> Option<String> {
        let minutes = |t: i64| (self.now.saturating_sub(t).max(0)) / 60_000;
        let jwt = tokens::session_token(
            &self.st.keys,
            &tokens::SessionClaims {
                issuer: &self.st.base_url,
                session_id: &s.id,
                user_id: &s.user_id,
                azp: self.azp,
                now_ms: self.now,
                ttl_secs: self.cfg.session_token_ttl_secs,
                fva: [
                    minutes(s.first_factor_at),
                    s.second_factor_at.map(minutes).unwrap_or(-1),
                ],
            },
        );
        match jwt {
            Ok(jwt) => {
                self.st.tokens.put(&s.id, self.azp, &jwt, self.now);
                Some(jwt)
            }
            Err(e) => {
                tracing::error!(error = %e, "signing a session token failed");
                None
            }
        }
    }

    /// The session's `last_active_token`: reused for a few seconds, else minted.
    fn token(&self, s: &Session) -> Option<String> {
        self.st
            .tokens
            .get(&s.id, self.azp, self.now)
            .or_else(|| self.mint(s))
    }
}

/// A client and everything its rendering shows, loaded in one transaction.
pub struct ClientData {
    pub client: Client,
    /// Sessions still in the client (not `removed`), with their users.
    pub sessions: Vec<(Session, Option<User>)>,
    pub sign_in: Option<(SignIn, Option<User>)>,
    pub sign_up: Option<SignUp>,
}

impl ClientData {
    pub fn load(db: &Store, client: Client) -> Result<ClientData, StoreError> {
        // Each user is read once: a client that signed in and out many times
        // holds many sessions of the same user.
        let mut users: HashMap<String, Option<User>> = HashMap::new();
        let mut user = |id: &str| -> Result<Option<User>, StoreError> {
            if let Some(u) = users.get(id) {
                return Ok(u.clone());
            }
            let u = db.get_user(id)?;
            users.insert(id.to_string(), u.clone());
            Ok(u)
        };
        let mut sessions = Vec::new();
        for s in db.sessions_for_client(&client.id)? {
            if s.status != "removed" {
                let u = user(&s.user_id)?;
                sessions.push((s, u));
            }
        }
        let sign_in = match client.sign_in_id.as_deref() {
            Some(id) => match db.get_sign_in(id)? {
                Some(si) => {
                    let u = match si.user_id.as_deref() {
                        Some(uid) => user(uid)?,
                        None => None,
                    };
                    Some((si, u))
                }
                None => None,
            },
            None => None,
        };
        let sign_up = match client.sign_up_id.as_deref() {
            Some(id) => db.get_sign_up(id)?,
            None => None,
        };
        Ok(ClientData {
            client,
            sessions,
            sign_in,
            sign_up,
        })
    }
}

fn verification_object(strategy: &str) -> &'static str {
    match strategy {
        "email_link" => "verification_email_link",
        "email_code" | "phone_code" => "verification_otp",
        _ => "verification",
    }
}

/// A verification (or `null`).
pub fn verification(v: Option<&Verification>, now: i64) -> Value {
    let Some(v) = v else { return Value::Null };
    let mut out = json!({
        "object": verification_object(&v.strategy),
        "status": v.effective_status(now).as_str(),
        "strategy": v.strategy,
        "attempts": v.attempts,
        "expire_at": v.expire_at,
        "error": null,
    });
    if v.strategy == "email_link" {
        out["verified_at_client"] = json!(v.verified_at_client);
    }
    if let Some(ch) = &v.channel {
        out["channel"] = json!(ch);
    }
    out
}

pub fn email_address(e: &EmailAddress, now: i64) -> Value {
    json!({
        "id": e.id,
        "object": "email_address",
        "email_address": e.email_address,
        "reserved": false,
        "verification": verification(e.verification.as_ref(), now),
        "linked_to": [],
        "matches_sso_connection": false,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    })
}

pub fn phone_number(p: &PhoneNumber, primary: bool, now: i64) -> Value {
    json!({
        "id": p.id,
        "object": "phone_number",
        "phone_number": p.phone_number,
        "reserved_for_second_factor": false,
        "default_second_factor": primary,
        "reserved": false,
        "verification": verification(p.verification.as_ref(), now),
        "linked_to": [],
        "backup_codes": null,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    })
}

pub fn two_factor_enabled(cfg: &InstanceConfig, u: &User) -> bool {
    cfg.second_factor
        && cfg.phone_number.enabled
        && u.phone_numbers.iter().any(|p| p.verified())
        && u.email_addresses.iter().any(|e| e.verified())
}

pub fn user(rc: &Rc, u: &User) -> Value {
    let now = rc.now;
    json!({
        "id": u.id,
        "object": "user",
        "external_id": null,
        "primary_email_address_id": u.primary_email_address_id,
        "primary_phone_number_id": u.primary_phone_number_id,
        "primary_web3_wallet_id": null,
        "username": null,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "image_url": "",
        "has_image": false,
        "email_addresses": u.email_addresses.iter().map(|e| email_address(e, now)).collect::<Vec<_>>(),
        "phone_numbers": u.phone_numbers.iter().map(|p| phone_number(p, u.primary_phone_number_id.as_deref() == Some(&p.id), now)).collect::<Vec<_>>(),
        "web3_wallets": [],
        "passkeys": [],
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "organization_memberships": [],
        "password_enabled": false,
        "two_factor_enabled": two_factor_enabled(rc.cfg, u),
        "totp_enabled": false,
        "backup_code_enabled": false,
        "public_metadata": {},
        "unsafe_metadata": u.unsafe_metadata,
        "delete_self_enabled": true,
        "create_organization_enabled": false,
        "last_sign_in_at": u.last_sign_in_at,
        "legal_accepted_at": null,
        "created_at": u.created_at,
        "updated_at": u.updated_at,
    })
}

fn identifier_of(u: &User) -> Option<String> {
    let email = u
        .primary_email_address_id
        .as_ref()
        .and_then(|id| u.email_addresses.iter().find(|e| &e.id == id))
        .map(|e| e.email_address.clone());
    email.or_else(|| {
        u.primary_phone_number_id
            .as_ref()
            .and_then(|id| u.phone_numbers.iter().find(|p| &p.id == id))
            .map(|p| p.phone_number.clone())
    })
}

/// A session at `rc.now`: its status is derived (expired, abandoned); only
/// an active one carries a `last_active_token`.
pub fn session(rc: &Rc, s: &Session, u: Option<&User>) -> Value {
    let status = sess::status(s, rc.cfg, rc.now);
    let token = if status == "active" {
        rc.token(s)
            .map(|jwt| json!({"object": "token", "jwt": jwt}))
            .unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    let minutes = |t: i64| (rc.now.saturating_sub(t).max(0)) / 60_000;
    json!({
        "object": "session",
        "id": s.id,
        "status": status,
        "expire_at": s.expire_at,
        "abandon_at": sess::abandon_at(s, rc.cfg),
        "last_active_at": s.last_active_at,
        "last_active_token": token,
        "last_active_organization_id": null,
        "actor": null,
        "tasks": null,
        "factor_verification_age": [minutes(s.first_factor_at), s.second_factor_at.map(minutes).unwrap_or(-1)],
        "user": u.map(|u| user(rc, u)),
        "public_user_data": u.map(|u| json!({
            "first_name": u.first_name,
            "last_name": u.last_name,
            "image_url": "",
            "has_image": false,
            "identifier": identifier_of(u),
            "user_id": u.id,
            "username": null,
        })),
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    })
}

/// The first factors a user can sign in with; factors of `identifier` first.
pub fn first_factors(cfg: &InstanceConfig, u: &User, identifier: Option<&str>) -> Vec<Value> {
    let mut mine = Vec::new();
    let mut others = Vec::new();
    for p in u.phone_numbers.iter().filter(|p| p.verified()) {
        let primary = u.primary_phone_number_id.as_deref() == Some(&p.id);
        if cfg.phone_strategy("phone_code") {
            let f = json!({
                "strategy": "phone_code",
                "safe_identifier": mask_phone(&p.phone_number),
                "phone_number_id": p.id,
                "primary": primary,
                "default": primary,
            });
            if identifier == Some(p.phone_number.as_str()) {
                mine.push(f)
            } else {
                others.push(f)
            }
        }
    }
    for e in u.email_addresses.iter().filter(|e| e.verified()) {
        let primary = u.primary_email_address_id.as_deref() == Some(&e.id);
        for strat in ["email_code", "email_link"] {
            if cfg.email_strategy(strat) {
                let f = json!({
                    "strategy": strat,
                    "safe_identifier": mask_email(&e.email_address),
                    "email_address_id": e.id,
                    "primary": primary,
                });
                if identifier == Some(e.email_address.as_str()) {
                    mine.push(f)
                } else {
                    others.push(f)
                }
            }
        }
    }
    mine.extend(others);
    mine
}

/// Factors shown for a made-up (enumeration-protected) identifier.
pub fn phantom_factors(cfg: &InstanceConfig, identifier: &str, id: &str) -> Vec<Value> {
    if identifier.contains('@') {
        ["email_code", "email_link"]
            .iter()
            .filter(|s| cfg.email_strategy(s))
            .map(|s| json!({"strategy": s, "safe_identifier": mask_email(identifier), "email_address_id": id, "primary": true}))
            .collect()
    } else if cfg.phone_strategy("phone_code") {
        vec![
            json!({"strategy": "phone_code", "safe_identifier": mask_phone(identifier), "phone_number_id": id, "primary": true, "default": true}),
        ]
    } else {
        vec![]
    }
}

pub fn second_factors(cfg: &InstanceConfig, u: &User) -> Vec<Value> {
    if !two_factor_enabled(cfg, u) {
        return vec![];
    }
    u.phone_numbers
        .iter()
        .filter(|p| p.verified())
        .map(|p| {
            let primary = u.primary_phone_number_id.as_deref() == Some(&p.id);
            json!({
                "strategy": "phone_code",
                "safe_identifier": mask_phone(&p.phone_number),
                "phone_number_id": p.id,
                "primary": primary,
                "default": primary,
            })
        })
        .collect()
}

pub fn sign_in(rc: &Rc, s: &SignIn, u: Option<&User>) -> Value {
    let cfg = rc.cfg;
    let first = match (u, &s.phantom_id, &s.identifier) {
        (Some(u), _, _) => first_factors(cfg, u, s.identifier.as_deref()),
        (None, Some(pid), Some(ident)) => phantom_factors(cfg, ident, pid),
        _ => vec![],
    };
    let second = match (u, s.status.as_str()) {
        (Some(u), "needs_second_factor" | "complete") => {
            let f = second_factors(cfg, u);
            if f.is_empty() {
                Value::Null
            } else {
                json!(f)
            }
        }
        _ => Value::Null,
    };
    let mut identifiers = Vec::new();
    if cfg.email_address.enabled {
        identifiers.push("email_address");
    }
    if cfg.phone_number.enabled {
        identifiers.push("phone_number");
    }
    json!({
        "object": "sign_in_attempt",
        "id": s.id,
        "status": s.status,
        "supported_identifiers": identifiers,
        "identifier": s.identifier,
        "supported_first_factors": first,
        "supported_second_factors": second,
        "first_factor_verification": verification(s.first_factor_verification.as_ref(), rc.now),
        "second_factor_verification": verification(s.second_factor_verification.as_ref(), rc.now),
        "user_data": u.map(|u| json!({
            "first_name": u.first_name, "last_name": u.last_name, "image_url": "", "has_image": false,
        })).unwrap_or_else(|| if s.phantom_id.is_some() {
            json!({"first_name": null, "last_name": null, "image_url": "", "has_image": false})
        } else { Value::Null }),
        "created_session_id": s.created_session_id,
        "client_trust_state": "known",
        "protect_check": null,
        "abandon_at": s.abandon_at,
    })
}

/// Field bookkeeping of a sign-up: (required, optional, missing, unverified).
pub fn sign_up_fields(
    cfg: &InstanceConfig,
    s: &SignUp,
) -> (
    Vec<&'static str>,
    Vec<&'static str>,
    Vec<&'static str>,
    Vec<&'static str>,
) {
    let e = &cfg.email_address;
    let p = &cfg.phone_number;
    let mut required = Vec::new();
    let mut optional = vec!["first_name", "last_name"];
    let mut missing = Vec::new();
    let mut unverified = Vec::new();
    if e.enabled && e.required {
        required.push("email_address");
        if s.email_address.is_none() {
            missing.push("email_address");
        }
    }
    if p.enabled && p.required {
        required.push("phone_number");
        if s.phone_number.is_none() {
            missing.push("phone_number");
        }
    }
    let email_required = e.enabled && e.required;
    let phone_required = p.enabled && p.required;
    if !email_required && !phone_required {
        match (e.enabled, p.enabled) {
            (true, true) => {
                required.push("email_address_or_phone_number");
                optional.push("email_address");
                optional.push("phone_number");
            }
            (true, false) => required.push("email_address"),
            (false, true) => required.push("phone_number"),
            (false, false) => {}
        }
        if s.email_address.is_none() && s.phone_number.is_none() {
            match (e.enabled, p.enabled) {
                (true, true) => missing.push("email_address_or_phone_number"),
                (true, false) => missing.push("email_address"),
                (false, true) => missing.push("phone_number"),
                (false, false) => {}
            }
        }
    } else {
        if e.enabled && !e.required {
            optional.push("email_address");
        }
        if p.enabled && !p.required {
            optional.push("phone_number");
        }
    }
    let verified = |v: &Option<Verification>| matches!(v, Some(v) if v.status == VStatus::Verified);
    if s.email_address.is_some() && !verified(&s.email_verification) {
        unverified.push("email_address");
    }
    if s.phone_number.is_some() && !verified(&s.phone_verification) {
        unverified.push("phone_number");
    }
    (required, optional, missing, unverified)
}

fn sign_up_verification(
    v: Option<&Verification>,
    present: bool,
    strategies: Vec<String>,
    now: i64,
) -> Value {
    if !present {
        return Value::Null;
    }
    match v {
        None => json!({
            "object": "verification",
            "status": "unverified",
            "strategy": null,
            "attempts": null,
            "expire_at": null,
            "error": null,
            "next_action": "needs_prepare",
            "supported_strategies": strategies,
        }),
        Some(v) => {
            let mut out = verification(Some(v), now);
            let next = match v.effective_status(now) {
                VStatus::Verified => "",
                VStatus::Unverified => "needs_attempt",
                VStatus::Failed | VStatus::Expired => "needs_prepare",
            };
            out["next_action"] = json!(next);
            out["supported_strategies"] = json!(strategies);
            out
        }
    }
}

pub fn sign_up(rc: &Rc, s: &SignUp) -> Value {
    let (required, optional, missing, unverified) = sign_up_fields(rc.cfg, s);
    let email_strats: Vec<String> = rc
        .cfg
        .email_address
        .strategies
        .iter()
        .filter(|x| x.as_str() == "email_code" || x.as_str() == "email_link")
        .cloned()
        .collect();
    let phone_strats: Vec<String> = rc.cfg.phone_number.strategies.clone();
    json!({
        "object": "sign_up_attempt",
        "id": s.id,
        "status": s.status,
        "required_fields": required,
        "optional_fields": optional,
        "missing_fields": missing,
        "unverified_fields": unverified,
        "verifications": {
            "email_address": sign_up_verification(s.email_verification.as_ref(), s.email_address.is_some(), email_strats, rc.now),
            "phone_number": sign_up_verification(s.phone_verification.as_ref(), s.phone_number.is_some(), phone_strats, rc.now),
            "web3_wallet": null,
            "external_account": null,
        },
        "username": null,
        "email_address": s.email_address,
        "phone_number": s.phone_number,
        "web3_wallet": null,
        "password_enabled": false,
        "has_password": false,
        "first_name": s.first_name,
        "last_name": s.last_name,
        "unsafe_metadata": s.unsafe_metadata,
        "public_metadata": {},
        "custom_action": false,
        "external_id": null,
        "created_session_id": s.created_session_id,
        "created_user_id": s.created_user_id,
        "abandon_at": s.abandon_at,
        "legal_accepted_at": s.legal_accepted_at,
        "locale": s.locale,
        "protect_check": null,
    })
}

pub fn client(rc: &Rc, d: &ClientData) -> Value {
    let c = &d.client;
    let sessions: Vec<Value> = d
        .sessions
        .iter()
        .map(|(s, u)| session(rc, s, u.as_ref()))
        .collect();
    let sign_in = d.sign_in.as_ref().map(|(s, u)| sign_in(rc, s, u.as_ref()));
    let sign_up = d.sign_up.as_ref().map(|s| sign_up(rc, s));
    json!({
        "object": "client",
        "id": c.id,
        "sessions": sessions,
        "sign_in": sign_in,
        "sign_up": sign_up,
        "last_active_session_id": c.last_active_session_id,
        "last_authentication_strategy": c.last_authentication_strategy,
        "cookie_expires_at": null,
        "captcha_bypass": false,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    })
}
