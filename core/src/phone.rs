//! Light E.164 normalisation; the server stays the authority.

/// Why a phone number was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// The number does not start with `+` (country code required).
    #[error("Enter the phone number with its country code, starting with +.")]
    MissingPlus,
    /// A character other than digits and separators.
    #[error("The phone number may contain only digits.")]
    InvalidCharacter,
    /// Fewer than 8 digits.
    #[error("The phone number is too short.")]
    TooShort,
    /// More than 15 digits.
    #[error("The phone number is too long.")]
    TooLong,
}

impl PhoneError {
    /// A user-facing message.
    pub fn message(&self) -> &'static str {
        match self {
            PhoneError::MissingPlus => {
                "Enter the phone number with its country code, starting with +."
            }
            PhoneError::InvalidCharacter => "The phone number may contain only digits.",
            PhoneError::TooShort => "The phone number is too short.",
            PhoneError::TooLong => "The phone number is too long.",
        }
    }
}

/// Strips spaces, dashes, dots and parentheses, then requires `+` followed by
/// 8–15 digits. Returns the compact `+<digits>` form.
pub fn normalize_e164(input: &str) -> Result<String, PhoneError> {
    let mut out = String::with_capacity(16);
    for c in input.chars() {
        match c {
            '+' if out.is_empty() => out.push('+'),
            '0'..='9' => {
                if out.is_empty() {
                    return Err(PhoneError::MissingPlus);
                }
                out.push(c);
            }
            ' ' | '-' | '.' | '(' | ')' | '\t' | '\u{a0}' => {}
            _ => return Err(PhoneError::InvalidCharacter),
        }
    }
    let digits = out.len().saturating_sub(1);
    if out.is_empty() {
        Err(PhoneError::MissingPlus)
    } else if digits < 8 {
        Err(PhoneError::TooShort)
    } else if digits > 15 {
        Err(PhoneError::TooLong)
    } else {
        Ok(out)
    }
}

/// True when two phone numbers are the same after normalisation.
pub fn same_number(a: &str, b: &str) -> bool {
    matches!((normalize_e164(a), normalize_e164(b)), (Ok(x), Ok(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(normalize_e164("+1 (555) 555-0123").unwrap(), "+15555550123");
        assert_eq!(
            normalize_e164(" +44.20.7946.0958 ").unwrap(),
            "+442079460958"
        );
        assert_eq!(normalize_e164("+12345678").unwrap(), "+12345678");
        assert_eq!(
            normalize_e164("+123456789012345").unwrap(),
            "+123456789012345"
        );
    }

    #[test]
    fn rejects() {
        assert_eq!(normalize_e164(""), Err(PhoneError::MissingPlus));
        assert_eq!(normalize_e164("   "), Err(PhoneError::MissingPlus));
        assert_eq!(normalize_e164("15555550123"), Err(PhoneError::MissingPlus));
        assert_eq!(normalize_e164("(555) +1"), Err(PhoneError::MissingPlus));
        assert_eq!(
            normalize_e164("+1555x0123"),
            Err(PhoneError::InvalidCharacter)
        );
        assert_eq!(
            normalize_e164("++15555550123"),
            Err(PhoneError::InvalidCharacter)
        );
        assert_eq!(
            normalize_e164("+1555+5550123"),
            Err(PhoneError::InvalidCharacter)
        );
        assert_eq!(normalize_e164("+1234567"), Err(PhoneError::TooShort));
        assert_eq!(normalize_e164("+"), Err(PhoneError::TooShort));
        assert_eq!(
            normalize_e164("+1234567890123456"),
            Err(PhoneError::TooLong)
        );
        for e in [
            PhoneError::MissingPlus,
            PhoneError::InvalidCharacter,
            PhoneError::TooShort,
            PhoneError::TooLong,
        ] {
            let mut s = String::new();
            core::fmt::write(&mut s, format_args!("{e}")).unwrap();
            assert_eq!(s, e.message());
        }
    }

    #[test]
    fn compares() {
        assert!(same_number("+1 555 555 0123", "+15555550123"));
        assert!(!same_number("+15555550123", "+15555550124"));
        assert!(!same_number("bad", "bad"));
    }
}
