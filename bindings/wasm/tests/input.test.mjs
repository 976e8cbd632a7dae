// Bad input at the binding: arguments and options of the wrong JavaScript
// type, and audit values JSON cannot hold. Each is a clear error that says
// where and what, never a crash, and the rulebook keeps working after it.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { SCORING, loadPackage } from './helpers.mjs';

let pkg;
let rulebook;

const BOOK = `rulebook inputs "输入" en "Inputs" {
  facts {
    n: number "数" en "n"
    h: quantity m "高" en "h"
    d: date "日" en "d"
    ok: bool "合格" en "ok"
    codes: list text "代码" en "codes"
  }
${SCORING}
  area A1 "甲" en "A" {
    clause C1 "数" en "n" points 5 {
      require n >= 1
    }
    clause C2 "合格" en "ok" points 5 {
      require ok
      fix "改" en "fix" within 30 days
    }
  }
}
`;

before(async () => {
  pkg = await loadPackage();
  rulebook = pkg.Rulebook.fromSource(BOOK, { name: 'inputs.eco' });
});

/** Asserts `f` throws an `EcoruleError` of `kind` whose message matches `re`; returns it. */
function ecoruleError(f, kind, re) {
  let error;
  assert.throws(f, (e) => {
    error = e;
    return true;
  });
  assert.equal(error.name, 'EcoruleError', `${error.name}: ${error.message}`);
  assert.equal(error.kind, kind, error.message);
  assert.match(error.message, re);
  return error;
}

/** Asserts the rulebook still scores after an error. */
function stillWorks() {
  assert.equal(rulebook.summary({ facts: { n: 2, ok: true } }).score_min, 10);
}

describe('a source that is not a string is a TypeError that says what was given', () => {
  const cases = [
    [123, /not a number \(123\)/],
    [0, /not a number \(0\)/],
    [1.5, /not a number \(1\.5\)/],
    [true, /not a boolean \(true\)/],
    [{}, /not an object/],
    [['a'], /not an array/],
    [null, /not null/],
    [undefined, /not undefined/],
    [Symbol('s'), /not a symbol/],
    [5n, /not a BigInt/],
    [new String('x'), /not a `String` object/],
  ];
  for (const [value, re] of cases) {
    test(String(typeof value === 'symbol' ? 'Symbol()' : Array.isArray(value) ? "['a']" : value), () => {
      assert.throws(
        () => pkg.Rulebook.fromSource(value),
        (e) => e instanceof TypeError && /`Rulebook\.fromSource`: the source must be a string/.test(e.message) && re.test(e.message),
      );
      stillWorks();
    });
  }
});

describe('options are checked, each error naming the option', () => {
  test('`name` must be a string', () => {
    assert.throws(() => pkg.Rulebook.fromSource(BOOK, { name: 5 }), (e) => e instanceof TypeError && /option `name` must be a string, not a number \(5\)/.test(e.message));
    assert.equal(pkg.Rulebook.fromSource(BOOK, { name: null }).id, 'inputs');
  });

  test('a module that is not a string is named', () => {
    assert.throws(() => pkg.Rulebook.fromSource(BOOK, { modules: [42] }), (e) => e instanceof TypeError && /module `module1\.eco` must be a string, not a number \(42\)/.test(e.message));
    assert.throws(() => pkg.Rulebook.fromSource(BOOK, { modules: { 'a.eco': {} } }), (e) => e instanceof TypeError && /module `a\.eco` must be a string, not an object/.test(e.message));
  });

  test('`modules` as a Map is refused, not read as no modules', () => {
    assert.throws(
      () => pkg.Rulebook.fromSource(BOOK, { modules: new Map([['a.eco', 'x']]) }),
      (e) => e instanceof TypeError && /option `modules` must be an array of sources or a plain object .*not a `Map` object/.test(e.message),
    );
  });

  test('a getter that throws in options is a TypeError with its message', () => {
    const options = {
      get modules() {
        throw new Error('boom');
      },
    };
    assert.throws(() => pkg.Rulebook.fromSource(BOOK, options), (e) => e instanceof TypeError && /reading option `modules` threw `Error: boom`/.test(e.message));
  });

  test("`strict: 'false'` is refused, not strict", () => {
    const audit = { facts: { n: 2, ok: true, extra: 1 } };
    for (const strict of ['false', 'true', 1, 0, {}]) {
      assert.throws(() => rulebook.score(audit, { strict }), (e) => e instanceof TypeError && /option `strict` must be a boolean, not /.test(e.message), String(strict));
      assert.throws(() => rulebook.summary(audit, { strict }), TypeError);
    }
    assert.match(rulebook.score(audit, { strict: false }).warnings[0], /extra/);
    assert.equal(rulebook.score(audit, { strict: undefined }).warnings.length, 1);
    assert.equal(rulebook.score(audit, {}).warnings.length, 1);
    assert.throws(() => rulebook.score(audit, { strict: true }), (e) => e.name === 'EcoruleError' && /extra/.test(e.message));
    assert.throws(() => rulebook.score(audit, 'strict'), (e) => e instanceof TypeError && /options must be an object, not the text "strict"/.test(e.message));
  });
});

