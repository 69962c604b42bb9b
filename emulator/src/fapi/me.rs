//! `/v1/me` and `/v1/me/email_addresses`.

use serde_json::json;

use super::{Ctx, Out};
use crate::domain::verification::{self as ver, Outcome};
use crate::domain::{self, normalize_email, session as sess};
use crate::errors::ApiError;
use crate::model::{EmailAddress, LinkKind, LinkToken, User, Verification};
use crate::render;

/// The signed-in user: `_clerk_session_id` if given, else the client's last active session.
fn current_user(ctx: &Ctx) -> Result<User, ApiError> {
    let client = ctx.client()?.ok_or_else(ApiError::authentication_invalid)?;
    let sid = ctx
        .req
        .query_param("_clerk_session_id")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or(client.last_active_session_id.clone())
        .ok_or_else(ApiError::authentication_invalid)?;
    let s = ctx
        .db
        .get_session(&sid)?
        .ok_or_else(ApiError::authentication_invalid)?;
    if s.client_id != client.id || !sess::is_active(&s, ctx.cfg, ctx.now) {
        return Err(ApiError::authentication_invalid());
    }
    ctx.db
        .get_user(&s.user_id)?
        .ok_or_else(ApiError::authentication_invalid)
}

fn find_email<'u>(u: &'u mut User, id: &str) -> Result<&'u mut EmailAddress, ApiError> {
    u.email_addresses
        .iter_mut()
        .find(|e| e.id == id)
        .ok_or_else(ApiError::not_found)
}

/// `GET /v1/me`
pub fn get(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let u = current_user(ctx)?;
    Ok(Out::Env(render::user(&ctx.rc(), &u)))
}

/// `GET /v1/me/email_addresses`
pub fn list_emails(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let u = current_user(ctx)?;
    let list: Vec<_> = u
        .email_addresses
        .iter()
        .map(|e| render::email_address(e, ctx.now))
        .collect();
    Ok(Out::Env(json!(list)))
}

