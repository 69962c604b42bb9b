//! `/v1/dev_browser` and `/v1/client`.

use serde_json::json;

use super::{Ctx, Out};
use crate::config::InstanceType;
use crate::domain::{self, session as sess};
use crate::errors::ApiError;
use crate::render::{self, ClientData};

/// `POST /v1/dev_browser`: a new dev browser (development instances only).
pub fn create_dev_browser(ctx: &mut Ctx) -> Result<Out, ApiError> {
    if ctx.cfg.instance_type != InstanceType::Development {
        return Err(ApiError::not_found());
    }
    ctx.rate_limit("dev_browser", ctx.cfg.rate_limits.dev_browser)?;
    let id = domain::new_id("dvb");
    let jwt = ctx
        .st
        .dev_keys
        .sign(&id, ctx.now, ctx.cfg.dev_browser_ttl_secs)
        .map_err(ApiError::internal)?;
    ctx.db
        .insert_dev_browser(&domain::sha256_hex(&jwt), &id, ctx.now)?;
    Ok(Out::Json(
        200,
        json!({"object": "dev_browser", "id": jwt, "instance_id": "ins_emulator"}),
    ))
}

/// `GET /v1/client`: `{response: client|null, client: null}`.
pub fn get(_ctx: &mut Ctx) -> Result<Out, ApiError> {
    Ok(Out::BareClient)
}

/// `POST`/`PUT /v1/client`: creates the client if needed.
pub fn create(ctx: &mut Ctx) -> Result<Out, ApiError> {
    ctx.ensure_client()?;
    Ok(Out::BareClient)
}

fn end_all_sessions(ctx: &Ctx, client_id: &str) -> Result<(), ApiError> {
    for mut s in ctx.db.sessions_for_client(client_id)? {
        if sess::is_active(&s, ctx.cfg, ctx.now) {
            s.status = "ended".into();
            s.updated_at = ctx.now;
            ctx.db.put_session(&s)?;
        }
    }
    Ok(())
}

/// `DELETE /v1/client/sessions`: ends every session, keeps the client.
pub fn sign_out_all(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let Some(mut c) = ctx.client()? else {
        return Err(ApiError::client_not_found());
    };
    end_all_sessions(ctx, &c.id)?;
    c.last_active_session_id = None;
    ctx.save_client(&mut c)?;
    Ok(Out::BareClient)
}

/// `DELETE /v1/client`: ends every session and forgets the client.
pub fn destroy(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let Some(mut c) = ctx.client()? else {
        return Err(ApiError::client_not_found());
    };
    end_all_sessions(ctx, &c.id)?;
    c.last_active_session_id = None;
    c.sign_in_id = None;
    c.sign_up_id = None;
    ctx.save_client(&mut c)?;
    // Rendered now, before it is deleted; no session of it is active, so
    // no token is signed here.
    let body = render::client(&ctx.rc(), &ClientData::load(ctx.db, c.clone())?);
    ctx.db.delete_client(&c.id)?;
    ctx.client_id = None;
    if ctx.dev_browser.is_none() {
        ctx.clear_client_cookie = true;
    }
    Ok(Out::Json(200, json!({"response": body, "client": null})))
}
