//! Email links: when a poll is finished, the wall-clock deadline, and the
//! landing page (PROTOCOL.md §5.1–5.2).

use crate::endpoints::{me, sign_ins, sign_ups};
use crate::errors::{precondition, ClerkError, EmailLinkErrorCode};
use crate::model::{
    EmailAddress, Sessions, SignIn, SignInStatus, SignUpStatus, SignUpView, Verification,
    VerificationStatus,
};
use crate::request::Request;

/// Delay between the end of one poll and the start of the next.
pub const POLL_INTERVAL_MS: u64 = 1_000;
/// Query parameter with the verification status on the landing URL.
pub const STATUS_PARAM: &str = "__clerk_status";
/// Query parameter with the created session id on the landing URL.
pub const CREATED_SESSION_PARAM: &str = "__clerk_created_session";

/// Which resource is polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollKind {
    /// A sign-in (`*_factor_verification`).
    SignIn,
    /// A sign-up (`verifications.email_address`).
    SignUp,
    /// A user's email address (`verification`).
    EmailAddress,
}

/// How a wait for an email link ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOutcome {
    /// The link was opened and verified.
    Verified,
    /// The link expired (by status, or by the wall-clock deadline).
    Expired,
    /// Sign-in only: verified, but no user exists (transfer to sign-up).
    Transferable,
}

impl LinkOutcome {
    /// `verified`, `expired` or `transferable`.
    pub fn as_str(&self) -> &'static str {
        match self {
            LinkOutcome::Verified => "verified",
            LinkOutcome::Expired => "expired",
            LinkOutcome::Transferable => "transferable",
        }
    }
}

/// The terminal-status rule: sign-in stops on verified, expired and
/// transferable; sign-up and email address on verified and expired (ClerkJS
/// keeps polling an email address on `expired`; we stop). `failed` and
/// `unverified` keep polling.
pub fn poll_outcome(kind: PollKind, verification: Option<&Verification>) -> Option<LinkOutcome> {
    match verification?.status {
        VerificationStatus::Verified => Some(LinkOutcome::Verified),
        VerificationStatus::Expired => Some(LinkOutcome::Expired),
        VerificationStatus::Transferable if kind == PollKind::SignIn => {
            Some(LinkOutcome::Transferable)
        }
        _ => None,
    }
}

/// True once the wall clock has reached the verification's `expire_at`
/// (0 means unknown: never). Pass a server-skew-corrected `now_ms` if known.
pub fn deadline_passed(expire_at_ms: u64, now_ms: u64) -> bool {
    expire_at_ms != 0 && now_ms >= expire_at_ms
}

/// A polled resource, as last reloaded.
#[derive(Debug, Clone, Copy)]
pub enum PollResource<'a> {
    /// A sign-in; `second_factor` when the link was prepared as a second factor
    /// (the sign-in was `needs_second_factor`/`needs_client_trust` at start).
    SignIn {
        /// The sign-in.
        sign_in: &'a SignIn,
        /// Which factor's verification to watch.
        second_factor: bool,
    },
    /// A sign-up.
    SignUp(&'a SignUpView),
    /// A user's email address.
    EmailAddress(&'a EmailAddress),
}

/// What to do after a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollStep {
    /// Stop and settle with this outcome.
    Done(LinkOutcome),
    /// Poll again after [`POLL_INTERVAL_MS`].
    Continue,
}

impl<'a> PollResource<'a> {
    /// A sign-in poll; watches the second factor when the sign-in currently
    /// waits for one (call this at start and keep the value).
    pub fn sign_in(sign_in: &'a SignIn) -> PollResource<'a> {
        PollResource::SignIn {
            sign_in,
            second_factor: sign_in.status.needs_second_factor(),
        }
    }

    /// The resource kind.
    pub fn kind(&self) -> PollKind {
        match self {
            PollResource::SignIn { .. } => PollKind::SignIn,
            PollResource::SignUp(_) => PollKind::SignUp,
            PollResource::EmailAddress(_) => PollKind::EmailAddress,
        }
    }

    /// The verification being watched.
    pub fn verification(&self) -> Option<&'a Verification> {
        match *self {
            PollResource::SignIn {
                sign_in,
                second_factor: false,
            } => sign_in.first_factor_verification.as_ref(),
            PollResource::SignIn {
                sign_in,
                second_factor: true,
            } => sign_in.second_factor_verification.as_ref(),
            PollResource::SignUp(s) => s.verifications.email_address.as_ref(),
            PollResource::EmailAddress(e) => e.verification.as_ref(),
        }
    }

