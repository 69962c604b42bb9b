//! The SDK error type, its stable codes, and the newer API's field-error view.

use crate::key::KeyError;
use crate::phone::PhoneError;
use crate::request::camel_case;
use crate::response::{ApiError, ApiErrorItem};

/// Codes of an email-link failure (ClerkJS's `EmailLinkError.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailLinkErrorCode {
    /// The link expired.
    #[error("This link has expired. Request a new one.")]
    Expired,
    /// Verification failed.
    #[error("The link could not be verified. Request a new one.")]
    Failed,
    /// Opened on another device or browser while the same one is required.
    #[error("Open the link on the device and browser where you started.")]
    ClientMismatch,
}

impl EmailLinkErrorCode {
    /// `expired`, `failed` or `client_mismatch`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EmailLinkErrorCode::Expired => "expired",
            EmailLinkErrorCode::Failed => "failed",
            EmailLinkErrorCode::ClientMismatch => "client_mismatch",
        }
    }

    /// A user-facing message.
    pub fn message(&self) -> &'static str {
        match self {
            EmailLinkErrorCode::Expired => "This link has expired. Request a new one.",
            EmailLinkErrorCode::Failed => "The link could not be verified. Request a new one.",
            EmailLinkErrorCode::ClientMismatch => {
                "Open the link on the device and browser where you started."
            }
        }
    }
}

/// Every failure the SDK reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClerkError {
    /// FAPI answered with an error.
    #[error(transparent)]
    Api(ApiError),
    /// The request did not complete (offline, DNS, CORS, aborted by the network).
    #[error("{message}")]
    Network {
        /// The platform's message (e.g. `Failed to fetch`).
        message: String,
    },
    /// A call was made in a state where it cannot work; nothing was sent.
    #[error("{message}")]
    Precondition {
        /// Stable code, e.g. `sign_in_missing`.
        code: &'static str,
        /// Explanation.
        message: &'static str,
    },
    /// The operation was cancelled (cancel, abort signal, or drop).
    #[error("The operation was cancelled.")]
    Cancelled,
    /// An email-link verification failed.
    #[error(transparent)]
    EmailLink(EmailLinkErrorCode),
    /// A response could not be decoded.
    #[error("{message}")]
    Decode {
        /// What went wrong.
        message: String,
    },
    /// The publishable key or proxy URL is invalid.
    #[error(transparent)]
    Key(KeyError),
    /// A phone number is not valid E.164.
    #[error(transparent)]
    Phone(PhoneError),
}

/// Precondition errors raised by the core.
pub mod precondition {
    use super::ClerkError;

    const fn p(code: &'static str, message: &'static str) -> ClerkError {
        ClerkError::Precondition { code, message }
    }

    /// No sign-in attempt exists and none can be created from the arguments.
    pub const SIGN_IN_MISSING: ClerkError = p(
        "sign_in_missing",
        "There is no sign-in attempt. Create one first.",
    );
    /// No sign-up attempt exists.
    pub const SIGN_UP_MISSING: ClerkError = p(
        "sign_up_missing",
        "There is no sign-up attempt. Create one first.",
    );
    /// No supported factor matches the requested strategy or identifier.
    pub const FACTOR_NOT_FOUND: ClerkError = p(
        "factor_not_found",
        "This sign-in does not support the requested verification method.",
    );
    /// The attempt has not created a session yet.
    pub const NO_CREATED_SESSION: ClerkError = p(
        "no_created_session",
        "The attempt has not created a session yet.",
    );
    /// The session is not on this client.
    pub const SESSION_NOT_FOUND: ClerkError = p(
        "session_not_found",
        "The session was not found on this client.",
    );
    /// A resource id has characters outside `[A-Za-z0-9_]`.
    pub const INVALID_ID: ClerkError = p(
        "invalid_id",
        "A resource id contains characters that are not allowed.",
    );
    /// A redirect URL is neither absolute http(s) nor a path starting with `/`.
    pub const INVALID_REDIRECT_URL: ClerkError = p(
        "invalid_redirect_url",
        "The redirect URL must be an absolute http(s) URL or start with /.",
    );
    /// An operation number the engine does not know (a typo in a caller).
    pub const INVALID_OPERATION: ClerkError = p(
        "invalid_operation",
        "The SDK was asked for an operation it does not know.",
    );
    /// `addListener` was given something that is not a function.
    pub const INVALID_LISTENER: ClerkError = p("invalid_listener", "addListener takes a function.");
    /// An email-link poll was started on a resource that cannot be polled.
    pub const NOT_POLLABLE: ClerkError = p(
        "email_link_not_started",
        "No email-link verification is in progress.",
    );
}

