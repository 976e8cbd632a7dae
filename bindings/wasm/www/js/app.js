// The self-assessment page: choose a rulebook, answer its questionnaire,
// watch the score. Every score comes from the WASM package; answers live
// in localStorage, per rulebook id, as the audit JSON the CLI reads.

import init, { moduleId, parseAudit, Rulebook } from '../pkg/ecorule_wasm.js';
import { announce } from './announce.js';
import { core, errorText, getLang, label, langTag, setLang, t } from './i18n.js';
import { buildForm, h, markRejected, markStatuses } from './form.js';
import { renderCompileError, renderPanel, renderReport, renderWarnings, resultSummary } from './report.js';
import {
  answered,
  dict,
  emptyAudit,
  exportAudit,
  fileNamePart,
  hasAnswers,
  localDate,
  newAudit,
  normalizeAudit,
  own,
  savedAnswers,
  savedRulebook,
  setFact,
  setMeta,
  undeclaredFacts,
  withoutRejected,
} from './answers.js';

const KEY_LANG = 'ecorule.lang';
const KEY_CURRENT = 'ecorule.current';
const answersKey = (id) => `ecorule.answers.${id}`;
/** Where saved answers that cannot be read are moved, so they are not lost. */
const unreadableKey = (id) => `ecorule.unreadable.answers.${id}`;
/** Today where the page is read: the date a new self-assessment starts with. */
const today = () => localDate(new Date());

const store = {
  /** The text under `key`, or null (none, or no localStorage). */
  text(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  /** The value under `key`: undefined when there is none; throws when it is not JSON. */
  get(key) {
    const text = store.text(key);
    return text === null ? undefined : JSON.parse(text);
  },
  set(key, value) {
    store.setText(key, JSON.stringify(value));
  },
  setText(key, text) {
    try {
      localStorage.setItem(key, text);
    } catch (e) {
      // Most often a full storage (QuotaExceededError): said in the page's language.
      notice(`${t('saveFailed')}${t('aside', e.name)}`);
    }
  },
  remove(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      // Nothing saved to remove.
    }
  },
};

const $ = (id) => document.getElementById(id);

const state = {
  /** rules/index.json: the bundled rulebooks. */
  index: { rulebooks: [] },
  /** `{kind: 'bundled', file}` or `{kind: 'custom', name, text, modules}`. */
  current: null,
  rulebook: null,
  info: null,
  questionnaire: null,
  declared: new Set(),
  compileError: null,
  /** Whether the file that did not compile looks like an audit's JSON. */
  compileLooksLikeAudit: false,
  audit: emptyAudit(),
  report: null,
  /** The audit `report` was scored from: the answers less those rejected. */
  scored: null,
  scoreError: null,
  /** Errors of the values the core rejected, by fact name (a `dict()`). */
  rejected: dict(),
  form: null,
};

/**
 * A note above the page, read out by screen readers (its parent is a live
 * region). `detail` is an error (shown by `errorText`: in the page's
 * language where it can be, else marked English), an English message or
 * a node.
 */
function notice(message, detail) {
  const el = $('notice');
  el.hidden = !message;
  el.replaceChildren();
  if (message) el.append(message);
  if (!message || !detail) return;
  el.append(t('sep'), detail instanceof Node ? detail : typeof detail === 'string' ? core(detail) : errorText(detail));
}

// ── rulebooks ──

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return response.text();
}