    /// [`poll_outcome`], plus "completed elsewhere": a sign-in or sign-up that
    /// is already `complete` counts as verified.
    pub fn outcome(&self) -> Option<LinkOutcome> {
        let completed = match self {
            PollResource::SignIn { sign_in, .. } => sign_in.status == SignInStatus::Complete,
            PollResource::SignUp(s) => s.status == SignUpStatus::Complete,
            PollResource::EmailAddress(_) => false,
        };
        poll_outcome(self.kind(), self.verification())
            .or(completed.then_some(LinkOutcome::Verified))
    }

    /// The verification's `expire_at` (0 when unknown).
    pub fn expire_at_ms(&self) -> u64 {
        self.verification().and_then(|v| v.expire_at).unwrap_or(0)
    }

    /// After each reload: a terminal outcome, else `Expired` once the
    /// wall-clock deadline passed, else continue.
    pub fn step(&self, now_ms: u64) -> PollStep {
        match self.outcome() {
            Some(o) => PollStep::Done(o),
            None if deadline_passed(self.expire_at_ms(), now_ms) => {
                PollStep::Done(LinkOutcome::Expired)
            }
            None => PollStep::Continue,
        }
    }

    /// The reload request (`GET` of the resource).
    pub fn reload_request(&self) -> Result<Request, ClerkError> {
        let (id, missing) = match self {
            PollResource::SignIn { sign_in, .. } => {
                (sign_in.id.as_str(), precondition::SIGN_IN_MISSING)
            }
            PollResource::SignUp(s) => (s.id.as_str(), precondition::SIGN_UP_MISSING),
            PollResource::EmailAddress(e) => (e.id.as_str(), precondition::NOT_POLLABLE),
        };
        let id = super::existing_id(Some(id), missing)?;
        match self {
            PollResource::SignIn { .. } => sign_ins::get(id),
            PollResource::SignUp(_) => sign_ups::get(id),
            PollResource::EmailAddress(_) => me::get_email_address(id),
        }
    }
}

/// Makes a `verificationUrl`/`redirectUrl` absolute: `/path` gets the page
/// origin; absolute http(s) URLs pass; anything else is `invalid_redirect_url`.
pub fn absolute_redirect_url(url: &str, page_origin: Option<&str>) -> Result<String, ClerkError> {
    crate::url::resolve(url, page_origin).ok_or(precondition::INVALID_REDIRECT_URL)
}

/// What the landing page should do after a successful link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LandingOutcome {
    /// The created session is on this client: `setActive` it, then go to
    /// `redirectUrlComplete`.
    VerifiedSessionHere(String),
    /// The flow continues here (second factor or missing sign-up fields):
    /// go to `redirectUrl`.
    ContinueHere,
    /// Verified, but the session belongs to the client that started the flow
    /// (another device or browser): call `onVerifiedOnOtherDevice`.
    VerifiedOnOtherDevice,
    /// Verified, no user exists (`sign_up_if_missing`): transfer to sign-up
    /// (ClerkJS calls `onVerifiedOnOtherDevice` here).
    Transferable,
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `handleEmailLinkVerification` on the landing page: reads `__clerk_status`
/// and `__clerk_created_session` from the page query and decides.
/// Errors: `expired`, `client_mismatch`, and `failed` for any other status
/// (including a missing one).
pub fn landing_outcome(
    params: &[(String, String)],
    client: &impl Sessions,
) -> Result<LandingOutcome, EmailLinkErrorCode> {
    match param(params, STATUS_PARAM).unwrap_or("") {
        "verified" => {}
        "transferable" => return Ok(LandingOutcome::Transferable),
        "expired" => return Err(EmailLinkErrorCode::Expired),
        "client_mismatch" => return Err(EmailLinkErrorCode::ClientMismatch),
        _ => return Err(EmailLinkErrorCode::Failed),
    }
    if let Some(sid) = param(params, CREATED_SESSION_PARAM).filter(|s| !s.is_empty()) {
        if client.has_signed_in_session(sid) {
            return Ok(LandingOutcome::VerifiedSessionHere(sid.into()));
        }
    }
    Ok(
        if client.sign_in_needs_second_factor() || client.sign_up_open() {
            LandingOutcome::ContinueHere
        } else {
            LandingOutcome::VerifiedOnOtherDevice
        },
    )
}

