//! The WebAssembly binding: JavaScript values in, core calls, JavaScript
//! values out.
//!
//! Nothing is computed here. Audits cross as JSON text, or as JS values
//! converted in one walk (`convert`); results cross as the core's own JSON
//! parsed by `JSON.parse`, so a report here equals `ecorule score --format
//! json` for the same input. What the core rejects is thrown as an `Error`
//! named `EcoruleError` that carries the core's structured error data; an
//! argument or option of the wrong JavaScript type is a `TypeError` that
//! names it.

mod convert;

use std::sync::Arc;

use ecorule::{AuditInput, Errors, Limits, ScoreOptions, Source};
use js_sys::{JSON, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::convert::{describe, exception, is_array, is_plain, lone_surrogate, object_keys};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types/ecorule.d.ts");

#[wasm_bindgen]
extern "C" {
    /// Rulebook source: checked to be a string here, not by the glue.
    #[wasm_bindgen(typescript_type = "string")]
    pub type JsText;
    /// `FromSourceOptions` in the TypeScript declarations.
    #[wasm_bindgen(typescript_type = "FromSourceOptions")]
    pub type FromSourceOptions;
    /// `ScoreOptions` in the TypeScript declarations.
    #[wasm_bindgen(typescript_type = "ScoreOptions")]
    pub type JsScoreOptions;
    /// An audit: a plain object or its JSON text.
    #[wasm_bindgen(typescript_type = "Audit | string")]
    pub type JsAudit;
    /// `RulebookInfo` in the TypeScript declarations.
    #[wasm_bindgen(typescript_type = "RulebookInfo")]
    pub type JsRulebookInfo;
    /// `Questionnaire` in the TypeScript declarations.
    #[wasm_bindgen(typescript_type = "Questionnaire")]
    pub type JsQuestionnaire;
    /// `Report` in the TypeScript declarations.
    #[wasm_bindgen(typescript_type = "Report")]
    pub type JsReport;
    /// `Summary` in the TypeScript declarations.
    #[wasm_bindgen(typescript_type = "Summary")]
    pub type JsSummary;
    /// A JSON Schema document.
    #[wasm_bindgen(typescript_type = "Record<string, unknown>")]
    pub type JsSchema;
    /// The rulebook's warnings, as the core's `ErrorInfo`s.
    #[wasm_bindgen(typescript_type = "ErrorInfo[]")]
    pub type JsWarnings;
    /// `RenderFormat` in the TypeScript declarations.
    #[wasm_bindgen(typescript_type = "RenderFormat")]
    pub type JsRenderFormat;
    /// `RenderOptions` in the TypeScript declarations.
    #[wasm_bindgen(typescript_type = "RenderOptions")]
    pub type JsRenderOptions;
    /// A value parsed from JSON text, for `score` to check.
    #[wasm_bindgen(typescript_type = "unknown")]
    pub type JsParsed;
}

/// A checked, compiled rulebook, ready to score audits.
///
/// After `free()` (or the end of a `using` block) every method and getter,
/// `free()` too, throws a plain `Error` ("null pointer passed to rust")
/// from wasm-bindgen's glue.
#[wasm_bindgen]
pub struct Rulebook {
    inner: ecorule::Rulebook,
}

#[wasm_bindgen]
impl Rulebook {
    /// Compiles rulebook source. The bundled standard modules are always
    /// available; `options.modules` adds or replaces modules, and
    /// `options.name` names the source in diagnostics.
    ///
    /// @throws {EcoruleError} when the source or a module does not compile
    /// (every error, each with its line and column).
    /// @throws {TypeError} when `text` is not a string, or an option has the
    /// wrong type (`name` not a string, `modules` neither an array nor a
    /// plain object of strings); the message names it and what was given.
    /// Also when the source or a module holds a lone surrogate, which
    /// would otherwise be read as U+FFFD and change the text and its hash.
    #[wasm_bindgen(js_name = fromSource)]
    pub fn from_source(text: JsText, options: Option<FromSourceOptions>) -> Result<Rulebook, JsValue> {
        let given: JsValue = text.into();
        let Some(text) = given.as_string() else {
            return Err(type_error(&format!(
                "`Rulebook.fromSource`: the source must be a string, not {}",
                describe(&given)
            )));
        };
        if lone_surrogate(&given, &text) {
            return Err(type_error(&format!("`Rulebook.fromSource`: the source {NOT_UNICODE}")));
        }
        let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
        let name = get(&options, "name")?;
        let name = match name.as_string() {
            Some(name) => name,
            None if name.is_undefined() || name.is_null() => "rulebook.eco".to_string(),
            None => return Err(type_error(&format!("option `name` must be a string, not {}", describe(&name)))),
        };
        let modules = modules(&get(&options, "modules")?)?;
        let inner = ecorule::Rulebook::compile_with(Source::new(name, text), &modules, &Limits::default())
            .map_err(|e| throw(&e))?;
        Ok(Rulebook { inner })
    }

    /// The rulebook id.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_string()
    }

    /// `sha256:` and the hex SHA-256 of the source's bytes (what `sha256sum`
    /// prints for the rulebook's file).
    #[wasm_bindgen(getter)]
    pub fn hash(&self) -> String {
        self.inner.hash().to_string()
    }

    /// Titles, version, hash, modules with their hashes, facts, areas,
    /// clauses, grades and verdicts.
    pub fn info(&self) -> Result<JsRulebookInfo, JsValue> {
        to_js(&self.inner.info()).map(JsCast::unchecked_into)
    }

    /// What the checker noticed but does not refuse (kind `unused`,
    /// severity `warning`), as `ecorule check` warns of them: each declared
    /// fact nothing reads, then each `let` nothing uses, in source order.
    pub fn warnings(&self) -> Result<JsWarnings, JsValue> {
        let infos: Vec<ecorule::ErrorInfo> = self.inner.warnings().iter().map(ecorule::Error::to_info).collect();
        to_js(&infos).map(JsCast::unchecked_into)
    }

    /// The facts grouped by area, each with the clauses it feeds.
    pub fn questionnaire(&self) -> Result<JsQuestionnaire, JsValue> {
        to_js(&self.inner.questionnaire()).map(JsCast::unchecked_into)
    }

    /// The JSON Schema of the audits this rulebook accepts.
    #[wasm_bindgen(js_name = auditSchema)]
    pub fn audit_schema(&self) -> Result<JsSchema, JsValue> {
        to_js(&ecorule::audit_schema(&self.inner)).map(JsCast::unchecked_into)
    }

    /// Scores an audit (a plain object or JSON text) into the full report,
    /// the same JSON the CLI prints.
    ///
    /// @throws {EcoruleError} (kind `audit`, or `audit_too_large`) when the
    /// audit or a value in it is rejected, each error naming its fact: bad
    /// JSON text, a value of the wrong type or unit, ±Infinity, a function,
    /// a symbol, a `Map` or class instance, an invalid `Date`, a cycle, a
    /// getter that throws (with its message), nesting deeper than 64 (as
    /// `parseAudit` refuses it); in
    /// strict mode an undeclared fact.
    /// @throws {TypeError} when `options` is not an object or `strict` is not
    /// a boolean.
    pub fn score(&self, audit: JsAudit, options: Option<JsScoreOptions>) -> Result<JsReport, JsValue> {
        let options = score_options(options)?;
        let input = audit_input(&audit, &options)?;
        let report = self.inner.score(&input, &options).map_err(|e| throw(&e))?;
        parse(&report.to_json()).map(JsCast::unchecked_into)
    }

    /// Scores an audit and draws its report the way the CLI's `--format`
    /// does: `text`, `markdown`, `html` (a document to print or keep) or
    /// `html_fragment` (one `<div>` with its styles, to put in a page); in
    /// the language of option `lang`, as the CLI's `--lang`: `both` (the
    /// default), `zh` or `en`.
    ///
    /// @throws {EcoruleError} as `score` does.
    /// @throws {TypeError} as `score` does, and when `format` is not one of
    /// those four or `lang` not one of those three.
    pub fn render(
        &self,
        audit: JsAudit,
        format: JsRenderFormat,
        options: Option<JsRenderOptions>,
    ) -> Result<String, JsValue> {
        let format: JsValue = format.into();
        let format = match format.as_string().as_deref() {
            Some(f @ ("text" | "markdown" | "html" | "html_fragment")) => f.to_string(),
            _ => return Err(type_error("render: `format` must be 'text', 'markdown', 'html' or 'html_fragment'")),
        };
        let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
        let lang = get(&options, "lang")?;
        let lang = match lang.as_string() {
            Some(code) => ecorule::Lang::from_code(&code),
            None if lang.is_undefined() || lang.is_null() => Some(ecorule::Lang::Both),
            None => None,
        }
        .ok_or_else(|| {
            type_error(&format!("render: option `lang` must be 'both', 'zh' or 'en', not {}", describe(&lang)))
        })?;
        let drawn = ecorule::RenderOptions::new().lang(lang);
        let options = score_options(Some(options.unchecked_into()))?;
        let input = audit_input(&audit, &options)?;
        let report = self.inner.score(&input, &options).map_err(|e| throw(&e))?;
        Ok(match format.as_str() {
            "text" => drawn.text(&report),
            "markdown" => drawn.markdown(&report),
            "html" => drawn.html([&report]),
            _ => drawn.html_fragment(&report),
        })
    }

    /// Scores an audit to its score range, grade and verdict only.
    ///
    /// @throws {EcoruleError} as `score` does.
    /// @throws {TypeError} as `score` does.
    pub fn summary(&self, audit: JsAudit, options: Option<JsScoreOptions>) -> Result<JsSummary, JsValue> {
        let options = score_options(options)?;
        let input = audit_input(&audit, &options)?;
        let summary = self.inner.summary(&input, &options).map_err(|e| throw(&e))?;
        to_js(&summary).map(JsCast::unchecked_into)
    }
}

