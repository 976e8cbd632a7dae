// Shared by the tests: paths, the package loaded in Node, the CLI's answers.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WASM_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(WASM_DIR, '../..');
export const RULES = path.join(ROOT, 'rules');
export const CLI = process.env.ECORULE_CLI ?? path.join(ROOT, 'target/release/ecorule');
export const ARTIFACTS = process.env.ECORULE_ARTIFACTS ?? path.join(ROOT, 'artifacts/wasm');

/** The package, instantiated synchronously from pkg/. */
export async function loadPackage() {
  const pkg = await import(path.join(WASM_DIR, 'pkg/ecorule_wasm.js'));
  pkg.initSync({ module: fs.readFileSync(path.join(WASM_DIR, 'pkg/ecorule_wasm_bg.wasm')) });
  return pkg;
}

/** The rulebook of a folder, as the CLI finds it: `DIR/<folder>.eco`, else its only rulebook. */
export function rulebookPath(dir) {
  const named = path.join(RULES, dir, `${dir}.eco`);
  if (fs.existsSync(named)) return named;
  const books = fs
    .readdirSync(path.join(RULES, dir))
    .filter((f) => f.endsWith('.eco'))
    .map((f) => path.join(RULES, dir, f))
    .filter((f) => !/^\s*module\b/m.test(fs.readFileSync(f, 'utf8').replace(/^\s*\/\/.*$/gm, '')));
  if (books.length !== 1) throw new Error(`no single rulebook in rules/${dir}`);
  return books[0];
}

/** Every bundled sample audit that has an expected outcome: [{dir, name, file}]. */
export function sampleAudits() {
  const out = [];
  for (const dir of fs.readdirSync(RULES).sort()) {
    const audits = path.join(RULES, dir, 'audits');
    if (!fs.existsSync(audits)) continue;
    for (const f of fs.readdirSync(audits).sort()) {
      if (!f.endsWith('.json') || f.endsWith('.expected.json')) continue;
      const stem = f.replace(/\.json$/, '');
      if (!fs.existsSync(path.join(audits, `${stem}.expected.json`))) continue;
      out.push({ dir, name: stem, file: path.join(audits, f) });
    }
  }
  return out;
}

/** `ecorule score RULEBOOK AUDIT --format json`, parsed. */
export function cliScore(rulebook, audit) {
  return JSON.parse(cliPage(rulebook, audit, 'json'));
}

/** `ecorule score RULEBOOK AUDIT --format FORMAT --lang LANG` as the CLI prints it. */
export function cliPage(rulebook, audit, format, lang = 'both') {
  return execFileSync(CLI, ['score', rulebook, audit, '--format', format, '--lang', lang], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
}

/** `ecorule schema RULEBOOK`, parsed. */
export function cliSchema(rulebook) {
  return JSON.parse(execFileSync(CLI, ['schema', rulebook], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** The scoring block of the small test rulebooks: 10 points, two grades, one verdict. */
export const SCORING = `  scoring {
    scale 10
    grade good "好" en "good" when score >= 6
    grade bad "差" en "bad" otherwise
    verdict fine "好" en "fine" otherwise
  }`;

/** A rulebook whose fact names are members of `Object.prototype`: keys like any other. */
export const PROTOS = `rulebook protos "原型" en "Prototypes" {
  facts {
    __proto__: bool "原型" en "proto"
    constructor: quantity m "构造" en "constructor"
    toString: text "字符串" en "toString"
  }
${SCORING}
  area A1 "甲" en "A" {
    clause C1 "原型" en "proto" points 5 {
      require __proto__
    }
    clause C2 "构造" en "ctor" points 5 {
      require constructor >= 15 m
    }
  }
}
`;

/** axe-core's source, injected into pages by the accessibility tests (never served with the page). */
export const AXE_SOURCE = path.join(WASM_DIR, 'node_modules/axe-core/axe.min.js');

/** The WCAG 2.1 A and AA rules of axe-core. */
export const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's violations of `tags` on a playwright page, as
 * `[{id, impact, help, nodes: [{target, summary}]}]` (empty when none).
 * `options.rules` runs those rules instead of the tags.
 */
export async function axeViolations(page, { tags = WCAG21_AA, rules } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: fs.readFileSync(AXE_SOURCE, 'utf8') });
  }
  return page.evaluate(async (runOnly) => {
    const result = await window.axe.run(document, { runOnly, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, rules ? { type: 'rule', values: rules } : { type: 'tag', values: tags });
}

/** axe's violations as a short text for an assertion message. */
export function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target}: ${n.summary}`).join('\n')}`)
    .join('\n');
}
