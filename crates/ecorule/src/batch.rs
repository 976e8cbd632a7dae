//! Audits held as columns: one column per fact, each audit a code into the
//! column's distinct values, each distinct value converted once
//! ([`Rulebook::fact_value`](crate::Rulebook::fact_value)). A [`Batch`]
//! keeps each column's values as the summary's fast lane reads them, side by
//! side, so scoring an audit ([`Rulebook::summarize_row`](crate::Rulebook::summarize_row))
//! copies one small word per fact and touches no converted value unless the
//! audit needs the general evaluation.

use std::sync::Arc;

use crate::error::{Error, ErrorKind, Errors};
use crate::eval::Word;
use crate::ir::{Program, Value};
use crate::rulebook::FactValue;

/// One code per audit into a column's distinct values, as narrow as they
/// fit; the widest value of each width (`u8::MAX`, `u16::MAX`, `u32::MAX`)
/// means the audit leaves the fact out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codes {
    /// Up to 255 distinct values.
    U8(Vec<u8>),
    /// Up to 65,535 distinct values.
    U16(Vec<u16>),
    /// More.
    U32(Vec<u32>),
}

impl Codes {
    /// How many audits the column holds.
    pub fn len(&self) -> usize {
        match self {
            Codes::U8(v) => v.len(),
            Codes::U16(v) => v.len(),
            Codes::U32(v) => v.len(),
        }
    }

    /// Whether it holds no audit.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The distinct value `row` stands for; `None` when it is missing (or
    /// `row` is out of range).
    #[inline]
    pub fn get(&self, row: usize) -> Option<usize> {
        match self {
            Codes::U8(v) => v.get(row).filter(|c| **c != u8::MAX).map(|c| usize::from(*c)),
            Codes::U16(v) => v.get(row).filter(|c| **c != u16::MAX).map(|c| usize::from(*c)),
            Codes::U32(v) => v.get(row).filter(|c| **c != u32::MAX).and_then(|c| usize::try_from(*c).ok()),
        }
    }

    /// How many values the codes need: one past the largest code in use,
    /// missing ones aside (which the `+ 1` wraps to zero).
    fn needed(&self) -> usize {
        match self {
            Codes::U8(v) => usize::from(v.iter().map(|c| c.wrapping_add(1)).max().unwrap_or(0)),
            Codes::U16(v) => usize::from(v.iter().map(|c| c.wrapping_add(1)).max().unwrap_or(0)),
            Codes::U32(v) => v.iter().map(|c| c.wrapping_add(1)).max().map_or(0, |c| c as usize),
        }
    }
}

/// One fact's column: its slot ([`Rulebook::fact_slot`](crate::Rulebook::fact_slot)),
/// a code per audit, and the distinct values the codes point at, each
/// converted for the same slot or the error converting it gave.
#[derive(Debug, Clone)]
pub struct Column {
    /// The fact's slot.
    pub slot: usize,
    /// One code per audit into `values`.
    pub codes: Codes,
    /// The distinct values.
    pub values: Vec<Result<FactValue, Errors>>,
}

/// Audits held as columns, checked and ready to score audit by audit
/// ([`Rulebook::batch`](crate::Rulebook::batch)). Shared by reference, it
/// can be scored from many threads at once.
#[derive(Debug)]
pub struct Batch {
    program: Arc<Program>,
    rows: usize,
    columns: Vec<Prepared>,
    /// Whether any value failed to convert (then each audit checks its own).
    failed: bool,
}

#[derive(Debug)]
struct Prepared {
    slot: usize,
    codes: Codes,
    /// Each distinct value as the lane holds it (unknown for a failed one).
    words: Vec<Word>,
    values: Vec<Result<FactValue, Errors>>,
}

impl Batch {
    /// Checks the columns against `program`: each as long as `rows`, a
    /// known slot given once, codes within the values, values converted for
    /// this rulebook and slot.
    pub(crate) fn new(program: &Arc<Program>, rows: usize, columns: Vec<Column>) -> Result<Batch, Errors> {
        let mut given = vec![false; program.facts.len()];
        let mut prepared = Vec::with_capacity(columns.len());
        for Column { slot, codes, values } in columns {
            let problem = |message: String| Err(Errors::from(Error::new(ErrorKind::Audit, message)));
            match given.get_mut(slot) {
                None => return problem(format!("a column for slot {slot}, which is no fact of `{}`", program.id)),
                Some(true) => return problem(format!("two columns for the fact in slot {slot}")),
                Some(seen) => *seen = true,
            }
            if codes.len() != rows {
                return problem(format!("the column for slot {slot} holds {} audits, not {rows}", codes.len()));
            }
            if codes.needed() > values.len() {
                return problem(format!("the column for slot {slot} has a code past its {} values", values.len()));
            }
            let mut words = Vec::with_capacity(values.len());
            for value in &values {
                match value {
                    Ok(v) if !Arc::ptr_eq(&v.program, program) => {
                        let theirs = &v.program.id;
                        return problem(format!("a value for rulebook `{theirs}` given to `{}`", program.id));
                    }
                    Ok(v) if v.slot != slot => {
                        return problem(format!("a value for slot {} in the column for slot {slot}", v.slot));
                    }
                    Ok(v) => words.push(v.word),
                    Err(_) => words.push(Word::UNKNOWN),
                }
            }
            prepared.push(Prepared { slot, codes, words, values });
        }
        let failed = prepared.iter().any(|c| c.values.iter().any(Result::is_err));
        Ok(Batch { program: Arc::clone(program), rows, columns: prepared, failed })
    }

    /// How many audits it holds.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether it holds no audit.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    pub(crate) fn program(&self) -> &Arc<Program> {
        &self.program
    }

    /// The errors of the values `row` gives that failed to convert, if any.
    pub(crate) fn errors(&self, row: usize) -> Option<Errors> {
        if !self.failed {
            return None;
        }
        let errors: Vec<Error> = self
            .columns
            .iter()
            .filter_map(|c| c.values.get(c.codes.get(row)?)?.as_ref().err())
            .flat_map(|e| e.iter().cloned())
            .collect();
        (!errors.is_empty()).then(|| Errors::new(errors))
    }

    /// Writes `row`'s words into the lane's fact registers.
    #[inline]
    pub(crate) fn write_words(&self, row: usize, facts: &mut [Word]) -> Option<()> {
        for c in &self.columns {
            if let Some(code) = c.codes.get(row) {
                *facts.get_mut(c.slot)? = *c.words.get(code)?;
            }
        }
        Some(())
    }

    /// `row`'s values by slot, for the general evaluation.
    pub(crate) fn values(&self, row: usize) -> Vec<Option<Value>> {
        let mut all = vec![None; self.program.facts.len()];
        for c in &self.columns {
            let value = c.codes.get(row).and_then(|code| c.values.get(code)).and_then(|v| v.as_ref().ok());
            if let (Some(v), Some(slot)) = (value, all.get_mut(c.slot)) {
                *slot = v.value.as_deref().cloned();
            }
        }
        all
    }
}