/// The version of the ecorule core this binding was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The report schema this build writes (`ecorule.report/1`).
#[wasm_bindgen(js_name = reportSchema)]
pub fn report_schema() -> String {
    ecorule::SCHEMA.to_string()
}

/// The id a module's source declares (`module gb14554 …`), or `undefined`
/// for a rulebook: how a page given several files tells them apart.
///
/// @throws {TypeError} when `text` is not a string.
#[wasm_bindgen(js_name = moduleId)]
pub fn module_id(text: JsText) -> Result<Option<String>, JsValue> {
    let text: JsValue = text.into();
    match text.as_string() {
        Some(text) => Ok(ecorule::module_id(&text).map(str::to_string)),
        None => Err(type_error(&format!("`moduleId`: the text must be a string, not {}", describe(&text)))),
    }
}

/// Reads audit JSON text with the core's parser, as `ecorule score` reads
/// an audit file, and gives its value as `JSON.parse` does, for a page that
/// imports a file. JSON the core refuses (malformed, a key given twice, a
/// lone surrogate) is thrown as an `EcoruleError` whose `source` is `name`
/// (default `audit`), with the `line` and `column` of the fault, so a
/// message can name the file it came from; so is JSON nested deeper than
/// `score` takes (64 objects and lists), which names no fact and so could
/// not be marked on a form. Whether the value is an audit the rulebook
/// takes, and within the other size limits, is for `score` to say (it
/// names the fact whose value is too long).
///
/// @throws {EcoruleError} (kind `audit`) when the core does not read the
/// text as JSON; (kind `audit_too_large`) when it nests too deep.
/// @throws {TypeError} when `text` or `name` is not a string.
#[wasm_bindgen(js_name = parseAudit)]
pub fn parse_audit(text: JsText, name: Option<JsText>) -> Result<JsParsed, JsValue> {
    let given: JsValue = text.into();
    let Some(text) = given.as_string() else {
        return Err(type_error(&format!("`parseAudit`: the text must be a string, not {}", describe(&given))));
    };
    if lone_surrogate(&given, &text) {
        return Err(throw(&Errors::from(ecorule::Error::audit_not_unicode())));
    }
    let name: JsValue = name.map_or(JsValue::UNDEFINED, Into::into);
    let name = match name.as_string() {
        Some(name) => name,
        None if name.is_undefined() || name.is_null() => "audit".to_string(),
        None => return Err(type_error(&format!("`parseAudit`: the name must be a string, not {}", describe(&name)))),
    };
    // The size limits are `score`'s, which names the fact over them; but
    // for nesting, which is `score`'s too (`Limits::max_depth`): what is
    // read here can be scored.
    let mut limits = Limits::default();
    limits.max_audit_bytes = usize::MAX;
    limits.max_audit_values = usize::MAX;
    limits.max_string_bytes = usize::MAX;
    AuditInput::from_json_named(&name, &text, &limits).map_err(|e| throw(&Errors::from(e)))?;
    // INVARIANT: `JSON.parse` takes whatever the core's parser took (the
    // core is the stricter: it refuses lone surrogates and keys given
    // twice), once without the byte-order mark the core skips.
    parse(text.strip_prefix('\u{feff}').unwrap_or(&text)).map(JsCast::unchecked_into)
}

