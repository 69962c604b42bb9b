//! `/v1/client/sign_ins`.

use super::{Ctx, Out};
use crate::domain::verification::{self as ver, Outcome};
use crate::domain::{self, normalize_email, normalize_phone};
use crate::errors::ApiError;
use crate::model::{LinkKind, LinkToken, SignIn, User, Verification};
use crate::render;

/// Normalizes a sign-in identifier (email or E.164 phone).
fn parse_identifier(ctx: &Ctx, raw: &str) -> Result<Option<String>, ApiError> {
    let raw = raw.trim();
    if raw.contains('@') {
        let e = normalize_email(raw).ok_or_else(|| ApiError::format_invalid("identifier"))?;
        Ok(ctx.cfg.email_address.enabled.then_some(e))
    } else if raw.starts_with('+') {
        let p = normalize_phone(raw).ok_or_else(|| ApiError::format_invalid("identifier"))?;
        Ok(ctx.cfg.phone_number.enabled.then_some(p))
    } else {
        // Usernames are not enabled on the emulated instance.
        Ok(None)
    }
}

fn load(ctx: &Ctx, id: &str) -> Result<SignIn, ApiError> {
    match ctx.db.get_sign_in(id)? {
        Some(s) if Some(&s.client_id) == ctx.client_id.as_ref() => Ok(s),
        _ => Err(ApiError::not_found()),
    }
}

fn save(ctx: &Ctx, s: &mut SignIn) -> Result<(), ApiError> {
    s.updated_at = ctx.now;
    ctx.db.put_sign_in(s)?;
    Ok(())
}

/// `POST /v1/client/sign_ins`
pub fn create(ctx: &mut Ctx) -> Result<Out, ApiError> {
    ctx.rate_limit("sign_in_create", ctx.cfg.rate_limits.sign_in_create)?;
    ctx.ensure_no_active_session()?;
    let strategy = ctx.req.param("strategy").map(str::to_string);
    let identifier = match ctx.req.param("identifier") {
        Some(raw) => {
            let parsed = parse_identifier(ctx, raw)?;
            let user = match parsed.as_deref() {
                Some(i) => ctx.db.user_by_identifier(i)?,
                None => None,
            };
            match (parsed, user) {
                (Some(i), Some(u)) => {
                    ver::check_lock(&u, ctx.now)?;
                    ctx.ensure_user_not_signed_in(&u.id)?;
                    Some((i, Some(u)))
                }
                (parsed, None) if ctx.cfg.enumeration_protection => {
                    Some((parsed.unwrap_or_else(|| raw.trim().to_string()), None))
                }
                _ => return Err(ApiError::form_identifier_not_found()),
            }
        }
        None if strategy.is_some() => return Err(ApiError::param_missing("identifier")),
        None => None,
    };
    let mut client = ctx.ensure_client()?;
    let mut si = SignIn {
        id: domain::new_id("sia"),
        client_id: client.id.clone(),
        status: if identifier.is_some() {
            "needs_first_factor"
        } else {
            "needs_identifier"
        }
        .into(),
        identifier: identifier.as_ref().map(|(i, _)| i.clone()),
        user_id: identifier
            .as_ref()
            .and_then(|(_, u)| u.as_ref().map(|u| u.id.clone())),
        phantom_id: match &identifier {
            Some((_, None)) => Some(domain::new_id("idn")),
            _ => None,
        },
        first_factor_verification: None,
        second_factor_verification: None,
        created_session_id: None,
        first_factor_at: None,
        created_at: ctx.now,
        updated_at: ctx.now,
        abandon_at: domain::after_secs(ctx.now, 24 * 3600),
    };
    save(ctx, &mut si)?;
    client.sign_in_id = Some(si.id.clone());
    ctx.save_client(&mut client)?;
    if let Some(strategy) = strategy {
        prepare_first(ctx, &mut si, &strategy)?;
    }
    Ok(Out::Env(ctx.sign_in_json(&si)?))
}

/// `GET /v1/client/sign_ins/{id}`
pub fn get(ctx: &mut Ctx, id: &str) -> Result<Out, ApiError> {
    let si = load(ctx, id)?;
    Ok(Out::Env(ctx.sign_in_json(&si)?))
}

pub fn action(ctx: &mut Ctx, id: &str, action: &str) -> Result<Out, ApiError> {
    let mut si = load(ctx, id)?;
    match action {
        "prepare_first_factor" => {
            let strategy = ctx
                .req
                .param("strategy")
                .ok_or_else(|| ApiError::param_missing("strategy"))?
                .to_string();
            prepare_first(ctx, &mut si, &strategy)?;
        }
        "attempt_first_factor" => attempt(ctx, &mut si, false)?,
        "prepare_second_factor" => prepare_second(ctx, &mut si)?,
        "attempt_second_factor" => attempt(ctx, &mut si, true)?,
        _ => return Err(ApiError::not_found()),
    }
    Ok(Out::Env(ctx.sign_in_json(&si)?))
}