describe('audit values JSON cannot hold are errors naming the fact', () => {
  for (const [value, given] of [
    [Infinity, /gives Infinity/],
    [-Infinity, /gives -Infinity/],
  ]) {
    test(`${value} as a number fact`, () => {
      const e = ecoruleError(() => rulebook.score({ facts: { n: value, ok: true } }), 'audit', given);
      assert.equal(e.fact.fact, 'n');
      assert.equal(e.errors.length, 1);
      ecoruleError(() => rulebook.summary({ facts: { h: { value, unit: 'm' } } }), 'audit', /fact `h`/);
      stillWorks();
    });
  }

  test('NaN is unknown, as in the Python binding (and as JSON writes it)', () => {
    const report = rulebook.score({ facts: { n: NaN, ok: true } });
    assert.ok(report.missing_facts.includes('n'));
    assert.deepEqual(report, rulebook.score({ facts: { n: null, ok: true } }));
  });

  test('a function or a symbol is an error naming the fact, also nested or in a list', () => {
    let e = ecoruleError(() => rulebook.score({ facts: { n: () => 1 } }), 'audit', /fact `n` .* gives a function/);
    assert.equal(e.fact.fact, 'n');
    assert.equal(e.fact.given, 'a function');
    e = ecoruleError(() => rulebook.score({ facts: { ok: Symbol('yes') } }), 'audit', /fact `ok` .* gives a symbol/);
    e = ecoruleError(() => rulebook.score({ facts: { stack: { height: () => 1 } } }), 'audit', /fact `stack\.height`/);
    e = ecoruleError(() => rulebook.score({ facts: { codes: ['a', Symbol('b')] } }), 'audit', /fact `codes` .* a symbol at `\[1\]`/);
    e = ecoruleError(() => rulebook.score({ audit: { date: () => 1 }, facts: { n: Symbol('x') } }), 'audit', /audit\.date/);
    assert.deepEqual(e.errors.map((x) => x.fact.fact), ['audit.date', 'n'], 'every bad value is reported');
    stillWorks();
  });

  test('a Map as the audit or as facts must be a plain object', () => {
    let e = ecoruleError(() => rulebook.score(new Map([['facts', { n: 1 }]])), 'audit', /an audit must be an object with .* not a `Map` object/);
    assert.equal(e.message_zh, '审核应为含 `audit` 与 `facts` 的对象，而非 `Map` 对象');
    e = ecoruleError(() => rulebook.score({ facts: new Map([['n', 1]]) }), 'audit', /fact `facts` .* a `Map` object/);
    assert.equal(e.fact.fact, 'facts');
    ecoruleError(() => rulebook.summary({ facts: { n: new Set([1]) } }), 'audit', /fact `n` .* a `Set` object/);
    class Answers {}
    ecoruleError(() => rulebook.summary({ facts: new Answers() }), 'audit', /a `Answers` object/);
    stillWorks();
  });

  test('objects without a prototype and undefined members are read as JSON reads them', () => {
    const facts = Object.create(null);
    facts.n = 2;
    facts.ok = true;
    facts.gone = undefined;
    const audit = Object.create(null);
    audit.facts = facts;
    assert.deepEqual(rulebook.score(audit), rulebook.score(JSON.stringify({ facts: { n: 2, ok: true } })));
  });

  test('a BigInt is an exact integer', () => {
    assert.deepEqual(rulebook.score({ facts: { n: 2n, ok: true } }), rulebook.score({ facts: { n: 2, ok: true } }));
    ecoruleError(() => rulebook.score({ facts: { ok: 1n } }), 'audit', /fact `ok` expects/);
  });

  test('text with a lone surrogate is an error naming the fact, not silently changed', () => {
    ecoruleError(() => rulebook.score({ facts: { codes: ['a\uD800'] } }), 'audit', /fact `codes` .*lone surrogate/);
  });

  test('a text given whole with a lone surrogate is refused, not turned into U+FFFD', () => {
    // A JS string may hold one; as Rust text it would become U+FFFD unsaid.
    const audit = '{"audit": {"date": "2024-05-20", "enterprise": {"name": "A\uD800B"}}, "facts": {}}';
    ecoruleError(() => rulebook.score(audit), 'audit', /the audit text holds a lone surrogate/);
    ecoruleError(() => pkg.parseAudit(audit, 'lone.json'), 'audit', /the audit text holds a lone surrogate/);
    const source = BOOK.replace('"输入"', '"输入\uDC00"');
    assert.notEqual(source, BOOK);
    assert.throws(() => pkg.Rulebook.fromSource(source), (e) => e instanceof TypeError && /the source holds a lone surrogate/.test(e.message));
    assert.throws(
      () => pkg.Rulebook.fromSource(BOOK, { modules: { 'm.eco': 'module m "\uD800" {\n}\n' } }),
      (e) => e instanceof TypeError && /module `m\.eco` holds a lone surrogate/.test(e.message),
    );
  });
});

