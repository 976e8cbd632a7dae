//! Python values to [`AuditInput`], exactly.
//!
//! `int`, `Decimal` and `str` keep every digit; a `float` becomes its
//! shortest decimal (the digits `repr` shows, so `0.1` stays `0.1`). `None`,
//! NaN, `pandas.NA` and `NaT` are missing. Dates (`datetime.date`,
//! `datetime.datetime`, `pandas.Timestamp`, `numpy.datetime64`) become
//! `YYYY-MM-DD`; durations (`datetime.timedelta`, `pandas.Timedelta`,
//! `numpy.timedelta64`) become their exact number of seconds, `"5400 s"`.
//! A NumPy `float32` or `float16` (a scalar, or each item of an array) is
//! its own shortest decimal, the digits NumPy shows (`np.float32(0.9)` is
//! 0.9), not that of the `float` it widens to (0.8999999761581421). Other
//! NumPy scalars and arrays go through `tolist()`; a `longdouble`, which
//! has no Python type, is read as a `float` is (its shortest decimal).
//!
//! A value that cannot be converted (a Python type with no audit form, a
//! text with a lone surrogate, a text over the size limit, a container
//! that holds itself) is an audit error naming where it was given: the fact
//! (`stack.height`) or the audit's key path (`audit.date`).

use ecorule::{AuditInput, Error, ErrorKind, Labels, Limits, Num};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};

use crate::Failure;

/// The Python types an audit value may be, for messages.
const ACCEPTED: &str = "use dict, list, str, int, float, bool, Decimal, date, timedelta or None";

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static TIMEDELTA: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Converts a whole audit (or any value in it). Errors name the fact as the
/// core does: `stack.height` for `{"facts": {"stack": {"height": …}}}`,
/// `audit.date`, `enterprise.id`.
pub(crate) fn audit_input(value: &Bound<'_, PyAny>) -> Result<AuditInput, Failure> {
    Walk::new().convert(value, 0).map_err(|fail| fail.into_failure(None))
}

/// Converts the value a batch gives the fact `fact` (a DataFrame cell).
pub(crate) fn fact_value(value: &Bound<'_, PyAny>, fact: &str) -> Result<AuditInput, Failure> {
    Walk::new().convert(value, 0).map_err(|fail| fail.into_failure(Some(fact)))
}

/// A float as an exact number; NaN is missing. One the core cannot hold
/// (an infinity, `1e31`) is kept as its text, written as Python writes it,
/// for the core to reject with the fact's name.
pub(crate) fn float(x: f64) -> AuditInput {
    if x.is_nan() {
        return AuditInput::Null;
    }
    // Whole numbers skip the decimal round trip; below 2^53 every float is
    // the integer it prints as.
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        return AuditInput::Number(Ok(Num::int(x as i64)));
    }
    AuditInput::Number(Num::from_f64(x).ok_or_else(|| as_python_writes(format!("{x:e}"))))
}

/// A `float32` (a NumPy scalar or a column's cell) as an exact number: its
/// own shortest decimal, the digits NumPy shows (`np.float32(0.9)` is 0.9,
/// not the 0.8999999761581421 it is as a `float`). NaN is missing,
/// infinities are kept as text for the core to reject, as for a `float`.
pub(crate) fn float32(x: f32) -> AuditInput {
    if x.is_nan() {
        return AuditInput::Null;
    }
    // Below 2^24 every whole float32 is the integer it prints as.
    if x.fract() == 0.0 && x.abs() < 16_777_216.0 {
        return AuditInput::Number(Ok(Num::int(x as i64)));
    }
    // Rust writes a float32 by its shortest round-trip digits, as NumPy does.
    let digits = format!("{x:e}");
    AuditInput::Number(Num::parse(&digits).ok_or_else(|| as_python_writes(digits)))
}

/// A float's shortest digits in Rust's scientific form (`1e31`, `inf`) as
/// Python's `repr` writes one that large or small (`1e+31`), for a message
/// saying the number cannot be held: the core reads the same number from
/// either, and an `int` is written out in full (`10000…`).
fn as_python_writes(digits: String) -> String {
    match digits.split_once('e') {
        Some((mantissa, exponent)) if !exponent.starts_with('-') => format!("{mantissa}e+{exponent}"),
        _ => digits,
    }
}

