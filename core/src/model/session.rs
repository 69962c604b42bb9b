//! Sessions, tokens and the dev-browser object.

use super::User;

string_enum! {
    /// Status of a session.
    pub enum SessionStatus {
        /// Signed in.
        Active = "active",
        /// Signed in with unfinished tasks.
        Pending = "pending",
        /// Signed out, still listed on the client.
        Ended = "ended",
        /// Removed from the client.
        Removed = "removed",
        /// Revoked by the application.
        Revoked = "revoked",
        /// Expired.
        Expired = "expired",
        /// Abandoned.
        Abandoned = "abandoned",
        /// Replaced (ClerkJS types only).
        Replaced = "replaced",
    }
}

impl SessionStatus {
    /// `active` or `pending`: the session counts as signed in.
    pub fn is_signed_in(&self) -> bool {
        matches!(self, SessionStatus::Active | SessionStatus::Pending)
    }
}

model! {
    /// A session token (`{"object":"token","jwt":…}`); also the bare body of
    /// `POST …/tokens`.
    pub struct Token {
        /// The JWT. Never log it.
        pub jwt: String,
    }
}

model! {
    /// The body of `POST /v1/dev_browser`.
    pub struct DevBrowser {
        /// The dev-browser JWT, sent later as `__clerk_db_jwt`.
        pub id: String,
    }
}

model! {
    /// Public data of the session's user.
    pub struct PublicUserData {
        /// First name.
        pub first_name: Option<String>,
        /// Last name.
        pub last_name: Option<String>,
        /// Avatar URL.
        pub image_url: Option<String>,
        /// Whether the user uploaded an image.
        pub has_image: bool,
        /// The identifier used to sign in.
        pub identifier: Option<String>,
        /// User id.
        pub user_id: Option<String>,
        /// Username.
        pub username: Option<String>,
    }
}

model! {
    /// A session (`object:"session"`).
    pub struct Session {
        /// Session id (`sess_…`).
        pub id: String,
        /// Status.
        pub status: SessionStatus,
        /// Expiry, Unix ms.
        pub expire_at: u64,
        /// Abandon time, Unix ms.
        pub abandon_at: u64,
        /// Last activity, Unix ms.
        pub last_active_at: u64,
        /// The latest session token; seeds the token cache.
        pub last_active_token: Option<Token>,
        /// Active organization, if any.
        pub last_active_organization_id: Option<String>,
        /// The signed-in user.
        pub user: Option<User>,
        /// Public user data.
        pub public_user_data: Option<PublicUserData>,
        /// Creation, Unix ms.
        pub created_at: u64,
        /// Last update, Unix ms.
        pub updated_at: u64,
    }
}

impl Session {
    /// The JWT of `last_active_token`, if any (never log it).
    pub fn last_active_jwt(&self) -> Option<&str> {
        self.last_active_token
            .as_ref()
            .map(|t| t.jwt.as_str())
            .filter(|j| !j.is_empty())
    }
}