describe('an audit given as an object is refused in Chinese too, as the same audit as JSON text is', () => {
  /** The first error's English and Chinese (never missing) when `audit` is scored. */
  function said(audit) {
    let e;
    assert.throws(() => rulebook.score(audit), (thrown) => {
      e = thrown;
      return thrown.name === 'EcoruleError';
    });
    assert.equal(typeof e.message_zh, 'string', `no Chinese for: ${e.message}`);
    assert.equal(e.errors[0].message_zh, e.message_zh);
    return [e.message, e.message_zh];
  }

  /** `said` of `audit` as an object and as its JSON text. */
  function bothWays(audit) {
    return [said(audit), said(JSON.stringify(audit))];
  }

  test('a value over a size limit, nesting too deep and an audit that is not an object say the same', () => {
    const long = { audit: { enterprise: { name: '鱼'.repeat(24000) } }, facts: {} };
    let [object, text] = bothWays(long);
    assert.deepEqual(object, text);
    assert.equal(object[1], '数据项 `enterprise.name` 应为至多 65536 字节的文本，但审核给出 72000 字节的文本');
    let notes = 1;
    for (let i = 0; i < 70; i += 1) notes = [notes];
    [object, text] = bothWays({ facts: { n: 2, notes } });
    assert.deepEqual(object, text);
    assert.match(object[1], /^审核中对象与列表的嵌套超过 64 层的上限，位于 `facts\.notes\[0\]\[0\]/);
    const many = { facts: { levels: Array.from({ length: 1_000_001 }, () => 1) } };
    [object, text] = bothWays(many);
    assert.deepEqual(object, text);
    assert.equal(object[1], '审核所含的值超过 1000000 个的上限');
    assert.deepEqual(said(new Map()), ['an audit must be an object with `audit` and `facts`, not a `Map` object', '审核应为含 `audit` 与 `facts` 的对象，而非 `Map` 对象']);
    assert.deepEqual(said(undefined), ['an audit must be an object with `audit` and `facts`, not undefined', '审核应为含 `audit` 与 `facts` 的对象，而非 undefined']);
    assert.equal(said('{"facts": {"n": "\uD800"}}')[1], '审核文本含孤立的代理项（UTF-16 代理对的一半），不是有效的 Unicode');
    assert.equal(said('{')[1], '审核不是有效的 JSON：EOF while parsing an object（第 1 行第 2 列）');
  });

  test('a value JSON cannot hold names its fact in Chinese', () => {
    const cyclic = { facts: {} };
    cyclic.facts.self = cyclic;
    class Answers {}
    const cases = [
      [{ facts: { n: () => 1 } }, '数据项 `n` 应为文本、数值、布尔值、null、列表、普通对象或 `Date`，但审核给出 函数'],
      [{ facts: { n: new Map() } }, '数据项 `n` 应为文本、数值、布尔值、null、列表、普通对象或 `Date`，但审核给出 `Map` 对象'],
      [{ facts: { n: new Answers() } }, '数据项 `n` 应为文本、数值、布尔值、null、列表、普通对象或 `Date`，但审核给出 `Answers` 对象'],
      [{ facts: { d: new Date(NaN) } }, '数据项 `d` 应为有效的 `Date`，但审核给出 无效的 `Date`'],
      [cyclic, '数据项 `self` 应为文本、数值、布尔值、null、列表、普通对象或 `Date`，但审核给出 包含自身的对象（循环）'],
      [{ facts: { codes: ['a', 'b\uD800'] } }, '数据项 `codes` 应为文本、数值、布尔值、null、列表、普通对象或 `Date`，但审核给出 含孤立代理项、不是有效 Unicode 的文本（位于 `[1]`）'],
      [{ facts: { get ok() { throw new RangeError('no'); } } }, '数据项 `ok` 应为文本、数值、布尔值、null、列表、普通对象或 `Date`，但审核给出 抛出 `RangeError: no` 的取值方法'],
    ];
    for (const [audit, zh] of cases) assert.equal(said(audit)[1], zh);
    stillWorks();
  });

  test('parseAudit refuses the nesting score refuses, and takes what score takes', () => {
    const nested = (lists) => `{"facts": {"n": 2, "ok": true, "notes": ${'['.repeat(lists)}1${']'.repeat(lists)}}}`;
    // The audit, `facts`, then 62 lists: 64 objects and lists, the limit.
    const deepest = pkg.parseAudit(nested(62), 'deep.json');
    assert.equal(rulebook.summary(deepest).score_min, 10);
    assert.equal(rulebook.summary(nested(62)).score_min, 10);
    const e = ecoruleError(() => pkg.parseAudit(nested(63), 'deep.json'), 'audit_too_large', /more than the limit of 64 deep/);
    assert.deepEqual([e.message, e.message_zh], said(JSON.parse(nested(63))));
    ecoruleError(() => pkg.parseAudit(nested(200)), 'audit_too_large', /more than the limit of 64 deep$/);
  });
});

describe('conversion errors say what went wrong', () => {
  test('a getter that throws: its message and the fact', () => {
    const facts = {
      n: 2,
      get ok() {
        throw new RangeError('no answer yet');
      },
    };
    const e = ecoruleError(() => rulebook.score({ facts }), 'audit', /fact `ok` .*a getter that threw `RangeError: no answer yet`/);
    assert.equal(e.fact.fact, 'ok');
    stillWorks();
  });

  test('a cycle names where it is', () => {
    const cyclic = { facts: { n: 1 } };
    cyclic.facts.self = cyclic;
    ecoruleError(() => rulebook.score(cyclic), 'audit', /fact `self` .* contains itself \(a cycle\)/);
    stillWorks();
  });

  test('10,000-deep nesting is a size error, not a stack overflow', () => {
    let deep = 1;
    for (let i = 0; i < 10000; i += 1) deep = { a: deep };
    ecoruleError(() => rulebook.score({ facts: { deep } }), 'audit_too_large', /more than the limit of 64 deep, at `facts\.deep\.a\.a/);
    let list = [];
    for (let i = 0; i < 10000; i += 1) list = [list];
    ecoruleError(() => rulebook.summary({ facts: { codes: list } }), 'audit_too_large', /more than the limit of 64 deep/);
    stillWorks();
  });

  test('an array longer than the value limit is refused before it is read', () => {
    const huge = [];
    huge.length = 2 ** 32 - 1;
    ecoruleError(() => rulebook.score({ facts: { codes: huge } }), 'audit_too_large', /more than the limit of 1000000 values/);
    stillWorks();
  });

  test('an object of more keys than the value limit is refused before it is read', () => {
    const facts = {};
    // Its first value is a getter: reading the object's values first (which took about 10 s) would call it.
    let read = false;
    Object.defineProperty(facts, 'f0', { enumerable: true, get: () => ((read = true), 1) });
    for (let i = 1; i <= 1_000_000; i += 1) facts[`f${i}`] = 1;
    const e = ecoruleError(() => rulebook.score({ facts }), 'audit_too_large', /more than the limit of 1000000 values/);
    assert.equal(read, false, 'no value was read');
    assert.equal(e.message_zh, '审核所含的值超过 1000000 个的上限');
    stillWorks();
  });

  test('a revoked proxy is an error, not an exception through the binding', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    ecoruleError(() => rulebook.score({ facts: { n: proxy } }), 'audit', /fact `n`/);
    stillWorks();
  });
});