async function open(current) {
  notice('');
  let text;
  let name;
  let modules;
  try {
    if (current.kind === 'bundled') {
      text = await fetchText(`rules/${current.file}`);
      name = current.file.split('/').pop();
    } else {
      ({ text, name, modules } = current);
    }
  } catch (e) {
    notice(t('loadError'), errorText(e));
    return false;
  }
  state.current = current;
  requested = selectValue(current);
  store.set(KEY_CURRENT, current);
  state.rulebook?.free();
  state.rulebook = null;
  state.info = null;
  state.report = null;
  try {
    state.rulebook = Rulebook.fromSource(text, { name, modules: modules ?? {} });
    state.compileError = null;
  } catch (e) {
    state.compileError = e;
    // An audit opened as a rulebook: its JSON fails at the first `{`.
    state.compileLooksLikeAudit = /^\uFEFF?\s*[{[]/.test(text);
    render();
    return true;
  }
  state.info = state.rulebook.info();
  state.questionnaire = state.rulebook.questionnaire();
  state.declared = new Set(state.info.facts.map((f) => f.name));
  state.audit = loadAnswers(state.info.id);
  render();
  return true;
}

/**
 * The answers saved for a rulebook. Saved answers that cannot be read are
 * moved aside (not lost) with a note, and the form starts anew.
 */
function loadAnswers(id) {
  const key = answersKey(id);
  try {
    return savedAnswers(store.get(key), state.declared) ?? newAudit(today());
  } catch (e) {
    const text = store.text(key);
    if (text !== null) store.setText(unreadableKey(id), text);
    store.remove(key);
    notice(t('savedAnswersUnreadable', unreadableKey(id)), errorText(e));
    return newAudit(today());
  }
}

/** Reads files chosen with "open": the rulebook and any modules beside it. */
async function openFiles(files) {
  const read = await Promise.all([...files].map(async (f) => ({ name: f.name, text: await f.text() })));
  const isModule = (text) => moduleId(text) !== undefined;
  const books = read.filter((f) => !isModule(f.text));
  const book = books[0] ?? read[0];
  if (!book) return;
  const modules = Object.fromEntries(read.filter((f) => f !== book && isModule(f.text)).map((f) => [f.name, f.text]));
  await open({ kind: 'custom', name: book.name, text: book.text, modules });
}

// ── answers ──

function save() {
  if (!state.info) return;
  store.set(answersKey(state.info.id), {
    rulebook: state.info.id,
    hash: state.info.hash,
    saved: new Date().toISOString(),
    audit: exportAudit(state.audit),
  });
}

let scheduled = false;
function scheduleScore() {
  if (scheduled) return;
  scheduled = true;
  const run = () => {
    scheduled = false;
    score();
    // Said once typing pauses, not at every key.
    renderResults({ say: 900 });
  };
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') requestAnimationFrame(run);
  else setTimeout(run, 0);
}

/** Scores the answers; values the core rejects are marked and left out. */
function score() {
  Object.assign(state, scoreAnswers(state.rulebook, state.audit));
}

/**
 * Scores `audit` with `rulebook`, leaving out the answers the core rejects:
 * `{report, scored, rejected, scoreError}`, where `scored` is the audit the
 * report is of, `rejected` the core's errors by fact, and `scoreError` an
 * error that is not about one answer (then there is no report).
 */
function scoreAnswers(rulebook, audit) {
  const result = { report: null, scored: null, rejected: dict(), scoreError: null };
  if (!rulebook) return result;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    try {
      const input = exportAudit(audit);
      result.report = rulebook.score(input);
      result.scored = input;
      return result;
    } catch (e) {
      const next = withoutRejected(audit, e.errors);
      if (!next) {
        result.scoreError = e;
        return result;
      }
      audit = next.audit;
      Object.assign(result.rejected, next.rejected);
    }
  }
  return result;
}

function importAudit(parsed) {
  let audit;
  try {
    audit = normalizeAudit(parsed, state.declared);
  } catch (e) {
    notice(t('importError'), errorText(e));
    return;
  }
  // Answers of any kind, the enterprise's name or the audit's id alone too
  // (not the date a new audit starts with).
  const typed = hasAnswers(state.audit, today());
  // Most of the file's facts not this rulebook's: likely another rulebook's audit; said, and asked even with nothing typed.
  const { total, undeclared } = undeclaredFacts(audit, state.declared);
  const foreign = undeclared > total / 2 ? t('foreignAudit', total, undeclared) : '';
  const question = typed ? t('confirmReplace') : foreign ? t('confirmImport') : '';
  // An audit no answer of which is at fault, yet that cannot be scored (one
  // nested too deep, too large), would leave the page with no result: refused
  // before it replaces anything.
  const { scoreError } = scoreAnswers(state.rulebook, audit);
  if (scoreError) {
    notice(t('importError'), errorText(scoreError));
    return;
  }
  if (question && !window.confirm(`${foreign}${question}`)) return;
  state.audit = audit;
  notice('');
  save();
  render({ say: 0 });
}

function download(name, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ── drawing ──

function renderChrome() {
  document.title = `${t('appTitle')} · ecorule`;
  $('app-title').textContent = t('appTitle');
  $('app-subtitle').textContent = t('appSubtitle');
  $('rulebook-label').textContent = t('rulebook');
  $('open-file-label').textContent = t('openFile');
  $('import-label').textContent = t('importAudit');
  $('export').textContent = t('exportAudit');
  $('print').textContent = t('print');
  $('save-report').textContent = t('saveReport');
  $('clear').textContent = t('clear');
  $('lang').textContent = t('language');
  // The button names the other language, in that language.
  $('lang').lang = langTag(getLang() === 'zh' ? 'en' : 'zh');
  $('skip').textContent = t('skipToQuestions');
  $('skip').hidden = !state.info;
  $('toolbar').setAttribute('aria-label', t('tools'));
  $('sample-select').setAttribute('aria-label', t('sample'));
  $('select-hint').textContent = t('selectHint');

  const select = $('rulebook-select');
  select.replaceChildren();
  for (const rb of state.index.rulebooks) {
    select.append(h('option', { value: `bundled:${rb.file}` }, label({ zh: rb.title, en: rb.title_en })));
  }
  if (state.current?.kind === 'custom') {
    select.append(h('option', { value: 'custom' }, `${state.current.name}${t('aside', t('customFile'))}`));
  }
  select.value = selectValue(state.current);

  const samples = $('sample-select');
  samples.replaceChildren(h('option', { value: '' }, t('samplePlaceholder')));
  const bundled = state.current?.kind === 'bundled' ? state.index.rulebooks.find((r) => r.file === state.current.file) : null;
  for (const s of bundled?.samples ?? []) {
    samples.append(h('option', { value: s }, s.split('/').pop().replace(/\.json$/, '')));
  }
  samples.disabled = !bundled?.samples?.length;
  samples.title = t('sample');
  // Nothing to export, print or save without a rulebook that compiles.
  for (const id of ['export', 'print', 'save-report', 'clear', 'import-file']) $(id).disabled = !state.info;
}

/** Draws the page; `say` (a delay in ms) reads the result out if it changed. */
function render({ say } = {}) {
  renderChrome();
  const errorEl = $('compile-error');
  const workspace = $('workspace');
  if (state.compileError) {
    renderCompileError(errorEl, state.compileError, state.current?.name ?? state.current?.file, state.compileLooksLikeAudit ? t('looksLikeAudit') : '');
    errorEl.hidden = false;
    $('rulebook-warnings').hidden = true;
    workspace.hidden = true;
    $('report').replaceChildren();
    $('report-head').replaceChildren();
    return;
  }
  errorEl.hidden = true;
  errorEl.replaceChildren();
  const warningsEl = $('rulebook-warnings');
  renderWarnings(warningsEl, state.rulebook?.warnings() ?? []);
  warningsEl.hidden = !warningsEl.hasChildNodes();
  workspace.hidden = !state.info;
  if (!state.info) return;
  state.form = buildForm(state.questionnaire, state.audit, {
    onMeta: (field, value) => {
      setMeta(state.audit, field, value);
      save();
      scheduleScore();
    },
    onFact: (name, value) => {
      setFact(state.audit, name, value);
      save();
      scheduleScore();
    },
  });
  $('form-host').replaceChildren(state.form);
  score();
  renderResults({ say });
}

/** What was last put in the live region (or would have been): only changes are read out. */
const said = { result: '', rejected: '' };

/** The name of a question, for a message about its answer. */
function questionName(name) {
  const q = state.questionnaire?.sections.flatMap((s) => s.questions).find((x) => x.name === name);
  return q ? label(q.label) : name;
}

/** "2 answers cannot be used: Stack height, Fuel." */
function rejectedList(names) {
  return `${t('invalidAnswers', names.length)}${t('sep')}${names.map(questionName).join(t('comma'))}${t('stop')}`;
}

/**
 * Draws the score panel and the report. With `say` (a delay in ms), reads
 * out what changed: answers newly rejected, then the result.
 */
function renderResults({ say } = {}) {
  if (!state.info) return;
  const questions = state.questionnaire.sections.flatMap((s) => s.questions);
  // The audit date is no question of the rulebook's, and a new audit is
  // dated today; when it is left out and the rulebook needs it, it is one
  // more still to answer.
  const dateMissing = state.report?.missing_facts.includes('audit.date') ? 1 : 0;
  const progress = {
    answered: questions.filter((q) => answered(state.audit, q.name) && !own(state.rejected, q.name)).length,
    total: questions.length + dateMissing,
  };
  renderPanel($('panel'), { info: state.info, report: state.report, error: state.scoreError, progress });
  renderReport($('report'), $('report-head'), { info: state.info, report: state.report, audit: state.audit });
  if (state.form) {
    markRejected(state.form, state.rejected);
    markStatuses(state.form, state.report);
  }
  const result = state.scoreError ? t('scoreError') : resultSummary({ info: state.info, report: state.report, progress });
  const names = Object.keys(state.rejected);
  const rejected = names.map((n) => `${n}\n${state.rejected[n].message}`).join('\n');
  if (say !== undefined) {
    const words = [];
    if (names.length && rejected !== said.rejected) words.push(rejectedList(names));
    if (result !== said.result) words.push(result);
    if (words.length) announce(words.join(' '), say);
  }
  said.result = result;
  said.rejected = rejected;
  document.body.dataset.ready = 'true';
}

// ── wiring ──

/**
 * Calls `act(value)` when a choice is made in `select`: with the pointer,
 * a touch picker or its open list, or Enter. A closed select changes its
 * value at each arrow key (or letter) too: that is browsing, not choosing,
 * so it acts on nothing until Enter, and leaving the select puts back
 * `applied()`, the value in force.
 */
function onChoose(select, act, applied) {
  // INVARIANT: Chromium fires the `change` of a key in a closed select
  // during that key's default action, before the task queued here.
  let keyed = false;
  select.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      if (select.value !== applied()) act(select.value);
      return;
    }
    if (e.key === 'Tab' || e.altKey || e.ctrlKey || e.metaKey) return;
    keyed = true;
    setTimeout(() => {
      keyed = false;
    });
  });
  select.addEventListener('change', () => {
    if (!keyed && select.value !== applied()) act(select.value);
  });
  select.addEventListener('blur', () => {
    select.value = applied();
  });
}

