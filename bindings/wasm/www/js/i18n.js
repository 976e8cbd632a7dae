// The page's own words in Chinese and English. Rulebook text (titles,
// labels, verdicts) comes from the rulebook in both languages.

/** The tables, by language (exported for the tests). */
export const STRINGS = {
  zh: {
    appTitle: '环保合规自评',
    appSubtitle: 'ecorule 自评工具 · 数据只保存在本浏览器',
    rulebook: '规则集',
    openFile: '打开 .eco 文件…',
    sample: '载入示例审核',
    samplePlaceholder: '— 示例 —',
    selectHint: '方向键浏览选项，按 Enter 确认',
    importAudit: '导入审核',
    exportAudit: '导出审核',
    print: '打印报告',
    saveReport: '保存报告（HTML）',
    clear: '清空答案',
    confirmClear: '清空本规则集的全部答案？',
    confirmReplace: '用导入的审核替换当前答案？（可先导出当前答案）',
    confirmImport: '仍要导入？',
    confirmSaveRejected: '保存的报告将不含这些答案，按未答处理。仍要保存？',
    foreignAudit: (n, m) => `此文件的 ${n} 项答案中有 ${m} 项不属于本规则集（可能是另一规则集的审核）。`,
    language: 'English',
    tools: '工具',
    skipToQuestions: '跳到问卷',
    result: '评分结果',
    invalidAnswers: (n) => `${n} 个答案无法使用`,
    loading: '加载中…',
    auditSection: '审核信息',
    auditId: '审核编号',
    auditDate: '审核日期',
    enterpriseId: '企业编号',
    enterpriseName: '企业名称',
    auditDateHelp: '整改期限从此日期起算',
    unanswered: '未答',
    yes: '是',
    no: '否',
    choose: '— 请选择 —',
    listHelp: '多项用逗号分隔',
    fraction: '小数',
    // Units whose symbol a reader may not know, named beside it: `a（年）`.
    unitNames: { s: '秒', min: '分钟', h: '小时', d: '天', a: '年', t: '吨', '%': '百分数' },
    unitOf: (q) => `${q}的单位`,
    feeds: '用于条款',
    veto: '一票否决',
    score: '得分',
    grade: '等级',
    verdict: '结论',
    provisional: '暂定',
    determined: '已确定',
    answeredOf: (a, n) => `已答 ${a} / ${n} 题`,
    rangeNote: '尚有未答问题，得分为可能范围',
    areas: '各部分得分',
    toFix: '需整改条款',
    nothingToFix: '没有不合格或部分合格的条款。',
    within: (d) => `${d} 天内`,
    deadline: '期限',
    vetoes: '否决项',
    possibleVetoes: '可能触发的否决项',
    deductions: '扣分',
    warnings: '警告',
    unverified: '未经核实的取值',
    missing: '待回答的关键问题',
    allClauses: '全部条款',
    clause: '条款',
    status: '状态',
    points: '分值',
    earned: '得分',
    leftOut: '不适用，不计入满分',
    explanation: '说明',
    status_pass: '合格',
    status_partial: '部分合格',
    status_fail: '不合格',
    status_not_applicable: '不适用',
    status_unknown: '待定',
    invalidValue: '此答案无法使用：',
    compileError: '规则集有错误，无法使用',
    looksLikeAudit: '此文件看起来是审核文件（JSON），不是规则集：请先选择规则集，再用“导入审核”载入。',
    rulebookWarnings: (n) => `规则集有 ${n} 条警告（不影响评分）`,
    lineCol: (l, c) => `第 ${l} 行，第 ${c} 列`,
    scoreError: '无法评分',
    importError: '无法导入审核文件',
    loadError: '无法加载',
    saveFailed: '无法保存到本浏览器（存储空间可能已满）：请导出审核，以免答案丢失',
    savedRulebookUnreadable: '上次打开的规则集无法读取，已忽略',
    savedAnswersUnreadable: (key) => `本规则集保存的答案无法读取，已另存为 localStorage“${key}”`,
    reportTitle: '自评报告',
    rulebookHash: '规则集文件 SHA-256',
    moduleHashes: '所用标准模块 SHA-256',
    generated: '生成于',
    enterprise: '企业',
    customFile: '本地文件',
    unreadable: '无法显示的已存答案：',
    // answers.js's AnswersError, by key (its English is its message).
    // Punctuation between the page's words: a label and what follows, items of a list, sentences, an aside.
    sep: '：',
    comma: '、',
    stop: '。',
    aside: (x) => `（${x}）`,
    errNotAnAudit: '审核文件应为含 `audit` 与 `facts` 的对象',
    errAuditNotObject: '`audit` 应为对象',
    errFactTwice: (name) => `数据项 \`${name}\` 给出了两次（带点的名称与嵌套对象各一次）`,
    errFactsNotObject: '`facts` 应为对象',
    errSavedAnswers: '保存的答案不是对象',
    errSavedRulebook: '保存的规则集不是对象',
    errSavedBundledName: '保存的内置规则集没有文件名',
    errSavedKind: '保存的规则集既不是内置的，也不是从文件打开的',
    errSavedName: '保存的规则集没有文件名',
    errSavedText: (name) => `保存的规则集 \`${name}\` 没有文本`,
    errSavedModules: (name) => `与 \`${name}\` 一起保存的模块不是按文件名存放的文本`,
  },
  en: {
    appTitle: 'Environmental compliance self-assessment',
    appSubtitle: 'ecorule self-assessment · your answers stay in this browser',
    rulebook: 'Rulebook',
    openFile: 'Open .eco file…',
    sample: 'Load a sample audit',
    samplePlaceholder: '— samples —',
    selectHint: 'arrow keys browse the options, Enter chooses',
    importAudit: 'Import audit',
    exportAudit: 'Export audit',
    print: 'Print report',
    saveReport: 'Save report (HTML)',
    clear: 'Clear answers',
    confirmClear: 'Clear every answer for this rulebook?',
    confirmReplace: 'Replace the current answers with the imported audit? (Export them first to keep them.)',
    confirmImport: 'Import it anyway?',
    confirmSaveRejected: 'The saved report leaves these answers out and counts them as not answered. Save anyway?',
    foreignAudit: (n, m) => `${m} of the ${n} answers in this file are not facts of this rulebook (it may be another rulebook's audit). `,
    language: '中文',
    tools: 'Tools',
    skipToQuestions: 'Skip to the questions',
    result: 'Result',
    invalidAnswers: (n) => `${n} ${n === 1 ? 'answer' : 'answers'} cannot be used`,
    loading: 'Loading…',
    auditSection: 'Audit',
    auditId: 'Audit id',
    auditDate: 'Audit date',
    enterpriseId: 'Enterprise id',
    enterpriseName: 'Enterprise name',
    auditDateHelp: 'rectification deadlines count from this date',
    unanswered: '—',
    yes: 'yes',
    no: 'no',
    choose: '— choose —',
    listHelp: 'separate items with commas',
    fraction: 'fraction',
    unitNames: { a: 'years', d: 'days', h: 'hours', min: 'minutes', s: 'seconds', t: 'tonnes' },
    unitOf: (q) => `${q}: unit`,
    feeds: 'feeds',
    veto: 'veto',
    score: 'Score',
    grade: 'Grade',
    verdict: 'Verdict',
    provisional: 'provisional',
    determined: 'determined',
    answeredOf: (a, n) => `${a} of ${n} answered`,
    rangeNote: 'some questions are unanswered: the score is the possible range',
    areas: 'Areas',
    toFix: 'To fix',
    nothingToFix: 'No clause failed or earned partial credit.',
    within: (d) => `within ${d} days`,
    deadline: 'by',
    vetoes: 'Vetoes',
    possibleVetoes: 'Possible vetoes',
    deductions: 'Deductions',
    warnings: 'Warnings',
    unverified: 'Unverified values',
    missing: 'Questions that would decide open clauses',
    allClauses: 'All clauses',
    clause: 'Clause',
    status: 'Status',
    points: 'Points',
    earned: 'Earned',
    leftOut: 'not applicable: left out of the full score',
    explanation: 'Explanation',
    status_pass: 'pass',
    status_partial: 'partial',
    status_fail: 'fail',
    status_not_applicable: 'n/a',
    status_unknown: 'open',
    invalidValue: 'this answer cannot be used: ',
    compileError: 'The rulebook has errors and cannot be used',
    looksLikeAudit: 'This file looks like an audit (JSON), not a rulebook: choose a rulebook, then load it with “Import audit”.',
    rulebookWarnings: (n) => `The rulebook has ${n} ${n === 1 ? 'warning' : 'warnings'} (scoring is not affected)`,
    lineCol: (l, c) => `line ${l}, column ${c}`,
    scoreError: 'Cannot score',
    importError: 'Cannot import the audit file',
    loadError: 'Cannot load',
    saveFailed: 'Cannot save in this browser (its storage may be full): export the audit so the answers are not lost',
    savedRulebookUnreadable: 'The rulebook opened last time cannot be read and was set aside',
    savedAnswersUnreadable: (key) => `The answers saved for this rulebook cannot be read; they were moved to localStorage "${key}"`,
    reportTitle: 'Self-assessment report',
    rulebookHash: 'Rulebook file SHA-256',
    moduleHashes: 'Modules used, SHA-256',
    generated: 'Generated',
    enterprise: 'Enterprise',
    customFile: 'local file',
    unreadable: 'saved answer that cannot be shown: ',
    sep: ': ',
    comma: ', ',
    stop: '. ',
    aside: (x) => ` (${x})`,
  },
};