describe('audit text and whole audits that cannot be read', () => {
  test('a text over the length limit is an audit_too_large error naming its fact; the rest still scores without it', () => {
    const long = 'x'.repeat((64 << 10) + 1);
    const e = ecoruleError(() => rulebook.score({ facts: { n: 2, ok: true, codes: [long] } }), 'audit_too_large', /at most 65536 bytes.*65537 bytes/);
    assert.equal(e.fact.fact, 'codes');
    assert.equal(e.errors.length, 1);
    const meta = ecoruleError(() => rulebook.score({ audit: { enterprise: { name: long } }, facts: { n: 2, ok: true } }), 'audit_too_large', /fact `enterprise\.name`/);
    assert.equal(meta.fact.fact, 'enterprise.name');
    assert.equal(rulebook.score({ audit: { enterprise: { name: 'x'.repeat(64 << 10) } } }).audit.enterprise_name.length, 64 << 10, 'the limit itself is accepted');
    stillWorks();
  });

  test('bad JSON text has the line and column its message names in `line` and `column`', () => {
    for (const [text, line] of [
      ['{"facts": {"n": 1,}}', 1],
      ['{\n  "facts": {\n    "ok": tru }\n}', 3],
      ['\uFEFF{\n  "audit": {"enterprise": {"name": "鱼粉厂"}}, "facts": {"n": 1 "ok": true}}', 2],
    ]) {
      const e = ecoruleError(() => rulebook.score(text), 'audit', /not valid JSON/);
      const [, atLine, atColumn] = /at line (\d+) column (\d+)/.exec(e.message);
      assert.equal(e.line, line, text);
      assert.equal(e.line, Number(atLine));
      assert.equal(typeof e.column, 'number');
      assert.equal(e.errors[0].line, e.line);
      assert.equal(e.errors[0].column, e.column);
      // Both count characters (the JSON reader's own count is of bytes).
      assert.equal(e.column, Number(atColumn), text);
    }
    stillWorks();
  });

  test('an audit that is undefined or null is said to be so', () => {
    ecoruleError(() => rulebook.score(undefined), 'audit', /not undefined$/);
    ecoruleError(() => rulebook.score(), 'audit', /not undefined$/);
    ecoruleError(() => rulebook.summary(null), 'audit', /not null$/);
    stillWorks();
  });
});