/// An option: `undefined` when `options` is absent; a `TypeError` when
/// `options` is not an object or reading the option throws.
fn get(options: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    if !options.is_object() || options.is_function() {
        return Err(type_error(&format!("options must be an object, not {}", describe(options))));
    }
    Reflect::get(options, &JsValue::from_str(key))
        .map_err(|e| type_error(&format!("reading option `{key}` threw `{}`", exception(&e))))
}

/// `modules`: an array of sources, or a plain object of file name to source.
fn modules(value: &JsValue) -> Result<Vec<Arc<Source>>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let threw = |e: JsValue| type_error(&format!("reading option `modules` threw `{}`", exception(&e)));
    let mut entries: Vec<(String, JsValue)> = Vec::new();
    if is_array(value).map_err(threw)? {
        let length = Reflect::get(value, &JsValue::from_str("length")).map_err(threw)?.as_f64().unwrap_or(0.0);
        for i in 0..length as u32 {
            entries.push((format!("module{}.eco", i + 1), Reflect::get_u32(value, i).map_err(threw)?));
        }
    } else if is_plain(value) {
        for key in object_keys(value).map_err(threw)?.iter() {
            let text = Reflect::get(value, &key).map_err(threw)?;
            entries.push((key.as_string().unwrap_or_default(), text));
        }
    } else {
        return Err(type_error(&format!(
            "option `modules` must be an array of sources or a plain object of file name to source, not {}",
            describe(value)
        )));
    }
    entries
        .into_iter()
        .map(|(name, given)| match given.as_string() {
            Some(text) if lone_surrogate(&given, &text) => Err(type_error(&format!("module `{name}` {NOT_UNICODE}"))),
            Some(text) => Ok(Source::new(name, text)),
            None => Err(type_error(&format!("module `{name}` must be a string, not {}", describe(&given)))),
        })
        .collect()
}