/// One step from a container to a value in it.
enum Step {
    Key(String),
    Index(usize),
}

/// What could not be converted.
enum Problem {
    /// A Python type with no audit form (its name).
    Type(String),
    /// A `str` with a lone surrogate (shown with escapes).
    Surrogate(String),
    /// A text longer than the limit (its length in bytes).
    LongText(usize),
    /// A key longer than the limit (its length in bytes).
    LongKey(usize),
    /// A key that is not a `str` (its type).
    KeyType(String),
    /// Nested deeper than the core's `Limits::max_depth`.
    Deep,
    /// A container met again inside itself: the type, and how many steps
    /// from the root its first occurrence is.
    Cycle(String, usize),
    /// A `numpy.timedelta64` in a unit of no fixed length (months, years),
    /// or of none at all (`generic`): the value shown, and its unit.
    Duration(String, String),
}

/// A value that did not convert, and where: the steps from the root,
/// innermost first (each container adds its own as the error unwinds, so
/// converting a good value keeps no path).
struct Bad {
    steps: Vec<Step>,
    problem: Problem,
}

enum Fail {
    Python(PyErr),
    Bad(Box<Bad>),
}

impl From<PyErr> for Fail {
    fn from(e: PyErr) -> Self {
        Fail::Python(e)
    }
}

fn bad(problem: Problem) -> Fail {
    Fail::Bad(Box::new(Bad { steps: Vec::new(), problem }))
}

impl Fail {
    /// Adds the step that leads into the value that failed.
    fn at(mut self, step: impl FnOnce() -> Step) -> Fail {
        if let Fail::Bad(b) = &mut self {
            b.steps.push(step());
        }
        self
    }

    fn into_failure(self, fact: Option<&str>) -> Failure {
        match self {
            Fail::Python(e) => Failure::Python(e),
            Fail::Bad(b) => Failure::Audit(b.into_error(fact)),
        }
    }
}

