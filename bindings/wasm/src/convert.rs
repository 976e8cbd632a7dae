//! JavaScript values to [`AuditInput`], in one walk, as the Python binding
//! converts Python values (`bindings/python/src/convert.rs`).
//!
//! Strings, booleans and numbers are kept; a number keeps the digits
//! JavaScript prints (`0.1` stays `0.1`); `null`, `undefined` and NaN are
//! missing (an `undefined` member is left out, as `JSON.stringify` does);
//! ±Infinity is kept for the core to reject with the fact's name; a BigInt
//! is an exact integer; a `Date` is the calendar day its local getters show
//! (`getFullYear`, `getMonth`, `getDate`), as `YYYY-MM-DD`. Arrays and plain
//! objects (made by `{}`, `JSON.parse` or `Object.create(null)`) are walked.
//! Anything else (a function, a symbol, a `Map`, a class instance, an
//! invalid `Date`, a cycle, a getter that throws) is an audit error that
//! names the fact it is in. Every error is in English and Chinese, in the
//! core's words where the core meets the same problem in audit text (a
//! size limit, nesting, an audit that is not an object).
//!
//! INVARIANT: every JavaScript call here catches what it throws, so no
//! exception unwinds through Rust frames (which would leave a `Rulebook`
//! borrowed for good).

use ecorule::{AuditInput, Error, ErrorKind, Errors, Labels, Limits, Num};
use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_namespace = Date, js_name = prototype)]
    static DATE_PROTOTYPE: JsValue;
    #[wasm_bindgen(thread_local_v2, js_namespace = Object, js_name = prototype)]
    static OBJECT_PROTOTYPE: JsValue;
    /// `Array.isArray`, which throws for a revoked proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    pub(crate) fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// `Object.keys`: own enumerable string keys, the ones JSON writes.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub(crate) fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
}

/// What audit values can be, for messages.
fn expected() -> Labels {
    Labels::new(
        "text, a number, a boolean, null, a list, a plain object or a `Date`",
        "文本、数值、布尔值、null、列表、普通对象或 `Date`",
    )
}

/// Whether `given`, read as `text`, held a lone surrogate: `as_string`
/// turns one into U+FFFD, which would change the text (and a rulebook's
/// hash) without a word; only then is the string looked at closer.
pub(crate) fn lone_surrogate(given: &JsValue, text: &str) -> bool {
    text.contains('\u{FFFD}') && !JsString::unchecked_from_js_ref(given).is_valid_utf16()
}

/// Converts a whole audit.
pub(crate) fn audit_input(value: &JsValue, limits: &Limits) -> Result<AuditInput, Errors> {
    // `score()` or `score(undefined)`: said as such, not as the `null` the
    // walk would read it as.
    if value.is_undefined() {
        return Err(Error::audit_not_an_object(Labels::new("undefined", "undefined")).into());
    }
    let mut walk = Walk {
        limits,
        path: Vec::new(),
        ancestors: js_sys::Set::new(&JsValue::UNDEFINED),
        values: 0,
        bytes: 0,
        errors: Vec::new(),
    };
    let input = walk.value(value)?;
    if walk.errors.is_empty() { Ok(input) } else { Err(Errors::new(walk.errors)) }
}

/// One step from the audit down to a value.
enum Step {
    Key(String),
    Index(u32),
}

struct Walk<'a> {
    limits: &'a Limits,
    path: Vec<Step>,
    /// The objects and arrays being walked, to find cycles.
    ancestors: js_sys::Set,
    values: usize,
    /// Bytes of text and keys so far, against `max_audit_bytes`.
    bytes: usize,
    /// Problems with single values; the walk goes on past them.
    errors: Vec<Error>,
}

/// What a JavaScript object is, as far as audits go.
enum Shape {
    Array,
    Plain,
    Date,
    /// Anything else, with the name of its constructor if it has one
    /// (`Map`).
    Other(Option<String>),
}

impl Shape {
    /// An object that is not an audit value, for messages: `a \`Map\` object`.
    fn other(name: Option<&str>) -> Labels {
        match name {
            Some(name) => Labels::new(format!("a `{name}` object"), format!("`{name}` 对象")),
            None => Labels::new("an object that is not a plain object", "非普通对象"),
        }
    }
}

