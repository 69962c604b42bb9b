//! Clerk's error envelope and the errors the emulator returns. Codes and
//! messages follow Clerk's catalogue (`shared/fapi/api_errors.json`).

use serde_json::{json, Map, Value};

use crate::store::StoreError;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub long_message: String,
    pub meta: Map<String, Value>,
    /// Seconds, sent as `Retry-After` (429s).
    pub retry_after: Option<u64>,
    /// What went wrong inside (500s): logged, never sent.
    pub detail: Option<Box<String>>,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: &str, long_message: &str) -> Self {
        ApiError {
            status,
            code,
            message: message.to_string(),
            long_message: long_message.to_string(),
            meta: Map::new(),
            retry_after: None,
            detail: None,
        }
    }

    pub fn param(mut self, name: &str) -> Self {
        self.meta
            .insert("param_name".into(), Value::String(name.to_string()));
        self
    }

    pub fn meta(mut self, key: &str, v: Value) -> Self {
        self.meta.insert(key.into(), v);
        self
    }

    fn retry(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs.max(1));
        self
    }

    /// A server-side failure (the store, a key): the transaction is rolled back.
    pub fn is_internal(&self) -> bool {
        self.status >= 500
    }

    pub fn body(&self, trace_id: &str) -> Value {
        json!({
            "errors": [{
                "code": self.code,
                "message": self.message,
                "long_message": self.long_message,
                "meta": Value::Object(self.meta.clone()),
            }],
            "meta": {},
            "clerk_trace_id": trace_id,
        })
    }

    // ---- catalogue ----

    pub fn not_found() -> Self {
        Self::new(
            404,
            "resource_not_found",
            "not found",
            "The requested resource was not found.",
        )
    }
    pub fn client_not_found() -> Self {
        Self::new(
            400,
            "client_not_found",
            "No client found",
            "This request is expecting a client and did not find one",
        )
    }
    pub fn form_identifier_not_found() -> Self {
        Self::new(
            422,
            "form_identifier_not_found",
            "Couldn't find your account.",
            "Couldn't find your account.",
        )
        .param("identifier")
    }
    pub fn form_identifier_exists(param: &str) -> Self {
        let what = if param == "phone_number" {
            "phone number"
        } else {
            "email address"
        };
        let msg = format!("That {what} is taken. Please try another.");
        Self::new(422, "form_identifier_exists", &msg, &msg).param(param)
    }
    pub fn format_invalid(param: &str) -> Self {
        let long = match param {
            "phone_number" => "phone_number must be a valid phone number according to E.164 international standard.".to_string(),
            "identifier" => "identifier must be either a valid email address or a valid phone number according to E.164 international standard.".to_string(),
            p => format!("{p} must be a valid email address."),
        };
        Self::new(422, "form_param_format_invalid", "is invalid", &long).param(param)
    }
    pub fn param_missing(param: &str) -> Self {
        Self::new(
            422,
            "form_param_missing",
            "is missing",
            &format!("{param} must be included."),
        )
        .param(param)
    }
    pub fn param_invalid(param: &str) -> Self {
        Self::new(
            422,
            "form_param_value_invalid",
            "is invalid",
            &format!("{param} is invalid."),
        )
        .param(param)
    }
    /// A value outside its allowed range (control API configuration, clock).
    pub fn param_out_of_range(param: &str, why: &str) -> Self {
        Self::new(
            422,
            "form_param_value_invalid",
            "is invalid",
            &format!("{param} {why}"),
        )
        .param(param)
    }
    pub fn param_unknown(param: &str) -> Self {
        Self::new(
            422,
            "form_param_unknown",
            "is unknown",
            &format!("{param} is not a valid parameter for this request."),
        )
        .param(param)
    }
    pub fn max_length_exceeded(param: &str, max: usize) -> Self {
        Self::new(
            422,
            "form_param_max_length_exceeded",
            "exceeds maximum length",
            &format!("{param} should not exceed {max} characters."),
        )
        .param(param)
    }
    pub fn exceeds_allowed_size(param: &str, max_bytes: usize) -> Self {
        Self::new(
            422,
            "form_param_exceeds_allowed_size",
            "exceeds maximum allowed size",
            &format!("{param} should not exceed {max_bytes} bytes."),
        )
        .param(param)
    }
    pub fn redirect_url_invalid() -> Self {
        Self::new(
            422,
            "invalid_redirect_url",
            "Redirect url invalid",
            "The provided redirect url is not in a valid format",
        )
        .param("redirect_url")
    }
    pub fn redirect_url_prohibited() -> Self {
        Self::new(
            422,
            "prohibited_redirect_url",
            "Invalid URL scheme",
            "The provided redirect url has a prohibited URL scheme",
        )
        .param("redirect_url")
    }
    pub fn redirect_url_domain_mismatch() -> Self {
        Self::new(
            422,
            "redirect_url_domain_mismatch",
            "Redirect url does not belong to your domain",
            "The provided redirect URL must belong to your instance's domain",
        )
        .param("redirect_url")
    }
    pub fn code_incorrect() -> Self {
        Self::new(422, "form_code_incorrect", "is incorrect", "Incorrect code").param("code")
    }
    pub fn verification_failed() -> Self {
        Self::new(
            400,
            "verification_failed",
            "failed",
            "Too many failed attempts. You have to try again with the same or another method.",
        )
    }
    pub fn verification_expired() -> Self {
        Self::new(
            400,
            "verification_expired",
            "expired",
            "This verification has expired. You must create a new one.",
        )
    }
    pub fn already_verified() -> Self {
        Self::new(
            400,
            "verification_already_verified",
            "already verified",
            "This verification has already been verified.",
        )
    }
    pub fn verification_missing() -> Self {
        Self::new(
            400,
            "verification_missing",
            "is missing",
            "This strategy requires verification preparation before attempting to validate it.",
        )
    }
    pub fn strategy_invalid() -> Self {
        Self::new(
            400,
            "verification_strategy_invalid",
            "has invalid strategy",
            "The strategy is not valid for the current verification.",
        )
    }
    pub fn strategy_for_user_invalid() -> Self {
        Self::new(
            400,
            "strategy_for_user_invalid",
            "Invalid verification strategy",
            "The verification strategy is not valid for this account",
        )
        .param("strategy")
    }
    /// A resend of the same verification within the throttle window.
    pub fn code_too_many_requests(retry_after: u64) -> Self {
        Self::new(429, "verification_code_too_many_requests", "Too many verification code requests",
            "Too many verification code requests. Please wait at least 30 seconds to receive your code before trying again.")
            .retry(retry_after)
    }
    /// The per-identifier hourly cap (SMS pumping guard).
    pub fn code_rate_limit_exceeded(retry_after: u64, cap: u32) -> Self {
        Self::new(
            429,
            "verification_code_rate_limit_exceeded",
            "Too many verification code requests",
            &format!(
                "Too many verification code requests: at most {cap} codes or links per hour are sent to one identifier (the per-identifier hourly cap). Please try again later."
            ),
        )
        .meta("retry_after", json!(retry_after.max(1)))
        .retry(retry_after)
    }
    pub fn too_many_requests(retry_after: u64) -> Self {
        Self::new(
            429,
            "too_many_requests",
            "Too many requests",
            "Too many requests, retry later",
        )
        .meta("retry_after", json!(retry_after.max(1)))
        .retry(retry_after)
    }
    pub fn user_locked(secs: u64) -> Self {
        let mins = secs.div_ceil(60).max(1);
        Self::new(403, "user_locked", "Account locked",
            &format!("Your account is locked. You will be able to try again in {mins} minutes. For more information, please contact support."))
            .meta("lockout_expires_in_seconds", json!(secs))
    }
    pub fn session_exists() -> Self {
        Self::new(
            400,
            "session_exists",
            "Session already exists",
            "You're already signed in.",
        )
    }
    /// Multi-session mode: the identifier's user already has an active session
    /// on this client (`meta.session_id` names it, for `setActive`).
    pub fn identifier_already_signed_in(session_id: &str) -> Self {
        Self::new(
            400,
            "identifier_already_signed_in",
            "You're already signed in",
            "You're already signed in",
        )
        .meta("session_id", json!(session_id))
    }
    pub fn client_state_invalid(action: &str) -> Self {
        Self::new(
            400,
            "client_state_invalid",
            "Invalid action",
            &format!("We were unable to complete {action} for this Client."),
        )
    }
    pub fn authentication_invalid() -> Self {
        Self::new(
            401,
            "authentication_invalid",
            "Invalid authentication",
            "Unable to authenticate the request, you need to supply an active session",
        )
    }
    pub fn dev_browser_unauthenticated() -> Self {
        Self::new(401, "dev_browser_unauthenticated", "Browser unauthenticated",
            "Unable to authenticate this browser for your development instance. Check your Clerk cookies and try again.")
    }
    pub fn link_token_invalid() -> Self {
        Self::new(
            400,
            "verification_link_token_invalid",
            "invalid link token",
            "Verification link token is invalid",
        )
    }
    pub fn origin_invalid() -> Self {
        Self::new(
            400,
            "origin_invalid",
            "Invalid HTTP Origin header",
            "The Request HTTP Origin header is not allowed for this instance.",
        )
    }
    pub fn method_not_allowed() -> Self {
        Self::new(
            405,
            "unsupported_request_method",
            "Unsupported method",
            "This request method is not supported for this endpoint.",
        )
    }
    pub fn request_body_invalid(long: &str) -> Self {
        Self::new(400, "request_body_invalid", "Request body invalid", long)
    }
    pub fn request_body_too_large(max: usize) -> Self {
        Self::new(
            413,
            "request_body_too_large",
            "Request body too large",
            &format!("The request body exceeds the maximum allowed size of {max} bytes."),
        )
    }
    /// The control API refuses a call (wrong Host, foreign Origin, not JSON).
    pub fn control_forbidden(code: &'static str, long: &str) -> Self {
        Self::new(403, code, "Forbidden", long)
    }
    /// A failure inside the emulator. `detail` is logged, never sent.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            500,
            "internal_clerk_error",
            "Oops, an unexpected error occurred",
            "There was an internal error on our servers. We've been notified and are working on fixing it.",
        );
        e.detail = Some(Box::new(detail.to_string()));
        e
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::internal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_their_detail() {
        let e = ApiError::internal("no such table: users (SELECT data FROM users)");
        let body = e.body("t").to_string();
        assert!(!body.contains("users"), "{body}");
        assert_eq!(e.code, "internal_clerk_error");
        assert!(e.is_internal());
    }
}
