//! The SDK's small lists (a few entries each: tokens, form fields,
//! requests, listeners), filtered with plain loops. `Vec::retain` and
//! `iter().filter(..).map(..).collect()` are instantiated for each closure
//! with their panic-safe, size-hinted machinery (~200-300 B of `.wasm` per
//! caller); these loops are a few dozen.

/// Drops every item of `list` that `gone` picks, keeping the others in order
/// (`list.retain(|x| !gone(x))`).
pub fn remove_where<T>(list: &mut Vec<T>, mut gone: impl FnMut(&T) -> bool) {
    let mut i = 0;
    while let Some(item) = list.get(i) {
        if gone(item) {
            list.remove(i);
        } else {
            i += 1;
        }
    }
}

/// The strings of `parts` end to end (`parts.concat()`, whose generic
/// joiner is ~250 B of `.wasm`).
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        out.push_str(p);
    }
    out
}

/// What `f` makes of each item of `items`, keeping the `Some`s
/// (`items.iter().filter_map(f).collect()`).
pub fn filter_map<'a, T, U>(items: &'a [T], mut f: impl FnMut(&'a T) -> Option<U>) -> Vec<U> {
    let mut out = Vec::new();
    for item in items {
        if let Some(u) = f(item) {
            out.push(u);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_others_in_order() {
        let mut v = vec![1, 2, 2, 3, 2, 4];
        remove_where(&mut v, |x| *x == 2);
        assert_eq!(v, [1, 3, 4]);
        remove_where(&mut v, |_| true);
        assert!(v.is_empty());
        remove_where(&mut v, |_| true);
    }

    #[test]
    fn filter_map_keeps_the_somes_in_order() {
        let v = [1, 2, 3, 4];
        assert_eq!(filter_map(&v, |x| (x % 2 == 0).then_some(x * 10)), [20, 40]);
        assert!(filter_map(&v, |_| None::<u8>).is_empty());
    }
}
