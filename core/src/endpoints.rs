//! Constructors for every FAPI call the SDK makes (PROTOCOL.md §3).
//!
//! Bodies are [`Form`]s the caller fills (the flow functions in
//! [`crate::flow`] do it for the passwordless steps). Path ids must match
//! `[A-Za-z0-9_]+`; anything else is refused with the `invalid_id`
//! precondition instead of building a bad path.

use crate::errors::{precondition, ClerkError};
use crate::request::{Form, Method, Request};

/// Checks that `id` is non-empty `[A-Za-z0-9_]`.
pub fn check_id(id: &str) -> Result<&str, ClerkError> {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(id)
    } else {
        Err(precondition::INVALID_ID)
    }
}

/// The steps on a sign-in, after its id (`/client/sign_ins/{id}…`).
pub const PREPARE_FIRST_FACTOR: &str = "/prepare_first_factor";
/// `…/attempt_first_factor`.
pub const ATTEMPT_FIRST_FACTOR: &str = "/attempt_first_factor";
/// `…/prepare_second_factor`.
pub const PREPARE_SECOND_FACTOR: &str = "/prepare_second_factor";
/// `…/attempt_second_factor`.
pub const ATTEMPT_SECOND_FACTOR: &str = "/attempt_second_factor";
/// The steps on a sign-up or an email address, after its id.
pub const PREPARE_VERIFICATION: &str = "/prepare_verification";
/// `…/attempt_verification`.
pub const ATTEMPT_VERIFICATION: &str = "/attempt_verification";

/// `method <prefix>/<id><suffix>` with `form` (a GET sends none), after
/// checking `id`: every call on an existing resource goes through here.
pub fn at(
    method: Method,
    prefix: &str,
    id: &str,
    suffix: &str,
    form: Form,
) -> Result<Request, ClerkError> {
    let r = Request::new(method, path(prefix, id, suffix)?);
    Ok(if method == Method::Get {
        r
    } else {
        r.with_form(form)
    })
}

/// `<prefix>/<id><suffix>` after checking `id`.
fn path(prefix: &str, id: &str, suffix: &str) -> Result<String, ClerkError> {
    let id = check_id(id)?;
    let mut p = String::with_capacity(prefix.len() + id.len() + suffix.len() + 1);
    p.push_str(prefix);
    p.push('/');
    p.push_str(id);
    p.push_str(suffix);
    Ok(p)
}

/// `/v1/environment`.
pub mod environment {
    use super::*;

    /// `GET /environment` (production load).
    pub fn get() -> Request {
        Request::new(Method::Get, "/environment".into())
    }

    /// `PATCH /environment`, empty body: the development "touch" load.
    pub fn touch() -> Request {
        Request::new(Method::Patch, "/environment".into())
    }
}

/// `/v1/client`.
pub mod client {
    use super::*;

    /// `GET /client`.
    pub fn get() -> Request {
        Request::new(Method::Get, "/client".into())
    }

    /// `DELETE /client`: destroy the client.
    pub fn delete() -> Request {
        Request::new(Method::Delete, "/client".into())
    }

    /// `DELETE /client/sessions`: sign out of all sessions.
    pub fn delete_sessions() -> Request {
        Request::new(Method::Delete, "/client/sessions".into())
    }
}

/// `POST /dev_browser`: get a dev-browser token (development keys on Clerk
/// development hosts only). ClerkJS sends it with no credentials and no body;
/// the body here is empty too.
pub fn dev_browser_create() -> Request {
    Request::new(Method::Post, "/dev_browser".into())
}

/// `/v1/client/sign_ups`.
pub mod sign_ups {
    use super::*;

    /// The sign-ups' path.
    pub const BASE: &str = "/client/sign_ups";

    /// `POST /client/sign_ups`.
    pub fn create(form: Form) -> Request {
        Request::new(Method::Post, BASE.into()).with_form(form)
    }

    /// `GET /client/sign_ups/{id}` (reload, poll).
    pub fn get(id: &str) -> Result<Request, ClerkError> {
        at(Method::Get, BASE, id, "", Form::new())
    }

    /// `PATCH /client/sign_ups/{id}`.
    pub fn update(id: &str, form: Form) -> Result<Request, ClerkError> {
        at(Method::Patch, BASE, id, "", form)
    }

    /// `POST /client/sign_ups/{id}/prepare_verification`.
    pub fn prepare_verification(id: &str, form: Form) -> Result<Request, ClerkError> {
        at(Method::Post, BASE, id, PREPARE_VERIFICATION, form)
    }

    /// `POST /client/sign_ups/{id}/attempt_verification`.
    pub fn attempt_verification(id: &str, form: Form) -> Result<Request, ClerkError> {
        at(Method::Post, BASE, id, ATTEMPT_VERIFICATION, form)
    }
}

