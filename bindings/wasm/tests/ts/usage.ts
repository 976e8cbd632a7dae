// Type-checked by `tsc --noEmit` (scripts/test.sh): the declarations in
// pkg/ecorule_wasm.d.ts describe the API as a user calls it. Never run.

import init, { initSync, moduleId, parseAudit, reportSchema, Rulebook, version } from '../../pkg/ecorule_wasm.js';
import type {
  Audit,
  ClauseReport,
  EcoruleError,
  ErrorInfo,
  FactType,
  Question,
  Questionnaire,
  RenderFormat,
  RenderLang,
  RenderOptions,
  Report,
  RulebookInfo,
  Status,
  Summary,
} from '../../pkg/ecorule_wasm.js';

declare const bytes: Uint8Array;

export async function browser(): Promise<void> {
  await init();
  await init({ module_or_path: new URL('ecorule_wasm_bg.wasm', 'https://example.invalid/pkg/') });
}

export function node(source: string, moduleSource: string): void {
  initSync({ module: bytes });
  const schema: string = reportSchema();
  const v: string = version();

  const rulebook: Rulebook = Rulebook.fromSource(source);
  Rulebook.fromSource(source, { name: 'fishmeal.eco', modules: { 'gb14554.eco': moduleSource } });
  Rulebook.fromSource(source, { modules: [moduleSource] });
  const id: string = rulebook.id;
  const hash: string = rulebook.hash;

  const info: RulebookInfo = rulebook.info();
  const warnings: ErrorInfo[] = rulebook.warnings();
  const titles: [string, string] = [info.title, info.title_en];
  const version_: string | null = info.version;
  const verdicts: string[] = info.verdicts.map((o) => `${o.id}: ${o.label.zh} / ${o.label.en}`);
  const refs: string[] = info.refs;
  const factUnits: string[][] = info.facts.map((f) => f.units);

  const form: Questionnaire = rulebook.questionnaire();
  for (const section of form.sections) {
    const heading: string = section.label.zh;
    for (const q of section.questions) {
      const question: Question = q;
      const type: FactType = question.type;
      const unit: string | null = question.unit;
      const units: string[] = question.units;
      const options: string[] = question.options.map((o) => o.value);
      const feeds: string[] = question.feeds.map((c) => `${c.id} ${c.label.en} ${c.refs.join('; ')} ${c.veto}`);
      const help: string | null = question.help ? question.help.en || question.help.zh : null;
    }
  }

  const audit: Audit = {
    audit: { id: '2024-PT-FM-002', date: '2024-09-12', enterprise: { id: '9133', name: '某公司', town: '沈家门' } },
    facts: {
      'stack.height': '27 m',
      'stack.ammonia': { value: 3.1, unit: 'kg/h' },
      'eia.approved': true,
      'effluent.ph': 7.4,
      'hazwaste.codes': ['HW08', 'HW49'],
      'drill.last': null,
      odour: { plant: 'biofilter' },
    },
  };
  const report: Report = rulebook.score(audit);
  rulebook.score(JSON.stringify(audit), { strict: true });
  const score: number | null = report.score;
  const range: [number, number] = [report.score_min, report.score_max];
  const verdict: string = report.verdict_label.zh;
  const determined: boolean = report.determined;
  const areaScore: number | null | undefined = report.areas[0]?.score;
  const clause: ClauseReport | undefined = report.areas[0]?.clauses[0];
  const status: Status | undefined = clause?.status;
  const deadline: string | null | undefined = report.rectification[0]?.fix?.deadline;
  const values: (string | null)[] = report.areas.flatMap((a) => a.clauses.flatMap((c) => c.values.map((x) => x.value)));
  const formats: RenderFormat[] = ['text', 'markdown', 'html', 'html_fragment'];
  const pages: string[] = formats.map((f) => rulebook.render(audit, f, { strict: false }));
  const langs: RenderLang[] = ['both', 'zh', 'en'];
  const inOne: string[] = langs.map((lang) => rulebook.render(audit, 'text', { lang, strict: false }));
  const options: RenderOptions = { lang: 'zh' };
  rulebook.render(audit, 'markdown', options);
  rulebook.score({ audit: { date: new Date(2024, 8, 12) }, facts: { 'drill.last': new Date(), count: 12n, gone: undefined } });
  const parsed: unknown = parseAudit('{"facts": {}}', 'audit.json');
  const module: string | undefined = moduleId('module gb14554 "恶臭" {}');
  rulebook.score(parseAudit('{"facts": {}}') as Audit);
  const summary: Summary = rulebook.summary(audit);
  const statuses: Status[] = summary.statuses;
  const jsonSchema: Record<string, unknown> = rulebook.auditSchema();
  rulebook.free();

  try {
    Rulebook.fromSource('rulebook broken {');
  } catch (e) {
    const err = e as EcoruleError;
    const where: string = err.line === null ? err.message : `${err.line}:${err.column}: ${err.snippet}`;
    const rendered: string = err.rendered;
    const all: ErrorInfo[] = err.errors;
    const lines: (number | undefined)[] = all.map((x) => x.line);
    const fact: string | undefined = err.fact?.fact;
    const isError: Error = err;
  }

  // Mistakes the declarations catch:
  // @ts-expect-error scores are numbers
  const wrong: string = report.score_min;
  // @ts-expect-error statuses are a closed set
  const bad: Status = 'passed';
  // @ts-expect-error there is no such method
  rulebook.scoreAudit(audit);
  // @ts-expect-error fromSource needs the source
  Rulebook.fromSource();
  // @ts-expect-error modules are sources, not numbers
  Rulebook.fromSource(source, { modules: [1] });
  // @ts-expect-error an audit is an object or JSON text
  rulebook.score(42);
  // @ts-expect-error strict is a boolean, not text
  rulebook.score(audit, { strict: 'false' });
  // @ts-expect-error the source is text
  Rulebook.fromSource(123);
  // @ts-expect-error a parsed value is not known to be an audit until score reads it
  const notYet: Audit = parseAudit('{}');
  // @ts-expect-error the file name is text
  parseAudit('{}', 7);
  // @ts-expect-error info keys are the core's snake_case
  info.titleEn;
}
