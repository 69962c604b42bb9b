//! Response decoding: envelopes around resources, the error envelope, and
//! how to classify an HTTP answer.
//!
//! The shell deserializes the JSON body (from `Response.json()` with
//! serde-wasm-bindgen) into [`Envelope`], a bare model, or [`ErrorBody`], then
//! calls the helpers here.

use crate::model::Client;

model! {
    /// `errors[].meta`: the fields a client reads.
    pub struct ErrorMeta {
        /// The form parameter at fault (snake_case), e.g. `code`.
        pub param_name: Option<String>,
        /// A session involved (e.g. `identifier_already_signed_in`).
        pub session_id: Option<String>,
        /// Email addresses involved.
        pub email_addresses: Vec<String>,
        /// Identifiers involved.
        pub identifiers: Vec<String>,
    }
}

model! {
    /// One entry of an error envelope.
    pub struct ApiErrorItem {
        /// Stable code, e.g. `form_code_incorrect`.
        pub code: String,
        /// Short message.
        pub message: String,
        /// Long message (preferred for display).
        pub long_message: String,
        /// Extra data.
        pub meta: ErrorMeta,
    }
}

impl ApiErrorItem {
    /// A locally built item (for non-API errors shown in the same UI slots).
    pub fn local(code: &str, message: &str) -> ApiErrorItem {
        ApiErrorItem {
            code: code.into(),
            message: message.into(),
            long_message: message.into(),
            meta: ErrorMeta::default(),
        }
    }

    /// `long_message`, else `message`.
    pub fn display_message(&self) -> &str {
        if self.long_message.is_empty() {
            &self.message
        } else {
            &self.long_message
        }
    }
}

model! {
    /// The error envelope body: `{errors:[…], meta:{…}, clerk_trace_id}`.
    pub struct ErrorBody {
        /// The errors, most relevant first.
        pub errors: Vec<ApiErrorItem>,
        /// Trace id for support requests.
        pub clerk_trace_id: Option<String>,
    }
}

/// A FAPI error answer.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The errors, as sent (possibly empty when the body was not JSON).
    pub errors: Vec<ApiErrorItem>,
    /// `Retry-After` in seconds (delta-seconds form only).
    pub retry_after_secs: Option<u32>,
    /// `clerk_trace_id` from the body.
    pub trace_id: Option<String>,
}

/// Fallback message when the server sent no error text (an HTML error page,
/// an empty body), by status: what a person reading it can do next.
fn fallback_message(status: u16) -> &'static str {
    match status {
        429 => "Too many requests. Please try again in a bit.",
        500..=599 => "The server could not handle the request. Please try again.",
        _ => "The request failed.",
    }
}

impl ApiError {
    /// Builds the error from a decoded body and the `Retry-After` header.
    pub fn from_body(status: u16, body: ErrorBody, retry_after: Option<&str>) -> ApiError {
        ApiError {
            status,
            errors: body.errors,
            retry_after_secs: retry_after.and_then(parse_retry_after),
            trace_id: body.clerk_trace_id,
        }
    }

    /// An error without a usable body (HTML error page, empty body).
    pub fn without_body(status: u16, retry_after: Option<&str>) -> ApiError {
        ApiError::from_body(status, ErrorBody::default(), retry_after)
    }

    /// The first error, if any.
    pub fn first(&self) -> Option<&ApiErrorItem> {
        self.errors.first()
    }

    /// `errors[0].code`, or `api_error` when there is none.
    pub fn code(&self) -> &str {
        self.first()
            .map(|e| e.code.as_str())
            .filter(|c| !c.is_empty())
            .unwrap_or("api_error")
    }

    /// `errors[0].long_message`, else `message`, else a generic text.
    pub fn message(&self) -> &str {
        self.first()
            .map(ApiErrorItem::display_message)
            .filter(|m| !m.is_empty())
            .unwrap_or(fallback_message(self.status))
    }

    /// True when some error has this code.
    pub fn has_code(&self, code: &str) -> bool {
        self.errors.iter().any(|e| e.code == code)
    }

    /// 401 `dev_browser_unauthenticated`: get a new dev-browser token.
    pub fn is_dev_browser_unauthenticated(&self) -> bool {
        self.status == 401 && self.has_code("dev_browser_unauthenticated")
    }

    /// ClerkJS's "unauthenticated" test for token and touch calls: 401, 422,
    /// or 403 with `user_banned`/`user_deactivated`.
    pub fn is_unauthenticated(&self) -> bool {
        match self.status {
            401 | 422 => true,
            403 => self.has_code("user_banned") || self.has_code("user_deactivated"),
            _ => false,
        }
    }

    /// 429.
    pub fn is_rate_limited(&self) -> bool {
        self.status == 429
    }
}