impl Walk<'_> {
    /// Converts one value. `Err` ends the walk (a size limit); a bad value
    /// is recorded in `errors` and read as missing.
    fn value(&mut self, value: &JsValue) -> Result<AuditInput, Errors> {
        self.values += 1;
        if self.values > self.limits.max_audit_values {
            return Err(too_many(self.limits));
        }
        if value.is_null() || value.is_undefined() {
            return Ok(AuditInput::Null);
        }
        if let Some(b) = value.as_bool() {
            return Ok(AuditInput::Bool(b));
        }
        if let Some(x) = value.as_f64() {
            return Ok(number(x));
        }
        if value.is_string() {
            return Ok(match self.text(value, Labels::new("text", "文本"))? {
                Some(text) if text.len() > self.limits.max_string_bytes => self.too_long(text.len()),
                Some(text) => AuditInput::Text(text),
                None => AuditInput::Null,
            });
        }
        if value.is_bigint() {
            let text = js_sys::BigInt::unchecked_from_js_ref(value).to_string(10).ok().and_then(|s| s.as_string());
            return Ok(match text {
                Some(text) => AuditInput::Number(Num::parse(&text).ok_or(text)),
                None => self.bad(Labels::new("a BigInt that cannot be read", "无法读取的 BigInt")),
            });
        }
        if value.is_function() {
            return Ok(self.bad(Labels::new("a function", "函数")));
        }
        if value.is_symbol() {
            return Ok(self.bad(Labels::new("a symbol", "symbol")));
        }
        // An object: the rest of the walk.
        let shape = match shape(value) {
            Ok(shape) => shape,
            Err(e) => {
                let e = exception(&e);
                return Ok(self.bad(Labels::new(
                    format!("an object whose prototype cannot be read ({e})"),
                    format!("无法读取原型的对象（{e}）"),
                )));
            }
        };
        match shape {
            Shape::Date => Ok(self.date(value)),
            Shape::Other(name) => Ok(self.bad(Shape::other(name.as_deref()))),
            Shape::Array | Shape::Plain => {
                if self.ancestors.has(value) {
                    return Ok(
                        self.bad(Labels::new("an object that contains itself (a cycle)", "包含自身的对象（循环）"))
                    );
                }
                // The core's limit on nesting, as for an audit read from
                // JSON; deeper input is an error rather than a stack overflow.
                if self.path.len() >= self.limits.max_depth {
                    return Err(Error::audit_too_deep(self.limits.max_depth, Some(&self.location())).into());
                }
                self.ancestors.add(value);
                let converted = if matches!(shape, Shape::Array) { self.list(value) } else { self.map(value) };
                self.ancestors.delete(value);
                converted
            }
        }
    }

    fn list(&mut self, value: &JsValue) -> Result<AuditInput, Errors> {
        let length = match Reflect::get(value, &JsValue::from_str("length")) {
            Ok(n) => n.as_f64().unwrap_or(0.0),
            Err(e) => {
                let e = exception(&e);
                return Ok(self.bad(Labels::new(
                    format!("a list whose length threw `{e}`"),
                    format!("读取长度时抛出 `{e}` 的列表"),
                )));
            }
        };
        // Refused before any item is read, however long the array says it is.
        if length > self.limits.max_audit_values.saturating_sub(self.values) as f64 {
            return Err(too_many(self.limits));
        }
        let mut items = Vec::new();
        for i in 0..length as u32 {
            self.path.push(Step::Index(i));
            let item = match Reflect::get_u32(value, i) {
                Ok(item) => self.value(&item),
                Err(e) => Ok(self.threw(&e)),
            };
            self.path.pop();
            items.push(item?);
        }
        Ok(AuditInput::List(items))
    }

    fn map(&mut self, value: &JsValue) -> Result<AuditInput, Errors> {
        let keys = match object_keys(value) {
            Ok(keys) => keys,
            Err(e) => {
                let e = exception(&e);
                return Ok(self.bad(Labels::new(
                    format!("an object whose keys threw `{e}`"),
                    format!("读取键时抛出 `{e}` 的对象"),
                )));
            }
        };
        // Refused before any key is read, as a list too long is: each key
        // is a value (an `undefined` one, left out, is counted too).
        if keys.length() as usize > self.limits.max_audit_values.saturating_sub(self.values) {
            return Err(too_many(self.limits));
        }
        let mut entries = Vec::new();
        for key in keys.iter() {
            let Some(name) = self.text(&key, Labels::new("a key", "键"))? else { continue };
            self.path.push(Step::Key(name.clone()));
            let item = match Reflect::get(value, &key) {
                // Left out, as JSON.stringify leaves it out.
                Ok(item) if item.is_undefined() => Ok(None),
                Ok(item) => self.value(&item).map(Some),
                Err(e) => Ok(Some(self.threw(&e))),
            };
            self.path.pop();
            if let Some(item) = item? {
                entries.push((name, item));
            }
        }
        Ok(AuditInput::Map(entries))
    }

    /// A `Date` as the calendar day its local getters show.
    fn date(&mut self, value: &JsValue) -> AuditInput {
        let get = |method: &str| -> Result<f64, JsValue> {
            let f = Reflect::get(value, &JsValue::from_str(method))?;
            let f = f.dyn_into::<js_sys::Function>()?;
            Ok(f.call0(value)?.as_f64().unwrap_or(f64::NAN))
        };
        let day = (|| Ok::<_, JsValue>((get("getTime")?, get("getFullYear")?, get("getMonth")?, get("getDate")?)))();
        match day {
            Ok((time, ..)) if !time.is_finite() => self.bad_as(
                Labels::new("a valid `Date`", "有效的 `Date`"),
                Labels::new("an invalid `Date`", "无效的 `Date`"),
            ),
            Ok((_, year, month, day)) if [year, month, day].iter().all(|x| x.is_finite()) => {
                let (year, month, day) = (year as i64, month as i64 + 1, day as i64);
                let year = if (0..=9999).contains(&year) { format!("{year:04}") } else { format!("{year:+07}") };
                AuditInput::Text(format!("{year}-{month:02}-{day:02}"))
            }
            Ok(_) => self.bad(Labels::new("a `Date` whose getters give no day", "取值方法给不出日期的 `Date`")),
            Err(e) => {
                let e = exception(&e);
                self.bad(Labels::new(
                    format!("a `Date` whose getters threw `{e}`"),
                    format!("取值方法抛出 `{e}` 的 `Date`"),
                ))
            }
        }
    }

    /// A string (`what` says which, for messages), or `None` (recorded)
    /// when it holds a lone surrogate. `Err` past `max_audit_bytes`.
    fn text(&mut self, value: &JsValue, what: Labels) -> Result<Option<String>, Errors> {
        let Some(text) = value.as_string() else { return Ok(None) };
        self.bytes += text.len();
        if self.bytes > self.limits.max_audit_bytes {
            return Err(Error::audit_too_much_text(self.limits.max_audit_bytes).into());
        }
        if lone_surrogate(value, &text) {
            self.bad(Labels::new(
                format!("{} that is not valid Unicode (it holds a lone surrogate)", what.en),
                format!("含孤立代理项、不是有效 Unicode 的{}", what.zh),
            ));
            return Ok(None);
        }
        Ok(Some(text))
    }

    /// Records a value the core cannot read; it is read as missing.
    fn bad(&mut self, given: Labels) -> AuditInput {
        self.bad_as(expected(), given)
    }

    /// [`Walk::bad`], saying what was expected instead.
    fn bad_as(&mut self, expected: Labels, given: Labels) -> AuditInput {
        let (name, inside) = self.fact();
        self.errors.push(if self.path.is_empty() {
            Error::audit_not_an_object(given)
        } else if inside.is_empty() {
            Error::fact_in(ErrorKind::Audit, &name, expected, given)
        } else {
            // Worded as the core words the place of a long text.
            let given = Labels::new(format!("{} at `{inside}`", given.en), format!("{}（位于 `{inside}`）", given.zh));
            Error::fact_in(ErrorKind::Audit, &name, expected, given)
        });
        AuditInput::Null
    }

    /// Records a text longer than `max_string_bytes` as the Python binding
    /// and the core's size check do: an `audit_too_large` error that names
    /// its fact, and here its place inside it. It is read as missing.
    fn too_long(&mut self, bytes: usize) -> AuditInput {
        let (name, inside) = self.fact();
        let at = Some(inside.as_str()).filter(|at| !at.is_empty());
        self.errors.push(Error::audit_text_too_long(&name, bytes, self.limits.max_string_bytes, at));
        AuditInput::Null
    }

    /// Records a getter that threw.
    fn threw(&mut self, thrown: &JsValue) -> AuditInput {
        let e = exception(thrown);
        self.bad(Labels::new(format!("a getter that threw `{e}`"), format!("抛出 `{e}` 的取值方法")))
    }

    /// The fact the walk is in, named as the core names it (`stack.height`,
    /// `audit.date`, `enterprise.name`, `facts`), and the rest of the path
    /// inside it (`[2]`).
    fn fact(&self) -> (String, String) {
        let keys: Vec<&str> = self
            .path
            .iter()
            .map_while(|s| match s {
                Step::Key(k) => Some(k.as_str()),
                Step::Index(_) => None,
            })
            .collect();
        let name = match keys.as_slice() {
            ["facts", rest @ ..] if !rest.is_empty() => rest.join("."),
            ["audit", "enterprise", rest @ ..] if !rest.is_empty() => format!("enterprise.{}", rest.join(".")),
            _ => keys.join("."),
        };
        let inside = self.path.get(keys.len()..).map(render).unwrap_or_default();
        (name, inside)
    }

    /// The whole path, for messages: `facts.a.b[2]`.
    fn location(&self) -> String {
        let text = render(&self.path);
        if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
    }
}