/** The rulebook asked for last, as the rulebook select names it. */
let requested = '';
const selectValue = (current) => (current?.kind === 'custom' ? 'custom' : current ? `bundled:${current.file}` : '');

function wire() {
  onChoose(
    $('rulebook-select'),
    (v) => {
      if (!v.startsWith('bundled:')) return;
      requested = v;
      open({ kind: 'bundled', file: v.slice('bundled:'.length) }).then((opened) => {
        // Not found: the rulebook in force stays, and the select says so.
        if (!opened) $('rulebook-select').value = requested = selectValue(state.current);
      });
    },
    () => requested,
  );
  $('open-file').addEventListener('change', async (e) => {
    if (e.target.files?.length) await openFiles(e.target.files);
    e.target.value = '';
  });
  onChoose(
    $('sample-select'),
    async (file) => {
      if (!file) return;
      // Back to the placeholder at once: a second Enter loads nothing twice.
      $('sample-select').value = '';
      const name = file.split('/').pop();
      try {
        importAudit(parseAudit(await fetchText(`rules/${file}`), name));
      } catch (err) {
        notice(t('importError'), errorText(err, name));
      }
    },
    () => '',
  );
  $('import-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      // Read by the core, whose errors name the file, line and column.
      importAudit(parseAudit(await file.text(), file.name));
    } catch (err) {
      notice(t('importError'), errorText(err, file.name));
    }
  });
  // Files are named after the rulebook and the audit's id, in any script.
  const fileStem = () => {
    const id = state.audit.audit?.id ? fileNamePart(state.audit.audit.id) : '';
    return id ? `${state.info.id}-${id}` : state.info.id;
  };
  $('export').addEventListener('click', () => {
    if (!state.info) return;
    download(`${fileStem()}.audit.json`, `${JSON.stringify(exportAudit(state.audit), null, 2)}\n`);
  });
  // The core's HTML report of the answers scored (rejected ones left out),
  // in the page's language as the print view is: the same document
  // `ecorule score --format html --lang zh` (or `en`) prints.
  $('save-report').addEventListener('click', () => {
    if (!state.info || !state.scored) return;
    // The saved report cannot tell a rejected answer from one not given.
    const names = Object.keys(state.rejected);
    if (names.length && !window.confirm(`${rejectedList(names)}\n${t('confirmSaveRejected')}`)) return;
    download(`${fileStem()}.report.html`, state.rulebook.render(state.scored, 'html', { lang: getLang() }), 'text/html');
  });
  $('print').addEventListener('click', () => window.print());
  // Another tab saved answers of the rulebook open here: this tab takes
  // them, so that its next answer does not write over them.
  window.addEventListener('storage', (e) => {
    if (!state.info || e.key !== answersKey(state.info.id)) return;
    const focused = document.activeElement?.id;
    state.audit = loadAnswers(state.info.id);
    render();
    if (focused) document.getElementById(focused)?.focus();
  });
  $('clear').addEventListener('click', () => {
    if (!state.info || !window.confirm(t('confirmClear'))) return;
    state.audit = newAudit(today());
    save();
    render({ say: 0 });
  });
  $('lang').addEventListener('click', () => {
    setLang(getLang() === 'zh' ? 'en' : 'zh');
    store.set(KEY_LANG, getLang());
    render();
  });
  // Print the whole report, open.
  const opened = [];
  window.addEventListener('beforeprint', () => {
    for (const d of document.querySelectorAll('#report details:not([open])')) {
      d.open = true;
      opened.push(d);
    }
  });
  window.addEventListener('afterprint', () => {
    for (const d of opened.splice(0)) d.open = false;
  });
}

