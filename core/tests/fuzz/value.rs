//! `J`: a JS value as the browser hands it to the core (`src/interop.rs`'s
//! `Js`), for the decoders and the engine to read through `Source`. Unlike
//! `serde_json::Value` it has what JS has: every number is an `f64` (`NaN`,
//! `±Infinity`, `-0`), members can be `undefined`, `Object.entries` puts
//! integer keys first, an array has `length` and index members, and a number
//! prints as `Number#toString` does.

use std::fmt;
use std::rc::Rc;

use clerk_core::model::decode::Source;

#[derive(Clone, PartialEq)]
pub enum J {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Arr(Rc<Vec<J>>),
    Obj(Rc<Vec<(String, J)>>),
}

/// Containers and strings are shared, so a clone is cheap, as a JS handle is.
impl J {
    pub fn obj(pairs: Vec<(&str, J)>) -> J {
        J::object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    pub fn object(pairs: Vec<(String, J)>) -> J {
        J::Obj(Rc::new(pairs))
    }

    pub fn arr(items: Vec<J>) -> J {
        J::Arr(Rc::new(items))
    }

    pub fn str(s: impl AsRef<str>) -> J {
        J::Str(Rc::from(s.as_ref()))
    }

    fn is_absent(&self) -> bool {
        matches!(self, J::Undef | J::Null)
    }

    /// `JSON.stringify` (`undefined` at the top gives `None`).
    pub fn to_json(&self) -> Option<String> {
        let mut out = String::new();
        self.write_json(&mut out).then_some(out)
    }

    fn write_json(&self, out: &mut String) -> bool {
        match self {
            J::Undef => return false,
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) if n.is_finite() => out.push_str(&js_number(*n)),
            J::Num(_) => out.push_str("null"),
            J::Str(s) => out.push_str(&serde_json::to_string(&**s).unwrap()),
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if !v.write_json(out) {
                        out.push_str("null");
                    }
                }
                out.push(']');
            }
            J::Obj(_) => {
                out.push('{');
                let mut first = true;
                for (k, v) in self.entries() {
                    let mut member = serde_json::to_string(&k).unwrap();
                    member.push(':');
                    if v.write_json(&mut member) {
                        if !first {
                            out.push(',');
                        }
                        first = false;
                        out.push_str(&member);
                    }
                }
                out.push('}');
            }
        }
        true
    }

    /// The same value as `serde_json` sees it (non-finite numbers become `null`).
    pub fn to_serde(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            J::Undef | J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Num(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Value::from(*n as i64),
            J::Num(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            J::Str(s) => Value::String(s.to_string()),
            J::Arr(items) => Value::Array(items.iter().map(J::to_serde).collect()),
            J::Obj(_) => Value::Object(
                self.entries()
                    .into_iter()
                    .map(|(k, v)| (k, v.to_serde()))
                    .collect(),
            ),
        }
    }

    pub fn from_serde(v: &serde_json::Value) -> J {
        use serde_json::Value;
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => J::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => J::str(s),
            Value::Array(a) => J::arr(a.iter().map(J::from_serde).collect()),
            Value::Object(o) => J::object(
                o.iter()
                    .map(|(k, v)| (k.clone(), J::from_serde(v)))
                    .collect(),
            ),
        }
    }
}

/// A canonical array index (`"0"`, `"17"`; not `"01"`, `"-1"`).
fn index_key(k: &str) -> Option<u32> {
    let n: u32 = k.parse().ok()?;
    (n != u32::MAX && n.to_string() == k).then_some(n)
}

