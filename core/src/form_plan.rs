//! What the mountable forms (cargo feature `ui`) ask of the engine: each user
//! action is a [`Job`], a short plan of the newer API's operations
//! ([`Op::SignInSendCode`](crate::engine::Op), `SignUpVerifyPhoneCode`,
//! `…Finalize`, …) made one at a time, tracked, so their errors land in the
//! attempt's `errors`. Pure: the forms run it, the tests here read it.

use crate::engine::{Call, Op as EngineOp};
use crate::model::strategy;
use crate::request::Form;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The sign-in form.
    SignIn,
    /// The sign-up form.
    SignUp,
}

/// How a code is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// By email.
    Email,
    /// By SMS.
    Phone,
}

/// A user action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Send (or resend) a code to this identifier.
    Send(String, Channel),
    /// Create the sign-up with these `(field, value)` pairs, then send its
    /// first code (or, when `true` and the email is next, get ready for a link).
    Create(Vec<(String, String)>, bool),
    /// Sign-in: start one for this identifier, to send it a link.
    Link(String),
    /// Check a code; then sign in, or send the sign-up's next code.
    Verify(String, Channel),
    /// Sign-in: send (or resend) the second factor's code over this channel.
    Send2(Channel),
    /// Sign-in: check the second factor's code; then sign in.
    Verify2(String, Channel),
    /// Send the email link to this address, leading back to this URL; wait
    /// for it to be opened; then finish.
    Wait(String, String),
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Signed in (the attempt was finalized).
    Done,
    /// A code went out over this channel.
    Sent(Channel),
    /// Ready for an email link.
    Link,
    /// The sign-in waits for its second factor: its code went out over this channel.
    Second(Channel),
}

/// What comes next in a job.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Run this (tracked) call; an email-link wait is cancelled when the form moves on.
    Call(Call),
    /// The job is over.
    End(Outcome),
}

/// A tracked call of `op` with these fields.
fn call(op: EngineOp, pairs: &[(&str, &str)]) -> Next {
    let mut form = Form::new();
    for (k, v) in pairs {
        form = form.set(k, *v);
    }
    Next::Call(Call::new(op, form).tracked())
}

/// A running [`Op`]: `stage` counts its calls that succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The action.
    pub op: Op,
    /// Calls that succeeded so far.
    pub stage: u8,
    /// The code channel a sign-up chose to send.
    pub sent: Option<Channel>,
}

impl Job {
    /// A job for `op`, before its first call.
    pub fn new(op: Op) -> Job {
        Job {
            op,
            stage: 0,
            sent: None,
        }
    }