let lang = 'zh';

/** The current language, `zh` or `en`. */
export function getLang() {
  return lang;
}

/** Switches the language of `t`, `label` and `title`. */
export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh';
  document.documentElement.lang = langTag(lang);
}

/** A page string; functions are called with `args`. */
export function t(key, ...args) {
  const v = STRINGS[lang][key] ?? STRINGS.zh[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
}

/** A unit as a choice shows it: its symbol, and its name where the symbol alone may not say it (`a（年）`). */
export function unitName(unit) {
  const name = t('unitNames')[unit];
  return name ? `${unit}${t('aside', name)}` : unit;
}

/** `{zh, en}` labels in the current language (English falls back to Chinese). */
export function label(labels) {
  if (!labels) return '';
  return lang === 'en' ? labels.en || labels.zh : labels.zh || labels.en;
}

/** An object with `title` and `title_en` (or `action` / `action_en`) in the current language. */
export function title(obj, key = 'title') {
  if (!obj) return '';
  return lang === 'en' ? obj[`${key}_en`] || obj[key] : obj[key] || obj[`${key}_en`];
}

/** The `lang` attribute of a page language: `zh-CN` or `en`. */
export function langTag(code = lang) {
  return code === 'en' ? 'en' : 'zh-CN';
}

/**
 * Text in the language `shown` (`zh` or `en`), as a span that says so when
 * it is not the page's: a label that fell back to the other language, or
 * the core's English words in the Chinese page. Screen readers then read
 * it in its own voice.
 */
export function inLang(text, shown) {
  const span = document.createElement('span');
  if (shown !== lang) span.lang = langTag(shown);
  span.textContent = text;
  return span;
}

/** `label(labels)` as `inLang` text: marked when it falls back to the other language. */
export function labelText(labels) {
  const text = label(labels);
  const own = lang === 'en' ? labels?.en : labels?.zh;
  return inLang(text, own ? lang : lang === 'en' ? 'zh' : 'en');
}

/** `title(obj, key)` as `inLang` text: marked when it falls back to the other language. */
export function titleText(obj, key = 'title') {
  const text = title(obj, key);
  const own = lang === 'en' ? obj?.[`${key}_en`] : obj?.[key];
  return inLang(text, own ? lang : lang === 'en' ? 'zh' : 'en');
}

/** The core's own words where it writes English only (an audit's syntax,
 * a rulebook's unverified reasons). */
export function core(text) {
  return inLang(text, 'en');
}

/**
 * An error as a note's detail, in the page's language where it can be:
 * the page's own (answers.js's `AnswersError`) from the tables above; the
 * core's in Chinese when it comes with `message_zh`, after the file, line
 * and column it names (`where`, else `name`); any other (the browser's, the
 * file reader's) as it is, marked English.
 */
export function errorText(error, name) {
  if (error?.name === 'AnswersError') {
    return lang === 'zh' && STRINGS.zh[error.key] ? inLang(t(error.key, ...error.args), 'zh') : inLang(error.message, 'en');
  }
  if (error?.name === 'EcoruleError') {
    // `file:line:column:` as the CLI writes it, then the message.
    const where = error.line ? `${error.source ?? name}:${error.line}:${error.column}: ` : name ? `${name}: ` : '';
    const shown = rejectionText(error);
    shown.textContent = `${where}${shown.textContent}`;
    return shown;
  }
  return core(error?.message ?? String(error));
}

/**
 * Why the core rejected an answer, with its help, in the page's language:
 * the core writes these in both (`message_zh`, `message`).
 */
export function rejectionText(error) {
  const shown = lang === 'zh' && error.message_zh ? 'zh' : 'en';
  const [message, help] = shown === 'zh' ? [error.message_zh, error.help_zh] : [error.message, error.help];
  const text = !help ? message : shown === 'zh' ? `${message}（${help}）` : `${message} (${help})`;
  return inLang(text, shown);
}

/**
 * A report's warnings in the page's language: the core writes them in
 * both (`warnings_zh`, `warnings`); a report from before it did has the
 * English ones only.
 */
export function warningTexts(report) {
  return lang === 'zh' && report.warnings_zh ? report.warnings_zh.map((w) => inLang(w, 'zh')) : report.warnings.map(core);
}

/**
 * An unverified value's line in the page's language: the reason in Chinese
 * when the rulebook gives it in both (`reason_zh`); the one it gives, in
 * English as a rule, else.
 */
export function unverifiedText(u) {
  const [reason, shown] = lang === 'zh' && u.reason_zh ? [u.reason_zh, 'zh'] : [u.reason, 'en'];
  const [sep, comma, aside] = shown === 'zh' ? ['：', '、', (x) => `（${x}）`] : [': ', ', ', (x) => ` (${x})`];
  return inLang(`${u.name}${sep}${reason}${aside(u.clauses.join(comma))}`, shown);
}

/**
 * A clause's explanation in the page's language: the core writes it in
 * both (`explanation_zh`, `explanation`); a report from before it did has
 * the English one only.
 */
export function explanationText(clause) {
  return lang === 'zh' && clause.explanation_zh ? inLang(clause.explanation_zh, 'zh') : core(clause.explanation);
}
