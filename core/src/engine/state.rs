//! What the engine knows: the environment, the client, the active session,
//! the latest sign-in and sign-up, the newer API's per-attempt status, and
//! the token cache. Read it with [`super::Engine::state`]; only the engine
//! writes it.

use crate::errors::{ClerkError, FieldErrors, FieldSet};
use crate::jwt::TokenCache;
use crate::model::decode::{Decode, Source};
use crate::model::{Client, Environment, Session, SignIn, SignUp, User};

/// Which attempt a newer-API call works on (for `fetchStatus` / `errors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The sign-in attempt.
    SignIn = 0,
    /// The sign-up attempt.
    SignUp = 1,
}

impl Attempt {
    /// The fields its errors are routed to.
    pub fn field_set(self) -> FieldSet {
        match self {
            Attempt::SignIn => FieldSet::SignIn,
            Attempt::SignUp => FieldSet::SignUp,
        }
    }
}

/// The newer API's status of one attempt.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttemptStatus {
    /// A tracked call is in flight (`fetchStatus === 'fetching'`).
    pub fetching: bool,
    /// The error of the last tracked call (cleared when one starts).
    pub error: Option<ClerkError>,
}

impl AttemptStatus {
    /// The `errors` view (`{ fields, raw, global }`) of the last error.
    pub fn field_errors(&self, attempt: Attempt) -> FieldErrors {
        self.error
            .as_ref()
            .map(|e| FieldErrors::from_error(e, attempt.field_set()))
            .unwrap_or_default()
    }
}

/// A decoded resource and the JSON it came from (the JS skin reads every
/// field of the JSON; the engine reads the model).
#[derive(Debug, Clone)]
pub struct Raw<T, V> {
    /// The decoded model.
    pub model: T,
    /// The JSON as received (snake_case).
    pub json: V,
}

impl<T: Decode, V: Source> Raw<T, V> {
    pub(crate) fn decode(json: V) -> Raw<T, V> {
        Raw {
            model: T::decode(&json),
            json,
        }
    }
}

/// Everything the client object shows.
#[derive(Debug, Clone)]
pub struct State<V> {
    /// `load()` resolved.
    pub loaded: bool,
    /// `/v1/environment`.
    pub environment: Option<Raw<Environment, V>>,
    /// The client (`None` before load, or when the server has none).
    pub client: Option<Raw<Client, V>>,
    /// The active session's id (signed in).
    pub session_id: Option<String>,
    /// The latest sign-in seen: a call's answer or the client's. Kept after
    /// the client drops it on completion, so `status` and
    /// `createdSessionId` stay readable.
    pub sign_in: Option<Raw<SignIn, V>>,
    /// The latest sign-up seen, likewise.
    pub sign_up: Option<Raw<SignUp, V>>,
    /// Email addresses answered by the email-address operations, by id.
    pub email_addresses: Vec<(String, V)>,
    /// The newer API's status, by [`Attempt`].
    pub attempts: [AttemptStatus; 2],
    pub(crate) tokens: TokenCache,
}

impl<V> Default for State<V> {
    fn default() -> Self {
        State {
            loaded: false,
            environment: None,
            client: None,
            session_id: None,
            sign_in: None,
            sign_up: None,
            email_addresses: Vec::new(),
            attempts: Default::default(),
            tokens: TokenCache::default(),
        }
    }
}

impl<V: Source + Clone> State<V> {
    /// The decoded client, if any.
    pub fn client_model(&self) -> Option<&Client> {
        self.client.as_ref().map(|c| &c.model)
    }

    /// The active session (signed in), if any.
    pub fn session(&self) -> Option<&Session> {
        let id = self.session_id.as_deref()?;
        self.client_model()?.signed_in_session(id)
    }

    /// The active session's JSON.
    pub fn session_json(&self) -> Option<V> {
        let id = self.session_id.as_deref()?;
        self.session()?;
        let sessions = self.client.as_ref()?.json.field("sessions")?;
        let found = sessions
            .items()
            .into_iter()
            .find(|s| s.field("id").and_then(|i| i.string()).as_deref() == Some(id));
        found
    }

    /// The signed-in user.
    pub fn user(&self) -> Option<&User> {
        self.session()?.user.as_ref()
    }

    /// Whether `id` is a signed-in session of the client.
    pub fn is_signed_in_session(&self, id: &str) -> bool {
        self.client_model()
            .is_some_and(|c| c.signed_in_session(id).is_some())
    }

    /// The signed-in sessions' ids.
    pub fn signed_in_ids(&self) -> Vec<&str> {
        self.client_model()
            .map(|c| c.signed_in_sessions().map(|s| s.id.as_str()).collect())
            .unwrap_or_default()
    }

    /// The latest sign-in's model.
    pub fn sign_in_model(&self) -> Option<&SignIn> {
        self.sign_in.as_ref().map(|s| &s.model)
    }

    /// The latest sign-up's model.
    pub fn sign_up_model(&self) -> Option<&SignUp> {
        self.sign_up.as_ref().map(|s| &s.model)
    }

    /// The JSON of email address `id`: the latest answer about it, else the
    /// signed-in user's.
    pub fn email_address_json(&self, id: &str) -> Option<V> {
        if let Some((_, v)) = self.email_addresses.iter().find(|(i, _)| i == id) {
            return Some(v.clone());
        }
        let user = self.session_json()?.field("user")?;
        user.field("email_addresses")?
            .items()
            .into_iter()
            .find(|e| e.field("id").and_then(|i| i.string()).as_deref() == Some(id))
    }

    /// Replaces the client (`json` `None`: the server has none). The sign-in
    /// and sign-up it carries become the latest ones; the active session is
    /// kept only while it is still signed in; tokens it carries are cached
    /// unless a later one is. Returns whether the active session ended.
    pub(crate) fn apply_client(&mut self, json: Option<V>) -> bool {
        let client = json.map(Raw::<Client, V>::decode);
        if let Some(c) = &client {
            for s in c.model.signed_in_sessions() {
                if let Some(jwt) = s.last_active_jwt() {
                    self.tokens.offer(&s.id, jwt);
                }
            }
            if let Some(si) = c.json.field("sign_in") {
                self.sign_in = Some(Raw::decode(si));
            }
            if let Some(su) = c.json.field("sign_up") {
                self.sign_up = Some(Raw::decode(su));
            }
        }
        self.client = client;
        let ended = match self.session_id.as_deref() {
            Some(id) => !self.is_signed_in_session(id),
            None => false,
        };
        if ended {
            self.session_id = None;
        }
        for id in self
            .tokens
            .sessions()
            .into_iter()
            .filter(|id| !self.is_signed_in_session(id))
            .collect::<Vec<_>>()
        {
            self.tokens.remove_session(&id);
        }
        ended
    }
}