test('moduleId tells a module from a rulebook as the core does', () => {
  assert.equal(pkg.moduleId('\uFEFF// GB 14554\n\nmodule gb14554 "恶臭" {'), 'gb14554');
  assert.equal(pkg.moduleId('rulebook fishmeal "鱼粉" {'), undefined);
  assert.equal(pkg.moduleId('modules x'), undefined, 'a word that starts with `module` is not one');
  assert.throws(() => pkg.moduleId(7), (e) => e instanceof TypeError && /`moduleId`: the text must be a string, not/.test(e.message));
});

describe('parseAudit reads audit JSON text as `ecorule score` reads a file', () => {
  test('its value is what JSON.parse gives, and scores as the text does', () => {
    const text = '\uFEFF{"audit": {"id": "T", "date": "2024-05-20"}, "facts": {"n": 2, "ok": true, "codes": ["a"]}}';
    const parsed = pkg.parseAudit(text, 'a.json');
    assert.deepEqual(parsed, JSON.parse(text.slice(1)));
    assert.deepEqual(rulebook.score(parsed), rulebook.score(text));
    assert.deepEqual(pkg.parseAudit('[1, null]'), [1, null], 'whether it is an audit is for score to say');
  });

  test('malformed JSON names the file, the line and the column', () => {
    const e = ecoruleError(() => pkg.parseAudit('{"facts": {\n  "n": 2 m}}', 'broken.json'), 'audit', /not valid JSON/);
    assert.deepEqual([e.source, e.line, e.column], ['broken.json', 2, 10]);
    assert.match(e.rendered, /broken\.json:2:10/);
    assert.equal(ecoruleError(() => pkg.parseAudit('{'), 'audit', /not valid JSON/).source, 'audit', 'unnamed, it is the audit');
    ecoruleError(() => pkg.parseAudit(' \n'), 'audit', /the audit is empty/);
  });

  test('what JSON.parse lets through and the core does not is refused too', () => {
    // JSON.parse keeps the last of a key given twice.
    ecoruleError(() => pkg.parseAudit('{"facts": {"n": 1, "n": 2}}', 'twice.json'), 'audit', /duplicate key `n`/);
    // JSON.parse takes a lone surrogate; a Rust string cannot hold one.
    ecoruleError(() => pkg.parseAudit('{"facts": {"n": "\\ud800"}}', 'lone.json'), 'audit', /hex escape/);
  });

  test('the size limits are for score to say, naming the fact', () => {
    const long = 'x'.repeat((64 << 10) + 1);
    const parsed = pkg.parseAudit(JSON.stringify({ facts: { n: 2, ok: true, codes: [long] } }), 'long.json');
    assert.equal(parsed.facts.codes[0], long);
    assert.equal(ecoruleError(() => rulebook.score(parsed), 'audit_too_large', /65537 bytes/).fact.fact, 'codes');
  });

  test('a text or a name that is not a string is a TypeError', () => {
    assert.throws(() => pkg.parseAudit(42), (e) => e instanceof TypeError && /not a number/.test(e.message));
    assert.throws(() => pkg.parseAudit('{}', 7), (e) => e instanceof TypeError && /name must be a string/.test(e.message));
    assert.deepEqual(pkg.parseAudit('{}', null), {});
  });
});

