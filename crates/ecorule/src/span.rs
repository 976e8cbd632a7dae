//! Byte spans and the named sources they point into.
//!
//! Spans are byte offsets; lines and columns are computed only when an
//! error is shown, from the [`Source`] the error carries.

use std::sync::Arc;

/// A half-open byte range `start..end` in one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A named source text, shared by every error that points into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// File name or other label shown in diagnostics.
    pub name: String,
    /// The full text.
    pub text: String,
}

impl Source {
    /// A source with a name (usually its path) and text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Source> {
        Arc::new(Source { name: name.into(), text: text.into() })
    }

    /// `sha256:` and the lowercase hex SHA-256 of the text's bytes: the
    /// hash a report gives a rulebook ([`RulebookRef::hash`]) or a module
    /// ([`ModuleRef::hash`]) compiled from this source, so an archive of
    /// sources can be indexed by it and a stored report matched to the
    /// exact sources that made it.
    ///
    /// [`RulebookRef::hash`]: crate::RulebookRef::hash
    /// [`ModuleRef::hash`]: crate::ModuleRef::hash
    pub fn hash(&self) -> String {
        crate::rulebook::sha256(&self.text)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = self.text.get(..offset).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
        (line, column)
    }

    /// The full text of the line holding a byte offset, without its newline.
    pub fn line_text(&self, offset: usize) -> &str {
        self.text.get(self.line_bounds(offset)).unwrap_or_default()
    }

    /// Where the line holding a byte offset starts and ends (before its
    /// `\n` or `\r\n`).
    pub(crate) fn line_bounds(&self, offset: usize) -> std::ops::Range<usize> {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let start = self.text.get(..offset).and_then(|s| s.rfind('\n')).map_or(0, |i| i + 1);
        let rest = self.text.get(start..).unwrap_or_default();
        let line = rest.split('\n').next().unwrap_or_default();
        start..start + line.strip_suffix('\r').unwrap_or(line).len()
    }
}

pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

pub(crate) fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}
