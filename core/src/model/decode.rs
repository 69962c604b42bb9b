//! A small, allocation-light decoder from any JSON-like source into the models.
//!
//! Why not serde here: in the browser the JSON is already parsed by
//! `Response.json()`; walking that JS object with a few `Reflect.get` calls
//! per field costs a fraction of the code size of a serde `Deserializer`
//! monomorphised for every model (measured: ~60 KB of the wasm). The rules are
//! the tolerant ones the models promise: unknown fields ignored, missing or
//! `null` fields take their default, unknown statuses stay in `Other`.
//! Native tests decode the same way from `serde_json::Value`.

/// A parsed JSON value the models can be read from.
pub trait Source: Sized {
    /// The member `key` of an object; `None` when absent or `null`.
    fn field(&self, key: &str) -> Option<Self>;
    /// The value as a string, if it is one.
    fn string(&self) -> Option<String>;
    /// The value as a number, if it is one.
    fn number(&self) -> Option<f64>;
    /// The value as a boolean, if it is one.
    fn boolean(&self) -> Option<bool>;
    /// The elements of an array (empty for anything else).
    fn items(&self) -> Vec<Self>;
    /// The members of an object, in order, leaving out what JS leaves out of
    /// a request (`undefined`, functions); empty for anything else.
    fn entries(&self) -> Vec<(String, Self)> {
        Vec::new()
    }
    /// A string as it is, or a number as JS prints it.
    fn text(&self) -> Option<String> {
        self.string()
    }
    /// The JSON text of an object (a nested parameter).
    fn json_text(&self) -> Option<String> {
        None
    }
    /// Whether this is JSON `null`.
    fn is_null(&self) -> bool {
        false
    }
    /// Whether this is an array.
    fn is_list(&self) -> bool {
        false
    }
    /// Whether this is an object (not an array).
    fn is_object(&self) -> bool {
        false
    }
    /// Parses a JSON text (`None` when it is not JSON). The platform does it:
    /// the browser's `JSON.parse` in the wasm, so no JSON parser ships.
    fn parse(_text: &str) -> Option<Self> {
        None
    }
}

/// Types that can be read from a [`Source`] without failing.
pub trait Decode: Sized {
    /// Reads the value; anything unexpected becomes the default.
    fn decode<S: Source>(src: &S) -> Self;
}

/// Reads `key` of `src` as `T` (default when absent, `null` or mistyped).
pub fn field<T: Decode + Default, S: Source>(src: &S, key: &str) -> T {
    src.field(key).map(|v| T::decode(&v)).unwrap_or_default()
}

impl Decode for String {
    fn decode<S: Source>(src: &S) -> Self {
        src.string().unwrap_or_default()
    }
}

impl Decode for bool {
    fn decode<S: Source>(src: &S) -> Self {
        src.boolean().unwrap_or_default()
    }
}

impl Decode for u64 {
    fn decode<S: Source>(src: &S) -> Self {
        src.number().filter(|n| *n >= 0.0).map_or(0, |n| n as u64)
    }
}

impl Decode for u32 {
    fn decode<S: Source>(src: &S) -> Self {
        src.number().filter(|n| *n >= 0.0).map_or(0, |n| n as u32)
    }
}

impl Decode for i64 {
    fn decode<S: Source>(src: &S) -> Self {
        src.number().map_or(0, |n| n as i64)
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode<S: Source>(src: &S) -> Self {
        Some(T::decode(src))
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode<S: Source>(src: &S) -> Self {
        crate::list::filter_map(&src.items(), |item| Some(T::decode(item)))
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode<S: Source>(src: &S) -> Self {
        Box::new(T::decode(src))
    }
}

#[cfg(test)]
impl Source for serde_json::Value {
    fn field(&self, key: &str) -> Option<Self> {
        self.get(key).filter(|v| !v.is_null()).cloned()
    }
    fn string(&self) -> Option<String> {
        self.as_str().map(Into::into)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn items(&self) -> Vec<Self> {
        self.as_array().cloned().unwrap_or_default()
    }
    fn entries(&self) -> Vec<(String, Self)> {
        self.as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }
    fn text(&self) -> Option<String> {
        self.as_str()
            .map(Into::into)
            .or_else(|| self.as_number().map(|n| n.to_string()))
    }
    fn json_text(&self) -> Option<String> {
        self.is_object().then(|| self.to_string())
    }
    fn is_null(&self) -> bool {
        serde_json::Value::is_null(self)
    }
    fn is_list(&self) -> bool {
        self.is_array()
    }
    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }
    fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }
}
