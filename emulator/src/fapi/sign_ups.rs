//! `/v1/client/sign_ups`.

use super::{Ctx, Out};
use crate::domain::verification::{self as ver, Outcome};
use crate::domain::{self, normalize_email, normalize_phone};
use crate::errors::ApiError;
use crate::model::{
    EmailAddress, LinkKind, LinkToken, PhoneNumber, SignUp, User, VStatus, Verification,
};
use crate::render;

fn load(ctx: &Ctx, id: &str) -> Result<SignUp, ApiError> {
    match ctx.db.get_sign_up(id)? {
        Some(s) if Some(&s.client_id) == ctx.client_id.as_ref() => Ok(s),
        _ => Err(ApiError::not_found()),
    }
}

fn save(ctx: &Ctx, s: &mut SignUp) -> Result<(), ApiError> {
    s.updated_at = ctx.now;
    ctx.db.put_sign_up(s)?;
    Ok(())
}

fn set_email(ctx: &Ctx, su: &mut SignUp, raw: &str, param: &str) -> Result<(), ApiError> {
    if !ctx.cfg.email_address.enabled {
        return Err(ApiError::param_unknown(param));
    }
    let e = normalize_email(raw).ok_or_else(|| ApiError::format_invalid(param))?;
    if ctx.db.user_by_identifier(&e)?.is_some() {
        return Err(ApiError::form_identifier_exists("email_address"));
    }
    if su.email_address.as_deref() != Some(e.as_str()) {
        su.email_address = Some(e);
        su.email_verification = None;
    }
    Ok(())
}

fn set_phone(ctx: &Ctx, su: &mut SignUp, raw: &str, param: &str) -> Result<(), ApiError> {
    if !ctx.cfg.phone_number.enabled {
        return Err(ApiError::param_unknown(param));
    }
    let p = normalize_phone(raw).ok_or_else(|| ApiError::format_invalid(param))?;
    if ctx.db.user_by_identifier(&p)?.is_some() {
        return Err(ApiError::form_identifier_exists("phone_number"));
    }
    if su.phone_number.as_deref() != Some(p.as_str()) {
        su.phone_number = Some(p);
        su.phone_verification = None;
    }
    Ok(())
}

/// Applies the create/update form fields; unknown fields are ignored.
fn apply_params(ctx: &Ctx, su: &mut SignUp) -> Result<(), ApiError> {
    let r = ctx.req;
    if let Some(v) = r.param("email_address") {
        set_email(ctx, su, v, "email_address")?;
    }
    if let Some(v) = r.param("phone_number") {
        set_phone(ctx, su, v, "phone_number")?;
    }
    if let Some(v) = r.param("email_address_or_phone_number") {
        if v.contains('@') {
            set_email(ctx, su, v, "email_address_or_phone_number")?;
        } else {
            set_phone(ctx, su, v, "email_address_or_phone_number")?;
        }
    }
    if r.has_form("first_name") {
        su.first_name = r.param("first_name").map(str::to_string);
    }
    if r.has_form("last_name") {
        su.last_name = r.param("last_name").map(str::to_string);
    }
    if let Some(m) = r.param("unsafe_metadata") {
        let v: serde_json::Value =
            serde_json::from_str(m).map_err(|_| ApiError::param_invalid("unsafe_metadata"))?;
        if !v.is_object() {
            return Err(ApiError::param_invalid("unsafe_metadata"));
        }
        su.unsafe_metadata = v;
    }
    if r.param("legal_accepted") == Some("true") {
        su.legal_accepted_at = Some(ctx.now);
    }
    if let Some(l) = r.param("locale") {
        su.locale = Some(l.to_string());
    }
    Ok(())
}

/// `POST /v1/client/sign_ups`
pub fn create(ctx: &mut Ctx) -> Result<Out, ApiError> {
    ctx.rate_limit("sign_up_create", ctx.cfg.rate_limits.sign_up_create)?;
    ctx.ensure_no_active_session()?;
    let mut su = SignUp {
        id: domain::new_id("sua"),
        client_id: String::new(),
        status: "missing_requirements".into(),
        email_address: None,
        phone_number: None,
        first_name: None,
        last_name: None,
        unsafe_metadata: serde_json::json!({}),
        legal_accepted_at: None,
        locale: None,
        email_verification: None,
        phone_verification: None,
        created_user_id: None,
        created_session_id: None,
        failed_attempts: 0,
        created_at: ctx.now,
        updated_at: ctx.now,
        abandon_at: domain::after_secs(ctx.now, 24 * 3600),
    };
    apply_params(ctx, &mut su)?;
    let mut client = ctx.ensure_client()?;
    su.client_id = client.id.clone();
    save(ctx, &mut su)?;
    client.sign_up_id = Some(su.id.clone());
    ctx.save_client(&mut client)?;
    if let Some(strategy) = ctx.req.param("strategy") {
        let strategy = strategy.to_string();
        prepare(ctx, &mut su, &strategy)?;
    }
    Ok(Out::Env(render::sign_up(&ctx.rc(), &su)))
}

