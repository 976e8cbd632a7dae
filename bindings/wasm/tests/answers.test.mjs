// The page's answer handling (www/js/answers.js), which has no DOM: form
// values to audit values and back, import, export, rejected values.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, test } from 'node:test';

import {
  answered,
  emptyAudit,
  exportAudit,
  fileNamePart,
  hasAnswers,
  joinQuantity,
  ownUnit,
  listToText,
  localDate,
  newAudit,
  normalizeAudit,
  savedAnswers,
  savedRulebook,
  setFact,
  setMeta,
  splitQuantity,
  typedQuantity,
  textToList,
  undeclaredFacts,
  unitChoices,
  withoutRejected,
} from '../www/js/answers.js';
import { STRINGS, t, unitName } from '../www/js/i18n.js';
import { deduction } from '../www/js/report.js';
import { PROTOS, loadPackage, rulebookPath, sampleAudits } from './helpers.mjs';

/** The page keeps answers in objects without a prototype; compare them as JSON data. */
const data = (value) => JSON.parse(JSON.stringify(value));

let pkg;
before(async () => {
  pkg = await loadPackage();
});

test('quantities split into the number and unit the form shows', () => {
  assert.deepEqual(splitQuantity('27 m', 'm'), { number: 27, unit: 'm' });
  assert.deepEqual(splitQuantity('0.8 m', 'mm'), { number: 0.8, unit: 'm' });
  assert.deepEqual(splitQuantity('82 %', ''), { number: 82, unit: '%' });
  assert.deepEqual(splitQuantity('15.6kg/h', 'kg/h'), { number: 15.6, unit: 'kg/h' });
  assert.deepEqual(splitQuantity(' 12 ', 'm'), { number: 12, unit: 'm' });
  assert.deepEqual(splitQuantity(1e-7, 'cm/s'), { number: 1e-7, unit: 'cm/s' });
  assert.deepEqual(splitQuantity('1e-7 cm/s', 'cm/s'), { number: 1e-7, unit: 'cm/s' });
  assert.deepEqual(splitQuantity({ value: 3.1, unit: 'kg/h' }, 'kg/h'), { number: 3.1, unit: 'kg/h' });
  assert.equal(splitQuantity('abc', 'm'), null);
  assert.equal(splitQuantity(true, 'm'), null);
});

test('form values join into audit values', () => {
  assert.equal(joinQuantity('27', 'm'), '27 m');
  assert.equal(joinQuantity('0.85', ''), 0.85);
  assert.equal(joinQuantity('', 'm'), undefined);
  assert.equal(joinQuantity('  ', ''), undefined);
  assert.deepEqual(textToList('HW08, HW49，HW12', 'text'), ['HW08', 'HW49', 'HW12']);
  assert.deepEqual(textToList('1, 2.5', 'number'), [1, 2.5]);
  assert.deepEqual(textToList('3, 0', 'count'), [3, 0]);
  assert.equal(textToList(' , ', 'text'), undefined);
  assert.equal(listToText(['a', 'b']), 'a, b');
});

test('units offered: the declared one first, then its family', () => {
  assert.deepEqual(unitChoices({ type: 'quantity', unit: 'mm' }).slice(0, 2), ['mm', 'cm']);
  assert.ok(unitChoices({ type: 'quantity', unit: 'mm' }).includes('m'));
  assert.deepEqual(unitChoices({ type: 'duration', unit: 'd' })[0], 'd');
  assert.ok(unitChoices({ type: 'duration', unit: 'd' }).includes('a'));
  // A bare number is a fraction to the core, as the help says (0.9 or
  // "90 %"): no unit comes first, the unit of a new answer; `%` is offered.
  assert.deepEqual(unitChoices({ type: 'number', help: { zh: '填小数或带%', en: 'a fraction or a percentage: 0.9 or "90 %"' } }), ['', '%']);
  assert.deepEqual(unitChoices({ type: 'number', help: null }), [], 'a plain number needs no unit choice');
  assert.deepEqual(unitChoices({ type: 'number', help: null, max: '1' }), ['', '%'], 'a share of at most 1');
  assert.deepEqual(unitChoices({ type: 'quantity', unit: 'dB(A)' }), ['dB(A)']);
});

