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
use crate::ir::{Labels, Program, Value};
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
    pub fn get(&self, row: usize) -> Option<usize> {
        match self {
            Codes::U8(v) => v.get(row)?.index(),
            Codes::U16(v) => v.get(row)?.index(),
            Codes::U32(v) => v.get(row)?.index(),
        }
    }
}

/// A code of one width, whose widest value means missing.
trait Code: Copy + Ord + Default {
    /// The distinct value it stands for; `None` for missing.
    fn index(self) -> Option<usize>;

    /// One more, missing wrapping to zero: the number of values a code
    /// needs, in its own width.
    fn needs(self) -> Self;

    /// The code as a count (the widest value as itself).
    fn to_usize(self) -> usize;
}

/// The same `Code` for each width.
macro_rules! code {
    ($($width:ty),*) => {$(
        impl Code for $width {
            #[inline]
            fn index(self) -> Option<usize> {
                (self != <$width>::MAX).then(|| usize::try_from(self).ok()).flatten()
            }

            #[inline]
            fn needs(self) -> Self {
                self.wrapping_add(1)
            }

            fn to_usize(self) -> usize {
                usize::try_from(self).unwrap_or(usize::MAX)
            }
        }
    )*};
}

code!(u8, u16, u32);

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
    /// The columns by the width of their codes, so that writing an audit's
    /// words is a tight loop per width.
    narrow: Vec<Part<u8>>,
    middle: Vec<Part<u16>>,
    wide: Vec<Part<u32>>,
    /// Whether any value failed to convert (then each audit checks its own).
    failed: bool,
    /// Whether any value carries a warning (per litre for a fact per cubic
    /// metre): only then are an audit's values looked through for them.
    warned: bool,
}

/// A checked column.
#[derive(Debug)]
struct Part<C> {
    slot: usize,
    /// Where it was given among the batch's columns: an audit's errors
    /// are told in that order.
    position: usize,
    codes: Vec<C>,
    /// Each distinct value as the lane holds it (unknown for a failed one).
    words: Vec<Word>,
    values: Vec<Result<FactValue, Errors>>,
}

impl<C: Code> Part<C> {
    /// Checks a column's codes and values against `program`.
    fn new(
        program: &Arc<Program>,
        slot: usize,
        position: usize,
        codes: Vec<C>,
        values: Vec<Result<FactValue, Errors>>,
    ) -> Result<Self, Error> {
        let problem = |message: String| Err(Error::new(ErrorKind::Audit, message));
        // The most any code needs, compared once: a fold in the codes' own
        // width, which the compiler vectorises.
        let needed = codes.iter().fold(C::default(), |most, c| most.max(c.needs()));
        if needed.to_usize() > values.len() {
            return problem(format!("the column for slot {slot} has a code past its {} values", values.len()));
        }
        let mut words = Vec::with_capacity(values.len());
        for value in &values {
            match value {
                Ok(v) if !Arc::ptr_eq(&v.program, program) => {
                    let (theirs, ours) = crate::rulebook::names(&v.program, program);
                    return problem(format!("a value for {theirs} given to {ours}"));
                }
                Ok(v) if v.slot != slot => {
                    return problem(format!("a value for slot {} in the column for slot {slot}", v.slot));
                }
                Ok(v) => words.push(v.word),
                Err(_) => words.push(Word::UNKNOWN),
            }
        }
        Ok(Part { slot, position, codes, words, values })
    }

    /// The value `row` gives, if any.
    fn value(&self, row: usize) -> Option<&Result<FactValue, Errors>> {
        self.values.get(self.codes.get(row)?.index()?)
    }

    #[inline]
    fn write(parts: &[Part<C>], row: usize, facts: &mut [Word]) -> Option<()> {
        for p in parts {
            if let Some(code) = p.codes.get(row)?.index() {
                *facts.get_mut(p.slot)? = *p.words.get(code)?;
            }
        }
        Some(())
    }
}