/// `/v1/client/sign_ins`.
pub mod sign_ins {
    use super::*;

    /// The sign-ins' path.
    pub const BASE: &str = "/client/sign_ins";

    /// `POST /client/sign_ins`.
    pub fn create(form: Form) -> Request {
        Request::new(Method::Post, BASE.into()).with_form(form)
    }

    /// `GET /client/sign_ins/{id}` (reload, poll).
    pub fn get(id: &str) -> Result<Request, ClerkError> {
        at(Method::Get, BASE, id, "", Form::new())
    }

    /// `POST /client/sign_ins/{id}/prepare_first_factor`.
    pub fn prepare_first_factor(id: &str, form: Form) -> Result<Request, ClerkError> {
        at(Method::Post, BASE, id, PREPARE_FIRST_FACTOR, form)
    }

    /// `POST /client/sign_ins/{id}/attempt_first_factor`.
    pub fn attempt_first_factor(id: &str, form: Form) -> Result<Request, ClerkError> {
        at(Method::Post, BASE, id, ATTEMPT_FIRST_FACTOR, form)
    }

    /// `POST /client/sign_ins/{id}/prepare_second_factor`.
    pub fn prepare_second_factor(id: &str, form: Form) -> Result<Request, ClerkError> {
        at(Method::Post, BASE, id, PREPARE_SECOND_FACTOR, form)
    }

    /// `POST /client/sign_ins/{id}/attempt_second_factor`.
    pub fn attempt_second_factor(id: &str, form: Form) -> Result<Request, ClerkError> {
        at(Method::Post, BASE, id, ATTEMPT_SECOND_FACTOR, form)
    }
}

/// `/v1/client/sessions/{sid}`.
pub mod sessions {
    use super::*;
    use crate::request::FormValue;

    const BASE: &str = "/client/sessions";

    /// `GET /client/sessions/{sid}`.
    pub fn get(sid: &str) -> Result<Request, ClerkError> {
        at(Method::Get, BASE, sid, "", Form::new())
    }

    /// `POST /client/sessions/{sid}/touch` with `active_organization_id`
    /// (`None` → empty = personal workspace) and `intent`
    /// (`focus`, `select_session`, `select_org`).
    pub fn touch(
        sid: &str,
        active_organization_id: Option<&str>,
        intent: &str,
    ) -> Result<Request, ClerkError> {
        let org = active_organization_id.map_or(FormValue::Null, FormValue::from);
        let form = Form::new()
            .set("active_organization_id", org)
            .set("intent", intent);
        at(Method::Post, BASE, sid, "/touch", form)
    }

    /// `POST /client/sessions/{sid}/end`.
    pub fn end(sid: &str) -> Result<Request, ClerkError> {
        at(Method::Post, BASE, sid, "/end", Form::new())
    }

    /// `POST /client/sessions/{sid}/remove` (sign out of one session).
    pub fn remove(sid: &str) -> Result<Request, ClerkError> {
        at(Method::Post, BASE, sid, "/remove", Form::new())
    }

    /// `POST /client/sessions/{sid}/tokens` with `organization_id` (`None` →
    /// empty) and optional extra fields (`tab_state`, `token`, …) in `form`.
    /// `skip_cache` adds the `debug=skip_cache` query.
    pub fn token(
        sid: &str,
        organization_id: Option<&str>,
        form: Form,
        skip_cache: bool,
    ) -> Result<Request, ClerkError> {
        let org = organization_id.map_or(FormValue::Null, FormValue::from);
        let mut pairs = Form::new().set("organization_id", org).into_pairs();
        pairs.extend(form.into_pairs());
        let mut req = Request::new(Method::Post, path(BASE, sid, "/tokens")?);
        req.form = pairs;
        Ok(if skip_cache {
            req.with_query("debug", "skip_cache")
        } else {
            req
        })
    }

    /// `POST /client/sessions/{sid}/tokens/{template}`, empty body. The
    /// template name is percent-encoded as a path segment.
    pub fn template_token(sid: &str, template: &str) -> Result<Request, ClerkError> {
        if template.is_empty() {
            return Err(crate::errors::precondition::INVALID_ID);
        }
        let mut p = path(BASE, sid, "/tokens/")?;
        p.push_str(&crate::url::encode_path_segment(template));
        Ok(Request::new(Method::Post, p))
    }
}

/// `/v1/me` (the shell adds `_clerk_session_id`).
pub mod me {
    use super::*;

    /// The user's email addresses' path.
    pub const EMAILS: &str = "/me/email_addresses";

    /// `GET /me`.
    pub fn get() -> Request {
        Request::new(Method::Get, "/me".into())
    }