async function main() {
  let lang;
  try {
    lang = store.get(KEY_LANG);
  } catch {
    // Not JSON: the default language.
  }
  setLang(lang ?? 'zh');
  wire();
  renderChrome();
  try {
    await init();
  } catch (e) {
    notice(t('loadError'), errorText(e));
    return;
  }
  try {
    const response = await fetch('rules/index.json');
    if (response.ok) state.index = await response.json();
  } catch {
    // No bundled rulebooks: "open .eco file" still works.
  }
  const first = state.index.rulebooks[0];
  let saved = null;
  let unreadable = null;
  try {
    saved = savedRulebook(store.get(KEY_CURRENT));
  } catch (e) {
    store.remove(KEY_CURRENT);
    unreadable = e;
  }
  const current = saved ?? (first ? { kind: 'bundled', file: first.file } : null);
  const opened = current ? await open(current) : false;
  if (!opened && first && current?.file !== first.file) await open({ kind: 'bundled', file: first.file });
  // After opening, which clears the notice.
  if (unreadable) {
    const before = $('notice').hidden ? null : [...$('notice').childNodes];
    notice(t('savedRulebookUnreadable'), errorText(unreadable));
    if (before) $('notice').append('. ', ...before);
  }
  document.body.dataset.ready = 'true';
}

main();