/// The newer API's `emailLink.verification` getter.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkVerification {
    /// The `__clerk_status` value.
    pub status: String,
    /// The `__clerk_created_session` value.
    pub created_session_id: String,
    /// Verified and the session is on this client.
    pub verified_from_the_same_client: bool,
}

/// `None` unless both link parameters are present.
pub fn link_verification(
    params: &[(String, String)],
    client: &impl Sessions,
) -> Option<LinkVerification> {
    let status = param(params, STATUS_PARAM)?;
    let sid = param(params, CREATED_SESSION_PARAM)?;
    Some(LinkVerification {
        status: status.into(),
        created_session_id: sid.into(),
        verified_from_the_same_client: status == "verified" && client.has_session(sid),
    })
}

/// The page query without `__clerk_status` and `__clerk_created_session`
/// (for `history.replaceState` after use).
pub fn strip_link_params(query: &[(String, String)]) -> Vec<(String, String)> {
    crate::list::filter_map(query, |(k, v)| {
        (k != STATUS_PARAM && k != CREATED_SESSION_PARAM).then(|| (k.clone(), v.clone()))
    })
}

/// Every way an email-link flow can end, for the waiting tab and the landing
/// page alike (requirements item 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailLinkOutcome {
    /// Verified, and the session (if any) belongs to this client.
    Verified,
    /// Verified on the landing page, but the session belongs to the client
    /// that started the flow (another device or browser).
    VerifiedOnOtherDevice,
    /// Verified, and the flow continues on this page (second factor or
    /// missing sign-up fields).
    ContinueHere,
    /// Verified, but no user exists (`sign_up_if_missing`).
    Transferable,
    /// The link expired.
    Expired,
    /// The link failed (used, unknown, or not verifiable).
    Failed,
    /// Opened on another client while the same one is required.
    ClientMismatch,
}

impl EmailLinkOutcome {
    /// `verified`, `verified_on_other_device`, `continue`, `transferable`,
    /// `expired`, `failed` or `client_mismatch`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EmailLinkOutcome::Verified => "verified",
            EmailLinkOutcome::VerifiedOnOtherDevice => "verified_on_other_device",
            EmailLinkOutcome::ContinueHere => "continue",
            EmailLinkOutcome::Transferable => "transferable",
            EmailLinkOutcome::Expired => "expired",
            EmailLinkOutcome::Failed => "failed",
            EmailLinkOutcome::ClientMismatch => "client_mismatch",
        }
    }
}

impl From<LinkOutcome> for EmailLinkOutcome {
    fn from(o: LinkOutcome) -> Self {
        match o {
            LinkOutcome::Verified => EmailLinkOutcome::Verified,
            LinkOutcome::Expired => EmailLinkOutcome::Expired,
            LinkOutcome::Transferable => EmailLinkOutcome::Transferable,
        }
    }
}

impl From<&LandingOutcome> for EmailLinkOutcome {
    fn from(o: &LandingOutcome) -> Self {
        match o {
            LandingOutcome::VerifiedSessionHere(_) => EmailLinkOutcome::Verified,
            LandingOutcome::ContinueHere => EmailLinkOutcome::ContinueHere,
            LandingOutcome::VerifiedOnOtherDevice => EmailLinkOutcome::VerifiedOnOtherDevice,
            LandingOutcome::Transferable => EmailLinkOutcome::Transferable,
        }
    }
}

