// The score panel and the printable report, drawn from the core's report
// as it is: nothing here computes a score.

import { explanationText, getLang, langTag, rejectionText, t, label, labelText, title, titleText, unverifiedText, warningTexts } from './i18n.js';
import { h, fmt, metaLabel } from './form.js';
import { localDate } from './answers.js';

const VERDICT_CLASS = { ban: 'v-ban', rectify: 'v-rectify', standardize: 'v-standardize' };

/** Labels of a grade or verdict id, from `rulebook.info()`. */
function outcome(list, id) {
  return label(list.find((o) => o.id === id)?.label) || id;
}

/**
 * The score panel: score (or range and "provisional"), grade, verdict,
 * area bars, what to fix. `progress` is `{answered, total}`.
 */
export function renderPanel(panel, { info, report, error, progress }) {
  panel.replaceChildren();
  panel.append(h('h2', { class: 'panel-title', id: 'panel-title' }, labelText({ zh: info.title, en: info.title_en })));
  if (info.version) panel.lastChild.append(h('small', {}, ` ${info.version}`));
  panel.append(h('p', { class: 'progress', id: 'progress' }, t('answeredOf', progress.answered, progress.total)));
  if (error) {
    panel.append(
      h(
        'div',
        { class: 'error-box', role: 'alert' },
        h('strong', {}, t('scoreError')),
        // The core's words in Chinese where it has them, else its drawing in English.
        getLang() === 'zh' && error.message_zh
          ? h('pre', { class: 'wrap' }, rejectionText(error))
          : h('pre', { class: 'wrap', lang: 'en' }, error.rendered ?? error.message),
      ),
    );
    return;
  }
  if (!report) return;
  const exact = report.score !== null;
  const provisional = !exact || !report.determined;
  const verdictId = report.verdict;
  const headline = h(
    'div',
    { class: `headline ${VERDICT_CLASS[verdictId] ?? ''}`, dataset: { provisional: String(provisional) } },
    h(
      'div',
      { class: 'big' },
      h('span', { class: 'k' }, t('score')),
      h(
        'span',
        { id: 'score', class: 'v', dataset: { score: exact ? String(report.score) : '', min: String(report.score_min), max: String(report.score_max) } },
        exact ? fmt(report.score) : `${fmt(report.score_min)} – ${fmt(report.score_max)}`,
      ),
      h('span', { class: 'scale' }, ` / ${fmt(report.scale)}`),
    ),
    h(
      'div',
      { class: 'big' },
      h('span', { class: 'k' }, t('grade')),
      h(
        'span',
        { id: 'grade', class: 'v', dataset: { grade: report.grade, best: report.grade_best } },
        report.grade === report.grade_best
          ? label(report.grade_label)
          : `${label(report.grade_label)} – ${outcome(info.grades, report.grade_best)}`,
      ),
    ),
    h(
      'div',
      { class: 'big verdict' },
      h('span', { class: 'k' }, t('verdict')),
      h(
        'span',
        { id: 'verdict', class: 'v', dataset: { verdict: report.verdict, best: report.verdict_best } },
        report.determined
          ? label(report.verdict_label)
          : `${label(report.verdict_label)} – ${outcome(info.verdicts, report.verdict_best)}`,
      ),
    ),
    provisional
      ? h('p', { class: 'badge provisional', id: 'provisional' }, t('provisional'), exact ? '' : ` · ${t('rangeNote')}`)
      : h('p', { class: 'badge determined' }, t('determined')),
  );
  panel.append(headline);

  if (report.vetoes.length) panel.append(list(t('vetoes'), report.vetoes.map((id) => clauseName(report, id)), 'vetoes'));
  if (report.possible_vetoes.length) {
    panel.append(list(t('possibleVetoes'), report.possible_vetoes.map((id) => clauseName(report, id)), 'possible-vetoes'));
  }

  const bars = h('div', { class: 'bars' });
  for (const area of report.areas) {
    const possible = area.possible || 0;
    const pct = (x) => (possible > 0 ? `${Math.max(0, Math.min(100, (x / possible) * 100))}%` : '0%');
    bars.append(
      h(
        'div',
        { class: 'bar-row', dataset: { area: area.id } },
        h('span', { class: 'bar-label' }, h('b', {}, area.id), ' ', titleText(area)),
        h(
          'span',
          { class: 'bar', role: 'img', 'aria-label': `${fmt(area.earned)} / ${fmt(possible)}` },
          h('span', { class: 'bar-max', style: `width:${pct(area.earned_max)}` }),
          h('span', { class: 'bar-min', style: `width:${pct(area.earned)}` }),
        ),
        h(
          'span',
          { class: 'bar-num' },
          area.earned === area.earned_max ? fmt(area.earned) : `${fmt(area.earned)}–${fmt(area.earned_max)}`,
          ` / ${fmt(possible)}`,
        ),
      ),
    );
  }
  panel.append(h('h3', {}, t('areas')), bars);

  const deducted = report.deductions.filter((d) => d.deducted > 0 || d.deducted_max === null || d.deducted_max > 0);
  if (deducted.length) {
    panel.append(
      h('h3', {}, t('deductions')),
      h(
        'ul',
        { class: 'plain' },
        deducted.map((d) =>
          h('li', { dataset: { cause: d.id ?? '' } }, label(d.cause), t('sep'), deduction(d)),
        ),
      ),
    );
  }

  panel.append(h('h3', {}, t('toFix')));
  if (report.rectification.length === 0) {
    panel.append(h('p', { class: 'muted' }, t('nothingToFix')));
  } else {
    panel.append(
      h(
        'ol',
        { class: 'fixes', id: 'fixes' },
        report.rectification.map((r) =>
          h(
            'li',
            { dataset: { clause: r.clause, status: r.status } },
            h('span', { class: `status s-${r.status}` }, t(`status_${r.status}`)),
            ' ',
            h('b', {}, r.clause),
            ' ',
            titleText(r),
            r.veto ? h('span', { class: 'veto-mark' }, t('veto')) : null,
            r.fix
              ? h(
                  'div',
                  { class: 'fix' },
                  titleText(r.fix, 'action'),
                  ' · ',
                  r.fix.deadline ? `${t('deadline')} ${r.fix.deadline}` : t('within', r.fix.within_days),
                )
              : null,
          ),
        ),
      ),
    );
  }

  if (report.missing_facts.length) {
    const facts = new Map(info.facts.map((f) => [f.name, f]));
    panel.append(
      list(
        t('missing'),
        report.missing_facts.map((name) => {
          // The audit's own date too, named as its box is (审核日期).
          const named = facts.has(name) ? label(facts.get(name).label) : metaLabel(name);
          return named ? `${named} (${name})` : name;
        }),
        'missing',
      ),
    );
  }
  if (report.warnings.length) panel.append(list(t('warnings'), warningTexts(report), 'warnings'));
}

