//! Instance configuration: the TOML file, live changes through
//! `PATCH /__emulator/config`, and the `/v1/environment` rendering.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// `development` or `production`, as in `display_config.instance_environment_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstanceType {
    Development,
    Production,
}

impl InstanceType {
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceType::Development => "development",
            InstanceType::Production => "production",
        }
    }

    /// Accepts `development`/`dev` and `production`/`prod`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "development" | "dev" => Some(InstanceType::Development),
            "production" | "prod" => Some(InstanceType::Production),
            _ => None,
        }
    }
}

/// Settings of one identifier (email address or phone number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentifierConfig {
    /// The identifier can be given at sign-up and used to sign in.
    pub enabled: bool,
    /// Sign-up cannot complete without it.
    pub required: bool,
    /// Sign-in strategies (`email_code`, `email_link` / `phone_code`).
    pub strategies: Vec<String>,
}

/// Per-IP rate limits: `limit` requests per `window_secs`; `limit = 0` disables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimits {
    pub window_secs: u64,
    pub sign_in_create: u32,
    pub sign_up_create: u32,
    pub attempts: u32,
    /// Prepares (codes and links sent): sign-in first/second factor, sign-up, `/me`.
    pub prepare: u32,
    /// `POST /v1/dev_browser`.
    pub dev_browser: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            window_secs: 10,
            sign_in_create: 5,
            sign_up_create: 5,
            attempts: 3,
            prepare: 10,
            dev_browser: 20,
        }
    }
}

/// The whole instance configuration. Every key is optional in TOML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InstanceConfig {
    pub instance_type: InstanceType,
    pub application_name: String,
    pub email_address: IdentifierConfig,
    pub phone_number: IdentifierConfig,
    /// Email links must be opened by the client that requested them.
    pub require_same_client: bool,
    pub code_ttl_secs: u64,
    pub link_ttl_secs: u64,
    /// Wrong codes per verification before it becomes `failed`.
    pub max_attempts: u32,
    /// Consecutive failed codes per user before the user is locked (0 disables).
    pub lockout_attempts: u32,
    pub lockout_secs: u64,
    /// A second prepare of the same verification within this many seconds is a
    /// resend and is refused with 429 (0 disables).
    pub resend_throttle_secs: u64,
    /// Codes and links sent to one identifier per hour (0 disables).
    pub identifier_codes_per_hour: u32,
    pub rate_limits: RateLimits,
    /// Users with a verified phone number and email address need `phone_code` as second factor.
    pub second_factor: bool,
    /// Sign-in with an unknown identifier looks like a normal sign-in instead of failing.
    pub enumeration_protection: bool,
    /// Several sessions per client (`single_session_mode: false`): a sign-in or
    /// sign-up while signed in adds a session instead of failing `session_exists`.
    pub multi_session: bool,
    /// Extra allowed CORS origins (loopback origins are always allowed).
    pub allowed_origins: Vec<String>,
    pub session_token_ttl_secs: u64,
    /// Maximum session lifetime; then the session is `expired`.
    pub session_ttl_secs: u64,
    /// A session inactive this long is `abandoned` (0 disables).
    pub session_inactivity_timeout_secs: u64,
    /// Lifetime of a dev-browser JWT.
    pub dev_browser_ttl_secs: u64,
    /// The sign-in page; empty: the emulator's hosted page (`<frontend_api>/sign-in`).
    pub sign_in_url: String,
    /// The sign-up page; empty: the hosted page (`<frontend_api>/sign-up`).
    pub sign_up_url: String,
    /// The user-profile page; empty: the hosted page (`<frontend_api>/user`).
    pub user_profile_url: String,
    pub home_url: String,
}

