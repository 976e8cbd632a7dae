// Answers as an audit: the values the form shows and the audit JSON the
// CLI and the Python binding read ({"audit": {...}, "facts": {...}}).
// Pure functions, no DOM, so the Node tests can import them.
//
// INVARIANT: every object keyed by a fact name (or by any key from a file
// or localStorage) is a `dict()`, read with `own()`: `__proto__`,
// `constructor` and `toString` are fact names like any other.

/** An object with no prototype, used as a map from names to values. */
export function dict(entries = []) {
  const d = Object.create(null);
  for (const [k, v] of entries) put(d, k, v);
  return d;
}

/** `obj[key] = value` that defines an own key, even `__proto__` on an ordinary object. */
export function put(obj, key, value) {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** `obj[key]` when `key` is `obj`'s own, else `undefined`. */
export function own(obj, key) {
  return obj !== null && typeof obj === 'object' && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Whether a value is a plain object (not null, an array or a class instance). */
export function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/**
 * An error in what the page reads (an audit, its saved state): the English
 * `message`, and a `key` with `args` under which i18n.js has the words in
 * Chinese too.
 */
export class AnswersError extends Error {
  constructor(key, message, ...args) {
    super(message);
    this.name = 'AnswersError';
    this.key = key;
    this.args = args;
  }
}

/** A copy of a JSON-like value in which every object is a `dict()`. */
function copy(value) {
  if (Array.isArray(value)) return value.map(copy);
  if (isPlainObject(value)) return dict(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  return value;
}

/** A copy of a JSON-like value in which every object is an ordinary object, for export. */
function plain(value) {
  if (Array.isArray(value)) return value.map(plain);
  // Object.fromEntries defines keys, so `__proto__` stays a key.
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Units offered beside a quantity, by the family of its declared unit. */
export const UNIT_FAMILIES = [
  ['mm', 'cm', 'm', 'km'],
  ['m²', 'km²'],
  ['mL', 'L', 'm³'],
  ['µg', 'mg', 'g', 'kg', 't'],
  ['s', 'min', 'h', 'd', 'a'],
  ['µg/m³', 'mg/m³', 'g/m³'],
  ['µg/L', 'mg/L', 'g/L'],
  ['g/s', 'g/h', 'kg/h', 'kg/d', 't/d', 't/a'],
  ['L/s', 'm³/h', 'm³/d', 'm³/a'],
  ['m³/t', 'L/kg'],
  ['cm/s', 'm/s', 'km/h'],
  ['Pa', 'kPa', 'MPa'],
  ['W', 'kW', 'MW'],
];

/**
 * Text made safe as part of a file name: letters and digits of any script
 * kept (`自评-2024/09 第1次` → `自评-2024_09 第1次`); each run of characters
 * a file system refuses (`/ \ : * ? " < > |`, control and format
 * characters) one `_`, each run of spaces one space; no leading dots (a hidden file), no spaces or dots
 * at either end (Windows drops them); at most 80 characters.
 */
export function fileNamePart(text) {
  const safe = String(text)
    .replace(/[/\\:*?"<>|\p{Cc}\p{Cf}]+/gu, '_')
    .replace(/_{2,}/g, '_')
    .replace(/\s+/gu, ' ');
  const ends = /^[\s.]+|[\s.]+$/gu;
  return Array.from(safe.replace(ends, '')).slice(0, 80).join('').replace(ends, '');
}

/** A `Date`'s calendar day where the page is read, as `YYYY-MM-DD` (not `toISOString`'s UTC day). */
export function localDate(date) {
  const pad = (n, width) => String(n).padStart(width, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
}

/** Built-in facts kept in the `audit` part rather than in `facts`. */
export const META_FIELDS = ['audit.id', 'audit.date', 'enterprise.id', 'enterprise.name'];

/**
 * The units a question offers: its declared unit first, then the others
 * of its family; for plain numbers that read fractions no unit first (a
 * fraction, as 0.9: what a bare number means to the core, and what the
 * rulebooks' help asks for), then `%`. The first unit is the one a new
 * answer gets, so it must be the one a bare number means to the core. An
 * answer in another unit is shown whole in its box (`"0.62 mg/L"`).
 */
export function unitChoices(question) {
  let units = [];
  if (question.type === 'quantity' || question.type === 'duration') {
    const declared = question.unit ?? (question.type === 'duration' ? 'd' : '');
    const family = UNIT_FAMILIES.find((f) => f.includes(declared)) ?? [];
    units = [declared, ...family.filter((u) => u !== declared)];
  } else if (question.type === 'number' && readsFraction(question)) {
    units = ['', '%'];
  }
  return units;
}

/** Whether a plain number is a share: at most 1, or its help says it may be a percentage. */
export function readsFraction(question) {
  if (question.type === 'number' && question.max === '1') return true;
  const help = question.help ? `${question.help.zh} ${question.help.en}` : '';
  return /%|percent|百分/i.test(help);
}

/**
 * Splits a number or quantity answer into the number and unit the form
 * shows: `27` → [27, declared], `"27 m"` → [27, "m"],
 * `{"value": 27, "unit": "m"}` → [27, "m"]. Null when it cannot.
 */
export function splitQuantity(value, declared = '') {
  if (typeof value === 'number') return { number: value, unit: declared ?? '' };
  if (typeof value === 'string') {
    const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$/.exec(value);
    if (!m) return null;
    return { number: Number(m[1]), unit: m[2] === '' ? declared ?? '' : m[2] };
  }
  if (value && typeof value === 'object' && typeof value.value === 'number' && typeof value.unit === 'string') {
    return { number: value.value, unit: value.unit };
  }
  return null;
}

// What a number is written with, besides digits: signs, points and commas,
// an exponent, bounds a lab sheet puts before a reading (`≤20`), and their
// full-width forms. Text with any other character carries its own unit.
const NUMBER_LIKE = /^[\s\d０-９.,，。．·+\-−＋－eEｅＥ≤≥<>＜＞~～≈±]*$/u;

/** Whether the text typed in a number box carries a unit (or words) of its own: `"50 µg/m³"`, `"3年"`. */
export function ownUnit(text) {
  return !NUMBER_LIKE.test(`${text ?? ''}`);
}

/**
 * The text of a number box (as typed) to the audit value it saves: a bare
 * number with the unit chosen beside it (`"27"` → `"27 m"`, `"0.9"` with no
 * unit → 0.9), text with a unit of its own as typed (`"2700 cm"`), and other
 * text with the chosen unit (`"25,5"` → `"25,5 mg/m³"`), so that the core reads
 * every answer as written and explains what it cannot read. Empty text is
 * `undefined` (unanswered).
 */
export function typedQuantity(text, unit) {
  const t = `${text ?? ''}`.trim();
  if (t === '') return undefined;
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(t)) return joinQuantity(t, unit);
  if (ownUnit(t) || !unit) return t;
  return `${t} ${unit}`;
}

/**
 * A number (as typed, a string) and a unit to the audit value: a plain
 * JSON number when there is no unit, else `"27 m"`. Empty text is
 * `undefined` (unanswered).
 */
export function joinQuantity(text, unit) {
  const t = `${text ?? ''}`.trim();
  if (t === '') return undefined;
  if (!unit) {
    const n = Number(t);
    return Number.isFinite(n) ? n : t;
  }
  return `${t} ${unit}`;
}

/** A list answer as the text field shows it. */
export function listToText(value) {
  if (!Array.isArray(value)) return value === undefined || value === null ? '' : String(value);
  return value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(', ');
}

/** The text field of a list back to the audit value. */
export function textToList(text, element) {
  const items = `${text ?? ''}`
    .split(/[,，;；\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return undefined;
  return items.map((s) => {
    if (element === 'number' || element === 'count') {
      const n = Number(s);
      return Number.isFinite(n) ? n : s;
    }
    if (element === 'bool') {
      if (s === 'true' || s === '是') return true;
      if (s === 'false' || s === '否') return false;
    }
    return s;
  });
}

/**
 * Nested fact objects to dotted names, as the core binds them: a key that
 * is a declared fact keeps its value; an object under an undeclared name
 * (that is not a `{value, unit}` quantity) is read one level deeper. A fact
 * given twice (dotted and nested) throws, as the core refuses it.
 */
export function flattenFacts(facts, declared) {
  const out = dict();
  const walk = (obj, prefix) => {
    for (const [key, value] of Object.entries(obj)) {
      const name = prefix ? `${prefix}.${key}` : key;
      const isQuantity = isPlainObject(value) && Object.hasOwn(value, 'value') && Object.hasOwn(value, 'unit');
      if (!declared.has(name) && isPlainObject(value) && !isQuantity) {
        walk(value, name);
      } else if (Object.hasOwn(out, name)) {
        // `"dust.pm"` and `"dust": {"pm"}` both: the core refuses to choose, and so does the page.
        throw new AnswersError('errFactTwice', `fact \`${name}\` is given twice, by its dotted name and nested`, name);
      } else {
        put(out, name, copy(value));
      }
    }
  };
  if (isPlainObject(facts)) walk(facts, '');
  return out;
}

/**
 * How many of an audit's facts (as `normalizeAudit` gives them) the
 * rulebook does not declare: `{total, undeclared}`. Most of them
 * undeclared, it is likely another rulebook's audit.
 */
export function undeclaredFacts(audit, declared) {
  const names = Object.keys(audit.facts ?? {});
  return { total: names.length, undeclared: names.filter((n) => !declared.has(n)).length };
}

/** An empty audit. */
export function emptyAudit() {
  return { audit: dict(), facts: dict() };
}

/**
 * The audit a new self-assessment starts from: nothing answered, dated
 * `today` (`YYYY-MM-DD`), the day deadlines and permit dates count from
 * unless the enterprise gives another.
 */
export function newAudit(today) {
  const audit = emptyAudit();
  setMeta(audit, 'audit.date', today);
  return audit;
}

/**
 * Whether anything was answered: a fact, or a built-in field other than
 * the date a new audit starts with (`today`).
 */
export function hasAnswers(audit, today) {
  if (Object.keys(audit.facts ?? {}).length > 0) return true;
  return META_FIELDS.some((field) => {
    const value = getMeta(audit, field);
    return value !== undefined && !(field === 'audit.date' && value === today);
  });
}

/**
 * Reads an audit (parsed JSON) into the shape the page keeps: `audit`
 * with id, date and enterprise, and flat `facts`, each a `dict()`. Throws
 * on a value that is not an audit.
 */
export function normalizeAudit(input, declared = new Set()) {
  if (!isPlainObject(input)) {
    throw new AnswersError('errNotAnAudit', 'an audit must be an object with `audit` and `facts`');
  }
  const given = own(input, 'audit');
  if (given !== undefined && given !== null && !isPlainObject(given)) throw new AnswersError('errAuditNotObject', '`audit` must be an object');
  const facts = own(input, 'facts');
  if (facts !== undefined && facts !== null && !isPlainObject(facts)) throw new AnswersError('errFactsNotObject', '`facts` must be an object');
  const meta = isPlainObject(given) ? given : {};
  const audit = dict();
  const id = own(meta, 'id');
  const date = own(meta, 'date');
  const enterprise = own(meta, 'enterprise');
  if (id !== undefined && id !== null) audit.id = String(id);
  if (date !== undefined && date !== null) audit.date = String(date);
  if (isPlainObject(enterprise)) {
    audit.enterprise = copy(enterprise);
    const eid = own(enterprise, 'id');
    if (eid !== undefined && eid !== null) audit.enterprise.id = String(eid);
  }
  for (const [k, v] of Object.entries(meta)) {
    if (!['id', 'date', 'enterprise'].includes(k)) put(audit, k, copy(v));
  }
  return { audit, facts: flattenFacts(facts ?? {}, declared) };
}

/**
 * Reads the answers saved for a rulebook in localStorage (`{rulebook,
 * hash, saved, audit}`); null when none are saved. Throws, saying why, on
 * anything else.
 */
export function savedAnswers(saved, declared = new Set()) {
  if (saved === undefined || saved === null) return null;
  if (!isPlainObject(saved)) throw new AnswersError('errSavedAnswers', 'the saved answers are not an object');
  const audit = own(saved, 'audit');
  if (audit === undefined || audit === null) return null;
  return normalizeAudit(audit, declared);
}

/**
 * Reads the rulebook saved as the current one in localStorage:
 * `{kind: 'bundled', file}` or `{kind: 'custom', name, text, modules}`;
 * null when none is saved. Throws, saying why, on anything else.
 */
export function savedRulebook(saved) {
  if (saved === undefined || saved === null) return null;
  if (!isPlainObject(saved)) throw new AnswersError('errSavedRulebook', 'the saved rulebook is not an object');
  const kind = own(saved, 'kind');
  if (kind === 'bundled') {
    const file = own(saved, 'file');
    if (typeof file !== 'string' || file === '') throw new AnswersError('errSavedBundledName', 'the saved bundled rulebook has no file name');
    return { kind, file };
  }
  if (kind !== 'custom') throw new AnswersError('errSavedKind', 'the saved rulebook is neither bundled nor opened from a file');
  const name = own(saved, 'name');
  const text = own(saved, 'text');
  const modules = own(saved, 'modules') ?? {};
  if (typeof name !== 'string') throw new AnswersError('errSavedName', 'the saved rulebook has no file name');
  if (typeof text !== 'string') throw new AnswersError('errSavedText', `the saved rulebook \`${name}\` has no text`, name);
  if (!isPlainObject(modules) || !Object.values(modules).every((m) => typeof m === 'string')) {
    throw new AnswersError('errSavedModules', `the modules saved with \`${name}\` are not texts by file name`, name);
  }
  return { kind, name, text, modules: dict(Object.entries(modules)) };
}

/** Reads a built-in field (`audit.date`, `enterprise.name`) of an audit. */
export function getMeta(audit, field) {
  const meta = audit.audit;
  switch (field) {
    case 'audit.id':
      return own(meta, 'id');
    case 'audit.date':
      return own(meta, 'date');
    case 'enterprise.id':
      return own(own(meta, 'enterprise'), 'id');
    case 'enterprise.name':
      return own(own(meta, 'enterprise'), 'name');
    default:
      return undefined;
  }
}

/** Sets (or with `undefined`, removes) a built-in field, in place. */
export function setMeta(audit, field, value) {
  audit.audit ??= dict();
  const meta = audit.audit;
  const set = (obj, key) => {
    if (value === undefined || value === '') delete obj[key];
    else put(obj, key, value);
  };
  if (field === 'audit.id') set(meta, 'id');
  else if (field === 'audit.date') set(meta, 'date');
  else {
    if (!isPlainObject(own(meta, 'enterprise'))) meta.enterprise = dict();
    set(meta.enterprise, field === 'enterprise.id' ? 'id' : 'name');
    if (Object.keys(meta.enterprise).length === 0) delete meta.enterprise;
  }
}

/** Sets (or with `undefined`, removes) a fact, in place. */
export function setFact(audit, name, value) {
  audit.facts ??= dict();
  if (value === undefined) delete audit.facts[name];
  else put(audit.facts, name, value);
}

/**
 * The audit as exported (and scored): `{"audit": {...}, "facts": {...}}`
 * of ordinary objects, empty parts left out of `audit`.
 */
export function exportAudit(audit) {
  const src = audit.audit ?? {};
  const meta = [];
  const id = own(src, 'id');
  const date = own(src, 'date');
  const enterprise = own(src, 'enterprise');
  if (id) meta.push(['id', id]);
  if (date) meta.push(['date', date]);
  if (isPlainObject(enterprise) && Object.keys(enterprise).length) meta.push(['enterprise', plain(enterprise)]);
  for (const [k, v] of Object.entries(src)) {
    if (!['id', 'date', 'enterprise'].includes(k)) meta.push([k, plain(v)]);
  }
  return { audit: Object.fromEntries(meta), facts: plain(audit.facts ?? {}) };
}

/** Whether a fact has an answer (null and undefined are unanswered). */
export function answered(audit, name) {
  const v = own(audit.facts, name);
  return v !== undefined && v !== null;
}

/**
 * Removes from an audit the values the core rejected (`EcoruleError.errors`
 * with a `fact`), so the rest can still be scored. Returns the copy and the
 * rejected errors by fact name; null when an error is not about a value.
 */
export function withoutRejected(audit, errors) {
  const next = { audit: copy(audit.audit ?? {}), facts: dict(Object.entries(audit.facts ?? {})) };
  const rejected = dict();
  if (!errors?.length) return null;
  for (const e of errors) {
    const name = e.fact?.fact;
    if (typeof name !== 'string') return null;
    put(rejected, name, e);
    if (META_FIELDS.includes(name)) setMeta(next, name, undefined);
    else if (name === 'audit.enterprise' || name === 'audit') next.audit = dict();
    else if (Object.hasOwn(next.facts, name)) delete next.facts[name];
    else return null;
  }
  return { audit: next, rejected };
}
