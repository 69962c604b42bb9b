//! Field limits: every form and query value is checked before a handler
//! runs, so no oversized name, identifier or metadata is ever stored.
//! Over the limit → 422 `form_param_max_length_exceeded` (or
//! `form_param_exceeds_allowed_size` for metadata) naming the parameter.

use crate::errors::ApiError;

/// First and last names (characters).
pub const NAME_MAX: usize = 256;
/// Email addresses and sign-in identifiers (RFC 5321's 254).
pub const EMAIL_MAX: usize = 254;
/// Phone numbers as typed (E.164 has at most 15 digits; room for formatting).
pub const PHONE_MAX: usize = 32;
/// `unsafe_metadata` as serialized JSON (bytes), as Clerk's 8 KB.
pub const METADATA_MAX_BYTES: usize = 8192;
pub const REDIRECT_URL_MAX: usize = 2048;
/// Any other value.
pub const DEFAULT_MAX: usize = 4096;
/// Parameters in one request (body and query together).
pub const MAX_PARAMS: usize = 256;

enum Limit {
    Chars(usize),
    Bytes(usize),
}

fn limit_for(key: &str) -> Limit {
    match key {
        "first_name" | "last_name" => Limit::Chars(NAME_MAX),
        "email_address" | "identifier" | "email_address_or_phone_number" => Limit::Chars(EMAIL_MAX),
        "phone_number" => Limit::Chars(PHONE_MAX),
        "unsafe_metadata" => Limit::Bytes(METADATA_MAX_BYTES),
        "redirect_url" | "action_complete_redirect_url" => Limit::Chars(REDIRECT_URL_MAX),
        "code" => Limit::Chars(32),
        "strategy" | "channel" | "locale" => Limit::Chars(64),
        "email_address_id" | "phone_number_id" | "_clerk_session_id" => Limit::Chars(64),
        _ => Limit::Chars(DEFAULT_MAX),
    }
}

/// The name to report: long or odd keys are cut (they are echoed back).
fn shown(key: &str) -> String {
    key.chars().take(64).collect()
}

/// Checks every `(key, value)` of a request against its limit.
pub fn check_params<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Result<(), ApiError> {
    for (n, (k, v)) in pairs.enumerate() {
        if n >= MAX_PARAMS {
            return Err(ApiError::request_body_invalid(&format!(
                "A request may carry at most {MAX_PARAMS} parameters."
            )));
        }
        if k.len() > 128 {
            return Err(ApiError::param_unknown(&shown(k)));
        }
        match limit_for(k) {
            Limit::Chars(max) => {
                // Cheap first: a value within `max` bytes is within `max` chars.
                if v.len() > max && v.chars().count() > max {
                    return Err(ApiError::max_length_exceeded(&shown(k), max));
                }
            }
            Limit::Bytes(max) => {
                if v.len() > max {
                    return Err(ApiError::exceeds_allowed_size(k, max));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        let long = "x".repeat(100_000);
        let e = check_params([("first_name", long.as_str())].into_iter()).unwrap_err();
        assert_eq!(e.code, "form_param_max_length_exceeded");
        assert_eq!(e.meta["param_name"], "first_name");
        assert!(e.long_message.contains("256"));
        let name = "é".repeat(256); // 512 bytes, 256 chars: fine
        assert!(check_params([("first_name", name.as_str())].into_iter()).is_ok());
        let meta = format!("{{\"a\":\"{}\"}}", "x".repeat(8200));
        let e = check_params([("unsafe_metadata", meta.as_str())].into_iter()).unwrap_err();
        assert_eq!(e.code, "form_param_exceeds_allowed_size");
        let email = format!("{}@example.com", "a".repeat(250));
        let e = check_params([("email_address", email.as_str())].into_iter()).unwrap_err();
        assert_eq!(e.meta["param_name"], "email_address");
        let e = check_params([("phone_number", "+1 555 555 0100 0100 0100 0100 010")].into_iter())
            .unwrap_err();
        assert_eq!(e.meta["param_name"], "phone_number");
        let many: Vec<(String, String)> = (0..300).map(|i| (format!("k{i}"), "v".into())).collect();
        let e = check_params(many.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap_err();
        assert_eq!(e.status, 400);
    }
}