impl core::fmt::Display for ApiError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for ApiError {}

/// Parses `Retry-After` in delta-seconds; HTTP-dates and junk give `None`.
pub fn parse_retry_after(value: &str) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n: u32 = 0;
    for b in v.bytes() {
        n = n.saturating_mul(10).saturating_add(u32::from(b - b'0'));
    }
    Some(n)
}

/// What the shell should do with an HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseClass {
    /// 2xx with a resource body: decode it.
    Success,
    /// 204 (or 205): nothing to decode.
    NoContent,
    /// An error: decode [`ErrorBody`] (if the body is JSON) into [`ApiError`].
    Error,
}

/// Classifies an answer from its status and whether the JSON body has an
/// `errors` array (`body_is_error`). A 2xx carrying `errors` is an error.
pub fn classify(status: u16, body_is_error: bool) -> ResponseClass {
    match status {
        204 | 205 => ResponseClass::NoContent,
        200..=299 if !body_is_error => ResponseClass::Success,
        _ => ResponseClass::Error,
    }
}

model! {
    /// `meta` of an envelope (ClerkJS also looks for the client here).
    pub struct EnvelopeMeta {
        /// Piggybacked client.
        pub client: Option<Client>,
    }
}

/// `{"response": T, "client": Client|null}` (client possibly in `meta.client`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Envelope<T> {
    /// The resource.
    pub response: Option<T>,
    /// The piggybacked client.
    pub client: Option<Client>,
    /// Envelope meta.
    pub meta: Option<EnvelopeMeta>,
}

impl<T: crate::model::decode::Decode> crate::model::decode::Decode for Envelope<T> {
    fn decode<S: crate::model::decode::Source>(src: &S) -> Self {
        use crate::model::decode::field;
        Envelope {
            response: src.field("response").map(|v| T::decode(&v)),
            client: field(src, "client"),
            meta: field(src, "meta"),
        }
    }
}

impl<T> Envelope<T> {
    /// Splits into the resource and the piggybacked client (`client`, else
    /// `meta.client`). A `None` client means "leave client state alone".
    pub fn into_parts(self) -> (Option<T>, Option<Client>) {
        let client = self.client.or_else(|| self.meta.and_then(|m| m.client));
        (self.response, client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after() {
        assert_eq!(parse_retry_after("30"), Some(30));
        assert_eq!(parse_retry_after(" 0 "), Some(0));
        assert_eq!(parse_retry_after("99999999999"), Some(u32::MAX));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("1.5"), None);
        assert_eq!(parse_retry_after(""), None);
    }

    #[test]
    fn classification() {
        assert_eq!(classify(200, false), ResponseClass::Success);
        assert_eq!(classify(201, false), ResponseClass::Success);
        assert_eq!(classify(204, false), ResponseClass::NoContent);
        assert_eq!(classify(200, true), ResponseClass::Error);
        assert_eq!(classify(422, true), ResponseClass::Error);
        assert_eq!(classify(502, false), ResponseClass::Error);
        assert_eq!(classify(307, false), ResponseClass::Error);
    }

    #[test]
    fn error_helpers() {
        let e = ApiError::without_body(503, Some("7"));
        assert_eq!(e.code(), "api_error");
        assert_eq!(
            e.message(),
            "The server could not handle the request. Please try again."
        );
        assert_eq!(e.retry_after_secs, Some(7));
        // Without a body, the message says what a person can do next.
        assert_eq!(
            ApiError::without_body(429, None).message(),
            "Too many requests. Please try again in a bit."
        );
        assert_eq!(
            ApiError::without_body(404, None).message(),
            "The request failed."
        );
        let item = ApiErrorItem {
            code: "user_banned".into(),
            message: "Banned".into(),
            ..Default::default()
        };
        let e = ApiError {
            status: 403,
            errors: vec![item],
            ..Default::default()
        };
        assert!(e.is_unauthenticated());
        assert_eq!(e.message(), "Banned");
        let mut s = String::new();
        core::fmt::write(&mut s, format_args!("{e}")).unwrap();
        assert_eq!(s, "Banned");
        assert!(!ApiError {
            status: 403,
            ..Default::default()
        }
        .is_unauthenticated());
        assert!(ApiError {
            status: 422,
            ..Default::default()
        }
        .is_unauthenticated());
        assert!(!ApiError {
            status: 400,
            ..Default::default()
        }
        .is_unauthenticated());
        let db = ApiError {
            status: 401,
            errors: vec![ApiErrorItem::local("dev_browser_unauthenticated", "x")],
            ..Default::default()
        };
        assert!(db.is_dev_browser_unauthenticated());
        assert!(!db.is_rate_limited());
    }
}
