//! `/v1/dev_browser` and `/v1/client`.

use serde_json::{json, Value};

use super::Ctx;
use crate::config::InstanceType;
use crate::domain;
use crate::errors::ApiError;
use crate::render;
use crate::wire::Out;

/// `POST /v1/dev_browser`: a new dev browser (development instances only).
pub fn create_dev_browser(ctx: &mut Ctx) -> Result<Out, ApiError> {
    if ctx.cfg.instance_type != InstanceType::Development {
        return Err(ApiError::not_found());
    }
    let id = domain::new_id("dvb");
    let iat = ctx.now / 1000;
    let jwt = ctx
        .st
        .keys
        .sign(&json!({"dev": id, "iat": iat, "nonce": domain::random_hex(16)}));
    ctx.db
        .insert_dev_browser(&domain::sha256_hex(&jwt), &id, ctx.now)?;
    Ok(Out::Json(
        200,
        json!({"object": "dev_browser", "id": jwt, "instance_id": "ins_emulator"}),
    ))
}

/// `GET /v1/client`: `{response: client|null, client: null}`.
pub fn get(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let c = ctx
        .client()
        .map(|c| render::client(ctx, &c))
        .unwrap_or(Value::Null);
    Ok(Out::Json(200, json!({"response": c, "client": null})))
}

/// `POST`/`PUT /v1/client`: creates the client if needed.
pub fn create(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let c = ctx.ensure_client()?;
    Ok(Out::Json(
        200,
        json!({"response": render::client(ctx, &c), "client": null}),
    ))
}

fn end_all_sessions(ctx: &Ctx, client_id: &str) -> Result<(), ApiError> {
    for mut s in ctx.db.sessions_for_client(client_id) {
        if s.status == "active" {
            s.status = "ended".into();
            s.last_token = None;
            s.updated_at = ctx.now;
            ctx.db.put_session(&s)?;
        }
    }
    Ok(())
}

/// `DELETE /v1/client/sessions`: ends every session, keeps the client.
pub fn sign_out_all(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let Some(mut c) = ctx.client() else {
        return Err(ApiError::new(
            400,
            "client_not_found",
            "No client found",
            "This request is expecting a client and did not find one",
        ));
    };
    end_all_sessions(ctx, &c.id)?;
    c.last_active_session_id = None;
    ctx.save_client(&mut c)?;
    Ok(Out::Json(
        200,
        json!({"response": render::client(ctx, &c), "client": null}),
    ))
}

/// `DELETE /v1/client`: ends every session and forgets the client.
pub fn destroy(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let Some(mut c) = ctx.client() else {
        return Err(ApiError::new(
            400,
            "client_not_found",
            "No client found",
            "This request is expecting a client and did not find one",
        ));
    };
    end_all_sessions(ctx, &c.id)?;
    c.last_active_session_id = None;
    c.sign_in_id = None;
    c.sign_up_id = None;
    ctx.save_client(&mut c)?;
    let body = render::client(ctx, &c);
    ctx.db.delete_client(&c.id)?;
    ctx.client_id = None;
    if ctx.dev_browser.is_none() {
        ctx.clear_client_cookie = true;
    }
    Ok(Out::Json(200, json!({"response": body, "client": null})))
}