/// `GET /v1/client/sign_ups/{id}`
pub fn get(ctx: &mut Ctx, id: &str) -> Result<Out, ApiError> {
    let su = load(ctx, id)?;
    Ok(Out::Env(render::sign_up(&ctx.rc(), &su)))
}

/// `PATCH /v1/client/sign_ups/{id}`
pub fn update(ctx: &mut Ctx, id: &str) -> Result<Out, ApiError> {
    let mut su = load(ctx, id)?;
    if su.status == "complete" {
        return Err(ApiError::client_state_invalid("update"));
    }
    apply_params(ctx, &mut su)?;
    save(ctx, &mut su)?;
    maybe_complete(ctx, &mut su)?;
    Ok(Out::Env(render::sign_up(&ctx.rc(), &su)))
}

pub fn action(ctx: &mut Ctx, id: &str, action: &str) -> Result<Out, ApiError> {
    let mut su = load(ctx, id)?;
    match action {
        "prepare_verification" => {
            let strategy = ctx
                .req
                .param("strategy")
                .ok_or_else(|| ApiError::param_missing("strategy"))?
                .to_string();
            prepare(ctx, &mut su, &strategy)?;
        }
        "attempt_verification" => attempt(ctx, &mut su)?,
        _ => return Err(ApiError::not_found()),
    }
    Ok(Out::Env(render::sign_up(&ctx.rc(), &su)))
}

/// Wrong codes on a sign-up count across every prepare; at `lockout_attempts`
/// (as a user's lockout) the sign-up cannot be verified any more.
fn failures_capped(ctx: &Ctx, su: &SignUp) -> bool {
    let cap = ctx.cfg.lockout_attempts;
    cap > 0 && su.failed_attempts >= cap
}

fn prepare(ctx: &Ctx, su: &mut SignUp, strategy: &str) -> Result<(), ApiError> {
    if su.status == "complete" {
        return Err(ApiError::client_state_invalid("prepare_verification"));
    }
    if failures_capped(ctx, su) {
        return Err(ApiError::verification_failed());
    }
    let app = ctx.cfg.application_name.clone();
    match strategy {
        "phone_code" => {
            let phone = su
                .phone_number
                .clone()
                .ok_or_else(|| ApiError::param_missing("phone_number"))?;
            if !ctx.cfg.phone_strategy("phone_code") {
                return Err(ApiError::strategy_invalid());
            }
            ctx.before_send(su.phone_verification.as_ref(), strategy, &phone)?;
            let code = ver::generate_code();
            let mut v = Verification::new(strategy);
            ver::arm_code(&mut v, &code, ctx.now, ctx.cfg.code_ttl_secs);
            v.channel = Some(ctx.req.param("channel").unwrap_or("sms").to_string());
            v.target = Some(phone.clone());
            su.phone_verification = Some(v);
            let (_, body) = super::code_message(&app, &code, ctx.cfg.code_ttl_secs);
            ctx.send("sms", &phone, None, body, Some(code), None);
        }
        "email_code" => {
            let email = su
                .email_address
                .clone()
                .ok_or_else(|| ApiError::param_missing("email_address"))?;
            if !ctx.cfg.email_strategy("email_code") {
                return Err(ApiError::strategy_invalid());
            }
            ctx.before_send(su.email_verification.as_ref(), strategy, &email)?;
            let code = ver::generate_code();
            let mut v = Verification::new(strategy);
            ver::arm_code(&mut v, &code, ctx.now, ctx.cfg.code_ttl_secs);
            v.target = Some(email.clone());
            su.email_verification = Some(v);
            let (subject, body) = super::code_message(&app, &code, ctx.cfg.code_ttl_secs);
            ctx.send("email", &email, Some(subject), body, Some(code), None);
        }
        "email_link" => {
            let email = su
                .email_address
                .clone()
                .ok_or_else(|| ApiError::param_missing("email_address"))?;
            if !ctx.cfg.email_strategy("email_link") {
                return Err(ApiError::strategy_invalid());
            }
            let redirect = ctx.redirect_url()?;
            ctx.before_send(su.email_verification.as_ref(), strategy, &email)?;
            let mut v = Verification::new(strategy);
            let (token, hash) = ver::arm_link(&mut v, ctx.now, ctx.cfg.link_ttl_secs);
            v.redirect_url = Some(redirect.clone());
            v.target = Some(email.clone());
            ctx.db.put_link(
                &hash,
                &LinkToken {
                    kind: LinkKind::SignUp,
                    resource_id: su.id.clone(),
                    email_address_id: None,
                    client_id: Some(su.client_id.clone()),
                    redirect_url: Some(redirect),
                    second_factor: false,
                    expire_at: v.expire_at.unwrap_or(ctx.now),
                    used: false,
                },
            )?;
            su.email_verification = Some(v);
            let link = ctx.verify_link(&token);
            ctx.send(
                "email",
                &email,
                Some(format!("Verify your email for {app}")),
                format!("Click this link to verify your email address for {app}: {link}\nThe link expires in {} minutes.", ctx.cfg.link_ttl_secs / 60),
                None,
                Some(link),
            );
        }
        _ => return Err(ApiError::param_invalid("strategy")),
    }
    save(ctx, su)
}

