//! The stored records. They are persisted as JSON documents by `store`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VStatus {
    Unverified,
    Verified,
    Failed,
    Expired,
}

impl VStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VStatus::Unverified => "unverified",
            VStatus::Verified => "verified",
            VStatus::Failed => "failed",
            VStatus::Expired => "expired",
        }
    }
}

/// One verification (code or link). Codes are kept only as salted hashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    pub status: VStatus,
    pub strategy: String,
    pub attempts: u32,
    pub expire_at: Option<i64>,
    /// Hex SHA-256 of salt || code.
    pub code_hash: Option<String>,
    /// Hex salt, unique per code.
    pub code_salt: Option<String>,
    /// Hash of the current email-link token (a new prepare replaces it).
    pub link_token_hash: Option<String>,
    pub redirect_url: Option<String>,
    pub verified_at_client: Option<String>,
    pub channel: Option<String>,
    /// The identification (`idn_…`) the verification targets, if any.
    pub target_id: Option<String>,
    /// The normalized identifier the message was sent to.
    pub target: Option<String>,
    /// When the code or link was sent (the resend throttle is per verification).
    #[serde(default)]
    pub sent_at: Option<i64>,
}

impl Verification {
    pub fn new(strategy: &str) -> Self {
        Verification {
            status: VStatus::Unverified,
            strategy: strategy.to_string(),
            attempts: 0,
            expire_at: None,
            code_hash: None,
            code_salt: None,
            link_token_hash: None,
            redirect_url: None,
            verified_at_client: None,
            channel: None,
            target_id: None,
            target: None,
            sent_at: None,
        }
    }

    /// Status as seen at `now`: an unverified verification past its expiry is `expired`.
    pub fn effective_status(&self, now: i64) -> VStatus {
        match (self.status, self.expire_at) {
            (VStatus::Unverified, Some(exp)) if now > exp => VStatus::Expired,
            (s, _) => s,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailAddress {
    pub id: String,
    pub email_address: String,
    pub verification: Option<Verification>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl EmailAddress {
    pub fn verified(&self) -> bool {
        matches!(&self.verification, Some(v) if v.status == VStatus::Verified)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhoneNumber {
    pub id: String,
    pub phone_number: String,
    pub verification: Option<Verification>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl PhoneNumber {
    pub fn verified(&self) -> bool {
        matches!(&self.verification, Some(v) if v.status == VStatus::Verified)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email_addresses: Vec<EmailAddress>,
    pub phone_numbers: Vec<PhoneNumber>,
    pub primary_email_address_id: Option<String>,
    pub primary_phone_number_id: Option<String>,
    pub unsafe_metadata: serde_json::Value,
    /// Consecutive failed verification attempts (lockout counter).
    pub failed_attempts: u32,
    pub locked_until: Option<i64>,
    pub last_sign_in_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: String,
    pub sign_in_id: Option<String>,
    pub sign_up_id: Option<String>,
    pub last_active_session_id: Option<String>,
    pub last_authentication_strategy: Option<String>,
    /// A session was created for this client by another client (an email
    /// link opened elsewhere): its `__client` token is rotated on its next
    /// request.
    #[serde(default)]
    pub rotate_pending: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignIn {
    pub id: String,
    pub client_id: String,
    pub status: String,
    pub identifier: Option<String>,
    pub user_id: Option<String>,
    /// Enumeration protection: the identifier matched no user; this is the
    /// made-up identification id shown in its factors.
    pub phantom_id: Option<String>,
    pub first_factor_verification: Option<Verification>,
    pub second_factor_verification: Option<Verification>,
    pub created_session_id: Option<String>,
    pub first_factor_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub abandon_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignUp {
    pub id: String,
    pub client_id: String,
    pub status: String,
    pub email_address: Option<String>,
    pub phone_number: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub unsafe_metadata: serde_json::Value,
    pub legal_accepted_at: Option<i64>,
    pub locale: Option<String>,
    pub email_verification: Option<Verification>,
    pub phone_verification: Option<Verification>,
    pub created_user_id: Option<String>,
    pub created_session_id: Option<String>,
    /// Wrong codes across every prepare of this sign-up (capped like a
    /// user's lockout counter).
    #[serde(default)]
    pub failed_attempts: u32,
    pub created_at: i64,
    pub updated_at: i64,
    pub abandon_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub client_id: String,
    pub user_id: String,
    pub status: String,
    pub first_factor_at: i64,
    pub second_factor_at: Option<i64>,
    pub last_active_at: i64,
    /// End of the session's lifetime (`session_ttl_secs` after creation).
    pub expire_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What an email-link token is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    SignIn,
    SignUp,
    EmailAddress,
}

/// An email-link token record; only the hash of the token is stored (as the key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkToken {
    pub kind: LinkKind,
    /// Sign-in id, sign-up id, or user id (for `/me` email addresses).
    pub resource_id: String,
    pub email_address_id: Option<String>,
    /// The client that prepared the link.
    pub client_id: Option<String>,
    pub redirect_url: Option<String>,
    pub second_factor: bool,
    pub expire_at: i64,
    pub used: bool,
}

/// A message that would have been sent by SMS or email.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub channel: String,
    pub to: String,
    pub subject: Option<String>,
    pub body: String,
    pub code: Option<String>,
    pub link: Option<String>,
    pub created_at: i64,
}