impl Bad {
    /// The error, naming the fact (or key path) the value was given for:
    /// `fact` for a batch's cell, else found from the audit's layout.
    fn into_error(self, fact: Option<&str>) -> Error {
        let mut steps = self.steps;
        steps.reverse();
        let (limit, max_depth) = (Limits::default().max_string_bytes, Limits::default().max_depth);
        let cut = match &self.problem {
            // Named where the container first occurs; the path says where it recurs.
            Problem::Cycle(_, depth) => (*depth).min(steps.len()),
            _ => steps.len(),
        };
        let fact_name = name(fact, steps.get(..cut).unwrap_or_default());
        let position = steps
            .iter()
            .find_map(|s| match s {
                Step::Index(i) => Some(Labels::new(format!(" at position {}", i + 1), format!("（第 {} 项）", i + 1))),
                Step::Key(_) => None,
            })
            .unwrap_or_else(|| Labels::new("", ""));
        let (kind, expected, given, help) = match self.problem {
            Problem::Type(ty) => (
                ErrorKind::Audit,
                audit_value(),
                Labels::new(format!("a Python `{ty}`"), format!("Python `{ty}` 值")),
                Some(accepted()),
            ),
            Problem::Surrogate(shown) => (
                ErrorKind::Audit,
                Labels::new("text in valid Unicode", "有效的 Unicode 文本"),
                Labels::new(format!("`{shown}`, which holds a lone surrogate"), format!("`{shown}`，其中含孤立代理项")),
                None,
            ),
            Problem::LongText(bytes) => (
                ErrorKind::AuditTooLarge,
                Labels::new(format!("a text of at most {limit} bytes"), format!("至多 {limit} 字节的文本")),
                Labels::new(format!("a text of {bytes} bytes"), format!("{bytes} 字节的文本")),
                None,
            ),
            Problem::LongKey(bytes) => (
                ErrorKind::AuditTooLarge,
                Labels::new(format!("keys of at most {limit} bytes"), format!("至多 {limit} 字节的键")),
                Labels::new(format!("a key of {bytes} bytes"), format!("{bytes} 字节的键")),
                None,
            ),
            Problem::KeyType(ty) => (
                ErrorKind::Audit,
                Labels::new("an object with text keys", "以文本为键的对象"),
                Labels::new(format!("a key of type `{ty}`"), format!("类型为 `{ty}` 的键")),
                None,
            ),
            Problem::Deep => (
                ErrorKind::AuditTooLarge,
                Labels::new(
                    format!("a value nested at most {max_depth} levels deep"),
                    format!("嵌套不超过 {max_depth} 层的值"),
                ),
                Labels::new("one nested deeper", "嵌套更深的值"),
                None,
            ),
            Problem::Cycle(ty, _) => {
                let again = name(fact, &steps).unwrap_or_default();
                (
                    ErrorKind::Audit,
                    Labels::new("a value that does not contain itself", "不包含自身的值"),
                    Labels::new(
                        format!("a `{ty}` that contains itself (again at `{again}`)"),
                        format!("包含自身的 `{ty}`（在 `{again}` 处再次出现）"),
                    ),
                    Some(Labels::new(
                        "a dict or list that holds itself has no JSON form; give a copy",
                        "包含自身的 dict 或 list 没有 JSON 形式：请给出其副本",
                    )),
                )
            }
            Problem::Duration(shown, unit) => (
                ErrorKind::Audit,
                Labels::new("a duration of fixed length", "固定长度的时长"),
                Labels::new(format!("`{shown}`"), format!("`{shown}`")),
                Some(match unit.as_str() {
                    "generic" => Labels::new(
                        "a timedelta64 without a unit is a bare count: give its unit, as in `np.timedelta64(5, 'h')`",
                        "不带单位的 timedelta64 只是一个数：请给出单位，如 `np.timedelta64(5, 'h')`",
                    ),
                    _ => Labels::new(
                        "months and years differ in length: give weeks, days, hours, minutes or seconds",
                        "月与年长短不一：请用周、天、小时、分钟或秒",
                    ),
                }),
            ),
        };
        let given = Labels::new(format!("{}{}", given.en, position.en), format!("{}{}", given.zh, position.zh));
        let error = match fact_name {
            Some(fact) => Error::fact_in(kind, &fact, expected, given),
            None => Error::new_in(
                kind,
                Labels::new(
                    format!("the audit is {}, not {}", given.en, expected.en),
                    format!("审核应为{}，而非 {}", expected.zh, given.zh),
                ),
            ),
        };
        error.with_help_in(help)
    }
}

/// What a value of an audit is expected to be, where a Python type has no audit form.
pub(crate) fn audit_value() -> Labels {
    Labels::new("an audit value", "审核可用的值")
}

/// The Python types an audit value may be, as help.
fn accepted() -> Labels {
    Labels::new(ACCEPTED, "请使用 dict、list、str、int、float、bool、Decimal、date、timedelta 或 None")
}

/// The fact a value at `steps` is given for. Under a batch's `fact`, the
/// keys below it; in a whole audit, as the core names facts: the keys under
/// `facts` (`stack.height`), `enterprise.id` for `audit.enterprise.id`,
/// else the key path (`audit.date`). `None` for the audit itself.
fn name(fact: Option<&str>, steps: &[Step]) -> Option<String> {
    let keys: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
        .collect();
    let dotted = |keys: &[&str]| keys.join(".");
    match (fact, keys.as_slice()) {
        (Some(fact), []) => Some(fact.to_string()),
        (Some(fact), keys) => Some(format!("{fact}.{}", dotted(keys))),
        (None, []) => None,
        (None, ["facts", rest @ ..]) if !rest.is_empty() => Some(dotted(rest)),
        (None, ["audit", "enterprise", rest @ ..]) if !rest.is_empty() => Some(format!("enterprise.{}", dotted(rest))),
        (None, keys) => Some(dotted(keys)),
    }
}