/// Message of [`ClerkError::Cancelled`].
const CANCELLED_MESSAGE: &str = "The operation was cancelled.";

/// Message of [`ClerkError::decode_failed`].
const DECODE_MESSAGE: &str = "The server response could not be read.";

impl ClerkError {
    /// A decode error with a fixed message (avoids formatting serde errors).
    pub fn decode_failed() -> ClerkError {
        ClerkError::Decode {
            message: DECODE_MESSAGE.into(),
        }
    }

    /// A stable code: the API's `errors[0].code`, `network_error`, `cancelled`,
    /// `decode_error`, a precondition code, an email-link code (`expired`,
    /// `failed`, `client_mismatch`), `invalid_publishable_key`,
    /// `invalid_proxy_url`, or `invalid_phone_number`.
    pub fn code(&self) -> &str {
        match self {
            ClerkError::Api(e) => e.code(),
            ClerkError::Network { .. } => "network_error",
            ClerkError::Precondition { code, .. } => code,
            ClerkError::Cancelled => "cancelled",
            ClerkError::EmailLink(c) => c.as_str(),
            ClerkError::Decode { .. } => "decode_error",
            ClerkError::Key(k) => k.code(),
            ClerkError::Phone(_) => "invalid_phone_number",
        }
    }

    /// A human-readable message (API: `errors[0].long_message`, else `message`).
    pub fn message(&self) -> &str {
        match self {
            ClerkError::Api(e) => e.message(),
            ClerkError::Network { message } | ClerkError::Decode { message } => message,
            ClerkError::Precondition { message, .. } => message,
            ClerkError::Cancelled => CANCELLED_MESSAGE,
            ClerkError::EmailLink(c) => c.message(),
            ClerkError::Key(k) => k.message(),
            ClerkError::Phone(p) => p.message(),
        }
    }

    /// HTTP status, for API errors.
    pub fn status(&self) -> Option<u16> {
        self.api().map(|e| e.status)
    }

    /// `Retry-After` seconds, for API errors that carried one.
    pub fn retry_after_secs(&self) -> Option<u32> {
        self.api().and_then(|e| e.retry_after_secs)
    }

    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            ClerkError::Api(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ApiError> for ClerkError {
    fn from(e: ApiError) -> Self {
        ClerkError::Api(e)
    }
}

impl From<KeyError> for ClerkError {
    fn from(e: KeyError) -> Self {
        ClerkError::Key(e)
    }
}

impl From<PhoneError> for ClerkError {
    fn from(e: PhoneError) -> Self {
        ClerkError::Phone(e)
    }
}

impl From<EmailLinkErrorCode> for ClerkError {
    fn from(e: EmailLinkErrorCode) -> Self {
        ClerkError::EmailLink(e)
    }
}

/// Which resource's form fields errors are routed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldSet {
    /// Sign-in fields: `identifier`, `password`, `code`.
    SignIn,
    /// Sign-up fields: `firstName`, `lastName`, `emailAddress`, `phoneNumber`,
    /// `password`, `username`, `code`, `captcha`, `legalAccepted`.
    SignUp,
}

const SIGN_IN_FIELDS: &[&str] = &["identifier", "password", "code"];
const SIGN_UP_FIELDS: &[&str] = &[
    "firstName",
    "lastName",
    "emailAddress",
    "phoneNumber",
    "password",
    "username",
    "code",
    "captcha",
    "legalAccepted",
];

impl FieldSet {
    /// The allowed camelCase field names.
    pub fn names(&self) -> &'static [&'static str] {
        match self {
            FieldSet::SignIn => SIGN_IN_FIELDS,
            FieldSet::SignUp => SIGN_UP_FIELDS,
        }
    }
}

