//! The sign-up attempt.

use super::SignUpVerification;

string_enum! {
    /// Status of a sign-up attempt.
    pub enum SignUpStatus {
        /// Fields are missing or unverified.
        MissingRequirements = "missing_requirements",
        /// Done: `created_session_id` is set.
        Complete = "complete",
        /// Abandoned.
        Abandoned = "abandoned",
    }
}

model! {
    /// Verifications of the sign-up's identifiers.
    pub struct SignUpVerifications {
        /// Email address verification.
        pub email_address: Option<SignUpVerification>,
        /// Phone number verification.
        pub phone_number: Option<SignUpVerification>,
    }
}

model! {
    /// A sign-up attempt (`object:"sign_up_attempt"`).
    pub struct SignUp {
        /// Sign-up id (`sua_…`).
        pub id: String,
        /// Status.
        pub status: SignUpStatus,
        /// Fields the instance requires.
        pub required_fields: Vec<String>,
        /// Fields the instance accepts.
        pub optional_fields: Vec<String>,
        /// Required fields not yet given.
        pub missing_fields: Vec<String>,
        /// Given fields not yet verified.
        pub unverified_fields: Vec<String>,
        /// Per-identifier verifications.
        pub verifications: SignUpVerifications,
        /// Email address.
        pub email_address: Option<String>,
        /// Phone number.
        pub phone_number: Option<String>,
        /// Username.
        pub username: Option<String>,
        /// First name.
        pub first_name: Option<String>,
        /// Last name.
        pub last_name: Option<String>,
        /// Password flag as ClerkJS reads it.
        pub has_password: bool,
        /// Password flag as the spec names it.
        pub password_enabled: bool,
        /// The session created on completion.
        pub created_session_id: Option<String>,
        /// The user created on completion.
        pub created_user_id: Option<String>,
        /// Abandon time, Unix ms.
        pub abandon_at: u64,
        /// When legal terms were accepted, Unix ms.
        pub legal_accepted_at: Option<u64>,
    }
}

impl SignUp {
    /// The created session id, when set and non-empty.
    pub fn created_session(&self) -> Option<&str> {
        self.created_session_id.as_deref().filter(|s| !s.is_empty())
    }

    /// True when either password flag is set.
    pub fn password_set(&self) -> bool {
        self.has_password || self.password_enabled
    }
}

model! {
    /// What the engine keeps of a sign-up attempt: the fields its flows read
    /// (the id, the status, the email-link wait's verification, the created
    /// session). The Rust API decodes the whole [`SignUp`] from the
    /// attempt's JSON when asked; the npm package reads the JSON. So the
    /// package's `.wasm` has no decoder for the fields only a caller reads.
    pub struct SignUpView {
        /// Sign-up id (`sua_…`).
        pub id: String,
        /// Status.
        pub status: SignUpStatus,
        /// Per-identifier verifications.
        pub verifications: SignUpVerifications,
        /// The session created on completion.
        pub created_session_id: Option<String>,
    }
}

impl SignUpView {
    /// The created session id, when set and non-empty.
    pub fn created_session(&self) -> Option<&str> {
        self.created_session_id.as_deref().filter(|s| !s.is_empty())
    }
}