impl Batch {
    /// Checks the columns against `program`: each as long as `rows`, a
    /// known slot given once, codes within the values, values converted for
    /// this rulebook and slot.
    pub(crate) fn new(program: &Arc<Program>, rows: usize, columns: Vec<Column>) -> Result<Batch, Errors> {
        let mut given = vec![false; program.facts.len()];
        let mut batch = Batch {
            program: Arc::clone(program),
            rows,
            narrow: Vec::new(),
            middle: Vec::new(),
            wide: Vec::new(),
            failed: false,
            warned: false,
        };
        for (position, Column { slot, codes, values }) in columns.into_iter().enumerate() {
            let problem = |message: String| Err(Errors::from(Error::new(ErrorKind::Audit, message)));
            match given.get_mut(slot) {
                None => return problem(format!("a column for slot {slot}, which is no fact of `{}`", program.id)),
                Some(true) => return problem(format!("two columns for the fact in slot {slot}")),
                Some(seen) => *seen = true,
            }
            if codes.len() != rows {
                return problem(format!("the column for slot {slot} holds {} audits, not {rows}", codes.len()));
            }
            batch.failed |= values.iter().any(Result::is_err);
            batch.warned |= values.iter().any(|v| v.as_ref().is_ok_and(|v| v.warning.is_some()));
            match codes {
                Codes::U8(codes) => batch.narrow.push(Part::new(program, slot, position, codes, values)?),
                Codes::U16(codes) => batch.middle.push(Part::new(program, slot, position, codes, values)?),
                Codes::U32(codes) => batch.wide.push(Part::new(program, slot, position, codes, values)?),
            }
        }
        Ok(batch)
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

    /// Each value `row` gives.
    fn values_of(&self, row: usize) -> impl Iterator<Item = &Result<FactValue, Errors>> {
        self.positioned_values_of(row).map(|(_, v)| v)
    }

    /// [`Batch::values_of`], each with its column's position.
    fn positioned_values_of(&self, row: usize) -> impl Iterator<Item = (usize, &Result<FactValue, Errors>)> {
        let narrow = self.narrow.iter().filter_map(move |p| Some((p.position, p.value(row)?)));
        let middle = self.middle.iter().filter_map(move |p| Some((p.position, p.value(row)?)));
        narrow.chain(middle).chain(self.wide.iter().filter_map(move |p| Some((p.position, p.value(row)?))))
    }

    /// The errors of the values `row` gives that failed to convert, if
    /// any, in the order their columns were given.
    pub(crate) fn errors(&self, row: usize) -> Option<Errors> {
        if !self.failed {
            return None;
        }
        let mut failed: Vec<(usize, &Errors)> =
            self.positioned_values_of(row).filter_map(|(position, v)| Some((position, v.as_ref().err()?))).collect();
        failed.sort_by_key(|(position, _)| *position);
        let errors: Vec<Error> = failed.into_iter().flat_map(|(_, e)| e.iter().cloned()).collect();
        (!errors.is_empty()).then(|| Errors::new(errors))
    }

    /// The warnings of the values `row` gives, in the order binding the
    /// same values as an audit puts them (by their English text).
    pub(crate) fn value_warnings(&self, row: usize) -> Vec<Labels> {
        if !self.warned {
            return Vec::new();
        }
        let mut warnings: Vec<Labels> =
            self.values_of(row).filter_map(|v| Some(v.as_ref().ok()?.warning.as_deref()?.clone())).collect();
        warnings.sort_by(|a, b| a.en.cmp(&b.en));
        warnings
    }

    /// The value `row` gives the fact in `slot`, if it gives one that converted.
    pub(crate) fn value_in(&self, row: usize, slot: usize) -> Option<&Value> {
        self.values_of(row).filter_map(|v| v.as_ref().ok()).find(|v| v.slot == slot)?.value.as_ref()
    }

    /// Writes `row`'s words into the lane's fact registers.
    #[inline]
    pub(crate) fn write_words(&self, row: usize, facts: &mut [Word]) -> Option<()> {
        Part::write(&self.narrow, row, facts)?;
        Part::write(&self.middle, row, facts)?;
        Part::write(&self.wide, row, facts)
    }

    /// `row`'s values by slot, for the general evaluation.
    pub(crate) fn values(&self, row: usize) -> Vec<Option<Value>> {
        let mut all = vec![None; self.program.facts.len()];
        for value in self.values_of(row).filter_map(|v| v.as_ref().ok()) {
            if let Some(slot) = all.get_mut(value.slot) {
                slot.clone_from(&value.value);
            }
        }
        all
    }
}
