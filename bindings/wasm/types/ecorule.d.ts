// Hand-written shapes of the values that cross the binding. They mirror the
// core's serde types (crates/ecorule/src/rulebook.rs, report/mod.rs,
// error.rs); keys stay snake_case because the values are the core's JSON.
// wasm-bindgen copies this file into the generated ecorule_wasm.d.ts.

/** Labels in both languages; `en` may be empty. */
export interface Labels {
  zh: string;
  en: string;
}

/** The type of a declared fact. */
export type FactType = "bool" | "number" | "count" | "quantity" | "text" | "enum" | "date" | "duration" | "list";

/** How a clause ended. */
export type Status = "pass" | "partial" | "fail" | "not_applicable" | "unknown";

/** Options of `Rulebook.fromSource`. An option of another type is a
 * `TypeError` that names it. */
export interface FromSourceOptions {
  /** The source's name in diagnostics (default `rulebook.eco`). */
  name?: string | null;
  /** Extra module sources, which replace bundled modules of the same id:
   * an array of sources, or a plain object of file name to source. */
  modules?: string[] | Record<string, string> | null;
}

/** Options of `score` and `summary`. */
export interface ScoreOptions {
  /** Treat facts the rulebook does not declare as errors, not warnings.
   * Only a boolean (or undefined) is accepted: `"false"` is a `TypeError`. */
  strict?: boolean | null;
}

/** A quantity written as an object. */
export interface QuantityValue {
  value: number;
  unit: string;
}

/** A fact value as an audit gives it: `true`, `12`, `"25 m"`,
 * `{"value": 25, "unit": "m"}`, `"2024-05-01"`, a list, or `null` (unknown).
 *
 * Given as a JavaScript value (not JSON text): `undefined` and `NaN` are
 * unknown, like `null` (as in the Python binding); `Infinity` and
 * `-Infinity` are errors naming the fact; a `bigint` is an exact integer; a
 * `Date` is the calendar day its local getters show (`getFullYear`,
 * `getMonth`, `getDate`), so `new Date(2024, 8, 12)` is `"2024-09-12"` in
 * every time zone; an invalid `Date` is an error naming the fact. Objects
 * must be plain (`{}`, `JSON.parse`, `Object.create(null)`): a function, a
 * symbol, a `Map`, a `Set` or a class instance is an error naming the fact. */
export type FactValue =
  | boolean | number | bigint | string | null | undefined | Date | QuantityValue | FactValue[] | { [key: string]: FactValue };

/** Who and when: the `audit` part of an audit. */
export interface AuditMeta {
  id?: string | number | null;
  /** `YYYY-MM-DD`, or a `Date` (its local calendar day). */
  date?: string | Date | null;
  enterprise?: { id?: string | number | null; name?: string | null; [key: string]: unknown } | null;
}

/** An audit, as the CLI and the Python binding read it: a plain object,
 * not a `Map` (nor a class instance). */
export interface Audit {
  $schema?: string;
  audit?: AuditMeta | null;
  /** Fact values by dotted name (or nested objects of them). */
  facts?: { [name: string]: FactValue } | null;
}

/** One declared fact. */
export interface FactInfo {
  name: string;
  type: FactType;
  /** For lists, the element type. */
  element: FactType | null;
  /** Unit of a quantity (`d` for durations). */
  unit: string | null;
  /** Units an audit may give it in, the declared unit first: the common
   * units of its dimension (`["m", "cm", "mm", "km"]`); empty for a fact
   * without a unit. */
  units: string[];
  label: Labels;
  /** Help for whoever answers, in one or both languages. */
  help: Labels | null;
  /** The least value an audit may give (each item, for a list), written
   * in `unit` (`"0"`) or as a date (`"2024-01-01"`); null when not
   * limited. */
  min: string | null;
  /** The greatest value an audit may give, as `min` is written. */
  max: string | null;
  /** Enum values with labels. */
  options: OptionInfo[];
  /** Clauses whose conditions read this fact. */
  clauses: string[];
}

/** One enum value. */
export interface OptionInfo {
  value: string;
  label: Labels;
}

/** One clause as declared. */
export interface ClauseInfo {
  id: string;
  label: Labels;
  points: number;
  veto: boolean;
  refs: string[];
  /** Facts its conditions read. */
  facts: string[];
}

/** One area as declared. */
export interface AreaInfo {
  id: string;
  label: Labels;
  clauses: ClauseInfo[];
}

/** A grade or verdict. */
export interface OutcomeInfo {
  id: string;
  label: Labels;
}

/** A module a rulebook uses, with the hash of its source. */
export interface ModuleRef {
  id: string;
  /** `sha256:` and the lowercase hex SHA-256 of the module's source bytes. */
  hash: string;
}