/**
 * Points deducted, each bound signed as the core writes them (`0`, `−5`),
 * a range as the score's (`0 – −30`; `−∞` when unbounded).
 */
export function deduction(d) {
  const signed = (n) => (n === null ? '−∞' : n === 0 ? '0' : `−${fmt(n)}`);
  return d.deducted_max === d.deducted ? signed(d.deducted) : `${signed(d.deducted)} – ${signed(d.deducted_max)}`;
}

/**
 * The result in one sentence, for the live region: score (or range), grade,
 * verdict, provisional or not, and how many questions are answered.
 */
export function resultSummary({ info, report, progress }) {
  if (!report) return '';
  const exact = report.score !== null;
  const score = exact ? fmt(report.score) : `${fmt(report.score_min)}–${fmt(report.score_max)}`;
  const grade =
    report.grade === report.grade_best ? label(report.grade_label) : `${label(report.grade_label)}–${outcome(info.grades, report.grade_best)}`;
  const verdict = report.determined
    ? label(report.verdict_label)
    : `${label(report.verdict_label)}–${outcome(info.verdicts, report.verdict_best)}`;
  const stop = t('stop');
  const provisional = !exact || !report.determined ? `${t('provisional')}${stop}` : '';
  return `${t('score')} ${score} / ${fmt(report.scale)}${stop}${t('grade')} ${grade}${stop}${t('verdict')} ${verdict}${stop}${provisional}${t('answeredOf', progress.answered, progress.total)}${stop}`.trim();
}

/** A clause whose points leave the full score: it does not apply and the
 * rulebook rescales, so its 0 earned is no loss (shown as `—`). */
function leftOut(report, c) {
  return c.status === 'not_applicable' && report.not_applicable === 'rescale';
}

function clauseName(report, id) {
  for (const a of report.areas) for (const c of a.clauses) if (c.id === id) return `${id} ${title(c)}`;
  return id;
}

function list(heading, items, cls) {
  return h('div', { class: cls }, h('h3', {}, heading), h('ul', { class: 'plain' }, items.map((i) => h('li', {}, i))));
}