impl Default for InstanceConfig {
    fn default() -> Self {
        InstanceConfig {
            instance_type: InstanceType::Development,
            application_name: "Clerk Emulator".into(),
            email_address: IdentifierConfig {
                enabled: true,
                required: false,
                strategies: vec!["email_code".into(), "email_link".into()],
            },
            phone_number: IdentifierConfig {
                enabled: true,
                required: false,
                strategies: vec!["phone_code".into()],
            },
            require_same_client: false,
            code_ttl_secs: 600,
            link_ttl_secs: 600,
            max_attempts: 3,
            lockout_attempts: 10,
            lockout_secs: 3600,
            resend_throttle_secs: 30,
            identifier_codes_per_hour: 10,
            rate_limits: RateLimits::default(),
            second_factor: false,
            enumeration_protection: false,
            multi_session: false,
            allowed_origins: Vec::new(),
            session_token_ttl_secs: 60,
            session_ttl_secs: 7 * 24 * 3600,
            session_inactivity_timeout_secs: 0,
            dev_browser_ttl_secs: 365 * 24 * 3600,
            sign_in_url: String::new(),
            sign_up_url: String::new(),
            user_profile_url: String::new(),
            home_url: "http://localhost:3000".into(),
        }
    }
}

impl Default for IdentifierConfig {
    fn default() -> Self {
        IdentifierConfig {
            enabled: true,
            required: false,
            strategies: Vec::new(),
        }
    }
}

/// A configuration refused: the key (dotted path) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn bad(field: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field: field.to_string(),
        message: message.into(),
    }
}

const DAY: u64 = 86_400;
const YEAR: u64 = 365 * DAY;

fn range(field: &str, v: u64, min: u64, max: u64) -> Result<(), ConfigError> {
    if (min..=max).contains(&v) {
        Ok(())
    } else {
        Err(bad(field, format!("must be between {min} and {max}")))
    }
}

fn http_url(field: &str, s: &str, origin_only: bool) -> Result<(), ConfigError> {
    let u = url::Url::parse(s).map_err(|_| bad(field, format!("{s:?} is not an absolute URL")))?;
    if !matches!(u.scheme(), "http" | "https") || u.host().is_none() || s.len() > 2048 {
        return Err(bad(field, format!("{s:?} must be an http(s) URL")));
    }
    if origin_only && (u.path() != "/" || u.query().is_some() || u.fragment().is_some()) {
        return Err(bad(
            field,
            format!("{s:?} must be an origin (scheme://host[:port])"),
        ));
    }
    Ok(())
}

/// The key path of a deserialization error (`rate_limits.window_secs`), or
/// the unknown key itself.
fn error_field<E: std::fmt::Display>(e: &serde_path_to_error::Error<E>) -> String {
    let path = e.path().to_string();
    let msg = e.inner().to_string();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or("");
        return if path == "." || path.is_empty() {
            name.to_string()
        } else if path == name || path.ends_with(&format!(".{name}")) {
            path
        } else {
            format!("{path}.{name}")
        };
    }
    if path == "." || path.is_empty() {
        "config".into()
    } else {
        path
    }
}

