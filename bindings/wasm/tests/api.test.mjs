// The JS API in Node: every bundled sample audit scores to exactly the
// JSON the CLI prints for it; errors are structured; options work.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { RULES, cliPage, cliSchema, cliScore, loadPackage, rulebookPath, sampleAudits } from './helpers.mjs';

let pkg;
const compiled = new Map();

/** `sha256:` and the hex SHA-256 of text or bytes, as `sha256sum` prints it. */
const sha256 = (data) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function rulebookFor(dir) {
  if (!compiled.has(dir)) {
    const file = rulebookPath(dir);
    compiled.set(dir, pkg.Rulebook.fromSource(fs.readFileSync(file, 'utf8'), { name: path.basename(file) }));
  }
  return compiled.get(dir);
}

before(async () => {
  pkg = await loadPackage();
});

const samples = sampleAudits();

test('there are bundled sample audits to compare', () => {
  assert.ok(samples.length >= 20, `found only ${samples.length} sample audits`);
  for (const dir of ['fishmeal', 'green-ship-repair', 'hazardous-waste']) {
    assert.ok(samples.some((s) => s.dir === dir), `no sample audits for ${dir}`);
  }
});

describe('score equals the CLI', () => {
  for (const sample of samples) {
    test(`${sample.dir}/${sample.name}`, () => {
      const expected = cliScore(rulebookPath(sample.dir), sample.file);
      const text = fs.readFileSync(sample.file, 'utf8');
      const rulebook = rulebookFor(sample.dir);
      assert.deepEqual(rulebook.score(JSON.parse(text)), expected, 'audit given as an object');
      assert.deepEqual(rulebook.score(text), expected, 'audit given as JSON text');
      const summary = rulebook.summary(JSON.parse(text));
      assert.equal(summary.score_min, expected.score_min);
      assert.equal(summary.score_max, expected.score_max);
      assert.equal(summary.grade, expected.grade);
      assert.equal(summary.grade_best, expected.grade_best);
      assert.equal(summary.verdict, expected.verdict);
      assert.equal(summary.verdict_best, expected.verdict_best);
      assert.equal(summary.determined, expected.determined);
      assert.deepEqual(summary.vetoes, expected.vetoes);
    });
  }
});

describe('render draws the pages the CLI prints', () => {
  for (const sample of samples.filter((s) => s.dir === 'fishmeal')) {
    test(`${sample.dir}/${sample.name}`, () => {
      const file = rulebookPath(sample.dir);
      const rulebook = rulebookFor(sample.dir);
      const audit = fs.readFileSync(sample.file, 'utf8');
      assert.equal(rulebook.render(audit, 'text'), cliPage(file, sample.file, 'text'));
      assert.equal(`${rulebook.render(audit, 'markdown')}\n`, cliPage(file, sample.file, 'markdown'));
      const html = rulebook.render(JSON.parse(audit), 'html');
      assert.equal(html, cliPage(file, sample.file, 'html'));
      assert.ok(html.includes(rulebook.render(audit, 'html_fragment')));
    });
  }

  for (const name of ['b_good_partial', 'g_self_assessment_partial']) {
    test(`fishmeal/${name} in Chinese and in English`, () => {
      const file = rulebookPath('fishmeal');
      const rulebook = rulebookFor('fishmeal');
      const auditFile = path.join(RULES, 'fishmeal', 'audits', `${name}.json`);
      const audit = fs.readFileSync(auditFile, 'utf8');
      for (const lang of ['zh', 'en']) {
        assert.equal(rulebook.render(audit, 'text', { lang }), cliPage(file, auditFile, 'text', lang), lang);
        assert.equal(`${rulebook.render(audit, 'markdown', { lang })}\n`, cliPage(file, auditFile, 'markdown', lang));
        assert.equal(rulebook.render(audit, 'html', { lang }), cliPage(file, auditFile, 'html', lang));
      }
      assert.equal(rulebook.render(audit, 'text', { lang: 'both' }), rulebook.render(audit, 'text'));
      assert.ok(rulebook.render(audit, 'text', { lang: 'zh' }).includes('得分 '));
    });
  }

  test('another language is a TypeError naming the choices', () => {
    const rulebook = rulebookFor('fishmeal');
    const audit = fs.readFileSync(samples.find((s) => s.dir === 'fishmeal').file, 'utf8');
    for (const lang of ['fr', 'zh-CN', 3, true]) {
      assert.throws(() => rulebook.render(audit, 'text', { lang }), {
        name: 'TypeError',
        message: /option `lang` must be 'both', 'zh' or 'en'/,
      });
    }
  });

  test('another format is a TypeError, a bad audit the error score gives', () => {
    const rulebook = rulebookFor('fishmeal');
    const audit = fs.readFileSync(samples.find((s) => s.dir === 'fishmeal').file, 'utf8');
    for (const format of ['pdf', undefined, 3]) {
      assert.throws(() => rulebook.render(audit, format), TypeError, String(format));
    }
    const bad = { audit: { date: '2024-13-01' }, facts: {} };
    assert.throws(() => rulebook.render(bad, 'html'), { name: 'EcoruleError', kind: 'audit' });
    assert.throws(() => rulebook.render(audit, 'html', { strict: 'yes' }), TypeError);
  });
});