/// `a.b[2].c`.
fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) if out.is_empty() => out.push_str(k),
            Step::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A number as the Python binding reads a float: NaN is missing; whole
/// numbers are exact; others go through their shortest decimal; infinities
/// are kept as text for the core to reject with the fact's name.
fn number(x: f64) -> AuditInput {
    if x.is_nan() {
        return AuditInput::Null;
    }
    // Below 2^53 every whole float is the integer it prints as.
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        return AuditInput::Number(Ok(Num::int(x as i64)));
    }
    let text = if x == f64::INFINITY {
        "Infinity".to_string()
    } else if x == f64::NEG_INFINITY {
        "-Infinity".to_string()
    } else {
        x.to_string()
    };
    AuditInput::Number(Num::from_f64(x).ok_or(text))
}

/// Whether a value is a plain object (made by `{}`, `JSON.parse` or
/// `Object.create(null)`).
pub(crate) fn is_plain(value: &JsValue) -> bool {
    value.is_object() && !value.is_function() && matches!(shape(value), Ok(Shape::Plain))
}

/// Whether an object is an array, a plain object, a `Date` or something else.
fn shape(value: &JsValue) -> Result<Shape, JsValue> {
    if is_array(value)? {
        return Ok(Shape::Array);
    }
    let proto: JsValue = Reflect::get_prototype_of(value)?.into();
    // `Object.prototype` of this realm, or of another (an iframe's).
    if proto.is_null()
        || OBJECT_PROTOTYPE.with(|p| *p == proto)
        || JsValue::from(Reflect::get_prototype_of(&proto)?).is_null()
    {
        return Ok(Shape::Plain);
    }
    let mut p = proto.clone();
    while !p.is_null() {
        if DATE_PROTOTYPE.with(|d| *d == p) {
            return Ok(Shape::Date);
        }
        p = Reflect::get_prototype_of(&p)?.into();
    }
    let name = Reflect::get(&proto, &JsValue::from_str("constructor"))
        .and_then(|c| Reflect::get(&c, &JsValue::from_str("name")))
        .ok()
        .and_then(|n| n.as_string())
        .filter(|n| !n.is_empty());
    Ok(Shape::Other(name))
}