/// The newer API's `errors` object: `{fields, raw, global}`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct FieldErrors {
    /// First error per allowed field (camelCase name), in arrival order.
    /// Serializes as an object keyed by field name.
    #[serde(serialize_with = "fields_as_map")]
    pub fields: Vec<(&'static str, ApiErrorItem)>,
    /// Every error, as received.
    pub raw: Vec<ApiErrorItem>,
    /// Errors with no (allowed) `meta.param_name`, plus later duplicates of a field.
    pub global: Vec<ApiErrorItem>,
}

fn fields_as_map<S: serde::Serializer>(
    fields: &[(&'static str, ApiErrorItem)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(fields.len()))?;
    for (name, item) in fields {
        map.serialize_entry(name, item)?;
    }
    map.end()
}

impl FieldErrors {
    /// Routes each error by `meta.param_name` (converted to camelCase) to an
    /// allowed field of `set`; everything else goes to `global`.
    pub fn from_api(error: &ApiError, set: FieldSet) -> FieldErrors {
        let mut out = FieldErrors {
            raw: error.errors.clone(),
            ..FieldErrors::default()
        };
        for item in &error.errors {
            let field = item
                .meta
                .param_name
                .as_deref()
                .map(camel_case)
                .and_then(|name| set.names().iter().find(|n| **n == name));
            match field {
                Some(name) if !out.fields.iter().any(|(n, _)| n == name) => {
                    out.fields.push((name, item.clone()))
                }
                _ => out.global.push(item.clone()),
            }
        }
        out
    }

    /// Any error: API errors are routed; others become one item with the
    /// error's code and message (and nothing in `raw`): a phone number rejected
    /// before sending goes to the field FAPI would name (`identifier` for
    /// sign-in, `phoneNumber` for sign-up), anything else to `global`.
    pub fn from_error(error: &ClerkError, set: FieldSet) -> FieldErrors {
        let item = ApiErrorItem::local(error.code(), error.message());
        match (error, set) {
            (ClerkError::Api(e), _) => FieldErrors::from_api(e, set),
            (ClerkError::Phone(_), FieldSet::SignIn) => FieldErrors {
                fields: vec![("identifier", item)],
                ..FieldErrors::default()
            },
            (ClerkError::Phone(_), FieldSet::SignUp) => FieldErrors {
                fields: vec![("phoneNumber", item)],
                ..FieldErrors::default()
            },
            _ => FieldErrors {
                global: vec![item],
                ..FieldErrors::default()
            },
        }
    }

    /// The error for a camelCase field name.
    pub fn field(&self, name: &str) -> Option<&ApiErrorItem> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, e)| e)
    }

    /// True when there are no errors at all.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.global.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::ErrorMeta;

    fn item(code: &str, param: Option<&str>) -> ApiErrorItem {
        ApiErrorItem {
            code: code.into(),
            message: "m".into(),
            long_message: "long".into(),
            meta: ErrorMeta {
                param_name: param.map(Into::into),
                ..Default::default()
            },
        }
    }

    #[test]
    fn codes_and_messages() {
        let api = ClerkError::from(ApiError {
            status: 422,
            errors: vec![item("form_code_incorrect", Some("code"))],
            retry_after_secs: None,
            trace_id: None,
        });
        assert_eq!(api.code(), "form_code_incorrect");
        assert_eq!(api.message(), "long");
        assert_eq!(api.status(), Some(422));
        assert_eq!(api.retry_after_secs(), None);
        let net = ClerkError::Network {
            message: "Failed to fetch".into(),
        };
        assert_eq!(
            (net.code(), net.message(), net.status()),
            ("network_error", "Failed to fetch", None)
        );
        assert_eq!(
            (
                ClerkError::Cancelled.code(),
                ClerkError::Cancelled.message()
            ),
            ("cancelled", CANCELLED_MESSAGE)
        );
        assert_eq!(precondition::SIGN_IN_MISSING.code(), "sign_in_missing");
        assert_eq!(precondition::FACTOR_NOT_FOUND.code(), "factor_not_found");
        assert_eq!(
            precondition::NO_CREATED_SESSION.code(),
            "no_created_session"
        );
        assert_eq!(
            ClerkError::from(EmailLinkErrorCode::ClientMismatch).code(),
            "client_mismatch"
        );
        assert_eq!(
            ClerkError::EmailLink(EmailLinkErrorCode::Expired).message(),
            EmailLinkErrorCode::Expired.message()
        );
        assert_eq!(
            ClerkError::from(KeyError::Prefix).code(),
            "invalid_publishable_key"
        );
        assert_eq!(
            ClerkError::from(PhoneError::MissingPlus).code(),
            "invalid_phone_number"
        );
        assert_eq!(
            ClerkError::Decode {
                message: "bad".into()
            }
            .code(),
            "decode_error"
        );
        let limited = ClerkError::Api(ApiError {
            status: 429,
            retry_after_secs: Some(12),
            ..Default::default()
        });
        assert_eq!(
            (limited.code(), limited.retry_after_secs()),
            ("api_error", Some(12))
        );
        // Display (Rust users) matches message().
        let mut s = String::new();
        core::fmt::write(
            &mut s,
            format_args!("{}", ClerkError::EmailLink(EmailLinkErrorCode::Failed)),
        )
        .unwrap();
        assert_eq!(s, EmailLinkErrorCode::Failed.message());
    }

    #[test]
    fn field_routing_sign_up() {
        let e = ApiError {
            status: 422,
            errors: vec![
                item("form_identifier_exists", Some("email_address")),
                item("form_param_format_invalid", Some("phone_number")),
                item("form_param_missing", Some("email_address")),
                item("form_param_unknown", Some("favourite_colour")),
                item("too_many_requests", None),
            ],
            ..Default::default()
        };
        let f = FieldErrors::from_api(&e, FieldSet::SignUp);
        assert_eq!(f.raw.len(), 5);
        assert_eq!(
            f.fields.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            ["emailAddress", "phoneNumber"]
        );
        assert_eq!(
            f.field("emailAddress").unwrap().code,
            "form_identifier_exists"
        );
        assert_eq!(
            f.global.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(),
            [
                "form_param_missing",
                "form_param_unknown",
                "too_many_requests"
            ]
        );
        assert!(!f.is_empty());
    }

    #[test]
    fn field_routing_sign_in_and_non_api() {
        let e = ApiError {
            status: 422,
            errors: vec![
                item("form_code_incorrect", Some("code")),
                item("x", Some("email_address")),
            ],
            ..Default::default()
        };
        let f = FieldErrors::from_api(&e, FieldSet::SignIn);
        assert_eq!(f.field("code").unwrap().code, "form_code_incorrect");
        assert_eq!(f.global.len(), 1);
        let f = FieldErrors::from_error(&precondition::SIGN_IN_MISSING, FieldSet::SignIn);
        assert!(f.fields.is_empty() && f.raw.is_empty());
        assert_eq!(f.global[0].code, "sign_in_missing");
        assert!(FieldErrors::default().is_empty());
    }

    /// ClerkJS 6.40's sign-in fields are `identifier`, `password`, `code` only
    /// (no `phoneNumber`): FAPI names a bad sign-in phone number `identifier`.
    #[test]
    fn phone_errors_go_where_fapi_names_them() {
        let e = ApiError {
            status: 422,
            errors: vec![
                item("form_param_format_invalid", Some("identifier")),
                item("x", Some("phone_number")),
            ],
            ..Default::default()
        };
        let f = FieldErrors::from_api(&e, FieldSet::SignIn);
        assert_eq!(f.fields.len(), 1);
        assert_eq!(
            f.field("identifier").unwrap().code,
            "form_param_format_invalid"
        );
        assert_eq!(f.field("phoneNumber"), None);
        let f = FieldErrors::from_api(&e, FieldSet::SignUp);
        assert_eq!(f.field("phoneNumber").unwrap().code, "x");
        // Rejected locally (before sending): the same fields, nothing global.
        let local = ClerkError::from(PhoneError::MissingPlus);
        let f = FieldErrors::from_error(&local, FieldSet::SignIn);
        assert_eq!(f.field("identifier").unwrap().code, "invalid_phone_number");
        assert!(f.global.is_empty() && f.raw.is_empty());
        let f = FieldErrors::from_error(&local, FieldSet::SignUp);
        assert_eq!(f.field("phoneNumber").unwrap().code, "invalid_phone_number");
        assert!(f.global.is_empty());
    }
}