impl InstanceConfig {
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let de = toml::Deserializer::new(text);
        let cfg: InstanceConfig = serde_path_to_error::deserialize(de)
            .map_err(|e| bad(&error_field(&e), e.inner().to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Applies a JSON object holding any subset of the keys (nested objects
    /// merge), and validates the result.
    pub fn patched(&self, patch: &Value) -> Result<Self, ConfigError> {
        if !patch.is_object() {
            return Err(bad("config", "the body must be a JSON object"));
        }
        let mut base = serde_json::to_value(self).map_err(|e| bad("config", e.to_string()))?;
        merge(&mut base, patch);
        let cfg: InstanceConfig = serde_path_to_error::deserialize(base)
            .map_err(|e| bad(&error_field(&e), e.inner().to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Every TTL, limit and URL within bounds: no value can overflow the
    /// time arithmetic or make the emulator misbehave.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.application_name.chars().count() > 256 {
            return Err(bad("application_name", "must be at most 256 characters"));
        }
        range("code_ttl_secs", self.code_ttl_secs, 1, DAY)?;
        range("link_ttl_secs", self.link_ttl_secs, 1, DAY)?;
        range("max_attempts", self.max_attempts.into(), 1, 100)?;
        range("lockout_attempts", self.lockout_attempts.into(), 0, 1000)?;
        range("lockout_secs", self.lockout_secs, 0, YEAR)?;
        range("resend_throttle_secs", self.resend_throttle_secs, 0, 3600)?;
        range(
            "identifier_codes_per_hour",
            self.identifier_codes_per_hour.into(),
            0,
            100_000,
        )?;
        let rl = &self.rate_limits;
        range("rate_limits.window_secs", rl.window_secs, 1, 3600)?;
        for (k, v) in [
            ("rate_limits.sign_in_create", rl.sign_in_create),
            ("rate_limits.sign_up_create", rl.sign_up_create),
            ("rate_limits.attempts", rl.attempts),
            ("rate_limits.prepare", rl.prepare),
            ("rate_limits.dev_browser", rl.dev_browser),
        ] {
            range(k, v.into(), 0, 1_000_000)?;
        }
        range(
            "session_token_ttl_secs",
            self.session_token_ttl_secs,
            1,
            DAY,
        )?;
        range("session_ttl_secs", self.session_ttl_secs, 1, 10 * YEAR)?;
        range(
            "session_inactivity_timeout_secs",
            self.session_inactivity_timeout_secs,
            0,
            10 * YEAR,
        )?;
        range(
            "dev_browser_ttl_secs",
            self.dev_browser_ttl_secs,
            60,
            10 * YEAR,
        )?;
        for (k, list, known) in [
            (
                "email_address.strategies",
                &self.email_address.strategies,
                &["email_code", "email_link"][..],
            ),
            (
                "phone_number.strategies",
                &self.phone_number.strategies,
                &["phone_code"][..],
            ),
        ] {
            if let Some(s) = list.iter().find(|s| !known.contains(&s.as_str())) {
                return Err(bad(k, format!("{s:?} is not one of {known:?}")));
            }
        }
        if self.allowed_origins.len() > 100 {
            return Err(bad("allowed_origins", "at most 100 origins"));
        }
        for o in &self.allowed_origins {
            http_url("allowed_origins", o, true)?;
        }
        for (k, v) in [
            ("sign_in_url", &self.sign_in_url),
            ("sign_up_url", &self.sign_up_url),
            ("user_profile_url", &self.user_profile_url),
        ] {
            if !v.is_empty() {
                http_url(k, v, false)?;
            }
        }
        http_url("home_url", &self.home_url, false)?;
        Ok(())
    }

    pub fn email_strategy(&self, s: &str) -> bool {
        self.email_address.enabled && self.email_address.strategies.iter().any(|x| x == s)
    }

    pub fn phone_strategy(&self, s: &str) -> bool {
        self.phone_number.enabled && self.phone_number.strategies.iter().any(|x| x == s)
    }
}

fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                match b.get_mut(k) {
                    Some(slot) if slot.is_object() && v.is_object() => merge(slot, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

fn attribute(
    enabled: bool,
    required: bool,
    first_factors: &[String],
    second_factors: &[&str],
    verifications: &[String],
    channels: &[&str],
) -> Value {
    json!({
        "enabled": enabled,
        "required": required,
        "used_for_first_factor": enabled && !first_factors.is_empty(),
        "first_factors": if enabled { first_factors.to_vec() } else { vec![] },
        "used_for_second_factor": enabled && !second_factors.is_empty(),
        "second_factors": if enabled { second_factors.to_vec() } else { vec![] },
        "verifications": if enabled { verifications.to_vec() } else { vec![] },
        "verify_at_sign_up": enabled,
        "channels": channels,
        "immutable": false,
    })
}

fn off_attribute() -> Value {
    attribute(false, false, &[], &[], &[], &[])
}

/// The bare `/v1/environment` object.
/// `/v1/environment`; `base_url` is the emulator's own (the hosted pages'
/// origin, where the page URLs point unless configured).
pub fn environment_json(cfg: &InstanceConfig, now_ms: i64, base_url: &str) -> Value {
    let page = |configured: &str, path: &str| {
        if configured.is_empty() {
            [base_url, path].concat()
        } else {
            configured.to_string()
        }
    };
    let email = &cfg.email_address;
    let phone = &cfg.phone_number;
    let second: Vec<&str> = if cfg.second_factor && phone.enabled {
        vec!["phone_code"]
    } else {
        vec![]
    };
    let email_verifications: Vec<String> = email
        .strategies
        .iter()
        .filter(|s| s.as_str() == "email_code" || s.as_str() == "email_link")
        .cloned()
        .collect();
    let preferred = "otp";
    json!({
        "object": "environment",
        "id": "env_emulator",
        "auth_config": {
            "object": "auth_config",
            "id": "aac_emulator",
            "single_session_mode": !cfg.multi_session,
            "claimed_at": null,
            "reverification": false,
            "preferred_channels": {},
            "session_minter": false,
            "url_based_session_syncing": cfg.instance_type == InstanceType::Development,
            "test_mode": false,
        },
        "display_config": {
            "object": "display_config",
            "id": "display_config_emulator",
            "application_name": cfg.application_name,
            "instance_environment_type": cfg.instance_type.as_str(),
            "sign_in_url": page(&cfg.sign_in_url, "/sign-in"),
            "sign_up_url": page(&cfg.sign_up_url, "/sign-up"),
            "user_profile_url": page(&cfg.user_profile_url, "/user"),
            "after_sign_in_url": cfg.home_url,
            "after_sign_up_url": cfg.home_url,
            "after_sign_out_one_url": cfg.home_url,
            "after_sign_out_all_url": cfg.home_url,
            "after_switch_session_url": cfg.home_url,
            "home_url": cfg.home_url,
            "preferred_sign_in_strategy": preferred,
            "branded": false,
            "logo_image_url": "",
            "favicon_image_url": "",
            "captcha_public_key": null,
            "captcha_widget_type": null,
            "captcha_public_key_invisible": null,
            "captcha_provider": null,
            "captcha_oauth_bypass": [],
            "show_devmode_warning": false,
            "terms_url": null,
            "privacy_policy_url": null,
        },
        "user_settings": {
            "attributes": {
                "email_address": attribute(email.enabled, email.required, &email.strategies, &[], &email_verifications, &[]),
                "phone_number": attribute(phone.enabled, phone.required, &phone.strategies, &second, &phone.strategies, &["sms"]),
                "username": off_attribute(),
                "web3_wallet": off_attribute(),
                "first_name": attribute(true, false, &[], &[], &[], &[]),
                "last_name": attribute(true, false, &[], &[], &[], &[]),
                "password": off_attribute(),
                "authenticator_app": off_attribute(),
                "ticket": off_attribute(),
                "backup_code": off_attribute(),
                "passkey": off_attribute(),
            },
            "sign_in": {
                "second_factor": { "required": false, "enabled": cfg.second_factor },
            },
            "sign_up": {
                "captcha_enabled": false,
                "captcha_widget_type": "smart",
                "custom_action_required": false,
                "progressive": true,
                "mode": "public",
                "legal_consent_enabled": false,
            },
            "restrictions": {
                "allowlist": { "enabled": false },
                "blocklist": { "enabled": false },
                "block_email_subaddresses": { "enabled": false },
                "block_disposable_email_domains": { "enabled": false },
            },
            "username_settings": { "min_length": 4, "max_length": 64 },
            "actions": { "delete_self": true, "create_organization": false },
            "attack_protection": {
                "user_lockout": {
                    "enabled": cfg.lockout_attempts > 0,
                    "max_attempts": cfg.lockout_attempts,
                    "duration_in_minutes": cfg.lockout_secs / 60,
                },
                "pii": { "enabled": true },
                "email_link": { "require_same_client": cfg.require_same_client },
                "enumeration_protection": { "enabled": cfg.enumeration_protection },
            },
            "passkey_settings": { "allow_autofill": false, "show_sign_in_button": false },
            "password_settings": { "disable_hibp": true, "min_length": 8, "max_length": 72 },
            "social": {},
            "saml": { "enabled": false },
            "enterprise_sso": { "enabled": false },
        },
        "organization_settings": { "enabled": false },
        // ClerkJS reads `billing.user` and `billing.organization` unguarded
        // while loading: without them `load()` ends `degraded`.
        "commerce_settings": {
            "billing": {
                "stripe_publishable_key": null,
                "free_trial_requires_payment_method": false,
                "user": { "enabled": false, "has_paid_plans": false },
                "organization": { "enabled": false, "has_paid_plans": false },
            },
        },
        "api_keys_settings": {
            "enabled": false,
            "user_api_keys_enabled": false,
            "orgs_api_keys_enabled": false,
        },
        "maintenance_mode": false,
        "client_debug_mode": false,
        "partitioned_cookies": false,
        "updated_at": now_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_file_lists_the_defaults() {
        let c = InstanceConfig::from_toml(include_str!("../emulator.example.toml")).unwrap();
        assert_eq!(c, InstanceConfig::default());
    }

    #[test]
    fn toml_defaults_and_patch() {
        let c =
            InstanceConfig::from_toml("require_same_client = true\n[rate_limits]\nattempts = 0\n")
                .unwrap();
        assert!(c.require_same_client);
        assert_eq!(c.rate_limits.attempts, 0);
        assert_eq!(c.rate_limits.sign_in_create, 5);
        let p = c
            .patched(&json!({"rate_limits": {"sign_in_create": 1}, "max_attempts": 5}))
            .unwrap();
        assert_eq!(p.rate_limits.sign_in_create, 1);
        assert_eq!(p.rate_limits.attempts, 0);
        assert_eq!(p.max_attempts, 5);
        assert_eq!(c.patched(&json!({"nope": 1})).unwrap_err().field, "nope");
        assert_eq!(
            c.patched(&json!({"rate_limits": {"nope": 1}}))
                .unwrap_err()
                .field,
            "rate_limits.nope"
        );
    }

    #[test]
    fn bounds_name_the_field() {
        let c = InstanceConfig::default();
        let field = |patch: Value| c.patched(&patch).unwrap_err().field;
        assert_eq!(
            field(json!({"code_ttl_secs": 9_223_372_036_854_775_807u64})),
            "code_ttl_secs"
        );
        assert_eq!(field(json!({"code_ttl_secs": u64::MAX})), "code_ttl_secs");
        assert_eq!(field(json!({"code_ttl_secs": 0})), "code_ttl_secs");
        assert_eq!(field(json!({"code_ttl_secs": -1})), "code_ttl_secs");
        assert_eq!(field(json!({"code_ttl_secs": "600"})), "code_ttl_secs");
        assert_eq!(
            field(json!({"max_attempts": 4_294_967_296u64})),
            "max_attempts"
        );
        assert_eq!(field(json!({"max_attempts": 0})), "max_attempts");
        assert_eq!(
            field(json!({"session_ttl_secs": u64::MAX})),
            "session_ttl_secs"
        );
        assert_eq!(
            field(json!({"rate_limits": {"window_secs": 0}})),
            "rate_limits.window_secs"
        );
        assert_eq!(
            field(json!({"rate_limits": {"window_secs": 1e30}})),
            "rate_limits.window_secs"
        );
        assert_eq!(field(json!({"lockout_secs": u64::MAX})), "lockout_secs");
        assert_eq!(
            field(json!({"allowed_origins": ["evil"]})),
            "allowed_origins"
        );
        assert_eq!(
            field(json!({"allowed_origins": ["https://a.test/path"]})),
            "allowed_origins"
        );
        assert_eq!(
            field(json!({"home_url": "javascript:alert(1)"})),
            "home_url"
        );
        assert_eq!(
            field(json!({"phone_number": {"strategies": ["password"]}})),
            "phone_number.strategies"
        );
        assert!(c
            .patched(&json!({"allowed_origins": ["https://app.example.test"]}))
            .is_ok());
        let e = InstanceConfig::from_toml("code_ttl_secs = 0\n").unwrap_err();
        assert_eq!(e.field, "code_ttl_secs");
        let e = InstanceConfig::from_toml("[rate_limits]\nnope = 1\n").unwrap_err();
        assert_eq!(e.field, "rate_limits.nope");
    }
}