/// One conversion: the containers on the way to the current value, to tell
/// a container that holds itself from a deep one.
struct Walk {
    /// Addresses of the containers from the root to the current value.
    open: Vec<usize>,
    max_text: usize,
}

impl Walk {
    fn new() -> Walk {
        Walk { open: Vec::new(), max_text: Limits::default().max_string_bytes }
    }

    /// Converts a container's items, `value` staying on the path meanwhile.
    fn container<T>(
        &mut self,
        value: &Bound<'_, PyAny>,
        depth: usize,
        f: impl FnOnce(&mut Walk) -> Result<T, Fail>,
    ) -> Result<T, Fail> {
        let address = value.as_ptr() as usize;
        if let Some(first) = self.open.iter().position(|a| *a == address) {
            let ty = value.get_type().name().map(|n| n.to_string()).unwrap_or_default();
            return Err(bad(Problem::Cycle(ty, first)));
        }
        // The core's limit on nesting (an audit read from JSON or TOML has
        // it too); deeper input is an error rather than a stack overflow.
        if depth >= Limits::default().max_depth {
            return Err(bad(Problem::Deep));
        }
        self.open.push(address);
        let result = f(self);
        self.open.pop();
        result
    }

    fn entries<'py>(
        &mut self,
        items: impl Iterator<Item = PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)>>,
        depth: usize,
    ) -> Result<AuditInput, Fail> {
        let mut entries = Vec::with_capacity(items.size_hint().0);
        for item in items {
            let (k, v) = item?;
            let key = self.key(&k)?;
            match self.convert(&v, depth + 1) {
                Ok(value) => entries.push((key, value)),
                Err(fail) => return Err(fail.at(|| Step::Key(key))),
            }
        }
        Ok(AuditInput::Map(entries))
    }

    fn items<'py>(&mut self, items: impl Iterator<Item = Bound<'py, PyAny>>, depth: usize) -> Result<AuditInput, Fail> {
        let mut list = Vec::with_capacity(items.size_hint().0);
        for (i, v) in items.enumerate() {
            list.push(self.convert(&v, depth + 1).map_err(|fail| fail.at(|| Step::Index(i)))?);
        }
        Ok(AuditInput::List(list))
    }

    /// `depth` counts the containers from the root to `value`.
    fn convert(&mut self, value: &Bound<'_, PyAny>, depth: usize) -> Result<AuditInput, Fail> {
        let py = value.py();
        if value.is_none() {
            return Ok(AuditInput::Null);
        }
        if let Ok(b) = value.cast::<PyBool>() {
            return Ok(AuditInput::Bool(b.is_true()));
        }
        if let Ok(i) = value.cast::<PyInt>() {
            return Ok(match i.extract::<i64>() {
                Ok(n) => AuditInput::Number(Ok(Num::int(n))),
                Err(_) => match i.str() {
                    Ok(text) => {
                        let text = text.to_string();
                        AuditInput::Number(Num::parse(&text).ok_or(text))
                    }
                    // Past `sys.get_int_max_str_digits()` Python will not
                    // write it out; far past any number the core holds.
                    Err(_) => AuditInput::Number(Err(format!("an integer of {} digits", digits(i)?))),
                },
            });
        }
        if let Ok(f) = value.cast::<PyFloat>() {
            return Ok(float(f.value()));
        }
        if let Ok(s) = value.cast::<PyString>() {
            return self.text(s).map(AuditInput::Text);
        }
        if let Ok(d) = value.cast::<PyDict>() {
            return self.container(value, depth, |walk| walk.entries(d.iter().map(Ok), depth));
        }
        if let Ok(l) = value.cast::<PyList>() {
            return self.container(value, depth, |walk| walk.items(l.iter(), depth));
        }
        if let Ok(t) = value.cast::<PyTuple>() {
            return self.container(value, depth, |walk| walk.items(t.iter(), depth));
        }
        if value.is_instance(DECIMAL.import(py, "decimal", "Decimal")?)? {
            if value.call_method0("is_nan")?.is_truthy()? {
                return Ok(AuditInput::Null);
            }
            let text = value.str()?.to_string();
            return Ok(AuditInput::Number(Num::parse(&text).ok_or(text)));
        }
        if value.is_instance(DATE.import(py, "datetime", "date")?)? {
            // `pandas.NaT` is a datetime whose isoformat is "NaT".
            let iso = value.call_method0("isoformat")?.str()?.to_string();
            if iso == "NaT" {
                return Ok(AuditInput::Null);
            }
            let day = iso.split('T').next().unwrap_or_default().to_string();
            return Ok(AuditInput::Text(day));
        }
        if value.is_instance(TIMEDELTA.import(py, "datetime", "timedelta")?)? {
            // A `pandas.Timedelta` (a subclass) may hold nanoseconds: its
            // NumPy form keeps them.
            if let Ok(numpy) = value.getattr("asm8") {
                return numpy_duration(&numpy);
            }
            let part = |name: &str| value.getattr(name).and_then(|v| v.extract::<i64>()).map(i128::from);
            let micros = (part("days")? * 86_400 + part("seconds")?) * 1_000_000 + part("microseconds")?;
            return Ok(seconds(micros, 6));
        }
        let name = value.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        let foreign = is_foreign(value);
        if foreign && (name == "NAType" || name == "NaTType") {
            return Ok(AuditInput::Null);
        }
        if foreign && name == "timedelta64" {
            return numpy_duration(value);
        }
        if foreign && name == "datetime64" {
            // `tolist()` gives an int for units finer than microseconds.
            let numpy = py.import("numpy")?;
            let day = numpy.call_method1("datetime_as_string", (value, "D"))?.str()?.to_string();
            return Ok(if day == "NaT" { AuditInput::Null } else { AuditInput::Text(day) });
        }
        if foreign && value.hasattr("tolist")? {
            return self.numpy(value, depth);
        }
        if let Ok(m) = value.cast::<PyMapping>() {
            let items = m.items()?;
            return self.container(value, depth, |walk| {
                walk.entries(items.iter().map(|item| item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()), depth)
            });
        }
        Err(bad(Problem::Type(name)))
    }

    /// A NumPy (or pandas) value through `tolist()`, the same value in
    /// Python's types: no step, no level. A scalar with no Python type
    /// (`longdouble`, `clongdouble`) gives a scalar of its own type back,
    /// and is converted here rather than again; a `tolist()` that gives a NumPy value again
    /// (a 0-d array's scalar, an object array's item) costs a level, so a
    /// chain of them ends at the depth limit.
    fn numpy(&mut self, value: &Bound<'_, PyAny>, depth: usize) -> Result<AuditInput, Fail> {
        if let Some(array) = narrow_floats(value)? {
            return self.narrow_array(value, &array, depth);
        }
        let plain = value.call_method0("tolist")?;
        if plain.get_type().is(value.get_type())
            && value.is_instance(&value.py().import("numpy")?.getattr("generic")?)?
        {
            return long_double(value);
        }
        if !is_foreign(&plain) {
            return self.convert(&plain, depth);
        }
        if depth + 1 >= Limits::default().max_depth {
            return Err(bad(Problem::Deep));
        }
        self.convert(&plain, depth + 1)
    }

    /// A value holding NumPy floats narrower than a `float` (`array`, its
    /// NumPy form): a scalar by its own shortest decimal, an array item by
    /// item, as `tolist()` would nest them but each item kept at its
    /// precision (its `float` would show digits the data never had).
    fn narrow_array(
        &mut self,
        value: &Bound<'_, PyAny>,
        array: &Bound<'_, PyAny>,
        depth: usize,
    ) -> Result<AuditInput, Fail> {
        let ndim: usize = array.getattr("ndim")?.extract()?;
        if ndim == 0 {
            // A scalar, or a 0-d array's item (`a[()]`, of the same type).
            let item = array.get_item(PyTuple::empty(array.py()))?;
            return narrow_float(&item);
        }
        let items = array.try_iter()?.collect::<PyResult<Vec<_>>>()?;
        self.container(value, depth, |walk| walk.items(items.into_iter(), depth))
    }

    /// A `str` as UTF-8, within the size limit; a lone surrogate is the
    /// audit's problem, not Python's.
    fn text(&self, s: &Bound<'_, PyString>) -> Result<String, Fail> {
        let Ok(text) = s.to_cow() else {
            return Err(bad(Problem::Surrogate(escaped(s))));
        };
        if text.len() > self.max_text {
            return Err(bad(Problem::LongText(text.len())));
        }
        Ok(text.into_owned())
    }

    /// A key, as a text; the errors are the object's, except a lone
    /// surrogate, named at the key itself.
    fn key(&self, k: &Bound<'_, PyAny>) -> Result<String, Fail> {
        let Ok(s) = k.cast::<PyString>() else {
            let ty = k.get_type().name().map(|n| n.to_string()).unwrap_or_default();
            return Err(bad(Problem::KeyType(ty)));
        };
        let Ok(text) = s.to_cow() else {
            let shown = escaped(s);
            return Err(bad(Problem::Surrogate(shown.clone())).at(|| Step::Key(shown)));
        };
        if text.len() > self.max_text {
            return Err(bad(Problem::LongKey(text.len())));
        }
        Ok(text.into_owned())
    }
}