/** What a rulebook declares (`rulebook.info()`). */
export interface RulebookInfo {
  id: string;
  title: string;
  title_en: string;
  version: string | null;
  effective: string | null;
  /** `sha256:` and the lowercase hex SHA-256 of the rulebook's source bytes. */
  hash: string;
  /** The modules it uses, in the order of its `use` list. */
  modules: ModuleRef[];
  /** References for the rulebook as a whole (its `ref` lines). */
  refs: string[];
  scale: number;
  facts: FactInfo[];
  areas: AreaInfo[];
  grades: OutcomeInfo[];
  verdicts: OutcomeInfo[];
}

/** One fact to answer, with the clauses it feeds. */
export interface Question extends FactInfo {
  feeds: ClauseInfo[];
}

/** The questions of one area (or `other`). */
export interface Section {
  id: string;
  label: Labels;
  questions: Question[];
}

/** A form to fill in (`rulebook.questionnaire()`). */
export interface Questionnaire {
  id: string;
  label: Labels;
  sections: Section[];
}

/** The rulebook a report was made by. */
export interface RulebookRef {
  id: string;
  title: string;
  title_en: string;
  version: string | null;
  effective: string | null;
  /** `sha256:` and the lowercase hex SHA-256 of the rulebook's source bytes
   * (what `sha256sum` prints for its file). */
  hash: string;
  /** The modules it uses, in the order of its `use` list: with `hash`, the
   * exact rules that made the report. */
  modules: ModuleRef[];
}

/** The audit a report scores. */
export interface AuditRef {
  id: string | null;
  date: string | null;
  enterprise_id: string | null;
  enterprise_name: string | null;
  enterprise: Record<string, string>;
}

/** A fact, constant or table value a clause read. */
export interface ValueReport {
  name: string;
  /** With its unit; null when the audit does not give it. */
  value: string | null;
}

/** What to do and by when. */
export interface Fix {
  action: string;
  action_en: string;
  within_days: number;
  /** The audit date plus `within_days`, when the audit date is known. */
  deadline: string | null;
}

/** One clause, explained. */
export interface ClauseReport {
  id: string;
  title: string;
  title_en: string;
  status: Status;
  veto: boolean;
  points: number;
  earned: number;
  earned_max: number;
  /** Why, in one line of English. */
  explanation: string;
  /** Why, in one line of Chinese, quoting the same values. */
  explanation_zh: string;
  values: ValueReport[];
  refs: string[];
  evidence: Labels[];
  fix: Fix | null;
}

/** One area of a report. */
export interface AreaReport {
  id: string;
  title: string;
  title_en: string;
  points: number;
  possible: number;
  earned: number;
  earned_max: number;
  /** `earned` of `points`, rescaled as the total is (`earned × points / possible`,
   * two places); null while unknown facts could change it or when nothing counts. */
  score: number | null;
  clauses: ClauseReport[];
}

/** One item of the rectification list. */
export interface Rectification {
  clause: string;
  title: string;
  title_en: string;
  status: Status;
  veto: boolean;
  fix: Fix | null;
}

/** A deduction and what it took off. */
export interface DeductionReport {
  id: string;
  cause: Labels;
  count: number | null;
  points: number;
  deducted: number;
  deducted_max: number | null;
}

/** An unverified value that clauses used. */
export interface UnverifiedValue {
  name: string;
  /** In English when the rulebook gives the reason in Chinese then
   * English (`unverified "…" en "…"`), else the one reason given. */
  reason: string;
  /** The reason in Chinese, when the rulebook gives it in both. */
  reason_zh?: string;
  clauses: string[];
}

/** How `rulebook.render` draws a report: as the CLI's `--format text`,
 * `markdown` or `html`, or that HTML as one `<div>` to put in a page. */
export type RenderFormat = 'text' | 'markdown' | 'html' | 'html_fragment';

/** The language `rulebook.render` draws a report in, as the CLI's
 * `--lang`: Chinese labels with their English beside them (`both`),
 * Chinese only (`zh`) or English only (`en`). */
export type RenderLang = 'both' | 'zh' | 'en';

/** Options of `rulebook.render`: those of `score`, and the language
 * (`both` when absent; another value is a `TypeError`). */
export interface RenderOptions extends ScoreOptions {
  lang?: RenderLang | null;
}

