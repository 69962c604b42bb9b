//! The sign-in attempt and its factors.

use super::Verification;

string_enum! {
    /// Status of a sign-in attempt.
    pub enum SignInStatus {
        /// No identifier yet.
        NeedsIdentifier = "needs_identifier",
        /// Waiting for the first factor.
        NeedsFirstFactor = "needs_first_factor",
        /// Waiting for the second factor.
        NeedsSecondFactor = "needs_second_factor",
        /// New device: a second factor is asked to trust the client.
        NeedsClientTrust = "needs_client_trust",
        /// A new password is required.
        NeedsNewPassword = "needs_new_password",
        /// A protect check is pending.
        NeedsProtectCheck = "needs_protect_check",
        /// Done: `created_session_id` is set.
        Complete = "complete",
        /// Abandoned.
        Abandoned = "abandoned",
    }
}

impl SignInStatus {
    /// `needs_second_factor` or `needs_client_trust`: second-factor calls apply.
    pub fn needs_second_factor(&self) -> bool {
        matches!(
            self,
            SignInStatus::NeedsSecondFactor | SignInStatus::NeedsClientTrust
        )
    }
}

model! {
    /// A supported first or second factor of a sign-in.
    pub struct Factor {
        /// Strategy (`phone_code`, `email_code`, `email_link`, `totp`, …).
        pub strategy: String,
        /// Masked identifier (`j***@e***.com`, `+1*******0100`).
        pub safe_identifier: Option<String>,
        /// Email identifier id, for email strategies.
        pub email_address_id: Option<String>,
        /// Phone identifier id, for phone strategies.
        pub phone_number_id: Option<String>,
        /// Whether this identifier is the primary one.
        pub primary: Option<bool>,
        /// Whether this is the default second factor.
        pub default: Option<bool>,
        /// Phone channel (`sms`, `whatsapp`).
        pub channel: Option<String>,
    }
}

impl Factor {
    /// The identifier id this factor targets (email or phone).
    pub fn identifier_id(&self) -> Option<&str> {
        self.email_address_id
            .as_deref()
            .or(self.phone_number_id.as_deref())
    }
}

model! {
    /// Display data of the user being signed in.
    pub struct UserData {
        /// First name.
        pub first_name: Option<String>,
        /// Last name.
        pub last_name: Option<String>,
        /// Avatar URL.
        pub image_url: Option<String>,
        /// Whether the user uploaded an image.
        pub has_image: bool,
    }
}

model! {
    /// A sign-in attempt (`object:"sign_in_attempt"`).
    pub struct SignIn {
        /// Sign-in id (`sia_…`).
        pub id: String,
        /// Status.
        pub status: SignInStatus,
        /// The identifier given at create.
        pub identifier: Option<String>,
        /// First factors the user can use.
        pub supported_first_factors: Vec<Factor>,
        /// Second factors the user can use.
        pub supported_second_factors: Vec<Factor>,
        /// Current first-factor verification.
        pub first_factor_verification: Option<Verification>,
        /// Current second-factor verification.
        pub second_factor_verification: Option<Verification>,
        /// The session created on completion.
        pub created_session_id: Option<String>,
        /// Display data of the user.
        pub user_data: Option<UserData>,
        /// `new`, `known` or `pending`.
        pub client_trust_state: Option<String>,
        /// Abandon time, Unix ms.
        pub abandon_at: u64,
    }
}

impl SignIn {
    /// Picks a first factor of `strategy`: the one whose identifier id equals
    /// `id_or_identifier`, else the one whose `safe_identifier` equals it, else
    /// the first factor of that strategy.
    pub fn first_factor(&self, strategy: &str, id_or_identifier: Option<&str>) -> Option<&Factor> {
        pick_factor(&self.supported_first_factors, strategy, id_or_identifier)
    }

    /// Picks a second factor of `strategy` by the same rules as [`SignIn::first_factor`].
    pub fn second_factor(&self, strategy: &str, id_or_identifier: Option<&str>) -> Option<&Factor> {
        pick_factor(&self.supported_second_factors, strategy, id_or_identifier)
    }

    /// The created session id, when set and non-empty.
    pub fn created_session(&self) -> Option<&str> {
        self.created_session_id.as_deref().filter(|s| !s.is_empty())
    }
}

fn pick_factor<'a>(
    factors: &'a [Factor],
    strategy: &str,
    want: Option<&str>,
) -> Option<&'a Factor> {
    let mut of_strategy = factors.iter().filter(|f| f.strategy == strategy);
    if let Some(want) = want.filter(|w| !w.is_empty()) {
        let by_id = of_strategy
            .clone()
            .find(|f| f.identifier_id() == Some(want));
        let by_identifier = || {
            of_strategy
                .clone()
                .find(|f| f.safe_identifier.as_deref() == Some(want))
        };
        if let Some(f) = by_id.or_else(by_identifier) {
            return Some(f);
        }
    }
    of_strategy.next()
}