describe('a Date is the local calendar day', () => {
  const DATES = `rulebook dates "日期" en "Dates" {
  facts {
    d: date "日" en "d"
  }
${SCORING}
  area A1 "甲" en "A" {
    clause C1 "日" en "d" points 10 {
      require d >= audit.date
      fix "改" en "fix" within 30 days
    }
  }
}
`;
  // Midnight is the day before in UTC east of Greenwich; late evening is the day after west of it.
  const zones = ['Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati', 'UTC'];
  const times = [
    [0, 0],
    [12, 0],
    [23, 30],
  ];
  for (const zone of zones) {
    test(zone, () => {
      const saved = process.env.TZ;
      process.env.TZ = zone;
      try {
        const dates = pkg.Rulebook.fromSource(DATES);
        const expected = dates.score({ audit: { date: '2024-09-12' }, facts: { d: '2024-09-12' } });
        assert.equal(expected.areas[0].clauses[0].status, 'pass');
        for (const [hour, minute] of times) {
          const day = new Date(2024, 8, 12, hour, minute);
          const at = `${hour}:${minute}`;
          assert.deepEqual(dates.score({ audit: { date: day }, facts: { d: '2024-09-12' } }), expected, `audit.date at ${at}`);
          assert.deepEqual(dates.score({ audit: { date: '2024-09-12' }, facts: { d: day } }), expected, `fact at ${at}`);
          assert.deepEqual(dates.score({ audit: { date: day }, facts: { d: day } }), expected, `both at ${at}`);
        }
        assert.equal(dates.score({ audit: { date: new Date(2024, 8, 12) } }).audit.date, '2024-09-12');
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });
  }

  test('an invalid Date is an error naming the fact', () => {
    let e = ecoruleError(() => rulebook.score({ facts: { d: new Date('nope') } }), 'audit', /fact `d` .*an invalid `Date`/);
    assert.equal(e.fact.fact, 'd');
    e = ecoruleError(() => rulebook.score({ audit: { date: new Date(NaN) } }), 'audit', /fact `audit\.date`/);
    stillWorks();
  });
});

describe('the deepest expressions the limits admit', () => {
  // The core walks expressions recursively in every stage after the
  // parser; its limits (expressions 256 levels deep, brackets and calls
  // 64) keep that within the 1 MiB stack WASM gives a module. A native
  // test runs the same rulebook in a thread of that stack; this runs it in
  // the module itself, where frames are of another size.
  // `scripts/stack.sh` runs these tests with smaller stacks: they need
  // between 192 and 256 KiB (2026-12-03).
  const DEPTH = 256;
  const CALLS = 64 - 3; // the clause's braces are three levels already

  /** `x op x op …`, `terms` of them: `terms` levels deep. */
  const chain = (x, op, terms) => Array(terms).fill(x).join(op);

  /** The rulebook of `hostile.rs`'s `deepest_rulebook`, `over` levels past the limits. */
  function deepest(over) {
    const deep = DEPTH + over;
    const lets = [];
    for (let i = deep - 2; i >= 1; i -= 1) lets.push(`  let a${i} = a${i - 1} + 1\n`);
    const conditions = [
      `${chain('x', ' + ', deep - 1)} > 0`,
      chain('b', ' and ', deep),
      `a${deep - 2} > 0`,
      `d${' + 1 d'.repeat(deep - 2)} > 2000-01-01`,
      `${'abs('.repeat(CALLS)}${chain('x', ' + ', deep - CALLS - 1)}${')'.repeat(CALLS)} > 0`,
    ];
    const clauses = conditions
      .map((c, i) => `    clause C${i} "c" points 1 { when b require ${c} partial 0.5 when ${c} }\n`)
      .join('');
    return `rulebook t "t" {
  facts { x: number "x" b: bool "b" d: date "d" }
  let a0 = x
${lets.join('')}  scoring {
    scale 5
    grade a "a" when ${chain('score', ' + ', deep - 1)} > 0
    grade z "z" otherwise
    verdict v "v" otherwise
    deduct n "n" 1 per ${chain('x', ' * ', deep)} max 1
  }
  area A "a" {
${clauses}  }
}
`;
  }

  test('compile, score, summarise and render in the module', () => {
    const book = pkg.Rulebook.fromSource(deepest(0), { name: 'deep.eco' });
    const known = { audit: { date: '2024-05-20' }, facts: { x: 1, b: true, d: '2024-01-01' } };
    const report = book.score(known);
    assert.equal(report.score, 4, 'every clause passes and the deduction takes its point');
    assert.deepEqual(report.areas[0].clauses.map((c) => c.status), Array(5).fill('pass'));
    assert.equal(book.summary(known).score_min, 4);
    // `b` and `d` unknown: the general evaluation, trying both values of `b`.
    const open = book.summary({ facts: { x: 1 } });
    assert.ok(open.score_min < open.score_max, JSON.stringify(open));
    for (const format of ['text', 'markdown', 'html']) {
      assert.match(book.render({ facts: { x: 1 } }, format), /C4/, format);
    }
    assert.equal(book.questionnaire().sections.flatMap((s) => s.questions).length, 3);
    assert.equal(book.auditSchema().type, 'object');
    book.free();
  });

  test('one level past them is an error where it is, not a crash', () => {
    assert.throws(
      () => pkg.Rulebook.fromSource(deepest(1), { name: 'deeper.eco' }),
      (e) => e.name === 'EcoruleError' && e.errors.length > 0 && e.errors.every((x) => x.kind === 'too_deep'),
    );
    // The module still works.
    assert.equal(pkg.Rulebook.fromSource(deepest(0), { name: 'deep.eco' }).summary({ facts: { x: 1, b: true, d: '2024-01-01' } }).score_min, 4);
  });
});
