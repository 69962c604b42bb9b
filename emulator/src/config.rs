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
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            window_secs: 10,
            sign_in_create: 5,
            sign_up_create: 5,
            attempts: 3,
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
    /// Minimum seconds between two codes/links sent to the same identifier (0 disables).
    pub resend_throttle_secs: u64,
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
    pub session_ttl_secs: u64,
    pub sign_in_url: String,
    pub sign_up_url: String,
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
            rate_limits: RateLimits::default(),
            second_factor: false,
            enumeration_protection: false,
            multi_session: false,
            allowed_origins: Vec::new(),
            session_token_ttl_secs: 60,
            session_ttl_secs: 7 * 24 * 3600,
            sign_in_url: "http://localhost:3000/sign-in".into(),
            sign_up_url: "http://localhost:3000/sign-up".into(),
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

impl InstanceConfig {
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// Applies a JSON object holding any subset of the keys (nested objects merge).
    pub fn patched(&self, patch: &Value) -> Result<Self, String> {
        if !patch.is_object() {
            return Err("the body must be a JSON object".into());
        }
        let mut base = serde_json::to_value(self).map_err(|e| e.to_string())?;
        merge(&mut base, patch);
        serde_json::from_value(base).map_err(|e| e.to_string())
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
pub fn environment_json(cfg: &InstanceConfig, now_ms: i64) -> Value {
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
            "sign_in_url": cfg.sign_in_url,
            "sign_up_url": cfg.sign_up_url,
            "user_profile_url": format!("{}/user", cfg.home_url.trim_end_matches('/')),
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
        assert!(c.patched(&json!({"nope": 1})).is_err());
    }
}
