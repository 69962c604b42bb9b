//! What the engine knows: the environment, the client, the active session,
//! the latest sign-in and sign-up, the newer API's per-attempt status, and
//! the token cache. Read it with [`super::Engine::state`]; only the engine
//! writes it.

use crate::errors::{ClerkError, FieldErrors, FieldSet};
use crate::jwt::TokenCache;
use crate::model::decode::{Decode, Source};
use crate::model::{Client, Environment, Session, Sessions, SignIn, SignUp, SignUpView, User};

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

/// The parts of the client the engine reads. The full [`Client`] model
/// (users, addresses, …) is decoded only on demand ([`State::client_model`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientView {
    /// Each session's id and whether it is signed in (active or pending).
    pub sessions: Vec<(String, bool)>,
    /// The last active session.
    pub last_active_session_id: Option<String>,
    /// Last update, Unix ms.
    pub updated_at: u64,
    second_factor: bool,
    sign_up_open: bool,
}

/// A string member of `v`.
fn text<V: Source>(v: &V, key: &str) -> Option<String> {
    v.field(key).and_then(|x| x.string())
}

impl ClientView {
    /// Reads the client JSON; offers each signed-in session's
    /// `last_active_token` to the token cache.
    fn read<V: Source>(json: &V, tokens: &mut TokenCache) -> ClientView {
        let mut sessions = Vec::new();
        for s in json
            .field("sessions")
            .map(|v| v.items())
            .unwrap_or_default()
        {
            let id = text(&s, "id").unwrap_or_default();
            let signed_in = matches!(text(&s, "status").as_deref(), Some("active" | "pending"));
            if signed_in {
                let jwt = s.field("last_active_token").and_then(|t| text(&t, "jwt"));
                if let Some(jwt) = jwt {
                    tokens.offer::<V>(&id, &jwt);
                }
            }
            sessions.push((id, signed_in));
        }
        let status = |key: &str| json.field(key).and_then(|a| text(&a, "status"));
        ClientView {
            sessions,
            last_active_session_id: text(json, "last_active_session_id"),
            updated_at: json
                .field("updated_at")
                .and_then(|n| n.number())
                .unwrap_or(0.0) as u64,
            second_factor: status("sign_in").as_deref() == Some("needs_second_factor"),
            sign_up_open: status("sign_up").as_deref() == Some("missing_requirements"),
        }
    }

    /// The signed-in sessions' ids.
    pub fn signed_in(&self) -> impl Iterator<Item = &str> {
        self.sessions
            .iter()
            .filter(|(_, s)| *s)
            .map(|(id, _)| id.as_str())
    }

    /// The session to pick at load: the last active one if signed in, else
    /// the first signed-in one.
    pub fn pick_active(&self) -> Option<&str> {
        let last = self.last_active_session_id.as_deref();
        last.filter(|id| self.has_signed_in_session(id))
            .or_else(|| self.signed_in().next())
    }
}

impl Sessions for ClientView {
    fn has_session(&self, id: &str) -> bool {
        self.sessions.iter().any(|(s, _)| s == id)
    }
    fn has_signed_in_session(&self, id: &str) -> bool {
        self.signed_in().any(|s| s == id)
    }
    fn sign_in_needs_second_factor(&self) -> bool {
        self.second_factor
    }
    fn sign_up_open(&self) -> bool {
        self.sign_up_open
    }
}

/// Everything the client object shows.
#[derive(Debug, Clone)]
pub struct State<V> {
    /// `load()` resolved.
    pub loaded: bool,
    /// The last `load()` failed (ClerkJS's `status` is then `error`).
    pub load_failed: bool,
    /// `/v1/environment` as received ([`State::environment_model`] decodes it).
    pub environment: Option<V>,
    /// The client as received (`None` before load, or when the server has none).
    pub client: Option<V>,
    /// What the engine reads of the client.
    pub client_view: ClientView,
    /// The active session's id (signed in).
    pub session_id: Option<String>,
    /// The latest sign-in seen: a call's answer or the client's. Kept after
    /// the client drops it on completion, so `status` and
    /// `createdSessionId` stay readable.
    pub sign_in: Option<Raw<SignIn, V>>,
    /// The latest sign-up seen, likewise.
    pub sign_up: Option<Raw<SignUpView, V>>,
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
            load_failed: false,
            environment: None,
            client: None,
            client_view: ClientView::default(),
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
    /// The environment, decoded.
    pub fn environment_model(&self) -> Option<Environment> {
        self.environment.as_ref().map(Environment::decode)
    }

