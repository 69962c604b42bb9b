//! Per-key sliding-window rate limiting on the virtual clock.

use std::collections::{HashMap, VecDeque};

#[derive(Default)]
pub struct RateLimiter {
    hits: HashMap<String, VecDeque<i64>>,
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
        let window = window_secs as i64 * 1000;
        let q = self.hits.entry(key.to_string()).or_default();
        while q.front().is_some_and(|&t| t <= now_ms - window) {
            q.pop_front();
        }
        if q.len() >= limit as usize {
            let oldest = *q.front().expect("non-empty");
            let wait_ms = (oldest + window - now_ms).max(1);
            return Err(((wait_ms + 999) / 1000) as u64);
        }
        q.push_back(now_ms);
        Ok(())
    }

    pub fn clear(&mut self) {
        self.hits.clear();
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
    }
}