impl From<EmailLinkErrorCode> for EmailLinkOutcome {
    fn from(c: EmailLinkErrorCode) -> Self {
        match c {
            EmailLinkErrorCode::Expired => EmailLinkOutcome::Expired,
            EmailLinkErrorCode::Failed => EmailLinkOutcome::Failed,
            EmailLinkErrorCode::ClientMismatch => EmailLinkOutcome::ClientMismatch,
        }
    }
}

/// The `email_address_id` a sign-in link is prepared for: `requested` when
/// given (it must be an `email_link` factor), else the factor matching the
/// sign-in's identifier, else the first `email_link` factor. Second factors
/// when the sign-in waits for one. Error: `factor_not_found`.
pub fn sign_in_link_factor<'a>(
    sign_in: &'a SignIn,
    requested: Option<&str>,
) -> Result<&'a str, ClerkError> {
    let requested = requested.filter(|r| !r.is_empty());
    let wanted = requested.or(sign_in.identifier.as_deref());
    let factor = if sign_in.status.needs_second_factor() {
        sign_in.second_factor(crate::model::strategy::EMAIL_LINK, wanted)
    } else {
        sign_in.first_factor(crate::model::strategy::EMAIL_LINK, wanted)
    };
    factor
        .and_then(|f| f.email_address_id.as_deref())
        .filter(|id| !id.is_empty() && requested.is_none_or(|r| r == *id))
        .ok_or(precondition::FACTOR_NOT_FOUND)
}

/// For a wait without a prepare (the newer API's `waitForVerification`):
/// watch the second factor only when the sign-in waits for one and that
/// factor is an email link.
pub fn wait_watches_second_factor(sign_in: &SignIn) -> bool {
    sign_in.status.needs_second_factor()
        && sign_in
            .second_factor_verification
            .as_ref()
            .and_then(|v| v.strategy.as_deref())
            == Some(crate::model::strategy::EMAIL_LINK)
}