test('a number box saves what is typed: a bare number with the unit chosen, any other text for the core to read', () => {
  assert.equal(typedQuantity('27', 'm'), '27 m');
  assert.equal(typedQuantity(' 0.9 ', ''), 0.9);
  assert.equal(typedQuantity('', 'm'), undefined);
  assert.equal(typedQuantity('   ', 'm'), undefined);
  // A unit of its own, as typed: the choice beside the box does not apply.
  assert.equal(typedQuantity('2700 cm', 'm'), '2700 cm');
  assert.equal(typedQuantity('50 µg/m³', 'mg/m³'), '50 µg/m³');
  assert.equal(typedQuantity('90 %', ''), '90 %');
  assert.equal(typedQuantity('3年', 'd'), '3年');
  assert.equal(typedQuantity('0.025L', 'mg/L'), '0.025L');
  // Written like a number but not one: with the unit, for the core to explain.
  assert.equal(typedQuantity('25,5', 'mg/m³'), '25,5 mg/m³');
  assert.equal(typedQuantity('1 200', 'm³/d'), '1 200 m³/d');
  assert.equal(typedQuantity('≤20', 'mg/L'), '≤20 mg/L');
  assert.equal(typedQuantity('２５', 'mg/m³'), '２５ mg/m³');
  assert.equal(typedQuantity('27e', 'm'), '27e m');
  assert.equal(typedQuantity('1,5', ''), '1,5');
  for (const [text, own] of [['27', false], ['25,5', false], ['≤20', false], ['２５．５', false], ['27 m', true], ['3 个', true], ['ND', true], ['未检出', true]]) {
    assert.equal(ownUnit(text), own, text);
  }
});

test("the fishmeal shares start as fractions, as their help says, and a percentage stays one", () => {
  const rulebook = pkg.Rulebook.fromSource(fs.readFileSync(rulebookPath('fishmeal'), 'utf8'));
  const questions = rulebook.questionnaire().sections.flatMap((s) => s.questions);
  const shares = questions.filter((q) => q.type === 'number' && unitChoices(q).includes('%'));
  assert.deepEqual(
    shares.map((q) => q.name).sort(),
    ['boiler.o2', 'cooling.reuse_rate', 'ledger.completeness', 'odour.log_coverage', 'stickwater.recovery', 'wwtp.log_coverage'],
  );
  for (const q of shares) {
    const [first] = unitChoices(q);
    assert.equal(first, '', `${q.name}: a new answer has no unit`);
    // The help's own example, typed as it reads, is what the help means.
    const example = /[\d.]+/.exec(q.help.en)[0];
    const typed = joinQuantity(example, first);
    assert.equal(typed, Number(example), `${q.name}: ${example} typed is the fraction ${example}`);
    const percent = /"([\d.]+) %"/.exec(q.help.en)[1];
    const [a, b] = [{ facts: { [q.name]: typed } }, { facts: { [q.name]: joinQuantity(percent, '%') } }];
    assert.deepEqual(rulebook.score(a).areas, rulebook.score(b).areas, `${q.name}: ${example} and ${percent} % score alike`);
    // Saved or imported answers show as they were given: a fraction or a percentage.
    assert.deepEqual(splitQuantity(0.9, q.unit ?? ''), { number: 0.9, unit: '' });
    assert.deepEqual(splitQuantity('90 %', q.unit ?? ''), { number: 90, unit: '%' });
    assert.deepEqual(unitChoices(q, '%'), ['', '%']);
    assert.equal(joinQuantity('90', '%'), '90 %');
  }
  rulebook.free();
});