fn user_of(ctx: &Ctx, si: &SignIn) -> Result<Option<User>, ApiError> {
    ctx.user(si.user_id.as_deref())
}

/// Picks the identification for `strategy`: (id, value). Uses the given id,
/// else the one matching the identifier, else the primary one.
fn pick_target(
    ctx: &Ctx,
    si: &SignIn,
    u: Option<&User>,
    strategy: &str,
    second: bool,
) -> Result<(String, String), ApiError> {
    let phone = strategy == "phone_code";
    let param = if phone {
        "phone_number_id"
    } else {
        "email_address_id"
    };
    let given = ctx.req.param(param);
    let enabled = if phone {
        ctx.cfg.phone_strategy(strategy)
    } else {
        ctx.cfg.email_strategy(strategy)
    };
    if !matches!(strategy, "phone_code" | "email_code" | "email_link") || !enabled {
        return Err(ApiError::strategy_for_user_invalid());
    }
    let Some(u) = u else {
        // Enumeration protection: answer like a real account would.
        let ident = si.identifier.clone().unwrap_or_default();
        let pid = si.phantom_id.clone().unwrap_or_default();
        if ident.contains('@') == phone || given.is_some_and(|g| g != pid) {
            return Err(ApiError::strategy_for_user_invalid());
        }
        return Ok((pid, ident));
    };
    let candidates: Vec<(String, String, bool)> = if phone {
        u.phone_numbers
            .iter()
            .filter(|p| p.verified())
            .map(|p| {
                (
                    p.id.clone(),
                    p.phone_number.clone(),
                    u.primary_phone_number_id.as_deref() == Some(&p.id),
                )
            })
            .collect()
    } else {
        u.email_addresses
            .iter()
            .filter(|e| e.verified())
            .map(|e| {
                (
                    e.id.clone(),
                    e.email_address.clone(),
                    u.primary_email_address_id.as_deref() == Some(&e.id),
                )
            })
            .collect()
    };
    let found = match given {
        Some(g) => candidates
            .iter()
            .find(|c| c.0 == g)
            .ok_or_else(|| ApiError::param_invalid(param))?,
        None => candidates
            .iter()
            .find(|c| !second && si.identifier.as_deref() == Some(c.1.as_str()))
            .or_else(|| candidates.iter().find(|c| c.2))
            .or_else(|| candidates.first())
            .ok_or_else(ApiError::strategy_for_user_invalid)?,
    };
    Ok((found.0.clone(), found.1.clone()))
}

/// Arms a verification for `strategy` towards `target` and sends the code or
/// link. `prev` is the verification it replaces (the resend throttle).
#[allow(clippy::too_many_arguments)]
fn arm_and_send(
    ctx: &Ctx,
    si: &SignIn,
    prev: Option<&Verification>,
    strategy: &str,
    target_id: &str,
    target: &str,
    second: bool,
    phantom: bool,
) -> Result<Verification, ApiError> {
    let mut v = Verification::new(strategy);
    v.target_id = Some(target_id.to_string());
    v.target = Some(target.to_string());
    let app = ctx.cfg.application_name.clone();
    match strategy {
        "email_link" => {
            let redirect = ctx.redirect_url()?;
            ctx.before_send(prev, strategy, target)?;
            let (token, hash) = ver::arm_link(&mut v, ctx.now, ctx.cfg.link_ttl_secs);
            v.redirect_url = Some(redirect.clone());
            ctx.db.put_link(
                &hash,
                &LinkToken {
                    kind: LinkKind::SignIn,
                    resource_id: si.id.clone(),
                    email_address_id: Some(target_id.to_string()),
                    client_id: Some(si.client_id.clone()),
                    redirect_url: Some(redirect),
                    second_factor: second,
                    expire_at: v.expire_at.unwrap_or(ctx.now),
                    used: phantom,
                },
            )?;
            if !phantom {
                let link = ctx.verify_link(&token);
                ctx.send(
                    "email",
                    target,
                    Some(format!("Sign in to {app}")),
                    format!("Click this link to sign in to {app}: {link}\nThe link expires in {} minutes.", ctx.cfg.link_ttl_secs / 60),
                    None,
                    Some(link),
                );
            }
        }
        _ => {
            ctx.before_send(prev, strategy, target)?;
            let code = ver::generate_code();
            ver::arm_code(&mut v, &code, ctx.now, ctx.cfg.code_ttl_secs);
            if strategy == "phone_code" {
                v.channel = Some(ctx.req.param("channel").unwrap_or("sms").to_string());
            }
            if !phantom {
                let (subject, body) = super::code_message(&app, &code, ctx.cfg.code_ttl_secs);
                if strategy == "phone_code" {
                    ctx.send("sms", target, None, body, Some(code), None);
                } else {
                    ctx.send("email", target, Some(subject), body, Some(code), None);
                }
            }
        }
    }
    Ok(v)
}

