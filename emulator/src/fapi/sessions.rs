//! `/v1/client/sessions/{id}`: get, touch, end, remove, tokens.

use serde_json::json;

use super::Ctx;
use crate::errors::ApiError;
use crate::model::Session;
use crate::render;
use crate::wire::Out;

fn load(ctx: &Ctx, id: &str) -> Result<Session, ApiError> {
    match ctx.db.get_session(id) {
        Some(s) if Some(&s.client_id) == ctx.client_id.as_ref() => Ok(expire(ctx, s)),
        _ => Err(ApiError::not_found()),
    }
}

/// Marks a session past its lifetime as `expired`.
fn expire(ctx: &Ctx, mut s: Session) -> Session {
    if s.status == "active" && ctx.now > s.expire_at {
        s.status = "expired".into();
        s.last_token = None;
        let _ = ctx.db.put_session(&s);
    }
    s
}

/// `GET /v1/client/sessions/{id}`
pub fn get(ctx: &mut Ctx, id: &str) -> Result<Out, ApiError> {
    let s = load(ctx, id)?;
    Ok(Out::Env(render::session(ctx, &s)))
}

pub fn action(ctx: &mut Ctx, id: &str, action: &str) -> Result<Out, ApiError> {
    match action {
        "touch" => touch(ctx, id),
        "end" => finish(ctx, id, "ended"),
        "remove" => finish(ctx, id, "removed"),
        "tokens" => token(ctx, id, None),
        _ => Err(ApiError::not_found()),
    }
}

fn touch(ctx: &mut Ctx, id: &str) -> Result<Out, ApiError> {
    let mut s = load(ctx, id)?;
    if s.status == "active" {
        s.last_active_at = ctx.now;
        s.updated_at = ctx.now;
        ctx.db.put_session(&s)?;
        if let Some(mut c) = ctx.client() {
            c.last_active_session_id = Some(s.id.clone());
            ctx.save_client(&mut c)?;
        }
    }
    Ok(Out::Env(render::session(ctx, &s)))
}

fn finish(ctx: &mut Ctx, id: &str, status: &str) -> Result<Out, ApiError> {
    let mut s = load(ctx, id)?;
    if s.status == "active" || status == "removed" {
        s.status = status.into();
        s.last_token = None;
        s.updated_at = ctx.now;
        ctx.db.put_session(&s)?;
    }
    if let Some(mut c) = ctx.client() {
        if c.last_active_session_id.as_deref() == Some(id) {
            c.last_active_session_id = None;
        }
        ctx.save_client(&mut c)?;
    }
    Ok(Out::Env(render::session(ctx, &s)))
}

/// `POST …/tokens[/{template}]`: a bare `{object:"token", jwt}`. Templates
/// are not configurable: every template name gets the session token claims.
pub fn token(ctx: &mut Ctx, id: &str, _template: Option<&str>) -> Result<Out, ApiError> {
    let mut s = load(ctx, id)?;
    if s.status != "active" {
        return Err(ApiError::authentication_invalid());
    }
    let jwt = ctx.mint_token(&s);
    s.last_token = Some((jwt.clone(), ctx.now));
    ctx.db.put_session(&s)?;
    Ok(Out::Json(200, json!({"object": "token", "jwt": jwt})))
}
