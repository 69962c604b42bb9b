//! `clerk.client` and sessions as live JS resources: every getter reads the
//! current state, so an object kept from earlier shows what the server said last.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

use crate::clerk::Clerk;
use crate::js::clerk::promise;
use crate::js::convert::{camelize, field, get, get_str};
use crate::js::sign_in::JsSignIn;
use crate::js::sign_up::JsSignUp;

/// The raw JSON of session `id` on the current client.
pub(crate) fn session_raw(clerk: &Clerk, id: &str) -> Option<JsValue> {
    let client = clerk.client_raw()?;
    Array::from(&get(&client, "sessions"))
        .iter()
        .find(|s| get_str(s, "id").as_deref() == Some(id))
}

/// `clerk.client`: sessions and the sign-in / sign-up attempts (classic API).
#[wasm_bindgen(js_name = Client)]
pub struct JsClient {
    clerk: Clerk,
}

impl JsClient {
    pub(crate) fn new(clerk: Clerk) -> JsClient {
        JsClient { clerk }
    }

    fn raw(&self) -> Option<JsValue> {
        self.clerk.client_raw()
    }
}

#[wasm_bindgen(js_class = Client)]
impl JsClient {
    /// Client id (`client_…`), `null` before the first mutation created one.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> JsValue {
        field(&self.raw(), "id")
    }

    /// The sign-in attempt (classic API: methods throw `ClerkAPIResponseError`).
    #[wasm_bindgen(getter, js_name = signIn)]
    pub fn sign_in(&self) -> JsSignIn {
        JsSignIn::new(self.clerk.clone(), false)
    }

    /// The sign-up attempt (classic API).
    #[wasm_bindgen(getter, js_name = signUp)]
    pub fn sign_up(&self) -> JsSignUp {
        JsSignUp::new(self.clerk.clone(), false)
    }

    /// Every session on the client (camelCase JSON, any status).
    #[wasm_bindgen(getter)]
    pub fn sessions(&self) -> JsValue {
        let v = field(&self.raw(), "sessions");
        if v.is_null() {
            Array::new().into()
        } else {
            v
        }
    }

    /// Sessions that are `active` or `pending`.
    #[wasm_bindgen(getter, js_name = signedInSessions)]
    pub fn signed_in_sessions(&self) -> Array {
        Array::from(&self.sessions())
            .iter()
            .filter(|s| matches!(get_str(s, "status").as_deref(), Some("active" | "pending")))
            .collect()
    }

    /// The last active session id.
    #[wasm_bindgen(getter, js_name = lastActiveSessionId)]
    pub fn last_active_session_id(&self) -> JsValue {
        field(&self.raw(), "last_active_session_id")
    }

    /// Creation time, Unix ms.
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> JsValue {
        field(&self.raw(), "created_at")
    }

    /// Last update, Unix ms.
    #[wasm_bindgen(getter, js_name = updatedAt)]
    pub fn updated_at(&self) -> JsValue {
        field(&self.raw(), "updated_at")
    }
}

/// A session: `clerk.session`.
#[wasm_bindgen(js_name = Session)]
pub struct JsSession {
    clerk: Clerk,
    id: String,
}

impl JsSession {
    pub(crate) fn new(clerk: Clerk, id: String) -> JsSession {
        JsSession { clerk, id }
    }

    fn raw(&self) -> Option<JsValue> {
        session_raw(&self.clerk, &self.id)
    }
}

#[wasm_bindgen(js_class = Session)]
impl JsSession {
    /// Session id (`sess_…`).
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.id.clone()
    }

    /// `active`, `pending`, `ended`, `removed`, `expired`, … (`null` once gone).
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> JsValue {
        field(&self.raw(), "status")
    }

    /// The session's user (camelCase).
    #[wasm_bindgen(getter)]
    pub fn user(&self) -> JsValue {
        field(&self.raw(), "user")
    }

    /// Public data of the user.
    #[wasm_bindgen(getter, js_name = publicUserData)]
    pub fn public_user_data(&self) -> JsValue {
        field(&self.raw(), "public_user_data")
    }

    /// Expiry, Unix ms.
    #[wasm_bindgen(getter, js_name = expireAt)]
    pub fn expire_at(&self) -> JsValue {
        field(&self.raw(), "expire_at")
    }

    /// Last activity, Unix ms.
    #[wasm_bindgen(getter, js_name = lastActiveAt)]
    pub fn last_active_at(&self) -> JsValue {
        field(&self.raw(), "last_active_at")
    }

    /// `getToken({ template, skipCache })`: the session JWT, or `null` when
    /// this session is not the active one.
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self, options: JsValue) -> Promise {
        let clerk = self.clerk.clone();
        let template = get_str(&options, "template");
        let skip_cache = crate::js::convert::get(&options, "skipCache").is_truthy();
        let is_active = clerk.session_id().as_deref() == Some(self.id.as_str());
        promise(async move {
            if !is_active {
                return Ok(JsValue::NULL);
            }
            let jwt = clerk
                .get_token_with(template.as_deref(), skip_cache)
                .await?;
            Ok(jwt.map_or(JsValue::NULL, JsValue::from))
        })
    }

    /// The session as plain JSON (camelCase).
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        self.raw().map_or(JsValue::NULL, |r| camelize(&r))
    }
}