/** The explained report (`rulebook.score(audit)`), equal to the CLI's JSON. */
export interface Report {
  schema: string;
  /** The engine that made it (`ecorule 0.1.0+r1`: the version and the
   * report revision); absent in a stored report from before reports named
   * their engine. */
  engine?: string;
  rulebook: RulebookRef;
  audit: AuditRef;
  /** The score, when no unknown fact could change it. */
  score: number | null;
  score_min: number;
  score_max: number;
  scale: number;
  /** How a clause that does not apply counts (reports from `+r15` on):
   * under `rescale` its points leave the full score. */
  not_applicable?: 'rescale' | 'zero' | 'full';
  /** Grade id at `score_min`. */
  grade: string;
  grade_label: Labels;
  /** Grade id at `score_max`. */
  grade_best: string;
  /** Labels of `grade_best` (reports from `+r9` on). */
  grade_best_label: Labels;
  /** Verdict id at the worse end. */
  verdict: string;
  verdict_label: Labels;
  /** Verdict id at the better end. */
  verdict_best: string;
  /** Labels of `verdict_best` (reports from `+r9` on). */
  verdict_best_label: Labels;
  /** True when both ends give the same verdict. */
  determined: boolean;
  vetoes: string[];
  possible_vetoes: string[];
  deductions: DeductionReport[];
  areas: AreaReport[];
  rectification: Rectification[];
  missing_facts: string[];
  unverified: UnverifiedValue[];
  /** Things to know (undeclared facts, nothing applicable), in English. */
  warnings: string[];
  /** `warnings` in Chinese, one for one. */
  warnings_zh: string[];
}

/** Score and verdict only (`rulebook.summary(audit)`). */
export interface Summary {
  score_min: number;
  score_max: number;
  /** Grade at the lower score end. */
  grade: string;
  /** Grade at the upper score end (the same as `grade` when determined). */
  grade_best: string;
  /** Verdict at the worse end. */
  verdict: string;
  /** Verdict at the better end (the same as `verdict` when determined). */
  verdict_best: string;
  determined: boolean;
  vetoes: string[];
  /** Status of every clause, in rulebook order. */
  statuses: Status[];
}

/** What went wrong, broadly; new kinds may be added. */
export type ErrorKind =
  | "syntax" | "unknown_name" | "duplicate" | "type" | "unit" | "scoring" | "literal" | "cycle"
  | "audit" | "evaluation" | "source_too_large" | "too_deep" | "too_many" | "audit_too_large"
  | "too_much_work"
  /** A comparison no value within its fact's declared range meets. */
  | "range"
  /** A warning (`rulebook.warnings()`): a fact nothing reads, a `let` nothing uses. */
  | "unused"
  /**
   * A warning (`rulebook.warnings()`): a comparison every value within its fact's
   * declared range meets, or a concentration per litre compared with one per cubic metre.
   */
  | "suspicious";

/** For audit errors: which fact, what was expected and what was given. */
export interface FactProblem {
  fact: string;
  expected: string;
  given: string;
}

/** One error as the core describes it. */
export interface ErrorInfo {
  kind: ErrorKind;
  /** `warning` for what is noticed but not refused (`Rulebook.warnings()`). */
  severity: "error" | "warning";
  message: string;
  source?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column, in characters. */
  column?: number;
  start?: number;
  end?: number;
  /** The source line. */
  snippet?: string;
  help?: string;
  fact?: FactProblem;
  /** The message in Chinese, where the core writes one: for a value an
   * audit gives that its fact cannot take, a fact given twice, an
   * undeclared one refused in strict mode. */
  message_zh?: string;
  /** The help in Chinese, beside `message_zh`. */
  help_zh?: string;
  /** What the fact expects, in Chinese, as `fact.expected` says it in
   * English: where the core says the error in Chinese. */
  expected_zh?: string;
  /** The diagnostic drawn with the source line and a caret. */
  rendered: string;
}

/** What the methods throw for rulebook source or an audit the core
 * rejects: an `Error` named `EcoruleError` with the first error's fields
 * at the top and all of them in `errors`.
 *
 * The other errors: an argument or option of the wrong JavaScript type (a
 * source that is not a string, `strict: "false"`) is a `TypeError` whose
 * message names it and says what was given; any call on a `Rulebook` after
 * `free()` is wasm-bindgen's plain `Error` ("null pointer passed to rust"). */
export interface EcoruleError extends Error {
  name: "EcoruleError";
  kind: ErrorKind;
  message: string;
  source: string | null;
  line: number | null;
  column: number | null;
  snippet: string | null;
  help: string | null;
  fact: FactProblem | null;
  /** The first error's message in Chinese (`ErrorInfo.message_zh`), or null. */
  message_zh: string | null;
  /** The first error's help in Chinese, or null. */
  help_zh: string | null;
  /** What the first error's fact expects, in Chinese
   * (`ErrorInfo.expected_zh`), or null. */
  expected_zh: string | null;
  /** Every error drawn with its source line and a caret. */
  rendered: string;
  errors: ErrorInfo[];
}