test('warnings name the facts nothing reads and the lets nothing uses', () => {
  const source = `rulebook u "未用" {
  facts {
    x: bool "x"
    y: bool "y"
  }
  let z = 1
  scoring { scale 1 grade ok "合格" otherwise verdict standardize otherwise }
  area A "区" { clause C "c" points 1 { require x } }
}`;
  const warnings = pkg.Rulebook.fromSource(source, { name: 'u.eco' }).warnings();
  assert.deepEqual(
    warnings.map((w) => [w.kind, w.message, w.line, w.column]),
    [
      ['unused', 'fact `y` is declared but nothing reads it', 4, 5],
      ['unused', '`z` is defined but nothing uses it', 6, 7],
    ],
  );
  assert.ok(warnings[0].rendered.startsWith('Warning: '));
  assert.deepEqual([...new Set(warnings.map((w) => w.severity))], ['warning']);
  assert.deepEqual(rulebookFor('fishmeal').warnings(), []);
});

describe('rulebook description', () => {
  for (const dir of ['fishmeal', 'green-ship-repair', 'hazardous-waste']) {
    test(`${dir}: info, questionnaire and audit schema`, () => {
      const rulebook = rulebookFor(dir);
      const info = rulebook.info();
      assert.equal(info.id, rulebook.id);
      assert.equal(info.hash, rulebook.hash);
      assert.equal(info.hash, sha256(fs.readFileSync(rulebookPath(dir))));
      for (const m of info.modules) {
        assert.equal(m.hash, sha256(fs.readFileSync(path.join(RULES, 'standards', `${m.id}.eco`))), m.id);
      }
      assert.ok(info.title && info.title_en);
      assert.ok(info.verdicts.length > 0 && info.grades.length > 0);

      const q = rulebook.questionnaire();
      assert.equal(q.id, info.id);
      assert.deepEqual(q.label, { zh: info.title, en: info.title_en });
      const asked = q.sections.flatMap((s) => s.questions.map((x) => x.name));
      assert.deepEqual([...asked].sort(), info.facts.map((f) => f.name).sort(), 'every fact asked once');
      const clauses = new Map(info.areas.flatMap((a) => a.clauses.map((c) => [c.id, c])));
      for (const question of q.sections.flatMap((s) => s.questions)) {
        assert.ok(question.label.zh, `${question.name} has a Chinese label`);
        assert.deepEqual(question.feeds.map((c) => c.id), question.clauses);
        for (const c of question.feeds) assert.deepEqual(c, clauses.get(c.id));
        if (question.type === 'enum') assert.ok(question.options.length > 0);
        if (question.type === 'quantity') assert.ok(question.unit, `${question.name} has a unit`);
      }

      // The same JSON Schema as `ecorule schema`.
      assert.deepEqual(rulebook.auditSchema(), cliSchema(rulebookPath(dir)));
    });
  }
});

const TINY = `rulebook tiny "小" en "Tiny" {
  facts {
    stack.height: quantity m "排气筒高度" en "stack height"
    ok: bool "合格" en "ok"
  }
  scoring {
    scale 10
    grade good "好" en "good" when score >= 6
    grade bad "差" en "bad" otherwise
    verdict rectify "整治" en "rectify" when vetoed
    verdict standardize "规范" en "standardize" otherwise
  }
  area A1 "废气" en "Air" {
    clause C1 "排气筒高度" en "Stack height" points 5 {
      require stack.height >= 15 m
      fix "加高排气筒" en "raise the stack" within 30 days
    }
    clause C2 "合格" en "OK" points 5 veto {
      require ok
    }
  }
}
`;

