//! Batches scored a block at a time, so Ctrl-C reaches a long batch.
//!
//! Scoring runs with the GIL released, where Python's signal handlers
//! cannot run; between two blocks the GIL is taken back and
//! `py.check_signals()` raises `KeyboardInterrupt` if Ctrl-C was pressed.
//! A block is sized by the time the last one took, so it stays a fraction
//! of a second whether an item takes a microsecond (a DataFrame row) or
//! milliseconds (a full report), and large enough to keep every core busy.

use std::time::{Duration, Instant};

/// The sizes of the blocks of one batch.
pub(crate) struct Blocks {
    size: usize,
    least: usize,
    /// When the last block began.
    began: Option<Instant>,
}

impl Blocks {
    /// About the time one block takes: Ctrl-C waits at most this long (or
    /// a few times it, should items slow down).
    const TARGET: Duration = Duration::from_millis(50);

    /// Blocks of at least `least` items (enough for every core), the first
    /// of `first` items.
    pub(crate) fn new(least: usize, first: usize) -> Blocks {
        let least = least.max(1);
        Blocks { size: first.max(least), least, began: None }
    }

    /// How many items the next block takes: the size of the last one,
    /// doubled or halved by the time it took (until this call).
    pub(crate) fn next(&mut self) -> usize {
        let now = Instant::now();
        if let Some(began) = self.began {
            let took = now.duration_since(began);
            if took < Self::TARGET / 2 {
                self.size = self.size.saturating_mul(2);
            } else if took > Self::TARGET * 2 {
                self.size = (self.size / 2).max(self.least);
            }
        }
        self.began = Some(now);
        self.size
    }
}