/// Whether a value is NumPy's or pandas' (by its type's module).
fn is_foreign(value: &Bound<'_, PyAny>) -> bool {
    let module = value.get_type().module().map(|m| m.to_string()).unwrap_or_default();
    module == "numpy" || module.starts_with("numpy.") || module.starts_with("pandas")
}

/// A NumPy scalar that `tolist()` gives back unchanged: a real one
/// (`longdouble`, wider than a `float` on most platforms) is read as a
/// `float` is, its shortest decimal: the `float`'s when it holds exactly a
/// `float`'s value (`np.longdouble(0.3)` is 0.3), else its own shortest
/// decimal at its precision (`str()`, which reads back as the same value).
/// Any other (`clongdouble`, a complex number) has no audit form.
fn long_double(value: &Bound<'_, PyAny>) -> Result<AuditInput, Fail> {
    let ty = value.get_type();
    let name = ty.name().map(|n| n.to_string()).unwrap_or_default();
    let floating = value.py().import("numpy")?.getattr("floating")?;
    if !value.is_instance(&floating)? {
        return Err(bad(Problem::Type(name)));
    }
    let x: f64 = value.extract()?;
    if x.is_nan() || value.eq(x)? {
        return Ok(float(x));
    }
    numpy_digits(value)
}

/// A NumPy float by the digits NumPy writes for it (`str()`): its shortest
/// decimal at its own precision, which reads back as the same value.
fn numpy_digits(value: &Bound<'_, PyAny>) -> Result<AuditInput, Fail> {
    let text = value.str()?.to_string();
    Ok(AuditInput::Number(Num::parse(&text).ok_or(text)))
}