/** The full report for print (and the "all clauses" table on screen). */
export function renderReport(el, head, { info, report, audit }) {
  el.replaceChildren();
  head.replaceChildren();
  if (!report) return;
  const meta = audit.audit ?? {};
  const modules = report.rulebook.modules ?? [];
  head.append(
    h('h2', { class: 'report-title' }, t('reportTitle'), ' · ', label({ zh: info.title, en: info.title_en })),
    h(
      'dl',
      { class: 'report-meta' },
      h('dt', {}, t('enterprise')),
      h('dd', {}, [meta.enterprise?.name, meta.enterprise?.id].filter(Boolean).join(' · ') || '—'),
      h('dt', {}, t('auditId')),
      h('dd', {}, meta.id || '—'),
      h('dt', {}, t('auditDate')),
      h('dd', {}, meta.date || '—'),
      h('dt', {}, t('rulebookHash')),
      h('dd', { class: 'hash' }, report.rulebook.hash),
      modules.length > 0 && h('dt', {}, t('moduleHashes')),
      modules.length > 0 &&
        h('dd', { class: 'hash' }, modules.flatMap((m, i) => [i > 0 && h('br'), `${m.id} ${m.hash}`])),
      h('dt', {}, t('generated')),
      h('dd', { id: 'generated' }, localDate(new Date())),
    ),
  );
  const table = h(
    'table',
    { class: 'clauses' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, t('clause')), h('th', {}, t('status')), h('th', {}, t('earned')), h('th', {}, t('explanation'))),
    ),
  );
  const body = h('tbody');
  for (const area of report.areas) {
    body.append(
      h(
        'tr',
        { class: 'area-row' },
        h('th', { colspan: 4 }, `${area.id} ${title(area)} — ${fmt(area.earned)}${area.earned_max !== area.earned ? `–${fmt(area.earned_max)}` : ''} / ${fmt(area.possible)}`),
      ),
    );
    for (const c of area.clauses) {
      body.append(
        h(
          'tr',
          { dataset: { status: c.status } },
          h('td', {}, h('b', {}, c.id), ' ', titleText(c), c.veto ? h('span', { class: 'veto-mark' }, t('veto')) : null, c.refs.length ? h('div', { class: 'ref' }, c.refs.join('; ')) : null),
          h('td', {}, h('span', { class: `status s-${c.status}` }, t(`status_${c.status}`))),
          leftOut(report, c)
            ? h('td', { class: 'num', title: t('leftOut') }, '—')
            : h('td', { class: 'num' }, c.earned === c.earned_max ? fmt(c.earned) : `${fmt(c.earned)}–${fmt(c.earned_max)}`, ` / ${fmt(c.points)}`),
          h(
            'td',
            {},
            explanationText(c),
            c.fix ? h('div', { class: 'fix' }, titleText(c.fix, 'action'), ' · ', c.fix.deadline ? `${t('deadline')} ${c.fix.deadline}` : t('within', c.fix.within_days)) : null,
          ),
        ),
      );
    }
  }
  table.append(body);
  // The table scrolls sideways on a narrow screen: the keyboard can scroll it too.
  const scroll = h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': t('allClauses') }, table);
  el.append(h('details', { class: 'all-clauses' }, h('summary', {}, t('allClauses')), scroll));
  if (report.unverified.length) {
    el.append(list(t('unverified'), report.unverified.map(unverifiedText), 'unverified'));
  }
}

/**
 * A compile error (or several): each with line, column, source line and
 * the rendered diagnostic; `hint`, a word on what the file might be, first.
 */
export function renderCompileError(el, error, sourceName, hint) {
  el.replaceChildren();
  el.append(h('h2', {}, t('compileError'), sourceName ? `${t('sep')}${sourceName}` : ''));
  if (hint) el.append(h('p', { class: 'compile-hint' }, hint));
  const errors = error.errors?.length ? error.errors : [error];
  for (const e of errors) el.append(diagnostic(e, 'error-box', 'alert'));
}

/** The rulebook's warnings (facts nothing reads, lets nothing uses), folded: they do not stop scoring. */
export function renderWarnings(el, warnings) {
  el.replaceChildren();
  if (!warnings.length) return;
  el.append(
    h(
      'details',
      { class: 'warnings' },
      h('summary', {}, t('rulebookWarnings', warnings.length)),
      ...warnings.map((w) => diagnostic(w, 'warning-box', 'note')),
    ),
  );
}

/** One of the core's diagnostics: where, what kind, the message, and its drawing with the source line. */
function diagnostic(e, cls, role) {
  return h(
    'div',
    { class: cls, role, dataset: { line: e.line ?? '', column: e.column ?? '' } },
    h(
      'p',
      { class: 'error-head', lang: 'en' },
      e.source ? `${e.source}: ` : '',
      e.line ? h('span', { class: 'error-loc', lang: langTag() }, t('lineCol', e.line, e.column)) : null,
      e.line ? ' — ' : '',
      h('span', { class: 'error-kind' }, e.kind ?? 'error'),
      ': ',
      e.message,
    ),
    // The drawing keeps its columns (the caret under its place): on a narrow
    // screen it scrolls sideways, by keyboard too.
    h('pre', { class: 'rendered', lang: 'en', tabindex: 0 }, e.rendered ?? e.message),
  );
}
