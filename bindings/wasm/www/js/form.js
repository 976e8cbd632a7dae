// The questionnaire as a form: one block per area, one question per fact,
// each with the clauses it feeds. The form reads and writes audit values
// through `answers.js`; it never scores.

import { rejectionText, t, label, labelText, unitName } from './i18n.js';
import {
  META_FIELDS,
  getMeta,
  listToText,
  own,
  ownUnit,
  readsFraction,
  splitQuantity,
  textToList,
  typedQuantity,
  unitChoices,
} from './answers.js';

/** `h('div', {class: 'x'}, child, 'text')`: a small element builder. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const META_LABELS = {
  'audit.id': 'auditId',
  'audit.date': 'auditDate',
  'enterprise.id': 'enterpriseId',
  'enterprise.name': 'enterpriseName',
};

/** The page's name for a built-in fact (`audit.date`: 审核日期), or undefined. */
export function metaLabel(name) {
  return Object.hasOwn(META_LABELS, name) ? t(META_LABELS[name]) : undefined;
}

/** A DOM id for a fact's control. */
export function controlId(name) {
  return `q-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/**
 * Builds the form. `onMeta(field, value)` and `onFact(name, value)` are
 * called as answers change (`undefined` for unanswered).
 */
export function buildForm(questionnaire, audit, { onMeta, onFact }) {
  const form = h('form', { id: 'questions', autocomplete: 'off', onsubmit: (e) => e.preventDefault() });
  form.append(metaBlock(audit, onMeta));
  for (const section of questionnaire.sections) {
    const block = h(
      'section',
      { class: 'area', dataset: { area: section.id } },
      h(
        'h2',
        {},
        section.id === 'other' ? null : h('span', { class: 'area-id' }, section.id),
        ' ',
        labelText(section.label),
        h('span', { class: 'area-score', dataset: { areaScore: section.id } }),
      ),
    );
    for (const q of section.questions) block.append(question(q, own(audit.facts, q.name), onFact));
    form.append(block);
  }
  return form;
}

function metaBlock(audit, onMeta) {
  const block = h('section', { class: 'area meta', dataset: { area: 'audit' } }, h('h2', {}, t('auditSection')));
  for (const field of META_FIELDS) {
    const id = controlId(field);
    const value = getMeta(audit, field) ?? '';
    const input = h('input', {
      id,
      name: field,
      type: field === 'audit.date' ? 'date' : 'text',
      value,
      oninput: (e) => onMeta(field, e.target.value === '' ? undefined : e.target.value),
    });
    input.value = value;
    const wrap = h(
      'div',
      { class: 'q', dataset: { meta: field } },
      h('div', { class: 'q-head' }, h('label', { class: 'q-title', for: id }, t(META_LABELS[field]))),
      h('div', { class: 'q-input' }, input),
      field === 'audit.date' ? h('p', { class: 'q-help', id: `${id}-help` }, t('auditDateHelp')) : null,
      h('p', { class: 'q-error', id: `${id}-error`, hidden: true }),
    );
    describe(wrap);
    block.append(wrap);
  }
  return block;
}

function question(q, value, onFact) {
  const id = controlId(q.name);
  const wrap = h('div', { class: 'q', dataset: { fact: q.name, type: q.type } });
  // A yes/no question's title names its radio group rather than labelling
  // one radio, so clicking the title answers nothing.
  const head = h(
    'div',
    { class: 'q-head' },
    q.type === 'bool'
      ? h('span', { class: 'q-title', id: `${id}-title` }, labelText(q.label))
      : h('label', { class: 'q-title', for: id }, labelText(q.label)),
    h('code', { class: 'q-name', lang: 'en' }, q.name),
  );
  const control = h('div', { class: 'q-input' });
  const unreadable = h('p', { class: 'q-unreadable', id: `${id}-unreadable`, hidden: true });
  const emit = (v) => {
    if (!unreadable.hidden) {
      unreadable.hidden = true;
      describe(wrap);
    }
    onFact(q.name, v);
  };
  switch (q.type) {
    case 'bool': {
      const group = h('div', { class: 'tri', role: 'radiogroup', 'aria-labelledby': `${id}-title` });
      for (const [suffix, v, text] of [
        ['none', '', t('unanswered')],
        ['yes', 'true', t('yes')],
        ['no', 'false', t('no')],
      ]) {
        const radio = h('input', {
          type: 'radio',
          id: `${id}-${suffix}`,
          name: id,
          value: v,
          onchange: () => emit(v === '' ? undefined : v === 'true'),
        });
        radio.checked = (value === true && v === 'true') || (value === false && v === 'false') || (typeof value !== 'boolean' && v === '');
        group.append(h('label', { class: `tri-${suffix}`, for: `${id}-${suffix}` }, radio, h('span', {}, text)));
      }
      control.append(group);
      if (value !== undefined && value !== null && typeof value !== 'boolean') showUnreadable(unreadable, value);
      break;
    }
    case 'enum': {
      const select = h('select', { id, name: q.name, onchange: (e) => emit(e.target.value || undefined) });
      select.append(h('option', { value: '' }, t('choose')));
      for (const o of q.options) {
        const text = label(o.label);
        select.append(h('option', { value: o.value }, text && text !== o.value ? `${text} (${o.value})` : o.value));
      }
      if (typeof value === 'string' && !q.options.some((o) => o.value === value)) {
        select.append(h('option', { value }, value));
      }
      select.value = typeof value === 'string' ? value : '';
      control.append(select);
      if (value !== undefined && value !== null && typeof value !== 'string') showUnreadable(unreadable, value);
      break;
    }
    case 'date': {
      // A date half typed over (one part cleared, to be typed again) reads
      // as empty: the answer saved before stays until the date is whole
      // again, or the box is cleared.
      const input = h('input', {
        id,
        name: q.name,
        type: 'date',
        oninput: (e) => e.target.validity.badInput || emit(e.target.value || undefined),
      });
      // The rulebook's bounds, where it declares them: the date picker keeps within.
      if (q.min) input.min = q.min;
      if (q.max) input.max = q.max;
      const v = typeof value === 'string' ? value.slice(0, 10) : '';
      input.value = v;
      control.append(input);
      if (value !== undefined && value !== null && input.value !== v) showUnreadable(unreadable, value);
      break;
    }
    case 'number':
    case 'count':
    case 'quantity':
    case 'duration': {
      // A text box, not `type="number"`: that drops what it does not allow
      // (`25,5` became 255, `50 µg/m³` 50 in the declared unit) and turns
      // the wheel and the arrow keys into changes of a measured value. What
      // is typed is saved as typed, with the unit chosen beside a bare
      // number, and the core reads it or says what is wrong with it.
      const declared = q.unit ?? (q.type === 'duration' ? 'd' : '');
      const units = unitChoices(q);
      const split = value === undefined || value === null ? null : splitQuantity(value, declared);
      // An answer in a unit the choice does not offer is shown whole.
      const fits = split && (units.length ? units.includes(split.unit) : split.unit === declared);
      const input = h('input', { id, name: q.name, type: 'text', inputmode: q.type === 'count' ? 'numeric' : 'decimal', autocomplete: 'off', spellcheck: 'false' });
      let unitSelect = null;
      const read = () => {
        if (unitSelect) unitSelect.disabled = ownUnit(input.value);
        emit(typedQuantity(input.value, unitSelect ? unitSelect.value : declared));
      };
      input.addEventListener('input', read);
      control.append(input);
      if (units.length > 1) {
        unitSelect = h('select', { id: `${id}-unit`, class: 'unit', 'aria-label': t('unitOf', label(q.label)), onchange: () => input.value !== '' && read() });
        const none = q.type === 'number' && readsFraction(q) ? t('fraction') : '—';
        for (const u of units) unitSelect.append(h('option', { value: u }, u === '' ? none : unitName(u)));
        unitSelect.value = fits ? split.unit : units[0];
        control.append(unitSelect);
      } else if (declared) {
        control.append(h('span', { class: 'unit' }, unitName(declared)));
      }
      if (fits) input.value = String(split.number);
      else if (typeof value === 'string') input.value = value;
      else if (split) input.value = `${split.number} ${split.unit}`;
      else if (value !== undefined && value !== null) showUnreadable(unreadable, value);
      if (unitSelect) unitSelect.disabled = ownUnit(input.value);
      break;
    }
    case 'list': {
      const input = h('input', {
        id,
        name: q.name,
        type: 'text',
        placeholder: t('listHelp'),
        oninput: (e) => emit(textToList(e.target.value, q.element)),
      });
      input.value = listToText(value);
      control.append(input);
      break;
    }
    default: {
      const input = h('input', { id, name: q.name, type: 'text', oninput: (e) => emit(e.target.value === '' ? undefined : e.target.value) });
      input.value = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
      control.append(input);
    }
  }
  wrap.append(head, control, unreadable);
  if (q.help) wrap.append(h('p', { class: 'q-help', id: `${id}-help` }, labelText(q.help)));
  if (q.feeds.length) {
    const feeds = h('ul', { class: 'feeds', 'aria-label': t('feeds') });
    for (const c of q.feeds) {
      feeds.append(
        h(
          'li',
          { class: 'chip', dataset: { clause: c.id }, title: c.refs.join('; ') },
          h('b', {}, c.id),
          ' ',
          labelText(c.label),
          c.veto ? h('span', { class: 'veto-mark' }, t('veto')) : null,
          c.refs.length ? h('span', { class: 'ref' }, c.refs.join('; ')) : null,
        ),
      );
    }
    wrap.append(feeds);
  }
  wrap.append(h('p', { class: 'q-error', id: `${id}-error`, hidden: true }));
  describe(wrap);
  return wrap;
}

function showUnreadable(el, value) {
  el.hidden = false;
  el.textContent = `${t('unreadable')}${JSON.stringify(value)}`;
}

/** A question's answer controls: its box, select or radio group (a unit select is named on its own). */
const CONTROLS = ':scope > .q-input > input, :scope > .q-input > select:not(.unit), :scope > .q-input > [role=radiogroup]';
/** A question's messages, in the order they are read after its name. */
const MESSAGES = ':scope > .q-error, :scope > .q-unreadable, :scope > .q-help';

/**
 * Points a question's controls at the messages shown beside it (help,
 * the core's objection), and marks them invalid while one
 * of the errors shows. A hidden message is not pointed at: screen readers
 * read a described element's text even when it is hidden.
 */
function describe(wrap) {
  const shown = [...wrap.querySelectorAll(MESSAGES)].filter((p) => !p.hidden && p.id);
  const invalid = shown.some((p) => p.matches('.q-error'));
  for (const control of wrap.querySelectorAll(CONTROLS)) {
    if (shown.length) control.setAttribute('aria-describedby', shown.map((p) => p.id).join(' '));
    else control.removeAttribute('aria-describedby');
    if (invalid) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
}

/** Marks the questions whose answers the core rejected; clears the rest. */
export function markRejected(form, rejected) {
  for (const el of form.querySelectorAll('.q')) {
    const name = el.dataset.fact ?? el.dataset.meta;
    const error = own(rejected, name);
    const p = el.querySelector('.q-error');
    el.classList.toggle('invalid', Boolean(error));
    if (p) {
      p.hidden = !error;
      p.replaceChildren();
      if (error) p.append(t('invalidValue'), rejectionText(error));
    }
    describe(el);
  }
}

/** Colours each clause chip by its status in the report, and names the status. */
export function markStatuses(form, report) {
  const status = new Map();
  for (const area of report?.areas ?? []) for (const c of area.clauses) status.set(c.id, c.status);
  for (const chip of form.querySelectorAll('.chip')) {
    const s = status.get(chip.dataset.clause);
    chip.dataset.status = s ?? '';
    // The status in words too, not in the chip's colour alone.
    let words = chip.querySelector('.chip-status');
    if (!words) {
      words = h('span', { class: 'chip-status' });
      chip.append(words);
    }
    words.textContent = s ? t(`status_${s}`) : '';
  }
  for (const area of report?.areas ?? []) {
    const el = form.querySelector(`[data-area-score="${CSS.escape(area.id)}"]`);
    if (el) el.textContent = `${fmt(area.earned)}${area.earned_max !== area.earned ? `–${fmt(area.earned_max)}` : ''} / ${fmt(area.possible)}`;
  }
}

/** A score or points value with at most two decimals. */
export function fmt(n) {
  if (n === null || n === undefined) return '';
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}