fn score_options(options: Option<JsScoreOptions>) -> Result<ScoreOptions, JsValue> {
    let options: JsValue = options.map_or(JsValue::UNDEFINED, Into::into);
    let strict = get(&options, "strict")?;
    let strict = match strict.as_bool() {
        Some(strict) => strict,
        None if strict.is_undefined() || strict.is_null() => false,
        None => return Err(type_error(&format!("option `strict` must be a boolean, not {}", describe(&strict)))),
    };
    Ok(ScoreOptions::strict(strict))
}

/// An audit as the core reads it: JSON text parsed, any other value
/// converted by [`convert::audit_input`].
fn audit_input(audit: &JsValue, options: &ScoreOptions) -> Result<AuditInput, JsValue> {
    match audit.as_string() {
        Some(text) if lone_surrogate(audit, &text) => Err(throw(&Errors::from(ecorule::Error::audit_not_unicode()))),
        Some(text) => AuditInput::from_json(&text, &options.limits).map_err(|e| throw(&Errors::from(e))),
        None => convert::audit_input(audit, &options.limits).map_err(|e| throw(&e)),
    }
}

/// Why a text holding a lone surrogate is refused.
const NOT_UNICODE: &str = "holds a lone surrogate (half of a UTF-16 pair), which is not valid Unicode";

fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    parse(&text)
}

fn parse(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text)
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// Core errors as a thrown `EcoruleError`: the first error's fields at the
/// top, every error in `errors`, and `rendered` drawing them all.
fn throw(errors: &Errors) -> JsValue {
    let infos = errors.to_info();
    let first = infos.first();
    let message = first.map_or("failed without a reason", |e| e.message.as_str());
    let error = js_sys::Error::new(message);
    error.set_name("EcoruleError");
    let fields = serde_json::json!({
        "kind": first.map(|e| e.kind),
        "message": message,
        "source": first.and_then(|e| e.source.clone()),
        "line": first.and_then(|e| e.line),
        "column": first.and_then(|e| e.column),
        "snippet": first.and_then(|e| e.snippet.clone()),
        "help": first.and_then(|e| e.help.clone()),
        "fact": first.and_then(|e| e.fact.clone()),
        "message_zh": first.and_then(|e| e.message_zh.clone()),
        "help_zh": first.and_then(|e| e.help_zh.clone()),
        "expected_zh": first.and_then(|e| e.expected_zh.clone()),
        "rendered": errors.render(false),
        "errors": infos,
    });
    if let Ok(fields) = parse(&fields.to_string()) {
        Object::assign(&error, &Object::from(fields));
    }
    error.into()
}
