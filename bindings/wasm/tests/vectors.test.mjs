// The golden test vectors of tests/vectors/ (see its README.md) in Node.
//
// Each case compiles `rulebook.eco` with the other `*.eco` files of its
// folder as modules and scores the text of `audit.json`. A report must
// equal the bytes of `expected.json` when written as
// `JSON.stringify(report, null, 2) + "\n"` (the CLI's pretty JSON and final
// newline), and the parsed object deeply; the audit is given both as JSON
// text and as the object `JSON.parse` gives. An error case compares the
// first error's stage, kind, message, message_zh and fact with `expected_error.json`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { ROOT, loadPackage } from './helpers.mjs';

const VECTORS = path.join(ROOT, 'tests/vectors');
const CASES = fs
  .readdirSync(VECTORS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

let pkg;

before(async () => {
  pkg = await loadPackage();
});

const read = (file) => fs.readFileSync(file, 'utf8');

/** Every `*.eco` of the case but `rulebook.eco`, by file name. */
function modules(dir) {
  const out = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.eco') && f !== 'rulebook.eco').sort()) {
    out[f] = read(path.join(dir, f));
  }
  return out;
}

function scoreOptions(dir) {
  const file = path.join(dir, 'options.json');
  return { strict: fs.existsSync(file) && JSON.parse(read(file)).strict === true };
}

/** The first error as the vectors record it. */
function errorJson(stage, e) {
  assert.equal(e.name, 'EcoruleError', `not an EcoruleError: ${e}`);
  return { stage, kind: e.kind, message: e.message, message_zh: e.message_zh ?? null, fact: e.fact ?? null };
}

test('there are enough vectors', () => {
  assert.ok(CASES.length >= 30, `only ${CASES.length} cases in ${VECTORS}`);
});

describe('vectors', () => {
  for (const name of CASES) {
    test(name, () => {
      const dir = path.join(VECTORS, name);
      const expected = path.join(dir, 'expected.json');
      const expectedError = path.join(dir, 'expected_error.json');
      assert.notEqual(fs.existsSync(expected), fs.existsSync(expectedError), 'needs exactly one of expected.json, expected_error.json');
      const auditText = read(path.join(dir, 'audit.json'));
      const options = scoreOptions(dir);

      let rulebook;
      try {
        rulebook = pkg.Rulebook.fromSource(read(path.join(dir, 'rulebook.eco')), { name: 'rulebook.eco', modules: modules(dir) });
      } catch (e) {
        assert.ok(fs.existsSync(expectedError), `the rulebook does not compile: ${e.rendered ?? e}`);
        assert.deepEqual(errorJson('compile', e), JSON.parse(read(expectedError)));
        return;
      }
      try {
        if (fs.existsSync(expectedError)) {
          let thrown;
          try {
            rulebook.score(auditText, options);
          } catch (e) {
            thrown = e;
          }
          assert.ok(thrown, 'expected an error, but the audit scored');
          assert.deepEqual(errorJson('score', thrown), JSON.parse(read(expectedError)));
          return;
        }
        const want = read(expected);
        const fromText = rulebook.score(auditText, options);
        assert.equal(JSON.stringify(fromText, null, 2) + '\n', want, 'audit as JSON text: bytes');
        assert.deepEqual(fromText, JSON.parse(want), 'audit as JSON text: object');
        const fromObject = rulebook.score(JSON.parse(auditText), options);
        assert.equal(JSON.stringify(fromObject, null, 2) + '\n', want, 'audit as an object: bytes');
      } finally {
        rulebook.free();
      }
    });
  }
});