describe('errors are structured', () => {
  test('a syntax error has kind, line, column, snippet and a rendering', () => {
    const broken = TINY.replace('points 5 veto {', 'points 5 veto {{');
    const line = broken.split('\n').findIndex((l) => l.includes('veto {{')) + 1;
    assert.throws(
      () => pkg.Rulebook.fromSource(broken, { name: 'broken.eco' }),
      (e) => {
        assert.ok(e instanceof Error);
        assert.equal(e.name, 'EcoruleError');
        assert.equal(e.kind, 'syntax');
        assert.equal(e.line, line);
        assert.equal(typeof e.column, 'number');
        assert.equal(e.snippet, broken.split('\n')[line - 1]);
        assert.equal(e.source, 'broken.eco');
        assert.match(e.rendered, new RegExp(`broken\\.eco:${line}:${e.column}`));
        assert.ok(e.rendered.includes(e.snippet.trim()));
        assert.ok(Array.isArray(e.errors) && e.errors.length >= 1);
        assert.equal(e.errors[0].message, e.message);
        assert.equal(e.errors[0].line, e.line);
        return true;
      },
    );
  });

  test('every check error is reported, each with its line', () => {
    const broken = TINY.replace('require stack.height >= 15 m', 'require stack.height >= 15 kg').replace('require ok', 'require nope');
    assert.throws(
      () => pkg.Rulebook.fromSource(broken),
      (e) => {
        assert.equal(e.name, 'EcoruleError');
        assert.ok(e.errors.length >= 2, JSON.stringify(e.errors.map((x) => x.message)));
        const kinds = e.errors.map((x) => x.kind);
        assert.ok(kinds.includes('unit'), kinds.join());
        assert.ok(kinds.includes('unknown_name'), kinds.join());
        for (const x of e.errors) {
          assert.equal(typeof x.line, 'number');
          assert.ok(e.rendered.includes(x.rendered.trim().split('\n')[0]));
        }
        assert.match(e.rendered, /rulebook\.eco:\d+:\d+/);
        return true;
      },
    );
  });

  test('an audit error names the fact, what was expected and what was given', () => {
    const rulebook = pkg.Rulebook.fromSource(TINY);
    assert.throws(
      () => rulebook.score({ facts: { 'stack.height': '12 kg', ok: 'yes' } }),
      (e) => {
        assert.equal(e.name, 'EcoruleError');
        assert.equal(e.kind, 'audit');
        assert.equal(e.line, null);
        assert.equal(e.column, null);
        assert.equal(e.errors.length, 2);
        const facts = e.errors.map((x) => x.fact.fact).sort();
        assert.deepEqual(facts, ['ok', 'stack.height']);
        assert.equal(e.fact.fact, e.errors[0].fact.fact);
        assert.ok(e.fact.expected && e.fact.given);
        assert.ok(e.rendered.includes(e.message));
        // In Chinese too, for the first error and each of them.
        assert.equal(e.message_zh, e.errors[0].message_zh);
        const zh = Object.fromEntries(e.errors.map((x) => [x.fact.fact, x.message_zh]));
        assert.equal(zh['stack.height'], '数据项 `stack.height` 应为以 m 计的量，但审核给出 12 kg（质量）');
        assert.equal(zh.ok, '数据项 `ok` 应为是或否（true 或 false），但审核给出 "yes"');
        assert.equal(e.expected_zh, e.errors[0].expected_zh);
        const expected = Object.fromEntries(e.errors.map((x) => [x.fact.fact, x.expected_zh]));
        assert.deepEqual(expected, { 'stack.height': '以 m 计的量', ok: '是或否（true 或 false）' });
        return true;
      },
    );
  });

  test('bad JSON text and values JSON cannot hold are audit errors', () => {
    const rulebook = pkg.Rulebook.fromSource(TINY);
    assert.throws(() => rulebook.score('{"facts": '), (e) => e.name === 'EcoruleError' && e.kind === 'audit');
    assert.throws(() => rulebook.score({ facts: { ok: 1n } }), (e) => e.name === 'EcoruleError' && e.kind === 'audit');
    const cyclic = { facts: {} };
    cyclic.facts.self = cyclic;
    assert.throws(() => rulebook.score(cyclic), (e) => e.name === 'EcoruleError' && e.kind === 'audit');
    assert.throws(() => rulebook.score(42), (e) => e.name === 'EcoruleError' && e.kind === 'audit');
  });

  test('a module given instead of a rulebook is an error with a line', () => {
    const text = fs.readFileSync(path.join(RULES, 'standards/gb12348.eco'), 'utf8');
    assert.throws(
      () => pkg.Rulebook.fromSource(text, { name: 'gb12348.eco' }),
      (e) => e.name === 'EcoruleError' && typeof e.line === 'number' && /module/.test(e.message),
    );
  });

  test('bad options are TypeErrors', () => {
    assert.throws(() => pkg.Rulebook.fromSource(TINY, { modules: 'nope' }), TypeError);
    assert.throws(() => pkg.Rulebook.fromSource(TINY, { modules: [42] }), TypeError);
    assert.throws(() => pkg.Rulebook.fromSource(TINY, 'nope'), TypeError);
  });
});