    /// The client, decoded.
    pub fn client_model(&self) -> Option<Client> {
        self.client.as_ref().map(Client::decode)
    }

    /// The active session's JSON (signed in), if any.
    pub fn session_json(&self) -> Option<V> {
        let id = self.session_id.as_deref()?;
        if !self.client_view.has_signed_in_session(id) {
            return None;
        }
        let sessions = self.client.as_ref()?.field("sessions")?;
        sessions
            .items()
            .into_iter()
            .find(|s| text(s, "id").as_deref() == Some(id))
    }

    /// The active session, decoded.
    pub fn session(&self) -> Option<Session> {
        self.session_json().map(|s| Session::decode(&s))
    }

    /// The signed-in user, decoded.
    pub fn user(&self) -> Option<User> {
        self.session_json()?.field("user").map(|u| User::decode(&u))
    }

    /// Whether `id` is a signed-in session of the client.
    pub fn is_signed_in_session(&self, id: &str) -> bool {
        self.client_view.has_signed_in_session(id)
    }

    /// The signed-in sessions' ids.
    pub fn signed_in_ids(&self) -> Vec<&str> {
        crate::list::filter_map(&self.client_view.sessions, |(id, s)| {
            s.then_some(id.as_str())
        })
    }

    /// The latest sign-in's model.
    pub fn sign_in_model(&self) -> Option<&SignIn> {
        self.sign_in.as_ref().map(|s| &s.model)
    }

    /// What the engine reads of the latest sign-up.
    pub fn sign_up_model(&self) -> Option<&SignUpView> {
        self.sign_up.as_ref().map(|s| &s.model)
    }

    /// The latest sign-up, every field decoded from its JSON (for the Rust
    /// API and the forms; the engine keeps only [`SignUpView`]).
    pub fn sign_up_full(&self) -> Option<SignUp> {
        self.sign_up.as_ref().map(|s| SignUp::decode(&s.json))
    }

    /// The JSON of email address `id`: the latest answer about it, else the
    /// signed-in user's.
    pub fn email_address_json(&self, id: &str) -> Option<V> {
        if let Some((_, v)) = self.email_addresses.iter().find(|(i, _)| i == id) {
            return Some(v.clone());
        }
        let user = self.session_json()?.field("user")?;
        let emails = user.field("email_addresses")?.items();
        emails
            .iter()
            .find(|e| text(*e, "id").as_deref() == Some(id))
            .cloned()
    }

    /// The id of the client, once loaded (`None` before, or while the
    /// browser has no client yet).
    pub fn client_id(&self) -> Option<String> {
        self.client
            .as_ref()
            .filter(|_| self.loaded)
            .and_then(|c| c.field("id"))
            .and_then(|i| i.string())
    }

    /// Replaces the client (`json` `None`: the server has none). The sign-in
    /// and sign-up it carries become the latest ones; the active session is
    /// kept only while it is still signed in; tokens it carries are cached
    /// unless a later one is, and tokens of sessions gone are dropped.
    pub(crate) fn apply_client(&mut self, json: Option<V>) {
        self.client_view = match &json {
            Some(c) => {
                if let Some(si) = c.field("sign_in") {
                    self.sign_in = Some(Raw::decode(si));
                }
                if let Some(su) = c.field("sign_up") {
                    self.sign_up = Some(Raw::decode(su));
                }
                ClientView::read(c, &mut self.tokens)
            }
            None => ClientView::default(),
        };
        self.client = json;
        if let Some(id) = self.session_id.as_deref() {
            if !self.client_view.has_signed_in_session(id) {
                self.session_id = None;
            }
        }
        for id in self.tokens.sessions() {
            if !self.client_view.has_signed_in_session(&id) {
                self.tokens.remove_session(&id);
            }
        }
    }
}