/// `?a=1&b=2` from decoded pairs (empty string when there are none), for
/// `history.replaceState` after [`strip_link_params`].
pub fn query_string(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let mut s = String::from("?");
    for (k, v) in pairs {
        crate::url::push_pair(&mut s, k, v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Client;
    use crate::model::{Session, SessionStatus, SignUp};

    fn v(status: &str, expire_at: Option<u64>) -> Verification {
        Verification {
            status: VerificationStatus::parse(status),
            expire_at,
            ..Default::default()
        }
    }

    #[test]
    fn terminal_statuses_per_kind() {
        use LinkOutcome::*;
        use PollKind::*;
        let table: [(PollKind, &str, Option<LinkOutcome>); 15] = [
            (SignIn, "verified", Some(Verified)),
            (SignIn, "expired", Some(Expired)),
            (SignIn, "transferable", Some(Transferable)),
            (SignIn, "failed", None),
            (SignIn, "unverified", None),
            (SignUp, "verified", Some(Verified)),
            (SignUp, "expired", Some(Expired)),
            (SignUp, "transferable", None),
            (SignUp, "failed", None),
            (EmailAddress, "verified", Some(Verified)),
            (EmailAddress, "expired", Some(Expired)),
            (EmailAddress, "transferable", None),
            (EmailAddress, "failed", None),
            (EmailAddress, "brand_new_status", None),
            (SignIn, "", None),
        ];
        for (kind, status, want) in table {
            assert_eq!(
                poll_outcome(kind, Some(&v(status, None))),
                want,
                "{kind:?} {status}"
            );
        }
        assert_eq!(poll_outcome(SignIn, None), None);
        assert_eq!(Verified.as_str(), "verified");
        assert_eq!(Expired.as_str(), "expired");
        assert_eq!(Transferable.as_str(), "transferable");
    }

    #[test]
    fn deadline() {
        assert!(!deadline_passed(0, u64::MAX));
        assert!(!deadline_passed(1_000, 999));
        assert!(deadline_passed(1_000, 1_000));
        assert!(deadline_passed(1_000, 5_000));
    }

    #[test]
    fn sign_in_poll_watches_the_right_factor() {
        let mut s = SignIn {
            id: "sia_1".into(),
            status: SignInStatus::NeedsFirstFactor,
            ..Default::default()
        };
        s.first_factor_verification = Some(v("unverified", Some(10_000)));
        let r = PollResource::sign_in(&s);
        assert_eq!(r.kind(), PollKind::SignIn);
        assert_eq!(r.step(9_999), PollStep::Continue);
        assert_eq!(r.step(10_000), PollStep::Done(LinkOutcome::Expired));
        assert_eq!(r.reload_request().unwrap().path, "/client/sign_ins/sia_1");
        // first factor verified, sign-in now waits for a second factor: still done
        s.status = SignInStatus::NeedsSecondFactor;
        s.first_factor_verification = Some(v("verified", Some(10_000)));
        s.second_factor_verification = Some(v("unverified", Some(20_000)));
        let first = PollResource::SignIn {
            sign_in: &s,
            second_factor: false,
        };
        assert_eq!(first.step(0), PollStep::Done(LinkOutcome::Verified));
        let second = PollResource::sign_in(&s);
        assert_eq!(second.step(0), PollStep::Continue);
        assert_eq!(second.expire_at_ms(), 20_000);
        // completed elsewhere
        assert_eq!(second.kind(), PollKind::SignIn);
        s.status = SignInStatus::Complete;
        assert_eq!(
            PollResource::SignIn {
                sign_in: &s,
                second_factor: true
            }
            .step(0),
            PollStep::Done(LinkOutcome::Verified)
        );
        assert_eq!(
            PollResource::sign_in(&SignIn::default()).reload_request(),
            Err(precondition::SIGN_IN_MISSING)
        );
    }

    #[test]
    fn sign_up_and_email_address_polls() {
        let mut su = SignUpView {
            id: "sua_1".into(),
            status: SignUpStatus::MissingRequirements,
            ..Default::default()
        };
        assert_eq!(PollResource::SignUp(&su).step(u64::MAX), PollStep::Continue); // no verification, no deadline
        su.verifications.email_address = Some(v("failed", Some(50)));
        assert_eq!(PollResource::SignUp(&su).step(49), PollStep::Continue);
        su.status = SignUpStatus::Complete;
        assert_eq!(
            PollResource::SignUp(&su).step(49),
            PollStep::Done(LinkOutcome::Verified)
        );
        assert_eq!(
            PollResource::SignUp(&su).reload_request().unwrap().path,
            "/client/sign_ups/sua_1"
        );
        assert_eq!(
            PollResource::SignUp(&SignUpView::default()).reload_request(),
            Err(precondition::SIGN_UP_MISSING)
        );
        let mut e = EmailAddress {
            id: "idn_1".into(),
            verification: Some(v("expired", None)),
            ..Default::default()
        };
        let r = PollResource::EmailAddress(&e);
        assert_eq!(
            (r.kind(), r.step(0)),
            (PollKind::EmailAddress, PollStep::Done(LinkOutcome::Expired))
        );
        assert_eq!(
            r.reload_request().unwrap().path,
            "/me/email_addresses/idn_1"
        );
        e.id.clear();
        assert_eq!(
            PollResource::EmailAddress(&e).reload_request(),
            Err(precondition::NOT_POLLABLE)
        );
    }

    #[test]
    fn redirect_urls() {
        assert_eq!(
            absolute_redirect_url("/verify", Some("http://localhost:3000")).unwrap(),
            "http://localhost:3000/verify"
        );
        assert_eq!(
            absolute_redirect_url("https://a.test/v?x=1", None).unwrap(),
            "https://a.test/v?x=1"
        );
        assert_eq!(
            absolute_redirect_url("verify", Some("http://a.test")),
            Err(precondition::INVALID_REDIRECT_URL)
        );
        assert_eq!(
            absolute_redirect_url("javascript:alert(1)", Some("http://a.test")),
            Err(precondition::INVALID_REDIRECT_URL)
        );
    }

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    fn client_with(sid: &str, status: SessionStatus) -> Client {
        Client {
            id: "client_1".into(),
            sessions: vec![Session {
                id: sid.into(),
                status,
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn landing_page() {
        let c = client_with("sess_1", SessionStatus::Active);
        let verified = q(&[
            ("__clerk_status", "verified"),
            ("__clerk_created_session", "sess_1"),
        ]);
        assert_eq!(
            landing_outcome(&verified, &c),
            Ok(LandingOutcome::VerifiedSessionHere("sess_1".into()))
        );
        let other = q(&[
            ("__clerk_status", "verified"),
            ("__clerk_created_session", "sess_other"),
        ]);
        assert_eq!(
            landing_outcome(&other, &c),
            Ok(LandingOutcome::VerifiedOnOtherDevice)
        );
        let ended = client_with("sess_1", SessionStatus::Ended);
        assert_eq!(
            landing_outcome(&verified, &ended),
            Ok(LandingOutcome::VerifiedOnOtherDevice)
        );
        let second = Client {
            sign_in: Some(SignIn {
                status: SignInStatus::NeedsSecondFactor,
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            landing_outcome(&q(&[("__clerk_status", "verified")]), &second),
            Ok(LandingOutcome::ContinueHere)
        );
        let open = Client {
            sign_up: Some(SignUp {
                status: SignUpStatus::MissingRequirements,
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            landing_outcome(&other, &open),
            Ok(LandingOutcome::ContinueHere)
        );
        assert_eq!(
            landing_outcome(&q(&[("__clerk_status", "transferable")]), &c),
            Ok(LandingOutcome::Transferable)
        );
        assert_eq!(
            landing_outcome(&q(&[("__clerk_status", "expired")]), &c),
            Err(EmailLinkErrorCode::Expired)
        );
        assert_eq!(
            landing_outcome(&q(&[("__clerk_status", "client_mismatch")]), &c),
            Err(EmailLinkErrorCode::ClientMismatch)
        );
        assert_eq!(
            landing_outcome(&q(&[("__clerk_status", "failed")]), &c),
            Err(EmailLinkErrorCode::Failed)
        );
        assert_eq!(
            landing_outcome(&q(&[("__clerk_status", "weird")]), &c),
            Err(EmailLinkErrorCode::Failed)
        );
        assert_eq!(
            landing_outcome(&q(&[]), &c),
            Err(EmailLinkErrorCode::Failed)
        );
    }

    #[test]
    fn link_verification_getter_and_strip() {
        let c = client_with("sess_1", SessionStatus::Active);
        assert_eq!(
            link_verification(&q(&[("__clerk_status", "verified")]), &c),
            None
        );
        let lv = link_verification(
            &q(&[
                ("__clerk_status", "verified"),
                ("__clerk_created_session", "sess_1"),
            ]),
            &c,
        )
        .unwrap();
        assert!(lv.verified_from_the_same_client);
        assert_eq!(
            (lv.status.as_str(), lv.created_session_id.as_str()),
            ("verified", "sess_1")
        );
        let lv = link_verification(
            &q(&[
                ("__clerk_status", "expired"),
                ("__clerk_created_session", "sess_1"),
            ]),
            &c,
        )
        .unwrap();
        assert!(!lv.verified_from_the_same_client);
        let lv = link_verification(
            &q(&[
                ("__clerk_status", "verified"),
                ("__clerk_created_session", "sess_x"),
            ]),
            &c,
        )
        .unwrap();
        assert!(!lv.verified_from_the_same_client);
        let kept = strip_link_params(&q(&[
            ("a", "1"),
            ("__clerk_status", "verified"),
            ("__clerk_created_session", "s"),
            ("b", "2"),
        ]));
        assert_eq!(kept, q(&[("a", "1"), ("b", "2")]));
    }

    #[test]
    fn unified_outcomes() {
        use EmailLinkOutcome as O;
        assert_eq!(O::from(LinkOutcome::Verified), O::Verified);
        assert_eq!(O::from(LinkOutcome::Expired), O::Expired);
        assert_eq!(O::from(LinkOutcome::Transferable), O::Transferable);
        assert_eq!(
            O::from(&LandingOutcome::VerifiedSessionHere("s".into())),
            O::Verified
        );
        assert_eq!(O::from(&LandingOutcome::ContinueHere), O::ContinueHere);
        assert_eq!(
            O::from(&LandingOutcome::VerifiedOnOtherDevice),
            O::VerifiedOnOtherDevice
        );
        assert_eq!(O::from(&LandingOutcome::Transferable), O::Transferable);
        assert_eq!(O::from(EmailLinkErrorCode::Expired), O::Expired);
        assert_eq!(O::from(EmailLinkErrorCode::Failed), O::Failed);
        assert_eq!(
            O::from(EmailLinkErrorCode::ClientMismatch),
            O::ClientMismatch
        );
        let all = [
            (O::Verified, "verified"),
            (O::VerifiedOnOtherDevice, "verified_on_other_device"),
            (O::ContinueHere, "continue"),
            (O::Transferable, "transferable"),
            (O::Expired, "expired"),
            (O::Failed, "failed"),
            (O::ClientMismatch, "client_mismatch"),
        ];
        for (o, s) in all {
            assert_eq!(o.as_str(), s);
        }
    }

    fn factor(strategy: &str, id: &str, safe: &str) -> crate::model::Factor {
        crate::model::Factor {
            strategy: strategy.into(),
            email_address_id: Some(id.into()),
            safe_identifier: Some(safe.into()),
            ..Default::default()
        }
    }

    #[test]
    fn sign_in_link_factor_picks() {
        let mut s = SignIn {
            id: "sia_1".into(),
            status: SignInStatus::NeedsFirstFactor,
            identifier: Some("b@x.test".into()),
            supported_first_factors: vec![
                factor("email_code", "idn_a", "a@x.test"),
                factor("email_link", "idn_a", "a@x.test"),
                factor("email_link", "idn_b", "b@x.test"),
            ],
            ..Default::default()
        };
        assert_eq!(sign_in_link_factor(&s, None), Ok("idn_b"));
        assert_eq!(sign_in_link_factor(&s, Some("idn_a")), Ok("idn_a"));
        assert_eq!(sign_in_link_factor(&s, Some("")), Ok("idn_b"));
        assert_eq!(
            sign_in_link_factor(&s, Some("idn_zzz")),
            Err(precondition::FACTOR_NOT_FOUND)
        );
        s.identifier = None;
        assert_eq!(sign_in_link_factor(&s, None), Ok("idn_a"));
        s.status = SignInStatus::NeedsSecondFactor;
        assert_eq!(
            sign_in_link_factor(&s, None),
            Err(precondition::FACTOR_NOT_FOUND)
        );
        s.supported_second_factors = vec![factor("email_link", "idn_2", "c@x.test")];
        assert_eq!(sign_in_link_factor(&s, None), Ok("idn_2"));
        assert!(!wait_watches_second_factor(&s));
        s.second_factor_verification = Some(Verification {
            strategy: Some("email_link".into()),
            ..Default::default()
        });
        assert!(wait_watches_second_factor(&s));
        s.status = SignInStatus::NeedsFirstFactor;
        assert!(!wait_watches_second_factor(&s));
    }

    #[test]
    fn query_strings() {
        assert_eq!(query_string(&[]), "");
        assert_eq!(
            query_string(&q(&[("a", "1 2"), ("b", "&")])),
            "?a=1+2&b=%26"
        );
        assert_eq!(
            query_string(&strip_link_params(&q(&[
                ("__clerk_status", "verified"),
                ("__clerk_created_session", "s")
            ]))),
            ""
        );
    }
}