    /// `POST /me/email_addresses` with `email_address`.
    pub fn create_email_address(email_address: &str) -> Request {
        Request::new(Method::Post, EMAILS.into())
            .with_form(Form::new().set("email_address", email_address))
    }

    /// `GET /me/email_addresses/{id}` (reload, poll).
    pub fn get_email_address(id: &str) -> Result<Request, ClerkError> {
        at(Method::Get, EMAILS, id, "", Form::new())
    }

    /// `POST /me/email_addresses/{id}/prepare_verification`.
    pub fn prepare_email_address_verification(id: &str, form: Form) -> Result<Request, ClerkError> {
        at(Method::Post, EMAILS, id, PREPARE_VERIFICATION, form)
    }

    /// `POST /me/email_addresses/{id}/attempt_verification` with `code`.
    pub fn attempt_email_address_verification(id: &str, code: &str) -> Result<Request, ClerkError> {
        let form = Form::new().set("code", code);
        at(Method::Post, EMAILS, id, ATTEMPT_VERIFICATION, form)
    }
}

/// True when ClerkJS would add `_clerk_session_id` to this path: a session is
/// active and the path is not under `/client` or `/waitlist`.
pub fn wants_session_id(path: &str) -> bool {
    !(path.starts_with("/client") || path.starts_with("/waitlist"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::CLIENT_VERSION;

    const B: &str = "https://f.test";

    /// URL without the two constant version params, for readable assertions.
    fn u(r: &Request) -> String {
        let full = r.url(B, &[]);
        let mut prefix = String::from("__clerk_api_version=2026-08-20&_clerk_js_version=");
        prefix.push_str(CLIENT_VERSION);
        full.replacen(&prefix, "", 1)
            .replace("?&", "?")
            .trim_end_matches('?')
            .into()
    }

    fn check(r: &Request, wire: &str, url: &str, body: Option<&str>) {
        assert_eq!(r.wire_method(), wire, "{url}");
        assert_eq!(u(r), url);
        assert_eq!(r.body().as_deref(), body, "{url}");
    }

    #[test]
    fn environment_client_dev_browser() {
        check(
            &environment::get(),
            "GET",
            "https://f.test/v1/environment",
            None,
        );
        check(
            &environment::touch(),
            "POST",
            "https://f.test/v1/environment?_method=PATCH",
            Some(""),
        );
        check(&client::get(), "GET", "https://f.test/v1/client", None);
        check(
            &client::delete(),
            "POST",
            "https://f.test/v1/client?_method=DELETE",
            Some(""),
        );
        check(
            &client::delete_sessions(),
            "POST",
            "https://f.test/v1/client/sessions?_method=DELETE",
            Some(""),
        );
        check(
            &dev_browser_create(),
            "POST",
            "https://f.test/v1/dev_browser",
            Some(""),
        );
    }

    #[test]
    fn sign_ups() {
        let f = || Form::new().set("emailAddress", "a@b.test");
        check(
            &sign_ups::create(f()),
            "POST",
            "https://f.test/v1/client/sign_ups",
            Some("email_address=a%40b.test"),
        );
        check(
            &sign_ups::get("sua_1").unwrap(),
            "GET",
            "https://f.test/v1/client/sign_ups/sua_1",
            None,
        );
        check(
            &sign_ups::update("sua_1", f()).unwrap(),
            "POST",
            "https://f.test/v1/client/sign_ups/sua_1?_method=PATCH",
            Some("email_address=a%40b.test"),
        );
        let p = sign_ups::prepare_verification(
            "sua_1",
            Form::new()
                .set("strategy", "phone_code")
                .set("channel", "sms"),
        )
        .unwrap();
        check(
            &p,
            "POST",
            "https://f.test/v1/client/sign_ups/sua_1/prepare_verification",
            Some("strategy=phone_code&channel=sms"),
        );
        let a = sign_ups::attempt_verification(
            "sua_1",
            Form::new()
                .set("strategy", "email_code")
                .set("code", "123456"),
        )
        .unwrap();
        check(
            &a,
            "POST",
            "https://f.test/v1/client/sign_ups/sua_1/attempt_verification",
            Some("strategy=email_code&code=123456"),
        );
    }

    #[test]
    fn sign_ins() {
        check(
            &sign_ins::create(Form::new().set("identifier", "+15555550100")),
            "POST",
            "https://f.test/v1/client/sign_ins",
            Some("identifier=%2B15555550100"),
        );
        check(
            &sign_ins::get("sia_2").unwrap(),
            "GET",
            "https://f.test/v1/client/sign_ins/sia_2",
            None,
        );
        let f = || Form::new().set("strategy", "phone_code");
        check(
            &sign_ins::prepare_first_factor("sia_2", f()).unwrap(),
            "POST",
            "https://f.test/v1/client/sign_ins/sia_2/prepare_first_factor",
            Some("strategy=phone_code"),
        );
        check(
            &sign_ins::attempt_first_factor("sia_2", f()).unwrap(),
            "POST",
            "https://f.test/v1/client/sign_ins/sia_2/attempt_first_factor",
            Some("strategy=phone_code"),
        );
        check(
            &sign_ins::prepare_second_factor("sia_2", f()).unwrap(),
            "POST",
            "https://f.test/v1/client/sign_ins/sia_2/prepare_second_factor",
            Some("strategy=phone_code"),
        );
        check(
            &sign_ins::attempt_second_factor("sia_2", f()).unwrap(),
            "POST",
            "https://f.test/v1/client/sign_ins/sia_2/attempt_second_factor",
            Some("strategy=phone_code"),
        );
    }

    #[test]
    fn sessions_and_tokens() {
        check(
            &sessions::get("sess_1").unwrap(),
            "GET",
            "https://f.test/v1/client/sessions/sess_1",
            None,
        );
        check(
            &sessions::touch("sess_1", None, "select_session").unwrap(),
            "POST",
            "https://f.test/v1/client/sessions/sess_1/touch",
            Some("active_organization_id=&intent=select_session"),
        );
        check(
            &sessions::touch("sess_1", Some("org_9"), "select_org").unwrap(),
            "POST",
            "https://f.test/v1/client/sessions/sess_1/touch",
            Some("active_organization_id=org_9&intent=select_org"),
        );
        check(
            &sessions::end("sess_1").unwrap(),
            "POST",
            "https://f.test/v1/client/sessions/sess_1/end",
            Some(""),
        );
        check(
            &sessions::remove("sess_1").unwrap(),
            "POST",
            "https://f.test/v1/client/sessions/sess_1/remove",
            Some(""),
        );
        let t = sessions::token(
            "sess_1",
            None,
            Form::new().set("tabState", "focused"),
            false,
        )
        .unwrap();
        check(
            &t,
            "POST",
            "https://f.test/v1/client/sessions/sess_1/tokens",
            Some("organization_id=&tab_state=focused"),
        );
        let t = sessions::token("sess_1", Some("org_1"), Form::new(), true).unwrap();
        check(
            &t,
            "POST",
            "https://f.test/v1/client/sessions/sess_1/tokens?debug=skip_cache",
            Some("organization_id=org_1"),
        );
        check(
            &sessions::template_token("sess_1", "my tpl").unwrap(),
            "POST",
            "https://f.test/v1/client/sessions/sess_1/tokens/my%20tpl",
            Some(""),
        );
        assert_eq!(
            sessions::template_token("sess_1", ""),
            Err(precondition::INVALID_ID)
        );
    }

    #[test]
    fn me_email_addresses() {
        check(&me::get(), "GET", "https://f.test/v1/me", None);
        check(
            &me::create_email_address("n@b.test"),
            "POST",
            "https://f.test/v1/me/email_addresses",
            Some("email_address=n%40b.test"),
        );
        check(
            &me::get_email_address("idn_1").unwrap(),
            "GET",
            "https://f.test/v1/me/email_addresses/idn_1",
            None,
        );
        let p = me::prepare_email_address_verification(
            "idn_1",
            Form::new()
                .set("strategy", "email_link")
                .set("redirectUrl", "https://a.test/v?x=1"),
        )
        .unwrap();
        check(
            &p,
            "POST",
            "https://f.test/v1/me/email_addresses/idn_1/prepare_verification",
            Some("strategy=email_link&redirect_url=https%3A%2F%2Fa.test%2Fv%3Fx%3D1"),
        );
        check(
            &me::attempt_email_address_verification("idn_1", "111111").unwrap(),
            "POST",
            "https://f.test/v1/me/email_addresses/idn_1/attempt_verification",
            Some("code=111111"),
        );
        assert!(wants_session_id("/me/email_addresses"));
        assert!(wants_session_id("/environment"));
        assert!(!wants_session_id("/client/sign_ins"));
        assert!(!wants_session_id("/waitlist"));
    }

    #[test]
    fn rejects_bad_ids() {
        for bad in ["", "sia/../x", "sia 1", "sia?x", "sía_1", "a%2F"] {
            assert_eq!(check_id(bad), Err(precondition::INVALID_ID), "{bad}");
            assert_eq!(sign_ins::get(bad), Err(precondition::INVALID_ID));
            assert_eq!(
                sign_ups::update(bad, Form::new()),
                Err(precondition::INVALID_ID)
            );
            assert_eq!(
                sessions::touch(bad, None, "focus"),
                Err(precondition::INVALID_ID)
            );
            assert_eq!(me::get_email_address(bad), Err(precondition::INVALID_ID));
        }
        assert_eq!(check_id("Sess_AbC123"), Ok("Sess_AbC123"));
    }
}