/// What a value is, for messages: `a number (5)`, `a \`Map\` object`.
pub(crate) fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".to_string();
    }
    if value.is_undefined() {
        return "undefined".to_string();
    }
    if let Some(b) = value.as_bool() {
        return format!("a boolean ({b})");
    }
    if let Some(x) = value.as_f64() {
        return format!("a number ({})", js_number(x));
    }
    if let Some(text) = value.as_string() {
        let short: String = text.chars().take(40).collect();
        return if short.len() < text.len() {
            format!("the text \"{short}…\"")
        } else {
            format!("the text \"{text}\"")
        };
    }
    if value.is_bigint() {
        return "a BigInt".to_string();
    }
    if value.is_symbol() {
        return "a symbol".to_string();
    }
    if value.is_function() {
        return "a function".to_string();
    }
    match shape(value) {
        Ok(Shape::Array) => "an array".to_string(),
        Ok(Shape::Plain) => "an object".to_string(),
        Ok(Shape::Date) => "a `Date`".to_string(),
        Ok(Shape::Other(name)) => Shape::other(name.as_deref()).en,
        Err(_) => "an object".to_string(),
    }
}

/// A number as JavaScript prints it.
fn js_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// A thrown value as text: `TypeError: boom` for an `Error`.
pub(crate) fn exception(e: &JsValue) -> String {
    if let Some(text) = e.as_string() {
        return text;
    }
    if e.is_object() {
        let field = |key: &str| Reflect::get(e, &JsValue::from_str(key)).ok().and_then(|v| v.as_string());
        if let Some(message) = field("message") {
            return match field("name") {
                Some(name) if !name.is_empty() => format!("{name}: {message}"),
                _ => message,
            };
        }
    }
    describe(e)
}

fn too_many(limits: &Limits) -> Errors {
    Error::audit_too_many_values(limits.max_audit_values).into()
}
