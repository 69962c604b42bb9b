//! Per-key sliding-window rate limiting on the virtual clock. Keys whose
//! window has passed are pruned, so the map stays as small as the traffic of
//! the last window.

use std::collections::{HashMap, VecDeque};

/// Checks between two prunes.
const PRUNE_EVERY: u32 = 512;

struct Window {
    hits: VecDeque<i64>,
    window_ms: i64,
}

#[derive(Default)]
pub struct RateLimiter {
    keys: HashMap<String, Window>,
    since_prune: u32,
}

impl RateLimiter {
    /// Records a hit for `key` at `now_ms`, or returns the seconds to wait
    /// (`Retry-After`) when `limit` hits already happened within `window_secs`.
    /// `limit == 0` disables the limit.
    pub fn check(
        &mut self,
        key: &str,
        limit: u32,
        window_secs: u64,
        now_ms: i64,
    ) -> Result<(), u64> {
        if limit == 0 || window_secs == 0 {
            return Ok(());
        }
        self.since_prune += 1;
        if self.since_prune >= PRUNE_EVERY {
            self.prune(now_ms);
        }
        let window_ms = super::after_secs(0, window_secs);
        let w = self.keys.entry(key.to_string()).or_insert_with(|| Window {
            hits: VecDeque::new(),
            window_ms,
        });
        w.window_ms = window_ms;
        let start = now_ms.saturating_sub(window_ms);
        while w.hits.front().is_some_and(|&t| t <= start) {
            w.hits.pop_front();
        }
        // A clock moved backwards: hits "in the future" are dropped too.
        while w.hits.back().is_some_and(|&t| t > now_ms) {
            w.hits.pop_back();
        }
        if w.hits.len() >= limit as usize {
            let oldest = *w.hits.front().unwrap_or(&now_ms);
            return Err(super::secs_until(now_ms, oldest.saturating_add(window_ms)));
        }
        w.hits.push_back(now_ms);
        Ok(())
    }

    /// Drops every key with no hit inside its window.
    pub fn prune(&mut self, now_ms: i64) {
        self.since_prune = 0;
        self.keys.retain(|_, w| {
            w.hits
                .back()
                .is_some_and(|&t| t > now_ms.saturating_sub(w.window_ms) && t <= now_ms)
        });
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn clear(&mut self) {
        self.keys.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliding_window() {
        let mut r = RateLimiter::default();
        for i in 0..3 {
            assert!(r.check("k", 3, 10, i * 100).is_ok());
        }
        assert_eq!(r.check("k", 3, 10, 1000), Err(9));
        assert!(r.check("other", 3, 10, 1000).is_ok());
        assert!(r.check("k", 3, 10, 10_001).is_ok());
        assert!(r.check("k", 0, 10, 0).is_ok());
        // No overflow at the extremes.
        assert!(r.check("big", 3, u64::MAX, i64::MAX).is_ok());
        assert!(r.check("big", 1, u64::MAX, i64::MAX).is_err());
        assert!(r.check("min", 3, u64::MAX, i64::MIN).is_ok());
    }

    #[test]
    fn keys_are_pruned() {
        let mut r = RateLimiter::default();
        for i in 0..10_000 {
            r.check(&format!("ip{i}"), 5, 10, 0).unwrap();
        }
        assert_eq!(r.len(), 10_000);
        // Later traffic prunes the stale keys by itself.
        for i in 0..PRUNE_EVERY {
            r.check(&format!("new{i}"), 5, 10, 20_000).unwrap();
        }
        assert!(r.len() <= PRUNE_EVERY as usize, "{}", r.len());
        r.prune(1_000_000);
        assert!(r.is_empty());
    }
}
