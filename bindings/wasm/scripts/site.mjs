// Copies the bundled rulebooks and their sample audits into the page's
// rules/ folder and writes rules/index.json, with each rulebook's id and
// titles read through the freshly built package.
//
// usage: node site.mjs RULES_DIR OUT_DIR

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync, Rulebook } from '../pkg/ecorule_wasm.js';

const [rulesDir, outDir] = process.argv.slice(2);
if (!rulesDir || !outDir) {
  console.error('usage: node site.mjs RULES_DIR OUT_DIR');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
initSync({ module: fs.readFileSync(path.join(here, '../pkg/ecorule_wasm_bg.wasm')) });

/** Whether a source is a module (its first word is `module`), as the CLI decides. */
function isModule(text) {
  const first = text
    .split('\n')
    .map((l) => l.replace(/^\uFEFF/, '').trim())
    .find((l) => l && !l.startsWith('//'));
  return first !== undefined && first.startsWith('module');
}

const rulebooks = [];
for (const dir of fs.readdirSync(rulesDir).sort()) {
  const from = path.join(rulesDir, dir);
  if (!fs.statSync(from).isDirectory()) continue;
  const books = fs
    .readdirSync(from)
    .filter((f) => f.endsWith('.eco'))
    .sort()
    .filter((f) => !isModule(fs.readFileSync(path.join(from, f), 'utf8')));
  if (books.length === 0) continue;
  fs.mkdirSync(path.join(outDir, dir), { recursive: true });
  const auditsDir = path.join(from, 'audits');
  const samples = fs.existsSync(auditsDir)
    ? fs
        .readdirSync(auditsDir)
        .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))
        .sort()
    : [];
  if (samples.length) fs.mkdirSync(path.join(outDir, dir, 'audits'), { recursive: true });
  for (const s of samples) {
    fs.copyFileSync(path.join(auditsDir, s), path.join(outDir, dir, 'audits', s));
  }
  for (const book of books) {
    const text = fs.readFileSync(path.join(from, book), 'utf8');
    fs.writeFileSync(path.join(outDir, dir, book), text);
    const entry = {
      file: `${dir}/${book}`,
      id: book.replace(/\.eco$/, ''),
      title: book,
      title_en: book,
      samples: samples.map((s) => `${dir}/audits/${s}`),
    };
    try {
      const rulebook = Rulebook.fromSource(text, { name: book });
      const info = rulebook.info();
      Object.assign(entry, { id: info.id, title: info.title, title_en: info.title_en });
      rulebook.free();
    } catch (e) {
      // Listed all the same: the page shows the error when it is chosen.
      console.warn(`site.mjs: ${dir}/${book} does not compile: ${e.message}`);
    }
    rulebooks.push(entry);
  }
}
fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify({ rulebooks }, null, 2) + '\n');
console.log(`site.mjs: ${rulebooks.length} rulebooks in ${outDir}`);