fn prepare_first(ctx: &Ctx, si: &mut SignIn, strategy: &str) -> Result<(), ApiError> {
    if si.status != "needs_first_factor" {
        return Err(ApiError::client_state_invalid("prepare_first_factor"));
    }
    let u = user_of(ctx, si)?;
    if let Some(u) = &u {
        ver::check_lock(u, ctx.now)?;
    }
    let (tid, target) = pick_target(ctx, si, u.as_ref(), strategy, false)?;
    let prev = si.first_factor_verification.as_ref();
    let v = arm_and_send(ctx, si, prev, strategy, &tid, &target, false, u.is_none())?;
    si.first_factor_verification = Some(v);
    save(ctx, si)
}

fn prepare_second(ctx: &Ctx, si: &mut SignIn) -> Result<(), ApiError> {
    if si.status != "needs_second_factor" {
        return Err(ApiError::client_state_invalid("prepare_second_factor"));
    }
    let strategy = ctx
        .req
        .param("strategy")
        .ok_or_else(|| ApiError::param_missing("strategy"))?
        .to_string();
    if strategy != "phone_code" {
        return Err(ApiError::strategy_for_user_invalid());
    }
    let u = user_of(ctx, si)?.ok_or_else(ApiError::not_found)?;
    ver::check_lock(&u, ctx.now)?;
    let (tid, target) = pick_target(ctx, si, Some(&u), &strategy, true)?;
    let prev = si.second_factor_verification.as_ref();
    let v = arm_and_send(ctx, si, prev, &strategy, &tid, &target, true, false)?;
    si.second_factor_verification = Some(v);
    save(ctx, si)
}

fn attempt(ctx: &Ctx, si: &mut SignIn, second: bool) -> Result<(), ApiError> {
    ctx.rate_limit("attempt", ctx.cfg.rate_limits.attempts)?;
    let expected = if second {
        "needs_second_factor"
    } else {
        "needs_first_factor"
    };
    let code = ctx
        .req
        .param("code")
        .ok_or_else(|| ApiError::param_missing("code"))?
        .to_string();
    let strategy = ctx.req.param("strategy");
    let mut u = user_of(ctx, si)?;
    if let Some(u) = &u {
        ver::check_lock(u, ctx.now)?;
    }
    let v = if second {
        si.second_factor_verification.as_mut()
    } else {
        si.first_factor_verification.as_mut()
    };
    if si.status != expected && v.is_none() {
        return Err(ApiError::verification_missing());
    }
    let (outcome, result) = ver::attempt(v, strategy, &code, ctx.now, ctx.cfg.max_attempts);
    if u.is_none() && outcome == Outcome::Verified {
        // Unreachable in practice (the phantom code is never sent); refuse anyway.
        return Err(ApiError::code_incorrect());
    }
    match outcome {
        Outcome::Wrong => {
            if let Some(u) = u.as_mut() {
                ver::record_failure(u, ctx.now, ctx.cfg.lockout_attempts, ctx.cfg.lockout_secs);
                u.updated_at = ctx.now;
                ctx.db.put_user(u)?;
            }
        }
        Outcome::Verified => {
            if let Some(u) = u.as_mut() {
                ver::record_success(u);
                ctx.db.put_user(u)?;
            }
        }
        Outcome::Rejected => {}
    }
    save(ctx, si)?;
    result?;
    let u = u.ok_or_else(ApiError::not_found)?;
    let strat = if second {
        "phone_code".to_string()
    } else {
        si.first_factor_verification
            .as_ref()
            .map(|v| v.strategy.clone())
            .unwrap_or_default()
    };
    if second {
        complete(ctx, si, &u, Some(ctx.now), &strat)
    } else {
        si.first_factor_at = Some(ctx.now);
        after_first_factor(ctx, si, &u, &strat)
    }
}

/// After a verified first factor: second factor or completion.
pub fn after_first_factor(
    ctx: &Ctx,
    si: &mut SignIn,
    u: &User,
    strategy: &str,
) -> Result<(), ApiError> {
    if render::two_factor_enabled(ctx.cfg, u) {
        si.status = "needs_second_factor".into();
        save(ctx, si)
    } else {
        complete(ctx, si, u, None, strategy)
    }
}

/// Completes a sign-in: a session on the sign-in's own client.
pub fn complete(
    ctx: &Ctx,
    si: &mut SignIn,
    u: &User,
    second_at: Option<i64>,
    strategy: &str,
) -> Result<(), ApiError> {
    let s = ctx.create_session(
        &si.client_id,
        &u.id,
        si.first_factor_at.unwrap_or(ctx.now),
        second_at,
        strategy,
    )?;
    si.status = "complete".into();
    si.created_session_id = Some(s.id);
    save(ctx, si)?;
    if let Some(mut c) = ctx.db.get_client(&si.client_id)? {
        if c.sign_in_id.as_deref() == Some(&si.id) {
            c.sign_in_id = None;
            ctx.save_client(&mut c)?;
        }
    }
    Ok(())
}
