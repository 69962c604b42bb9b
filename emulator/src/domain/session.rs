//! Session lifetime, as Clerk's: a session lives at most `session_ttl_secs`
//! from creation (then it is `expired`), and, when
//! `session_inactivity_timeout_secs` is set, is `abandoned` once it has not
//! been active (touched or a token fetched) for that long. Both are derived
//! when a session is read, so every reader sees the same status at the same
//! virtual time and no read has to write.

use crate::config::InstanceConfig;
use crate::model::Session;

/// When an active session is abandoned for inactivity (never after it expires).
pub fn abandon_at(s: &Session, cfg: &InstanceConfig) -> i64 {
    match cfg.session_inactivity_timeout_secs {
        0 => s.expire_at,
        t => super::after_secs(s.last_active_at, t).min(s.expire_at),
    }
}

/// The status at `now`: `expired` past the lifetime, `abandoned` past the
/// inactivity timeout, else the stored one.
pub fn status<'s>(s: &'s Session, cfg: &InstanceConfig, now: i64) -> &'s str {
    if s.status != "active" {
        return &s.status;
    }
    if now >= s.expire_at {
        "expired"
    } else if now >= abandon_at(s, cfg) {
        "abandoned"
    } else {
        "active"
    }
}

pub fn is_active(s: &Session, cfg: &InstanceConfig, now: i64) -> bool {
    status(s, cfg, now) == "active"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(now: i64, ttl: u64) -> Session {
        Session {
            id: "sess_1".into(),
            client_id: "client_1".into(),
            user_id: "user_1".into(),
            status: "active".into(),
            first_factor_at: now,
            second_factor_at: None,
            last_active_at: now,
            expire_at: crate::domain::after_secs(now, ttl),
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn expiry_and_abandonment() {
        let mut cfg = InstanceConfig::default();
        let s = session(0, 100);
        assert_eq!(status(&s, &cfg, 99_999), "active");
        assert_eq!(status(&s, &cfg, 100_000), "expired");
        assert_eq!(abandon_at(&s, &cfg), 100_000);
        cfg.session_inactivity_timeout_secs = 10;
        assert_eq!(abandon_at(&s, &cfg), 10_000);
        assert_eq!(status(&s, &cfg, 10_000), "abandoned");
        let mut touched = s.clone();
        touched.last_active_at = 9_000;
        assert_eq!(status(&touched, &cfg, 10_000), "active");
        assert_eq!(status(&touched, &cfg, 200_000), "expired");
        let mut ended = s.clone();
        ended.status = "ended".into();
        assert_eq!(status(&ended, &cfg, 1), "ended");
    }
}
