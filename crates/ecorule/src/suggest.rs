//! "Did you mean" hints: the known name closest to a mistyped one. Public
//! for tools around the engine (the CLI's expected files) to give the
//! same hints.

use crate::ir::Labels;

/// Names longer than this (in characters) get no hint: comparing them
/// would cost more than a hint is worth.
const LONGEST: usize = 200;

/// "did you mean `stack.height`?" for the candidate [`closest`] to `name`.
pub(crate) fn did_you_mean<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    closest(name, candidates).map(|c| meant(c).en)
}

/// [`did_you_mean`] in English and Chinese, for what an audit gives.
pub(crate) fn did_you_mean_in<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<Labels> {
    closest(name, candidates).map(meant)
}

/// "did you mean `c`?" in English and Chinese.
pub(crate) fn meant(c: &str) -> Labels {
    Labels { en: format!("did you mean `{c}`?"), zh: format!("是否应为 `{c}`？") }
}

/// The candidate closest to `name` by edit distance, if it is within two
/// edits or a quarter of the candidate's length, and keeps something of
/// the longer of the two (`4` is no slip for `1`); the first in sort
/// order among equally close ones.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let length = name.chars().count();
    if length > LONGEST {
        return None;
    }
    candidates
        .into_iter()
        .filter_map(|c| {
            let limit = 2.max(c.len() / 4);
            // The distance is at least the difference in length.
            if length.abs_diff(c.chars().count()) > limit {
                return None;
            }
            let d = distance(c, name);
            let longer = length.max(c.chars().count());
            (d <= limit && d < longer).then_some((d, c))
        })
        .min()
        .map(|(_, c)| c)
}

/// Edit distance (Levenshtein, by characters).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let cost = prev + usize::from(ca != *cb);
            prev = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = cost.min(above + 1).min(left + 1);
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("stack.height", "stack.heigth"), 2);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("排气筒", "排气"), 1);
    }

    #[test]
    fn the_closest_within_reach_wins() {
        let names = ["stack.height", "stack.odour", "permit.held"];
        assert_eq!(closest("stack.heigth", names), Some("stack.height"));
        assert_eq!(closest("enterprise.town", names), None);
        assert_eq!(closest(&"x".repeat(LONGEST + 1), ["x"]), None);
        // A short code wholly replaced is no slip; one kept in part may be.
        assert_eq!(closest("4", ["1", "2", "3"]), None);
        assert_eq!(closest("ab", ["cd"]), None);
        assert_eq!(closest("A3", ["A1", "B2"]), Some("A1"));
        assert_eq!(closest("x12", ["x"]), Some("x"));
    }
}