describe('scoring', () => {
  test('unanswered facts give a score range and a provisional verdict', () => {
    const rulebook = pkg.Rulebook.fromSource(TINY);
    const report = rulebook.score({ audit: { date: '2024-05-20' }, facts: { 'stack.height': '12 m' } });
    assert.equal(report.schema, pkg.reportSchema());
    assert.equal(report.score, null);
    assert.equal(report.score_min, 0);
    assert.equal(report.score_max, 5);
    assert.equal(report.determined, false);
    assert.deepEqual(report.verdict_label, { zh: '整治', en: 'rectify' });
    assert.equal(report.verdict_best, 'standardize');
    assert.deepEqual(report.missing_facts, ['ok']);
    assert.equal(report.rectification[0].fix.deadline, '2024-06-19');
  });

  test('undefined values are unanswered; nested facts and quantity objects are read', () => {
    const rulebook = pkg.Rulebook.fromSource(TINY);
    const flat = rulebook.score({ facts: { 'stack.height': '1800 cm', ok: true, other: undefined } });
    const nested = rulebook.score({ facts: { stack: { height: { value: 18, unit: 'm' } }, ok: true } });
    assert.equal(flat.score, 10);
    assert.deepEqual(nested, flat);
  });

  test('strict mode makes undeclared facts errors', () => {
    const rulebook = pkg.Rulebook.fromSource(TINY);
    const audit = { facts: { ok: true, 'stack.height': 20, extra: 1 } };
    assert.equal(rulebook.score(audit).warnings.length, 1);
    assert.throws(() => rulebook.score(audit, { strict: true }), (e) => e.kind === 'audit' && /extra/.test(e.message));
  });

  test('extra modules, as an array or by file name', () => {
    const mod = 'module tinylim "限值" en "Limits" {\n  const min_height = 20 m\n}\n';
    const book = TINY.replace('rulebook tiny "小" en "Tiny" {', 'rulebook tiny "小" en "Tiny" {\n  use tinylim').replace(
      'require stack.height >= 15 m',
      'require stack.height >= tinylim.min_height',
    );
    assert.throws(() => pkg.Rulebook.fromSource(book), (e) => e.name === 'EcoruleError');
    const a = pkg.Rulebook.fromSource(book, { modules: [mod] });
    const b = pkg.Rulebook.fromSource(book, { modules: { 'tinylim.eco': mod } });
    assert.equal(a.hash, b.hash);
    assert.deepEqual(a.info().modules, [{ id: 'tinylim', hash: sha256(mod) }]);
    assert.deepEqual(b.info().modules, a.info().modules);
    assert.equal(a.score({ facts: { 'stack.height': '18 m', ok: true } }).areas[0].clauses[0].status, 'fail');
    assert.equal(b.score({ facts: { 'stack.height': '21 m', ok: true } }).areas[0].clauses[0].status, 'pass');
    const broken = 'module tinylim "限值" {\n  const = 20 m\n}\n';
    assert.throws(
      () => pkg.Rulebook.fromSource(book, { modules: { 'tinylim.eco': broken } }),
      (e) => e.errors.some((x) => x.source === 'tinylim.eco' && x.line === 2),
    );
  });

  test('the bundled standard modules are always available', () => {
    const text = fs.readFileSync(rulebookPath('fishmeal'), 'utf8');
    assert.equal(pkg.Rulebook.fromSource(text).hash, rulebookFor('fishmeal').hash);
    assert.match(pkg.version(), /^\d+\.\d+\.\d+/);
  });
});
