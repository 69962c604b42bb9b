//! Verification objects (OTP, email link) and their status.

use crate::response::ApiErrorItem;

string_enum! {
    /// Status of a verification.
    pub enum VerificationStatus {
        /// Prepared (code or link sent), not yet verified.
        Unverified = "unverified",
        /// Verified.
        Verified = "verified",
        /// Email link verified, but no user exists (`sign_up_if_missing` flows).
        Transferable = "transferable",
        /// Too many failed attempts.
        Failed = "failed",
        /// The code or link expired.
        Expired = "expired",
    }
}

model! {
    /// A verification (sign-in factor, sign-up field, email address, phone number).
    /// Sign-up verifications also fill `next_action` and `supported_strategies`.
    pub struct Verification {
        /// Current status.
        pub status: VerificationStatus,
        /// Strategy (`phone_code`, `email_code`, `email_link`, …).
        pub strategy: Option<String>,
        /// Failed attempts so far, when the server reports it.
        pub attempts: Option<u32>,
        /// Expiry, Unix ms.
        pub expire_at: Option<u64>,
        /// Email link: id of the client on which the link was opened.
        pub verified_at_client: Option<String>,
        /// Phone: `sms` or `whatsapp`.
        pub channel: Option<String>,
        /// A server error attached to the verification (e.g. `identifier_already_signed_in`).
        pub error: Option<ApiErrorItem>,
        /// Sign-up only: `needs_prepare`, `needs_attempt` or empty.
        pub next_action: Option<String>,
        /// Sign-up only: strategies that can verify this field.
        pub supported_strategies: Vec<String>,
    }
}

/// A sign-up verification: a [`Verification`] whose `next_action` and
/// `supported_strategies` are filled.
pub type SignUpVerification = Verification;

impl Verification {
    /// True when the status is `verified`.
    pub fn is_verified(&self) -> bool {
        self.status == VerificationStatus::Verified
    }

    /// True when the link was opened on the client with id `client_id`.
    pub fn verified_from_client(&self, client_id: &str) -> bool {
        self.is_verified()
            && !client_id.is_empty()
            && self.verified_at_client.as_deref() == Some(client_id)
    }
}