    /// The next call, or the outcome. `unverified(field)`: the sign-up's
    /// `unverifiedFields` has `field` (`phone_number`, `email_address`);
    /// `second`: the sign-in waits for a second factor, deliverable over this
    /// channel (as it is after the call that just succeeded).
    pub fn next(
        &mut self,
        kind: Kind,
        unverified: &dyn Fn(&str) -> bool,
        second: Option<Channel>,
    ) -> Next {
        use Channel::{Email, Phone};
        use EngineOp as E;
        use Kind::{SignIn, SignUp};
        use Next::End;

        let strategy_of = |ch: &Channel| match ch {
            Phone => strategy::PHONE_CODE,
            Email => strategy::EMAIL_CODE,
        };
        match (kind, &self.op, self.stage) {
            (SignIn, Op::Send(id, Phone), 0) => call(
                E::SignInSendCode,
                &[("strategy", strategy::PHONE_CODE), ("phone_number", id)],
            ),
            (SignIn, Op::Send(id, Email), 0) => call(
                E::SignInSendCode,
                &[("strategy", strategy::EMAIL_CODE), ("email_address", id)],
            ),
            (SignIn, Op::Send(_, ch), _) => End(Outcome::Sent(*ch)),
            (SignIn, Op::Verify(code, ch), 0) => call(
                E::SignInVerifyCode,
                &[("strategy", strategy_of(ch)), ("code", code)],
            ),
            (SignIn, Op::Send2(ch), 0) => call(E::SignInMfaSend, &[("strategy", strategy_of(ch))]),
            (SignIn, Op::Send2(ch), _) => End(Outcome::Second(*ch)),
            (SignIn, Op::Verify2(code, ch), 0) => call(
                E::SignInMfaVerify,
                &[("strategy", strategy_of(ch)), ("code", code)],
            ),
            (SignIn, Op::Verify2(..), 1) => call(E::SignInFinalize, &[]),
            // A first factor (code or link) done: the second factor's code, or finish.
            (SignIn, Op::Verify(..), 1) | (SignIn, Op::Wait(..), 2) => match second {
                Some(ch) => {
                    self.sent = Some(ch);
                    call(E::SignInMfaSend, &[("strategy", strategy_of(&ch))])
                }
                None => call(E::SignInFinalize, &[]),
            },
            (SignIn, Op::Verify(..) | Op::Wait(..), _) if self.sent.is_some() => {
                End(self.sent.map_or(Outcome::Done, Outcome::Second))
            }
            (SignIn, Op::Link(id), 0) => call(E::SignInCreate, &[("identifier", id)]),
            (_, Op::Link(_), _) => End(Outcome::Link),
            (SignIn, Op::Wait(id, url), 0) => call(
                E::SignInSendLink,
                &[("email_address", id), ("verification_url", url)],
            ),
            (SignIn, Op::Wait(..), 1) => call(E::SignInWaitLink, &[]),
            (SignUp, Op::Wait(_, url), 0) => call(E::SignUpSendLink, &[("verification_url", url)]),
            (SignUp, Op::Wait(..), 1) => call(E::SignUpWaitLink, &[]),
            (SignUp, Op::Wait(..), 2) => call(E::SignUpFinalize, &[]),
            (SignUp, Op::Create(fields, _), 0) => {
                let pairs: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                call(E::SignUpCreate, &pairs)
            }
            (SignUp, Op::Verify(code, ch), 0) => call(
                match ch {
                    Phone => E::SignUpVerifyPhoneCode,
                    Email => E::SignUpVerifyEmailCode,
                },
                &[("code", code)],
            ),
            (SignUp, op, stage) if self.sent.is_none() && stage < 2 => {
                // Send the code of the identifier asked for, or of the one
                // still unverified; with none left, finish.
                let next = match op {
                    Op::Send(_, ch) => Some(*ch),
                    _ if unverified("phone_number") => Some(Phone),
                    _ if unverified("email_address") => Some(Email),
                    _ => None,
                };
                if matches!(op, Op::Create(_, true)) && next == Some(Email) {
                    return End(Outcome::Link);
                }
                self.sent = next;
                match next {
                    Some(Phone) => call(E::SignUpSendPhoneCode, &[]),
                    Some(Email) => call(E::SignUpSendEmailCode, &[]),
                    None => call(E::SignUpFinalize, &[]),
                }
            }
            (SignUp, _, _) => End(self.sent.map_or(Outcome::Done, Outcome::Sent)),
            _ => End(Outcome::Done),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `op` to its end, every call succeeding; `unverified` as the
    /// sign-up has it after each call. Returns the calls and the outcome.
    fn run(
        kind: Kind,
        op: Op,
        unverified: &dyn Fn(&str) -> bool,
    ) -> (Vec<(String, String)>, Outcome) {
        run2(kind, op, unverified, None)
    }

    fn run2(
        kind: Kind,
        op: Op,
        unverified: &dyn Fn(&str) -> bool,
        second: Option<Channel>,
    ) -> (Vec<(String, String)>, Outcome) {
        let mut job = Job::new(op);
        let mut calls = Vec::new();
        loop {
            match job.next(kind, unverified, second) {
                Next::Call(c) => {
                    assert!(c.tracked, "the forms' calls are tracked");
                    let args = c
                        .form
                        .into_pairs()
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join("&");
                    calls.push((c.op.name().to_string(), args));
                    job.stage += 1;
                }
                Next::End(outcome) => return (calls, outcome),
            }
            assert!(calls.len() < 10, "a plan never ends");
        }
    }

    fn calls(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    const NONE: &dyn Fn(&str) -> bool = &|_| false;

    #[test]
    fn sign_in_codes() {
        let phone = "+15555550100".to_string();
        assert_eq!(
            run(Kind::SignIn, Op::Send(phone.clone(), Channel::Phone), NONE),
            (
                calls(&[(
                    "signInSendCode",
                    "strategy=phone_code&phone_number=+15555550100"
                )]),
                Outcome::Sent(Channel::Phone)
            )
        );
        assert_eq!(
            run(
                Kind::SignIn,
                Op::Send("a@b.co".into(), Channel::Email),
                NONE
            )
            .0,
            calls(&[("signInSendCode", "strategy=email_code&email_address=a@b.co")])
        );
        assert_eq!(
            run(
                Kind::SignIn,
                Op::Verify("123456".into(), Channel::Email),
                NONE
            ),
            (
                calls(&[
                    ("signInVerifyCode", "strategy=email_code&code=123456"),
                    ("signInFinalize", "")
                ]),
                Outcome::Done
            )
        );
    }

    #[test]
    fn sign_in_with_a_second_factor() {
        // The email code verified; the sign-in now waits for its SMS second factor.
        assert_eq!(
            run2(
                Kind::SignIn,
                Op::Verify("123456".into(), Channel::Email),
                NONE,
                Some(Channel::Phone)
            ),
            (
                calls(&[
                    ("signInVerifyCode", "strategy=email_code&code=123456"),
                    ("signInMfaSend", "strategy=phone_code")
                ]),
                Outcome::Second(Channel::Phone)
            )
        );
        assert_eq!(
            run(
                Kind::SignIn,
                Op::Verify2("654321".into(), Channel::Phone),
                NONE
            ),
            (
                calls(&[
                    ("signInMfaVerify", "strategy=phone_code&code=654321"),
                    ("signInFinalize", "")
                ]),
                Outcome::Done
            )
        );
        assert_eq!(
            run(Kind::SignIn, Op::Send2(Channel::Phone), NONE),
            (
                calls(&[("signInMfaSend", "strategy=phone_code")]),
                Outcome::Second(Channel::Phone)
            )
        );
        // After an email link, too.
        assert_eq!(
            run2(
                Kind::SignIn,
                Op::Wait("a@b.co".into(), "https://app/".into()),
                NONE,
                Some(Channel::Phone)
            )
            .1,
            Outcome::Second(Channel::Phone)
        );
    }

    #[test]
    fn sign_in_links() {
        assert_eq!(
            run(Kind::SignIn, Op::Link("a@b.co".into()), NONE),
            (
                calls(&[("signInCreate", "identifier=a@b.co")]),
                Outcome::Link
            )
        );
        assert_eq!(
            run(
                Kind::SignIn,
                Op::Wait("a@b.co".into(), "https://app/".into()),
                NONE
            ),
            (
                calls(&[
                    (
                        "signInSendLink",
                        "email_address=a@b.co&verification_url=https://app/"
                    ),
                    ("signInWaitLink", ""),
                    ("signInFinalize", "")
                ]),
                Outcome::Done
            )
        );
    }

    #[test]
    fn sign_up_sends_the_unverified_identifiers_code_then_finishes() {
        let fields = vec![("phoneNumber".to_string(), "+15555550100".to_string())];
        assert_eq!(
            run(Kind::SignUp, Op::Create(fields.clone(), false), &|f| f
                == "phone_number"),
            (
                calls(&[
                    ("signUpCreate", "phone_number=+15555550100"),
                    ("signUpSendPhoneCode", "")
                ]),
                Outcome::Sent(Channel::Phone)
            )
        );
        // Phone verified, the email still not: its code is next.
        assert_eq!(
            run(
                Kind::SignUp,
                Op::Verify("111111".into(), Channel::Phone),
                &|f| f == "email_address"
            ),
            (
                calls(&[
                    ("signUpVerifyPhoneCode", "code=111111"),
                    ("signUpSendEmailCode", "")
                ]),
                Outcome::Sent(Channel::Email)
            )
        );
        // Nothing left: finalize.
        assert_eq!(
            run(
                Kind::SignUp,
                Op::Verify("222222".into(), Channel::Email),
                NONE
            ),
            (
                calls(&[
                    ("signUpVerifyEmailCode", "code=222222"),
                    ("signUpFinalize", "")
                ]),
                Outcome::Done
            )
        );
        // Resend: just the send.
        assert_eq!(
            run(Kind::SignUp, Op::Send(String::new(), Channel::Email), NONE),
            (
                calls(&[("signUpSendEmailCode", "")]),
                Outcome::Sent(Channel::Email)
            )
        );
    }

    #[test]
    fn sign_up_by_link() {
        let fields = vec![("emailAddress".to_string(), "a@b.co".to_string())];
        // Asked for a link and the email is next: the link wait takes over.
        assert_eq!(
            run(Kind::SignUp, Op::Create(fields.clone(), true), &|f| f
                == "email_address"),
            (
                calls(&[("signUpCreate", "email_address=a@b.co")]),
                Outcome::Link
            )
        );
        // A phone still to verify first: its code, not a link.
        assert_eq!(
            run(Kind::SignUp, Op::Create(fields, true), &|_| true).1,
            Outcome::Sent(Channel::Phone)
        );
        assert_eq!(
            run(
                Kind::SignUp,
                Op::Wait("a@b.co".into(), "https://app/".into()),
                NONE
            ),
            (
                calls(&[
                    ("signUpSendLink", "verification_url=https://app/"),
                    ("signUpWaitLink", ""),
                    ("signUpFinalize", "")
                ]),
                Outcome::Done
            )
        );
    }
}