/// The NumPy form of a value holding floats narrower than a `float`
/// (`float32`, `float16`): a NumPy scalar or array itself, a pandas one's
/// `to_numpy()`; `None` for any other value.
fn narrow_floats<'py>(value: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    fn narrow(value: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(dtype) = value.getattr("dtype") else {
            return Ok(false);
        };
        let (Ok(kind), Ok(size)) = (dtype.getattr("kind"), dtype.getattr("itemsize")) else {
            return Ok(false);
        };
        Ok(kind.extract::<String>().is_ok_and(|k| k == "f") && size.extract::<usize>().is_ok_and(|n| n < 8))
    }
    if !narrow(value)? {
        return Ok(None);
    }
    let numpy = value.py().import("numpy")?;
    if value.is_instance(&numpy.getattr("generic")?)? || value.is_instance(&numpy.getattr("ndarray")?)? {
        return Ok(Some(value.clone()));
    }
    // A pandas Series or array (a `Float32` one gives NaN for NA).
    let Ok(array) = value.call_method0("to_numpy") else {
        return Ok(None);
    };
    Ok((array.is_instance(&numpy.getattr("ndarray")?)? && narrow(&array)?).then_some(array))
}

/// A NumPy `float32` or `float16` scalar by its own shortest decimal: a
/// `float32` as [`float32`] reads it; a `float16` (which Rust has no type
/// for) by the digits NumPy writes for it, its shortest round trip too.
fn narrow_float(item: &Bound<'_, PyAny>) -> Result<AuditInput, Fail> {
    let size: usize = item.getattr("dtype")?.getattr("itemsize")?.extract()?;
    let x: f64 = item.extract()?;
    if size == 4 {
        // A float32 widened to a float is exact: narrowing it back is too.
        return Ok(float32(x as f32));
    }
    if x.is_nan() {
        return Ok(AuditInput::Null);
    }
    numpy_digits(item)
}

