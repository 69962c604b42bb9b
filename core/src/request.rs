//! A transport-neutral FAPI request and the form encoding rules.
//!
//! Every request goes out CORS-simple: GET, or POST with an
//! `application/x-www-form-urlencoded` body; PATCH/PUT/DELETE travel as POST
//! with `_method=<METHOD>` in the query.

use crate::model::decode::Source;
use crate::url::push_pair;

/// The FAPI version this SDK speaks, sent as `__clerk_api_version`.
pub const API_VERSION: &str = "2026-08-20";

/// Our client version, sent as `_clerk_js_version` (the crate's semver).
///
/// FAPI reads this parameter under ClerkJS's name; we send our own version
/// rather than impersonating a ClerkJS release.
pub const CLIENT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Content type of every non-GET body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The logical HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET (sent as is).
    Get,
    /// POST (sent as is).
    Post,
    /// PATCH (sent as POST with `_method=PATCH`).
    Patch,
    /// PUT (sent as POST with `_method=PUT`).
    Put,
    /// DELETE (sent as POST with `_method=DELETE`).
    Delete,
}

impl Method {
    /// The method name, upper case.
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// One FAPI call, before the base URL and credentials are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Logical method.
    pub method: Method,
    /// Path below `/v1`, starting with `/` (e.g. `/client/sign_ins`).
    pub path: String,
    /// Request-specific query parameters (decoded).
    pub query: Vec<(String, String)>,
    /// Form fields (decoded, snake_case keys).
    pub form: Vec<(String, String)>,
}

impl Request {
    /// A request with no query and no form.
    pub fn new(method: Method, path: String) -> Request {
        Request {
            method,
            path,
            query: Vec::new(),
            form: Vec::new(),
        }
    }

    /// Replaces the form fields.
    pub fn with_form(mut self, form: Form) -> Request {
        self.form = form.into_pairs();
        self
    }

    /// Appends a query parameter.
    pub fn with_query(mut self, key: &str, value: &str) -> Request {
        self.query.push((key.into(), value.into()));
        self
    }

    /// The method actually sent: GET stays GET, everything else is POST.
    pub fn wire_method(&self) -> &'static str {
        if self.method == Method::Get {
            "GET"
        } else {
            "POST"
        }
    }

    /// `<base>/v1<path>?__clerk_api_version=…&_clerk_js_version=…[&<query>][&_method=…][&<extra_query>]`.
    ///
    /// `extra_query` is for what the shell knows (`__clerk_db_jwt`,
    /// `_clerk_session_id`, `_clerk_retry_attempt`). Values are urlencoded.
    pub fn url(&self, base: &str, extra_query: &[(&str, &str)]) -> String {
        let mut url = String::with_capacity(base.len() + self.path.len() + 96);
        url.push_str(crate::ascii::trim_end(base, b"/"));
        url.push_str("/v1");
        url.push_str(&self.path);
        url.push('?');
        push_pair(&mut url, "__clerk_api_version", API_VERSION);
        push_pair(&mut url, "_clerk_js_version", CLIENT_VERSION);
        for (k, v) in &self.query {
            push_pair(&mut url, k, v);
        }
        if !matches!(self.method, Method::Get | Method::Post) {
            push_pair(&mut url, "_method", self.method.as_str());
        }
        for (k, v) in extra_query {
            push_pair(&mut url, k, v);
        }
        url
    }

    /// The urlencoded body: `None` for GET, otherwise `Some` (possibly empty).
    pub fn body(&self) -> Option<String> {
        if self.method == Method::Get {
            return None;
        }
        let mut s = String::new();
        for (k, v) in &self.form {
            push_pair(&mut s, k, v);
        }
        Some(s)
    }

    /// The `Content-Type` to send: the form type for non-GET requests.
    pub fn content_type(&self) -> Option<&'static str> {
        (self.method != Method::Get).then_some(FORM_CONTENT_TYPE)
    }
}

/// A form value before encoding. An absent (JS `undefined`) value is simply not
/// added to the [`Form`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormValue {
    /// A string, sent as is.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
    /// An integer in decimal.
    Int(i64),
    /// JS `null`: sent as an empty string (e.g. `organization_id=`).
    Null,
    /// An array: the key is repeated once per item.
    List(Vec<String>),
    /// A nested object, already serialised to JSON by the caller.
    Json(String),
}

impl From<&str> for FormValue {
    fn from(v: &str) -> Self {
        FormValue::Str(v.into())
    }
}

impl From<String> for FormValue {
    fn from(v: String) -> Self {
        FormValue::Str(v)
    }
}

impl From<bool> for FormValue {
    fn from(v: bool) -> Self {
        FormValue::Bool(v)
    }
}

impl From<i64> for FormValue {
    fn from(v: i64) -> Self {
        FormValue::Int(v)
    }
}

