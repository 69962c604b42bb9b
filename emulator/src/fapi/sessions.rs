//! `/v1/client/sessions/{id}`: get, touch, end, remove, tokens.
//!
//! A session's status is derived at read time (`domain::session`): past its
//! lifetime it is `expired`, past the inactivity timeout `abandoned`; such a
//! session shows no token and `/tokens` refuses it.

use super::{Ctx, Out};
use crate::domain::session as sess;
use crate::errors::ApiError;
use crate::model::Session;

fn load(ctx: &Ctx, id: &str) -> Result<Session, ApiError> {
    match ctx.db.get_session(id)? {
        Some(s) if Some(&s.client_id) == ctx.client_id.as_ref() => Ok(s),
        _ => Err(ApiError::not_found()),
    }
}

/// `GET /v1/client/sessions/{id}`
pub fn get(ctx: &mut Ctx, id: &str) -> Result<Out, ApiError> {
    let s = load(ctx, id)?;
    Ok(Out::EnvSession(s.id))
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
    if sess::is_active(&s, ctx.cfg, ctx.now) {
        s.last_active_at = ctx.now;
        s.updated_at = ctx.now;
        ctx.db.put_session(&s)?;
        if let Some(mut c) = ctx.client()? {
            c.last_active_session_id = Some(s.id.clone());
            ctx.save_client(&mut c)?;
        }
    }
    Ok(Out::EnvSession(s.id))
}

fn finish(ctx: &mut Ctx, id: &str, status: &str) -> Result<Out, ApiError> {
    let mut s = load(ctx, id)?;
    if sess::is_active(&s, ctx.cfg, ctx.now) || status == "removed" {
        s.status = status.into();
        s.updated_at = ctx.now;
        ctx.db.put_session(&s)?;
    }
    if let Some(mut c) = ctx.client()? {
        if c.last_active_session_id.as_deref() == Some(id) {
            c.last_active_session_id = None;
        }
        ctx.save_client(&mut c)?;
    }
    Ok(Out::EnvSession(s.id))
}

/// `POST …/tokens[/{template}]`: a bare `{object:"token", jwt}`, signed after
/// the transaction. Templates are not configurable: every template name gets
/// the session token claims. Fetching a token is activity.
pub fn token(ctx: &mut Ctx, id: &str, _template: Option<&str>) -> Result<Out, ApiError> {
    let mut s = load(ctx, id)?;
    if !sess::is_active(&s, ctx.cfg, ctx.now) {
        return Err(ApiError::authentication_invalid());
    }
    s.last_active_at = ctx.now;
    s.updated_at = ctx.now;
    ctx.db.put_session(&s)?;
    Ok(Out::Token(s.id))
}