/// How many decimal digits an `int` has, without writing it out.
fn digits(i: &Bound<'_, PyInt>) -> PyResult<u64> {
    let magnitude = i.call_method0("__abs__")?;
    let bits: u64 = magnitude.call_method0("bit_length")?.extract()?;
    // 2^(bits-1) <= |i| < 2^bits: the digits are this estimate or one more.
    let estimate = ((bits.saturating_sub(1)) as f64 * std::f64::consts::LOG10_2).floor() as u64 + 1;
    let power = 10u8.into_pyobject(i.py())?.pow(estimate, i.py().None())?;
    Ok(if magnitude.ge(power)? { estimate + 1 } else { estimate })
}

/// A text with its lone surrogates as `\udcff` escapes, at most 60
/// characters, for messages.
fn escaped(s: &Bound<'_, PyString>) -> String {
    let shown = s
        .call_method1("encode", ("utf-8", "backslashreplace"))
        .and_then(|b| b.extract::<Vec<u8>>())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|_| s.to_string_lossy().into_owned());
    if shown.chars().count() > 60 { format!("{}…", shown.chars().take(60).collect::<String>()) } else { shown }
}

/// `count / 10^places` seconds as the text of a quantity (`"90.5 s"`),
/// written out exactly, as an audit in JSON would give it; the core reads
/// it for a duration fact and says what is wrong with it for any other.
fn seconds(count: i128, places: u32) -> AuditInput {
    let sign = if count < 0 { "-" } else { "" };
    let count = count.unsigned_abs();
    let scale = 10u128.pow(places);
    let (whole, fraction) = (count / scale, count % scale);
    let text = match fraction {
        0 => format!("{sign}{whole} s"),
        _ => {
            let digits = format!("{fraction:0width$}", width = places as usize);
            format!("{sign}{whole}.{} s", digits.trim_end_matches('0'))
        }
    };
    AuditInput::Text(text)
}

/// A `numpy.timedelta64` as exact seconds (NaT missing); months, years
/// and unitless counts have no fixed length.
fn numpy_duration(value: &Bound<'_, PyAny>) -> Result<AuditInput, Fail> {
    let numpy = value.py().import("numpy")?;
    let (unit, step): (String, i64) = numpy.call_method1("datetime_data", (value.getattr("dtype")?,))?.extract()?;
    let count: i64 = value.call_method1("astype", ("int64",))?.call_method0("item")?.extract()?;
    if count == i64::MIN {
        return Ok(AuditInput::Null); // NaT
    }
    // The unit in seconds: a whole number of them, or 10^-places.
    let (per_unit, places): (i128, u32) = match unit.as_str() {
        "W" => (604_800, 0),
        "D" => (86_400, 0),
        "h" => (3_600, 0),
        "m" => (60, 0),
        "s" => (1, 0),
        "ms" => (1, 3),
        "us" | "μs" => (1, 6),
        "ns" => (1, 9),
        "ps" => (1, 12),
        "fs" => (1, 15),
        "as" => (1, 18),
        _ => return Err(bad(Problem::Duration(value.repr()?.to_string(), unit))),
    };
    // |count| < 2^63, step < 2^31 and per_unit < 2^20: the product fits in 128 bits.
    Ok(seconds(i128::from(count) * i128::from(step) * per_unit, places))
}