impl J {
    /// `Object.entries` order over the own members: one per key (the last
    /// value, at the first key's place), integer keys first and ascending;
    /// `undefined` members kept (`Source::entries` drops them).
    fn entries(&self) -> Vec<(String, J)> {
        match self {
            J::Obj(pairs) => {
                let mut out: Vec<(String, J)> = Vec::with_capacity(pairs.len());
                for (k, v) in pairs.iter() {
                    match out.iter_mut().find(|(o, _)| o == k) {
                        Some(slot) => slot.1 = v.clone(),
                        None => out.push((k.clone(), v.clone())),
                    }
                }
                let (mut ints, rest): (Vec<_>, Vec<_>) =
                    out.into_iter().partition(|(k, _)| index_key(k).is_some());
                ints.sort_by_key(|(k, _)| index_key(k));
                ints.extend(rest);
                ints
            }
            J::Arr(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Source for J {
    fn field(&self, key: &str) -> Option<Self> {
        let v = match self {
            J::Obj(pairs) => pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone()),
            J::Arr(items) if key == "length" => Some(J::Num(items.len() as f64)),
            J::Arr(items) => index_key(key).and_then(|i| items.get(i as usize).cloned()),
            _ => None,
        };
        v.filter(|v| !v.is_absent())
    }
    fn string(&self) -> Option<String> {
        match self {
            J::Str(s) => Some(s.to_string()),
            _ => None,
        }
    }
    fn number(&self) -> Option<f64> {
        match self {
            J::Num(n) => Some(*n),
            _ => None,
        }
    }
    fn boolean(&self) -> Option<bool> {
        match self {
            J::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn items(&self) -> Vec<Self> {
        match self {
            J::Arr(items) => items.to_vec(),
            _ => Vec::new(),
        }
    }
    fn entries(&self) -> Vec<(String, Self)> {
        J::entries(self)
            .into_iter()
            .filter(|(_, v)| *v != J::Undef)
            .collect()
    }
    fn text(&self) -> Option<String> {
        match self {
            J::Str(s) => Some(s.to_string()),
            J::Num(n) => Some(js_number(*n)),
            _ => None,
        }
    }
    fn json_text(&self) -> Option<String> {
        match self {
            J::Obj(_) | J::Arr(_) => self.to_json(),
            _ => None,
        }
    }
    fn is_null(&self) -> bool {
        *self == J::Null
    }
    fn is_list(&self) -> bool {
        matches!(self, J::Arr(_))
    }
    fn is_object(&self) -> bool {
        matches!(self, J::Obj(_))
    }
    fn parse(text: &str) -> Option<Self> {
        serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .map(|v| J::from_serde(&v))
    }
}

/// `Number.prototype.toString()` (ECMA-262 Number::toString, radix 10).
pub fn js_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // Shortest round-trip digits and exponent: d.ddde±E.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap();
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i64;
    let n = exp.parse::<i64>().unwrap() + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let e = if e >= 0 {
            format!("+{e}")
        } else {
            e.to_string()
        };
        if k == 1 {
            format!("{digits}e{e}")
        } else {
            format!("{}.{}e{e}", &digits[..1], &digits[1..])
        }
    };
    format!("{sign}{body}")
}

/// JSON-like, with `undefined`, `NaN` and `Infinity` spelled out, so a
/// failing input reads (and pastes into a regression test) as it is.
impl fmt::Debug for J {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            J::Undef => f.write_str("undefined"),
            J::Null => f.write_str("null"),
            J::Bool(b) => write!(f, "{b}"),
            J::Num(n) => f.write_str(&js_number(*n)),
            J::Str(s) => write!(f, "{s:?}"),
            J::Arr(items) => f.debug_list().entries(items.iter()).finish(),
            J::Obj(pairs) => {
                let mut m = f.debug_map();
                for (k, v) in pairs.iter() {
                    m.entry(k, v);
                }
                m.finish()
            }
        }
    }
}

#[test]
fn js_number_matches_javascript() {
    for (x, want) in [
        (1.0, "1"),
        (-1.5, "-1.5"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (123456789012345680000.0, "123456789012345680000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (1.5e-10, "1.5e-10"),
        (-0.0, "0"),
        (f64::NAN, "NaN"),
        (f64::NEG_INFINITY, "-Infinity"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (5e-324, "5e-324"),
        (4294967295.0, "4294967295"),
    ] {
        assert_eq!(js_number(x), want, "{x}");
    }
}

#[test]
fn entries_follow_object_entries_order() {
    let o = J::object(vec![
        ("b".into(), J::Num(1.0)),
        ("2".into(), J::Num(2.0)),
        ("a".into(), J::Undef),
        ("1".into(), J::Num(3.0)),
        ("b".into(), J::Num(4.0)),
        ("01".into(), J::Null),
    ]);
    let keys: Vec<String> = Source::entries(&o).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["1", "2", "b", "01"]);
    assert_eq!(o.field("b"), Some(J::Num(4.0)));
    assert_eq!(o.to_json().unwrap(), r#"{"1":3,"2":2,"b":4,"01":null}"#);
}