/// `POST /v1/me/email_addresses`
pub fn create_email(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let mut u = current_user(ctx)?;
    if !ctx.cfg.email_address.enabled {
        return Err(ApiError::param_unknown("email_address"));
    }
    let raw = ctx
        .req
        .param("email_address")
        .ok_or_else(|| ApiError::param_missing("email_address"))?;
    let e = normalize_email(raw).ok_or_else(|| ApiError::format_invalid("email_address"))?;
    if u.email_addresses.len() >= 20 {
        return Err(ApiError::new(
            400,
            "too_many_unverified_identifications",
            "too many unverified contacts",
            "There are too many unverified contacts for this user.",
        ));
    }
    if ctx.db.user_by_identifier(&e)?.is_some()
        || u.email_addresses.iter().any(|x| x.email_address == e)
    {
        return Err(ApiError::form_identifier_exists("email_address"));
    }
    let addr = EmailAddress {
        id: domain::new_id("idn"),
        email_address: e,
        verification: None,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    // The primary email stays unset until an address is verified.
    u.email_addresses.push(addr.clone());
    u.updated_at = ctx.now;
    ctx.db.put_user(&u)?;
    Ok(Out::Env(render::email_address(&addr, ctx.now)))
}

/// `GET /v1/me/email_addresses/{id}`
pub fn get_email(ctx: &mut Ctx, id: &str) -> Result<Out, ApiError> {
    let mut u = current_user(ctx)?;
    let e = find_email(&mut u, id)?;
    Ok(Out::Env(render::email_address(e, ctx.now)))
}

pub fn email_action(ctx: &mut Ctx, id: &str, action: &str) -> Result<Out, ApiError> {
    let mut u = current_user(ctx)?;
    match action {
        "prepare_verification" => prepare(ctx, &mut u, id)?,
        "attempt_verification" => attempt(ctx, &mut u, id)?,
        _ => return Err(ApiError::not_found()),
    }
    let e = find_email(&mut u, id)?;
    Ok(Out::Env(render::email_address(e, ctx.now)))
}

fn prepare(ctx: &Ctx, u: &mut User, id: &str) -> Result<(), ApiError> {
    let strategy = ctx
        .req
        .param("strategy")
        .ok_or_else(|| ApiError::param_missing("strategy"))?
        .to_string();
    let app = ctx.cfg.application_name.clone();
    let user_id = u.id.clone();
    let e = find_email(u, id)?;
    if e.verified() {
        return Err(ApiError::already_verified());
    }
    let mut v = Verification::new(&strategy);
    v.target = Some(e.email_address.clone());
    v.target_id = Some(e.id.clone());
    match strategy.as_str() {
        "email_code" => {
            ctx.before_send(e.verification.as_ref(), &strategy, &e.email_address)?;
            let code = ver::generate_code();
            ver::arm_code(&mut v, &code, ctx.now, ctx.cfg.code_ttl_secs);
            let (subject, body) = super::code_message(&app, &code, ctx.cfg.code_ttl_secs);
            ctx.send(
                "email",
                &e.email_address,
                Some(subject),
                body,
                Some(code),
                None,
            );
        }
        "email_link" => {
            let redirect = ctx.redirect_url()?;
            ctx.before_send(e.verification.as_ref(), &strategy, &e.email_address)?;
            let (token, hash) = ver::arm_link(&mut v, ctx.now, ctx.cfg.link_ttl_secs);
            v.redirect_url = Some(redirect.clone());
            ctx.db.put_link(
                &hash,
                &LinkToken {
                    kind: LinkKind::EmailAddress,
                    resource_id: user_id,
                    email_address_id: Some(e.id.clone()),
                    client_id: ctx.client_id.clone(),
                    redirect_url: Some(redirect),
                    second_factor: false,
                    expire_at: v.expire_at.unwrap_or(ctx.now),
                    used: false,
                },
            )?;
            let link = ctx.verify_link(&token);
            ctx.send(
                "email",
                &e.email_address,
                Some(format!("Verify your email for {app}")),
                format!("Click this link to verify your email address for {app}: {link}\nThe link expires in {} minutes.", ctx.cfg.link_ttl_secs / 60),
                None,
                Some(link),
            );
        }
        _ => return Err(ApiError::param_invalid("strategy")),
    }
    e.verification = Some(v);
    e.updated_at = ctx.now;
    ctx.db.put_user(u)?;
    Ok(())
}

fn attempt(ctx: &Ctx, u: &mut User, id: &str) -> Result<(), ApiError> {
    ctx.rate_limit("attempt", ctx.cfg.rate_limits.attempts)?;
    let code = ctx
        .req
        .param("code")
        .ok_or_else(|| ApiError::param_missing("code"))?
        .to_string();
    let now = ctx.now;
    ver::check_lock(u, now)?;
    let e = find_email(u, id)?;
    let (outcome, result) = ver::attempt(
        e.verification.as_mut(),
        ctx.req.param("strategy"),
        &code,
        now,
        ctx.cfg.max_attempts,
    );
    let addr = e.email_address.clone();
    match outcome {
        Outcome::Wrong => {
            ver::record_failure(u, now, ctx.cfg.lockout_attempts, ctx.cfg.lockout_secs)
        }
        Outcome::Verified => {
            if !ctx.db.claim_identifier(&addr, "email_address", &u.id)? {
                let e = find_email(u, id)?;
                if let Some(v) = e.verification.as_mut() {
                    v.status = crate::model::VStatus::Failed;
                }
                ctx.db.put_user(u)?;
                return Err(ApiError::form_identifier_exists("email_address"));
            }
            if u.primary_email_address_id.is_none() {
                u.primary_email_address_id = Some(id.to_string());
            }
        }
        Outcome::Rejected => {}
    }
    u.updated_at = now;
    ctx.db.put_user(u)?;
    result
}

/// Marks a `/me` email address verified after its link was opened.
pub fn verify_by_link(
    ctx: &Ctx,
    user_id: &str,
    email_id: &str,
    opener: Option<&str>,
) -> Result<bool, ApiError> {
    let Some(mut u) = ctx.db.get_user(user_id)? else {
        return Ok(false);
    };
    let Some(e) = u.email_addresses.iter_mut().find(|e| e.id == email_id) else {
        return Ok(false);
    };
    let addr = e.email_address.clone();
    if !ctx.db.claim_identifier(&addr, "email_address", user_id)? {
        return Ok(false);
    }
    if let Some(v) = e.verification.as_mut() {
        v.status = crate::model::VStatus::Verified;
        v.verified_at_client = opener.map(str::to_string);
    }
    e.updated_at = ctx.now;
    if u.primary_email_address_id.is_none() {
        u.primary_email_address_id = Some(email_id.to_string());
    }
    ctx.db.put_user(&u)?;
    Ok(true)
}