test('the local calendar day of a Date, not its UTC day', () => {
  const saved = process.env.TZ;
  try {
    process.env.TZ = 'Asia/Shanghai';
    assert.equal(localDate(new Date('2024-09-12T20:00:00Z')), '2024-09-13');
    process.env.TZ = 'America/Los_Angeles';
    assert.equal(localDate(new Date('2024-09-12T02:00:00Z')), '2024-09-11');
    assert.equal(localDate(new Date(2024, 0, 5)), '2024-01-05');
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

test('a new self-assessment is dated the day given, and that date alone is no answer', () => {
  const audit = newAudit('2026-12-03');
  assert.deepEqual(exportAudit(audit), { audit: { date: '2026-12-03' }, facts: {} });
  assert.equal(hasAnswers(audit, '2026-12-03'), false, 'the date it started with');
  assert.equal(hasAnswers(audit, '2026-12-04'), true, 'a date that is not today was given');
  assert.equal(hasAnswers(emptyAudit(), '2026-12-03'), false);
  setMeta(audit, 'enterprise.name', '舟山某鱼粉厂');
  assert.equal(hasAnswers(audit, '2026-12-03'), true, 'a built-in field other than the date');
  const fact = newAudit('2026-12-03');
  setFact(fact, 'stack.height', '27 m');
  assert.equal(hasAnswers(fact, '2026-12-03'), true, 'a fact');
  setFact(fact, 'stack.height', undefined);
  assert.equal(hasAnswers(fact, '2026-12-03'), false, 'a fact answered and then taken back');
});

test('an imported audit is flattened the way the core binds it', () => {
  const declared = new Set(['stack.height', 'odour.plant', 'a.b.c']);
  const audit = normalizeAudit(
    {
      audit: { id: 17, date: '2024-05-20', enterprise: { id: 42, name: 'x', town: 'y' } },
      facts: { stack: { height: { value: 25, unit: 'm' } }, odour: { plant: 'biofilter' }, a: { b: { c: [1] } }, extra: { q: 1 } },
    },
    declared,
  );
  assert.deepEqual(data(audit.audit), { id: '17', date: '2024-05-20', enterprise: { id: '42', name: 'x', town: 'y' } });
  assert.deepEqual(data(audit.facts), {
    'stack.height': { value: 25, unit: 'm' },
    'odour.plant': 'biofilter',
    'a.b.c': [1],
    'extra.q': 1,
  });
  assert.throws(() => normalizeAudit([1, 2]));
  assert.throws(() => normalizeAudit(null));
  assert.throws(() => normalizeAudit({ facts: 5 }), /`facts` must be an object/);
  assert.throws(() => normalizeAudit({ audit: 'x' }), /`audit` must be an object/);
});

test('answers set and export as the audit format', () => {
  const audit = { audit: {}, facts: {} };
  setMeta(audit, 'audit.id', 'A-1');
  setMeta(audit, 'audit.date', '2024-09-12');
  setMeta(audit, 'enterprise.name', '某公司');
  setMeta(audit, 'enterprise.id', '9133');
  setFact(audit, 'stack.height', '27 m');
  setFact(audit, 'ok', false);
  setFact(audit, 'gone', 1);
  setFact(audit, 'gone', undefined);
  assert.deepEqual(exportAudit(audit), {
    audit: { id: 'A-1', date: '2024-09-12', enterprise: { name: '某公司', id: '9133' } },
    facts: { 'stack.height': '27 m', ok: false },
  });
  setMeta(audit, 'enterprise.name', undefined);
  setMeta(audit, 'enterprise.id', '');
  setMeta(audit, 'audit.id', undefined);
  assert.deepEqual(exportAudit(audit).audit, { date: '2024-09-12' });
});

test('values the core rejects are left out so the rest still scores', () => {
  const text = fs.readFileSync(rulebookPath('fishmeal'), 'utf8');
  const rulebook = pkg.Rulebook.fromSource(text);
  const audit = { audit: { date: 'not a date' }, facts: { 'stack.height': '27 kg', 'eia.approved': true, 'odour.plant': 'magic' } };
  let error;
  try {
    rulebook.score(audit);
  } catch (e) {
    error = e;
  }
  assert.ok(error, 'the audit is rejected');
  const next = withoutRejected(audit, error.errors);
  assert.deepEqual(Object.keys(next.rejected).sort(), ['audit.date', 'odour.plant', 'stack.height']);
  assert.deepEqual(data(next.audit.facts), { 'eia.approved': true });
  assert.equal(next.audit.audit.date, undefined);
  assert.equal(audit.facts['stack.height'], '27 kg', 'the answers themselves are kept');
  rulebook.score(next.audit);
  assert.equal(withoutRejected(audit, [{ kind: 'evaluation', message: 'x' }]), null);
  assert.equal(withoutRejected(audit, []), null);
});

test('every sample audit survives import and export unchanged in meaning', () => {
  const compiled = new Map();
  for (const sample of sampleAudits()) {
    if (!compiled.has(sample.dir)) {
      compiled.set(sample.dir, pkg.Rulebook.fromSource(fs.readFileSync(rulebookPath(sample.dir), 'utf8')));
    }
    const rulebook = compiled.get(sample.dir);
    const declared = new Set(rulebook.info().facts.map((f) => f.name));
    const original = JSON.parse(fs.readFileSync(sample.file, 'utf8'));
    const exported = exportAudit(normalizeAudit(JSON.parse(JSON.stringify(original)), declared));
    assert.deepEqual(rulebook.score(exported), rulebook.score(original), `${sample.dir}/${sample.name}`);
  }
});


test('facts named __proto__, constructor and toString are answered, scored, saved and rejected', () => {
  const rulebook = pkg.Rulebook.fromSource(PROTOS);
  const declared = new Set(rulebook.info().facts.map((f) => f.name));
  const audit = emptyAudit();
  assert.equal(answered(audit, 'constructor'), false, 'an inherited member is not an answer');
  assert.equal(answered(audit, 'toString'), false);
  setFact(audit, '__proto__', true);
  setFact(audit, 'constructor', '20 m');
  assert.equal(answered(audit, '__proto__'), true);
  assert.equal(answered(audit, 'constructor'), true);
  assert.equal(answered(audit, 'toString'), false);

  const exported = exportAudit(audit);
  assert.deepEqual(Object.keys(exported.facts).sort(), ['__proto__', 'constructor']);
  const report = rulebook.score(exported);
  assert.equal(report.score, 10, 'both answers are scored');
  assert.deepEqual(report.areas[0].clauses.map((c) => c.status), ['pass', 'pass']);
  assert.deepEqual(report.warnings, []);

  // Saved as JSON and read back: the same answers.
  const saved = JSON.parse(JSON.stringify({ rulebook: 'protos', audit: exported }));
  const back = savedAnswers(saved, declared);
  assert.deepEqual(data(back.facts), JSON.parse('{"__proto__": true, "constructor": "20 m"}'));
  assert.equal(Object.getPrototypeOf(back.facts), null);
  assert.deepEqual(rulebook.score(exportAudit(back)), report);

  // Rejected values are marked by name and left out; the rest still scores.
  setFact(back, 'constructor', '20 kg');
  setFact(back, 'toString', 'x');
  let error;
  try {
    rulebook.score(exportAudit(back));
  } catch (e) {
    error = e;
  }
  assert.equal(error?.fact?.fact, 'constructor');
  const next = withoutRejected(back, error.errors);
  assert.deepEqual(Object.keys(next.rejected), ['constructor']);
  assert.equal(typeof next.rejected.toString, 'undefined', 'nothing inherited in the rejected map');
  assert.deepEqual(Object.keys(next.audit.facts).sort(), ['__proto__', 'toString']);
  const rest = rulebook.score(exportAudit(next.audit));
  assert.deepEqual([rest.score_min, rest.score_max, rest.missing_facts], [5, 10, ['constructor']]);
  assert.equal(back.facts.constructor, '20 kg', 'the answers themselves are kept');
});

test('the saved rulebook and answers are checked when read back', () => {
  assert.equal(savedRulebook(undefined), null);
  assert.equal(savedRulebook(null), null);
  assert.deepEqual(savedRulebook({ kind: 'bundled', file: 'a/a.eco' }), { kind: 'bundled', file: 'a/a.eco' });
  const custom = savedRulebook({ kind: 'custom', name: 'n.eco', text: 'rulebook', modules: { 'm.eco': 'module' } });
  assert.equal(custom.text, 'rulebook');
  assert.deepEqual(data(custom.modules), { 'm.eco': 'module' });
  assert.throws(() => savedRulebook({ kind: 'custom', name: 'n.eco', text: 5 }), /`n\.eco` has no text/);
  assert.throws(() => savedRulebook({ kind: 'custom', name: 'n.eco', text: 'x', modules: { 'm.eco': 1 } }), /modules/);
  assert.throws(() => savedRulebook({ kind: 'custom', text: 'x' }), /no file name/);
  assert.throws(() => savedRulebook({ kind: 'bundled' }), /no file name/);
  assert.throws(() => savedRulebook({ kind: 'other' }), /neither/);
  assert.throws(() => savedRulebook(5), /not an object/);
  assert.throws(() => savedRulebook([]), /not an object/);

  assert.equal(savedAnswers(undefined), null);
  assert.equal(savedAnswers({ rulebook: 'x' }), null);
  assert.deepEqual(data(savedAnswers({ audit: { facts: { a: 1 } } }).facts), { a: 1 });
  assert.throws(() => savedAnswers('x'), /not an object/);
  assert.throws(() => savedAnswers({ audit: 5 }), /an audit must be an object/);
  assert.throws(() => savedAnswers({ audit: { facts: [1] } }), /`facts` must be an object/);
});

test("the page's own errors about a file or saved state have Chinese words too", () => {
  const thrown = (f) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    assert.fail('no error');
  };
  const errors = [
    thrown(() => normalizeAudit([1, 2])),
    thrown(() => normalizeAudit({ audit: 'x' })),
    thrown(() => normalizeAudit({ facts: 5 })),
    thrown(() => savedAnswers('x')),
    thrown(() => savedRulebook(5)),
    thrown(() => savedRulebook({ kind: 'bundled' })),
    thrown(() => savedRulebook({ kind: 'other' })),
    thrown(() => savedRulebook({ kind: 'custom', text: 'x' })),
    thrown(() => savedRulebook({ kind: 'custom', name: 'n.eco', text: 5 })),
    thrown(() => savedRulebook({ kind: 'custom', name: 'n.eco', text: 'x', modules: { 'm.eco': 1 } })),
    thrown(() => normalizeAudit({ facts: { 'dust.pm': '18 mg/m³', dust: { pm: '200 mg/m³' } } }, new Set(['dust.pm']))),
  ];
  for (const e of errors) {
    assert.equal(e.name, 'AnswersError', e.message);
    const zh = t(e.key, ...e.args);
    assert.notEqual(zh, e.key, `${e.key} has Chinese words`);
    assert.match(zh, /[\u4e00-\u9fff]/, `${e.key}: ${zh}`);
  }
  assert.equal(t(errors[0].key), '审核文件应为含 `audit` 与 `facts` 的对象');
  assert.equal(t(errors[8].key, ...errors[8].args), '保存的规则集 `n.eco` 没有文本');
  // A fact both dotted and nested: refused, as the core refuses it, in either order.
  assert.equal(errors[10].message, 'fact `dust.pm` is given twice, by its dotted name and nested');
  assert.throws(() => normalizeAudit({ facts: { dust: { pm: 1 }, 'dust.pm': 2 } }, new Set(['dust.pm'])), /given twice/);
  assert.deepEqual({ ...normalizeAudit({ facts: { dust: { pm: 1 }, 'dust.other': 2 } }, new Set(['dust.pm'])).facts }, { 'dust.pm': 1, 'dust.other': 2 });
});

test("the page's Chinese words use full-width punctuation", () => {
  const halfWidth = [];
  for (const [key, value] of Object.entries(STRINGS.zh)) {
    const text = typeof value === 'function' ? value('x', 'y') : typeof value === 'object' ? Object.values(value).join(' ') : value;
    // `code` in backticks aside, none of , ? ( ) : ; ! (their full-width forms are ，？（）：；！).
    if (/[,?():;!]/.test(text.replace(/`[^`]*`/g, ''))) halfWidth.push(`${key}: ${text}`);
  }
  assert.deepEqual(halfWidth, []);
  assert.equal(t('confirmReplace'), '用导入的审核替换当前答案？（可先导出当前答案）');
  assert.equal(t('invalidValue'), '此答案无法使用：');
  assert.equal(unitName('a'), 'a（年）');
  assert.equal(unitName('mg/m³'), 'mg/m³');
  // Every key has its English too.
  assert.deepEqual(Object.keys(STRINGS.zh).filter((k) => !k.startsWith('err') && !(k in STRINGS.en)), []);
});

test('file names keep letters of any script and replace only what file systems refuse', () => {
  assert.equal(fileNamePart('自评-2024/09 第1次'), '自评-2024_09 第1次');
  assert.equal(fileNamePart('2024-PT-FM-002'), '2024-PT-FM-002');
  assert.equal(fileNamePart('Ünïcødé 名前 αβγ ١٢٣'), 'Ünïcødé 名前 αβγ ١٢٣');
  assert.equal(fileNamePart('a\\b:c*d?e"f<g>h|i'), 'a_b_c_d_e_f_g_h_i');
  assert.equal(fileNamePart('a//::b'), 'a_b', 'a run is one _');
  assert.equal(fileNamePart('a_/_b'), 'a_b', 'repeats collapse');
  assert.equal(fileNamePart('a \t\n b'), 'a _ b');
  assert.equal(fileNamePart('x\u0000y\u202ez'), 'x_y_z', 'control and bidi characters');
  assert.equal(fileNamePart('..hidden'), 'hidden', 'no hidden file');
  assert.equal(fileNamePart(' . '), '');
  assert.equal(fileNamePart('a  b'), 'a b');
  assert.equal(fileNamePart('名'.repeat(100)), '名'.repeat(80));
  assert.equal(fileNamePart(17), '17');
});

test("another rulebook's audit is told apart: most of its facts are not declared", () => {
  const declared = (dir) => new Set(pkg.Rulebook.fromSource(fs.readFileSync(rulebookPath(dir), 'utf8')).info().facts.map((f) => f.name));
  const books = new Map(['fishmeal', 'green-ship-repair', 'hazardous-waste'].map((d) => [d, declared(d)]));
  for (const sample of sampleAudits()) {
    if (!books.has(sample.dir)) continue;
    const audit = JSON.parse(fs.readFileSync(sample.file, 'utf8'));
    for (const [dir, names] of books) {
      const { total, undeclared } = undeclaredFacts(normalizeAudit(audit, names), names);
      assert.ok(total > 0, sample.file);
      const foreign = undeclared > total / 2;
      assert.equal(foreign, dir !== sample.dir, `${sample.dir}/${sample.name} in ${dir}: ${undeclared} of ${total} undeclared`);
    }
  }
  assert.deepEqual(undeclaredFacts(emptyAudit(), new Set()), { total: 0, undeclared: 0 });
});

test('a deduction is written as the score is: one number, or a range `a – b`, each bound signed', () => {
  assert.equal(deduction({ deducted: 0, deducted_max: 30 }), '0 – −30');
  assert.equal(deduction({ deducted: 10, deducted_max: 30 }), '−10 – −30');
  assert.equal(deduction({ deducted: 2.5, deducted_max: 2.5 }), '−2.5');
  assert.equal(deduction({ deducted: 10, deducted_max: null }), '−10 – −∞');
  // As the core writes it for fishmeal unanswered: "环境污染事故：0.00 至 −30.00".
  const rulebook = pkg.Rulebook.fromSource(fs.readFileSync(rulebookPath('fishmeal'), 'utf8'));
  const [d] = rulebook.score({ facts: {} }).deductions;
  assert.equal(deduction(d), '0 – −30');
  rulebook.free();
});
