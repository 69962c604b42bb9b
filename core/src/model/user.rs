//! The user and their identifiers.

use super::Verification;

model! {
    /// An email address of a user (`object:"email_address"`).
    pub struct EmailAddress {
        /// Identifier id (`idn_…`).
        pub id: String,
        /// The address.
        pub email_address: String,
        /// Its verification.
        pub verification: Option<Verification>,
        /// Creation, Unix ms.
        pub created_at: u64,
        /// Last update, Unix ms.
        pub updated_at: u64,
    }
}

model! {
    /// A phone number of a user (`object:"phone_number"`).
    pub struct PhoneNumber {
        /// Identifier id (`idn_…`).
        pub id: String,
        /// E.164 number.
        pub phone_number: String,
        /// Its verification.
        pub verification: Option<Verification>,
        /// Reserved for second factor.
        pub reserved_for_second_factor: bool,
        /// Default second factor.
        pub default_second_factor: bool,
    }
}

model! {
    /// A user (`object:"user"`).
    pub struct User {
        /// User id (`user_…`).
        pub id: String,
        /// Primary email address id.
        pub primary_email_address_id: Option<String>,
        /// Primary phone number id.
        pub primary_phone_number_id: Option<String>,
        /// Email addresses.
        pub email_addresses: Vec<EmailAddress>,
        /// Phone numbers.
        pub phone_numbers: Vec<PhoneNumber>,
        /// Username.
        pub username: Option<String>,
        /// First name.
        pub first_name: Option<String>,
        /// Last name.
        pub last_name: Option<String>,
        /// Avatar URL.
        pub image_url: Option<String>,
        /// Whether the user uploaded an image.
        pub has_image: bool,
        /// Whether a password is set.
        pub password_enabled: bool,
        /// Whether a second factor is on.
        pub two_factor_enabled: bool,
        /// Creation, Unix ms.
        pub created_at: u64,
        /// Last update, Unix ms.
        pub updated_at: u64,
    }
}

impl User {
    /// The email address with this id.
    pub fn email_address(&self, id: &str) -> Option<&EmailAddress> {
        self.email_addresses.iter().find(|e| e.id == id)
    }

    /// The phone number with this id.
    pub fn phone_number(&self, id: &str) -> Option<&PhoneNumber> {
        self.phone_numbers.iter().find(|p| p.id == id)
    }

    /// The primary email address.
    pub fn primary_email_address(&self) -> Option<&EmailAddress> {
        self.email_address(self.primary_email_address_id.as_deref()?)
    }

    /// The primary phone number.
    pub fn primary_phone_number(&self) -> Option<&PhoneNumber> {
        self.phone_number(self.primary_phone_number_id.as_deref()?)
    }
}
