//! The instance environment (`GET /v1/environment`, a bare object): only what
//! the passwordless flows need.

model! {
    /// Settings of one user attribute (`email_address`, `phone_number`, …).
    pub struct Attribute {
        /// The attribute is on.
        pub enabled: bool,
        /// Required at sign-up.
        pub required: bool,
        /// Usable to sign in.
        pub used_for_first_factor: bool,
        /// Sign-in strategies for it (`email_code`, `email_link`, `phone_code`).
        pub first_factors: Vec<String>,
        /// Usable as a second factor.
        pub used_for_second_factor: bool,
        /// Second-factor strategies for it.
        pub second_factors: Vec<String>,
        /// Sign-up verification strategies for it.
        pub verifications: Vec<String>,
        /// Must be verified at sign-up.
        pub verify_at_sign_up: bool,
        /// Phone channels (`sms`, `whatsapp`).
        pub channels: Vec<String>,
    }
}

impl Attribute {
    /// Enabled and usable to sign in with `strategy`.
    pub fn allows_first_factor(&self, strategy: &str) -> bool {
        self.enabled
            && self.used_for_first_factor
            && self.first_factors.iter().any(|s| s == strategy)
    }

    /// Enabled and verifiable at sign-up with `strategy`.
    pub fn allows_verification(&self, strategy: &str) -> bool {
        self.enabled && self.verifications.iter().any(|s| s == strategy)
    }
}

model! {
    /// The attributes the SDK cares about.
    pub struct Attributes {
        /// Email address.
        pub email_address: Attribute,
        /// Phone number.
        pub phone_number: Attribute,
        /// Username.
        pub username: Attribute,
        /// First name.
        pub first_name: Attribute,
        /// Last name.
        pub last_name: Attribute,
        /// Password.
        pub password: Attribute,
    }
}

model! {
    /// `user_settings.sign_in.second_factor`.
    pub struct SecondFactorSettings {
        /// A second factor is required.
        pub required: bool,
        /// Second factors are on.
        pub enabled: bool,
    }
}

model! {
    /// `user_settings.sign_in`.
    pub struct SignInSettings {
        /// Second-factor settings.
        pub second_factor: SecondFactorSettings,
    }
}

model! {
    /// `user_settings.sign_up`.
    pub struct SignUpSettings {
        /// Captcha runs on sign-up.
        pub captcha_enabled: bool,
        /// `public`, `restricted` or `waitlist`.
        pub mode: Option<String>,
        /// Legal consent is asked.
        pub legal_consent_enabled: bool,
    }
}

model! {
    /// `user_settings.attack_protection.email_link`.
    pub struct EmailLinkProtection {
        /// Links must be opened on the client that asked for them.
        pub require_same_client: bool,
    }
}

model! {
    /// `user_settings.attack_protection`.
    pub struct AttackProtection {
        /// Email-link protection.
        pub email_link: EmailLinkProtection,
    }
}

model! {
    /// `user_settings`.
    pub struct UserSettings {
        /// Per-attribute settings.
        pub attributes: Attributes,
        /// Sign-in settings.
        pub sign_in: SignInSettings,
        /// Sign-up settings.
        pub sign_up: SignUpSettings,
        /// Attack protection.
        pub attack_protection: AttackProtection,
    }
}

model! {
    /// `auth_config`.
    pub struct AuthConfig {
        /// Only one session per client.
        pub single_session_mode: bool,
        /// Token requests must carry the current JWT as `token`.
        pub session_minter: bool,
    }
}

model! {
    /// `display_config`: the basics.
    pub struct DisplayConfig {
        /// Application name.
        pub application_name: String,
        /// `development` or `production`.
        pub instance_environment_type: String,
        /// Sign-in page URL.
        pub sign_in_url: String,
        /// Sign-up page URL.
        pub sign_up_url: String,
        /// Default redirect after sign-in.
        pub after_sign_in_url: String,
        /// Default redirect after sign-up.
        pub after_sign_up_url: String,
        /// Default redirect after signing out of all sessions.
        pub after_sign_out_all_url: String,
        /// Home URL.
        pub home_url: String,
        /// Preferred sign-in strategy (`password` or `otp`).
        pub preferred_sign_in_strategy: String,
    }
}

model! {
    /// The environment.
    pub struct Environment {
        /// Auth configuration.
        pub auth_config: AuthConfig,
        /// Display configuration.
        pub display_config: DisplayConfig,
        /// User settings.
        pub user_settings: UserSettings,
    }
}

impl Environment {
    /// True when some attribute lets users sign in with `strategy` (e.g. to
    /// offer "enter a code instead" on an email-link screen).
    pub fn first_factor_enabled(&self, strategy: &str) -> bool {
        let a = &self.user_settings.attributes;
        [&a.email_address, &a.phone_number, &a.username]
            .iter()
            .any(|attr| attr.allows_first_factor(strategy))
    }

    /// `attack_protection.email_link.require_same_client`.
    pub fn email_link_requires_same_client(&self) -> bool {
        self.user_settings
            .attack_protection
            .email_link
            .require_same_client
    }
}
