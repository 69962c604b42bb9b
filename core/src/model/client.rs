//! The client: sessions plus the in-progress sign-in and sign-up.

use super::{Session, SignIn, SignInStatus, SignUp, SignUpStatus};

model! {
    /// The browser's client (`object:"client"`).
    pub struct Client {
        /// Client id (`client_…`); empty before the server created one.
        pub id: String,
        /// All sessions on this client, any status.
        pub sessions: Vec<Session>,
        /// The current sign-in attempt.
        pub sign_in: Option<SignIn>,
        /// The current sign-up attempt.
        pub sign_up: Option<SignUp>,
        /// The last active session.
        pub last_active_session_id: Option<String>,
        /// Strategy last used to authenticate on this client.
        pub last_authentication_strategy: Option<String>,
        /// When the client cookie expires, Unix ms.
        pub cookie_expires_at: Option<u64>,
        /// Creation, Unix ms.
        pub created_at: u64,
        /// Last update, Unix ms.
        pub updated_at: u64,
    }
}

impl Client {
    /// The session with this id, any status.
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// Sessions with status `active` or `pending`.
    pub fn signed_in_sessions(&self) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(|s| s.status.is_signed_in())
    }

    /// The signed-in session with this id.
    pub fn signed_in_session(&self, id: &str) -> Option<&Session> {
        self.signed_in_sessions().find(|s| s.id == id)
    }

    /// The session to make current after a client update: `current` if still
    /// signed in, else `last_active_session_id` if signed in, else the first
    /// signed-in session.
    pub fn pick_active_session(&self, current: Option<&str>) -> Option<&Session> {
        current
            .and_then(|id| self.signed_in_session(id))
            .or_else(|| self.signed_in_session(self.last_active_session_id.as_deref()?))
            .or_else(|| self.signed_in_sessions().next())
    }
}

/// What the flows ask of a client: its sessions and its attempts' statuses.
/// Implemented by the full [`Client`] and by the engine's slim view of it.
pub trait Sessions {
    /// A session with this id is on the client (any status).
    fn has_session(&self, id: &str) -> bool;
    /// A session with this id is signed in (active or pending).
    fn has_signed_in_session(&self, id: &str) -> bool;
    /// The client's sign-in waits for a second factor.
    fn sign_in_needs_second_factor(&self) -> bool;
    /// The client's sign-up misses requirements.
    fn sign_up_open(&self) -> bool;
}

impl Sessions for Client {
    fn has_session(&self, id: &str) -> bool {
        self.session(id).is_some()
    }
    fn has_signed_in_session(&self, id: &str) -> bool {
        self.signed_in_session(id).is_some()
    }
    fn sign_in_needs_second_factor(&self) -> bool {
        self.sign_in
            .as_ref()
            .is_some_and(|s| s.status == SignInStatus::NeedsSecondFactor)
    }
    fn sign_up_open(&self) -> bool {
        self.sign_up
            .as_ref()
            .is_some_and(|s| s.status == SignUpStatus::MissingRequirements)
    }
}