/// Form builder: keys go camelCase → snake_case, values by [`FormValue`] rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Form {
        Form::default()
    }

    /// Adds `key` (converted to snake_case) with `value`.
    pub fn set(mut self, key: &str, value: impl Into<FormValue>) -> Form {
        self.push(key, value.into());
        self
    }

    /// Adds `key` only when `value` is `Some` (absent values are dropped).
    pub fn set_opt<V: Into<FormValue>>(self, key: &str, value: Option<V>) -> Form {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// Adds `key` with `value` in place (for callers iterating over JS objects).
    pub fn push(&mut self, key: &str, value: FormValue) {
        let key = snake_case(key);
        match value {
            FormValue::Str(s) | FormValue::Json(s) => self.pairs.push((key, s)),
            FormValue::Bool(b) => self
                .pairs
                .push((key, (if b { "true" } else { "false" }).into())),
            FormValue::Int(i) => self.pairs.push((key, int_to_string(i))),
            FormValue::Null => self.pairs.push((key, String::new())),
            FormValue::List(items) => {
                for item in items {
                    self.pairs.push((key.clone(), item));
                }
            }
        }
    }

    /// True when a field named `key` (snake_case) is present.
    pub fn contains(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }

    /// The encoded-ready pairs, in insertion order.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }

    /// The first value of `key` (snake_case), if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every non-empty value of `key` (a list parameter repeats its key).
    pub fn get_all(&self, key: &str) -> Vec<String> {
        crate::list::filter_map(&self.pairs, |(k, v)| {
            (k == key && !v.is_empty()).then(|| v.clone())
        })
    }

    /// Removes every field named `key` and returns the first value.
    pub fn take(&mut self, key: &str) -> Option<String> {
        let first = self.get(key).map(String::from);
        crate::list::remove_where(&mut self.pairs, |(k, _)| k == key);
        first
    }

    /// True when there are no fields.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// A JS parameter object (any [`Source`]) as form fields, by ClerkJS's
    /// rules: camelCase keys → snake_case; members the source leaves out
    /// (`undefined`, functions) dropped; `null` → empty; booleans
    /// `true`/`false`; strings as they are, numbers as JS prints them; arrays
    /// repeat the key per item; nested objects as their JSON text.
    pub fn from_source<S: Source>(params: &S) -> Form {
        let mut form = Form::new();
        for (key, v) in params.entries() {
            let value = if v.is_null() {
                FormValue::Null
            } else if let Some(b) = v.boolean() {
                FormValue::Bool(b)
            } else if v.is_list() {
                FormValue::List(crate::list::filter_map(&v.items(), Source::text))
            } else if let Some(t) = v.text() {
                FormValue::Str(t)
            } else if let Some(j) = v.json_text() {
                FormValue::Json(j)
            } else {
                continue;
            };
            form.push(&key, value);
        }
        form
    }
}

/// Decimal rendering without `core::fmt` (keeps the formatting machinery out
/// of the wasm).
pub fn int_to_string(i: i64) -> String {
    let mut digits = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(21);
    if i < 0 {
        out.push('-');
    }
    for &d in &digits[at..] {
        out.push(d as char);
    }
    out
}

/// camelCase → snake_case: each ASCII capital becomes `_` + lower case;
/// snake_case input passes through unchanged.
pub fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// snake_case → camelCase (`param_name` → `paramName`), for error routing.
pub fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversion() {
        assert_eq!(snake_case("emailAddressId"), "email_address_id");
        assert_eq!(snake_case("email_address_id"), "email_address_id");
        assert_eq!(snake_case("code"), "code");
        assert_eq!(camel_case("email_address"), "emailAddress");
        assert_eq!(camel_case("code"), "code");
        assert_eq!(camel_case("legal_accepted"), "legalAccepted");
    }

    #[test]
    fn form_encoding_rules() {
        let form = Form::new()
            .set("emailAddress", "a+b@x.test")
            .set("legalAccepted", true)
            .set("n", -42i64)
            .set("zero", 0i64)
            .set("organizationId", FormValue::Null)
            .set("ids", FormValue::List(vec!["a".into(), "b c".into()]))
            .set("unsafeMetadata", FormValue::Json(r#"{"k":1}"#.into()))
            .set_opt::<&str>("redirectUrl", None)
            .set_opt("strategy", Some("email_code"));
        assert!(form.contains("legal_accepted"));
        assert!(!form.contains("redirect_url"));
        let req = Request::new(Method::Post, "/x".into()).with_form(form);
        assert_eq!(
            req.body().unwrap(),
            "email_address=a%2Bb%40x.test&legal_accepted=true&n=-42&zero=0&organization_id=&ids=a&ids=b+c&unsafe_metadata=%7B%22k%22%3A1%7D&strategy=email_code"
        );
        assert_eq!(int_to_string(i64::MIN), "-9223372036854775808");
    }

    #[test]
    fn urls_and_method_override() {
        let v = CLIENT_VERSION;
        let get = Request::new(Method::Get, "/client".into());
        let mut want = String::from(
            "https://f.test/v1/client?__clerk_api_version=2026-08-20&_clerk_js_version=",
        );
        want.push_str(v);
        assert_eq!(get.url("https://f.test", &[]), want);
        assert_eq!(get.wire_method(), "GET");
        assert_eq!(get.body(), None);
        assert_eq!(get.content_type(), None);

        let patch =
            Request::new(Method::Patch, "/environment".into()).with_query("debug", "skip cache");
        let mut want = String::from("http://p.test/__clerk/v1/environment?__clerk_api_version=2026-08-20&_clerk_js_version=");
        want.push_str(v);
        want.push_str("&debug=skip+cache&_method=PATCH&__clerk_db_jwt=dvb_1%2B2");
        assert_eq!(
            patch.url("http://p.test/__clerk/", &[("__clerk_db_jwt", "dvb_1+2")]),
            want
        );
        assert_eq!(patch.wire_method(), "POST");
        assert_eq!(patch.body().as_deref(), Some(""));
        assert_eq!(patch.content_type(), Some(FORM_CONTENT_TYPE));
        assert_eq!(
            Request::new(Method::Delete, "/c".into())
                .url("b", &[])
                .rsplit('&')
                .next(),
            Some("_method=DELETE")
        );
        assert_eq!(
            Request::new(Method::Put, "/c".into())
                .url("b", &[])
                .rsplit('&')
                .next(),
            Some("_method=PUT")
        );
        assert!(!Request::new(Method::Post, "/c".into())
            .url("b", &[])
            .contains("_method"));
    }
}
