//! `GET /v1/verify?token=…`: the target of email links.
//!
//! Opening the link consumes the token (single use), as Clerk does; link
//! scanners that prefetch it would use it up.

use super::{Ctx, Out};
use crate::domain::{self, redirect};
use crate::errors::ApiError;
use crate::model::{LinkKind, VStatus, Verification};

/// What a link may do to the verification it was sent for.
enum Gate<'v> {
    /// Not this link's verification (a newer prepare replaced the token),
    /// or no longer waiting: the link fails.
    Closed,
    /// The link expired; `changed` when the verification was marked
    /// expired just now (the caller stores it).
    Expired { changed: bool },
    /// The verification waits for this link.
    Open(&'v mut Verification),
}

/// Checks verification `v` against the link's token `hash` (a link
/// verifies only the verification it was sent for, and only once).
fn gate<'v>(v: Option<&'v mut Verification>, hash: &str, expired: bool) -> Gate<'v> {
    let Some(v) = v.filter(|v| v.link_token_hash.as_deref() == Some(hash)) else {
        return Gate::Closed;
    };
    if expired {
        let changed = v.status == VStatus::Unverified;
        if changed {
            v.status = VStatus::Expired;
        }
        return Gate::Expired { changed };
    }
    if v.status != VStatus::Unverified {
        return Gate::Closed;
    }
    Gate::Open(v)
}

fn with_status(url: &str, status: &str, session: Option<&str>) -> String {
    let (base, frag) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut out = format!(
        "{base}{sep}__clerk_status={status}&__clerk_created_session={}",
        session.unwrap_or("")
    );
    if let Some(f) = frag {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn answer(redirect: Option<&str>, status: &str, session: Option<&str>) -> Result<Out, ApiError> {
    match redirect {
        Some(r) => Ok(Out::Redirect(with_status(r, status, session))),
        None if status == "verified" => Ok(Out::Html(
            200,
            "<!doctype html><title>Verified</title><p>Verified. You can return to the original tab.</p>".into(),
        )),
        None => Err(ApiError::link_token_invalid()),
    }
}

pub fn verify(ctx: &mut Ctx) -> Result<Out, ApiError> {
    let token = ctx.req.query_param("token").unwrap_or("").to_string();
    if token.is_empty() {
        return Err(ApiError::link_token_invalid());
    }
    let hash = domain::sha256_hex(&token);
    let Some(mut link) = ctx.db.get_link(&hash)? else {
        return Err(ApiError::link_token_invalid());
    };
    // Checked when the link was prepared, and again now: an origin removed
    // from the allowed list since (or a record from an older version) gets
    // the plain result page instead of a redirect.
    let redirect = link
        .redirect_url
        .clone()
        .filter(|r| redirect::allowed(r, ctx.redirect_origins()));
    let redirect = redirect.as_deref();
    if link.used {
        return answer(redirect, "failed", None);
    }
    let opener = ctx.client_id.clone();
    let expired = ctx.now >= link.expire_at;
    let same_client = opener.is_some() && opener == link.client_id;
    if ctx.cfg.require_same_client && !same_client && !expired {
        // Nothing is verified and the token stays usable by the right client.
        return answer(redirect, "client_mismatch", None);
    }
    link.used = true;
    ctx.db.put_link(&hash, &link)?;
    match link.kind {
        LinkKind::SignIn => {
            let Some(mut si) = ctx.db.get_sign_in(&link.resource_id)? else {
                return answer(redirect, "failed", None);
            };
            let second = link.second_factor;
            let v = if second {
                si.second_factor_verification.as_mut()
            } else {
                si.first_factor_verification.as_mut()
            };
            let v = match gate(v, &hash, expired) {
                Gate::Open(v) => v,
                Gate::Closed => return answer(redirect, "failed", None),
                Gate::Expired { changed } => {
                    if changed {
                        ctx.db.put_sign_in(&si)?;
                    }
                    return answer(redirect, "expired", None);
                }
            };
            let Some(u) = ctx.user(si.user_id.as_deref())? else {
                return answer(redirect, "failed", None);
            };
            if crate::domain::verification::check_lock(&u, ctx.now).is_err() {
                return answer(redirect, "failed", None);
            }
            v.status = VStatus::Verified;
            v.verified_at_client = opener.clone();
            if second {
                super::sign_ins::complete(ctx, &mut si, &u, Some(ctx.now), "email_link")?;
            } else {
                si.first_factor_at = Some(ctx.now);
                super::sign_ins::after_first_factor(ctx, &mut si, &u, "email_link")?;
            }
            answer(redirect, "verified", si.created_session_id.as_deref())
        }
        LinkKind::SignUp => {
            let Some(mut su) = ctx.db.get_sign_up(&link.resource_id)? else {
                return answer(redirect, "failed", None);
            };
            let v = match gate(su.email_verification.as_mut(), &hash, expired) {
                Gate::Open(v) => v,
                Gate::Closed => return answer(redirect, "failed", None),
                Gate::Expired { changed } => {
                    if changed {
                        ctx.db.put_sign_up(&su)?;
                    }
                    return answer(redirect, "expired", None);
                }
            };
            v.status = VStatus::Verified;
            v.verified_at_client = opener.clone();
            su.updated_at = ctx.now;
            ctx.db.put_sign_up(&su)?;
            if super::sign_ups::maybe_complete(ctx, &mut su).is_err() {
                return answer(redirect, "failed", None);
            }
            answer(redirect, "verified", su.created_session_id.as_deref())
        }
        LinkKind::EmailAddress => {
            let Some(email_id) = link.email_address_id.clone() else {
                return answer(redirect, "failed", None);
            };
            let Some(mut u) = ctx.db.get_user(&link.resource_id)? else {
                return answer(redirect, "failed", None);
            };
            let v = u
                .email_addresses
                .iter_mut()
                .find(|e| e.id == email_id)
                .and_then(|e| e.verification.as_mut());
            match gate(v, &hash, expired) {
                Gate::Open(_) => {}
                Gate::Closed => return answer(redirect, "failed", None),
                Gate::Expired { changed } => {
                    if changed {
                        ctx.db.put_user(&u)?;
                    }
                    return answer(redirect, "expired", None);
                }
            }
            if super::me::verify_by_link(ctx, &link.resource_id, &email_id, opener.as_deref())? {
                answer(redirect, "verified", None)
            } else {
                answer(redirect, "failed", None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_status;

    #[test]
    fn status_params() {
        assert_eq!(
            with_status("http://a/b", "verified", Some("sess_1")),
            "http://a/b?__clerk_status=verified&__clerk_created_session=sess_1"
        );
        assert_eq!(
            with_status("http://a/b?x=1#f", "expired", None),
            "http://a/b?x=1&__clerk_status=expired&__clerk_created_session=#f"
        );
    }
}