fn attempt(ctx: &Ctx, su: &mut SignUp) -> Result<(), ApiError> {
    ctx.rate_limit("attempt", ctx.cfg.rate_limits.attempts)?;
    let code = ctx
        .req
        .param("code")
        .ok_or_else(|| ApiError::param_missing("code"))?
        .to_string();
    let strategy = ctx
        .req
        .param("strategy")
        .ok_or_else(|| ApiError::param_missing("strategy"))?
        .to_string();
    if failures_capped(ctx, su) {
        return Err(ApiError::verification_failed());
    }
    let v = match strategy.as_str() {
        "phone_code" => su.phone_verification.as_mut(),
        "email_code" => su.email_verification.as_mut(),
        _ => return Err(ApiError::param_invalid("strategy")),
    };
    let (outcome, result) = ver::attempt(v, Some(&strategy), &code, ctx.now, ctx.cfg.max_attempts);
    if outcome == Outcome::Wrong {
        su.failed_attempts = su.failed_attempts.saturating_add(1);
        if failures_capped(ctx, su) {
            for v in [
                su.phone_verification.as_mut(),
                su.email_verification.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                if v.status == VStatus::Unverified {
                    ver::fail(v);
                }
            }
        }
    }
    save(ctx, su)?;
    result?;
    maybe_complete(ctx, su)
}

/// Creates the user and an active session once nothing is missing or unverified.
pub fn maybe_complete(ctx: &Ctx, su: &mut SignUp) -> Result<(), ApiError> {
    if su.status == "complete" {
        return Ok(());
    }
    let (_, _, missing, unverified) = render::sign_up_fields(ctx.cfg, su);
    if !missing.is_empty() || !unverified.is_empty() {
        return Ok(());
    }
    if let Some(e) = &su.email_address {
        if ctx.db.user_by_identifier(e)?.is_some() {
            return Err(ApiError::form_identifier_exists("email_address"));
        }
    }
    if let Some(p) = &su.phone_number {
        if ctx.db.user_by_identifier(p)?.is_some() {
            return Err(ApiError::form_identifier_exists("phone_number"));
        }
    }
    let mut user = User {
        id: domain::new_id("user"),
        first_name: su.first_name.clone(),
        last_name: su.last_name.clone(),
        email_addresses: Vec::new(),
        phone_numbers: Vec::new(),
        primary_email_address_id: None,
        primary_phone_number_id: None,
        unsafe_metadata: su.unsafe_metadata.clone(),
        failed_attempts: 0,
        locked_until: None,
        last_sign_in_at: None,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    let mut strategy = String::new();
    if let Some(e) = &su.email_address {
        let id = domain::new_id("idn");
        let v = su.email_verification.clone();
        strategy = v.as_ref().map(|v| v.strategy.clone()).unwrap_or_default();
        user.email_addresses.push(EmailAddress {
            id: id.clone(),
            email_address: e.clone(),
            verification: v,
            created_at: ctx.now,
            updated_at: ctx.now,
        });
        user.primary_email_address_id = Some(id);
        if !ctx.db.claim_identifier(e, "email_address", &user.id)? {
            // Checked above inside this transaction: unreachable; roll back.
            return Err(ApiError::internal("identifier claimed concurrently"));
        }
    }
    if let Some(p) = &su.phone_number {
        let id = domain::new_id("idn");
        let v = su.phone_verification.clone();
        if strategy.is_empty() {
            strategy = v.as_ref().map(|v| v.strategy.clone()).unwrap_or_default();
        }
        user.phone_numbers.push(PhoneNumber {
            id: id.clone(),
            phone_number: p.clone(),
            verification: v,
            created_at: ctx.now,
            updated_at: ctx.now,
        });
        user.primary_phone_number_id = Some(id);
        if !ctx.db.claim_identifier(p, "phone_number", &user.id)? {
            // Checked above inside this transaction: unreachable; roll back.
            return Err(ApiError::internal("identifier claimed concurrently"));
        }
    }
    debug_assert!(user.email_addresses.iter().all(|e| e
        .verification
        .as_ref()
        .is_some_and(|v| v.status == VStatus::Verified)));
    ctx.db.put_user(&user)?;
    let session = ctx.create_session(&su.client_id, &user.id, ctx.now, None, &strategy)?;
    su.status = "complete".into();
    su.created_user_id = Some(user.id);
    su.created_session_id = Some(session.id);
    save(ctx, su)?;
    if let Some(mut c) = ctx.db.get_client(&su.client_id)? {
        if c.sign_up_id.as_deref() == Some(&su.id) {
            c.sign_up_id = None;
            ctx.save_client(&mut c)?;
        }
    }
    Ok(())
}
