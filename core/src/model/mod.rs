//! FAPI resource models: only the fields a client reads (PROTOCOL.md §4).
//!
//! Decoding is tolerant by construction: unknown fields are ignored, missing
//! *and* `null` fields take their default, and status enums keep unknown
//! values in `Other(String)`. Deserialize from `serde_json` (tests) or from a
//! `JsValue` with `serde-wasm-bindgen` (the shell). Serializing gives
//! ClerkJS-style camelCase keys (`createdSessionId`), handy for handing a
//! snapshot to JS.

use serde::{Deserialize, Deserializer};

/// Declares a tolerant model struct: every field gets `null → default`.
macro_rules! model {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
        #[serde(default, rename_all(serialize = "camelCase"))]
        pub struct $name {
            $($(#[$fm])* #[serde(deserialize_with = "crate::model::lenient")] pub $f: $t,)*
        }
        impl $crate::model::decode::Decode for $name {
            fn decode<S: $crate::model::decode::Source>(src: &S) -> Self {
                $name { $($f: $crate::model::decode::field(src, stringify!($f)),)* }
            }
        }
    };
}

/// Declares a wire-string enum with an `Other(String)` fallback.
macro_rules! string_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vm])* $v,)*
            /// A value this SDK does not know, kept verbatim (empty when absent).
            Other(String),
        }
        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self { $($name::$v => $s,)* $name::Other(s) => s }
            }
            /// Parses a wire value; unknown values become `Other`.
            pub fn parse(s: &str) -> Self {
                match s { $($s => $name::$v,)* other => $name::Other(other.into()) }
            }
        }
        impl Default for $name {
            fn default() -> Self { $name::Other(String::new()) }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s: Option<String> = serde::Deserialize::deserialize(d)?;
                Ok(s.map(|s| Self::parse(&s)).unwrap_or_default())
            }
        }
        impl $crate::model::decode::Decode for $name {
            fn decode<S: $crate::model::decode::Source>(src: &S) -> Self {
                src.string().map(|s| Self::parse(&s)).unwrap_or_default()
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

mod client;
pub mod decode;
mod environment;
mod session;
mod sign_in;
mod sign_up;
mod user;
mod verification;

pub use client::{Client, Sessions};
pub use environment::{
    AttackProtection, Attribute, Attributes, AuthConfig, DisplayConfig, EmailLinkProtection,
    Environment, SecondFactorSettings, SignInSettings, SignUpSettings, UserSettings,
};
pub use session::{DevBrowser, PublicUserData, Session, SessionStatus, Token};
pub use sign_in::{Factor, SignIn, SignInStatus, UserData};
pub use sign_up::{SignUp, SignUpStatus, SignUpVerifications, SignUpView};
pub use user::{EmailAddress, PhoneNumber, User};
pub use verification::{SignUpVerification, Verification, VerificationStatus};

/// Strategy names used by the passwordless flows.
pub mod strategy {
    /// SMS (or WhatsApp) one-time code.
    pub const PHONE_CODE: &str = "phone_code";
    /// Email one-time code.
    pub const EMAIL_CODE: &str = "email_code";
    /// Email link.
    pub const EMAIL_LINK: &str = "email_link";
    /// Authenticator-app code (second factor).
    pub const TOTP: &str = "totp";
    /// Backup code (second factor).
    pub const BACKUP_CODE: &str = "backup_code";
}

/// `deserialize_with` helper: `null` (or JS `undefined`) becomes `T::default()`.
pub(crate) fn lenient<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    d: D,
) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}
