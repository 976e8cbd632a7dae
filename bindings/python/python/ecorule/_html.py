"""A report as an HTML table, for Jupyter (`Report._repr_html_`).

Every piece of text is escaped; the styles are inline so the table looks
the same in any notebook front end.
"""

from __future__ import annotations

from html import escape
from typing import Any, Dict, List, Optional

STATUS_COLOURS = {
    "pass": ("#1a7f37", "#dafbe1"),
    "partial": ("#9a6700", "#fff8c5"),
    "fail": ("#cf222e", "#ffebe9"),
    "not_applicable": ("#57606a", "#eaeef2"),
    "unknown": ("#8250df", "#fbefff"),
}

STATUS_TEXT = {
    "pass": "pass",
    "partial": "partial",
    "fail": "fail",
    "not_applicable": "n/a",
    "unknown": "unknown",
}


def _num(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _labels(zh: str, en: str) -> str:
    if en and en != zh:
        return f"{escape(zh)} <span style=\"color:#57606a\">{escape(en)}</span>"
    return escape(zh)


def status_badge(status: str) -> str:
    fg, bg = STATUS_COLOURS.get(status, ("#24292f", "#ffffff"))
    text = STATUS_TEXT.get(status, status)
    return (
        f'<span class="ecorule-status ecorule-{escape(status)}" '
        f'style="color:{fg};background:{bg};border-radius:4px;padding:0 6px;'
        f'font-weight:600;white-space:nowrap">{escape(text)}</span>'
    )


def report_html(d: Dict[str, Any]) -> str:
    """Renders a parsed report (the core's JSON) as an HTML fragment."""
    rb = d.get("rulebook", {})
    audit = d.get("audit", {})
    score = d.get("score")
    scale = _num(d.get("scale"))
    if score is not None:
        score_text = f"<b>{escape(_num(score))}</b> / {escape(scale)}"
    else:
        score_text = (
            f"<b>{escape(_num(d.get('score_min')))}–{escape(_num(d.get('score_max')))}</b> / "
            f"{escape(scale)} <i>(range: some facts are unknown)</i>"
        )
    grade = d.get("grade_label") or {}
    verdict = d.get("verdict_label") or {}
    verdict_text = _labels(verdict.get("zh", d.get("verdict", "")), verdict.get("en", ""))
    if not d.get("determined", True):
        verdict_text += f" <i>(provisional; at best {escape(str(d.get('verdict_best', '')))})</i>"
    vetoes: List[str] = list(d.get("vetoes") or [])
    possible: List[str] = list(d.get("possible_vetoes") or [])
    veto_text = escape(", ".join(vetoes)) if vetoes else "none"
    if possible:
        veto_text += f" <i>(possible: {escape(', '.join(possible))})</i>"

    cell = 'style="padding:2px 8px;text-align:left;vertical-align:top"'
    rows: List[str] = []
    for key, value in (
        ("Score", score_text),
        ("Grade", _labels(grade.get("zh", d.get("grade", "")), grade.get("en", ""))),
        ("Verdict", verdict_text),
        ("Vetoes", veto_text),
    ):
        rows.append(f"<tr><th {cell}>{key}</th><td {cell} colspan=\"4\">{value}</td></tr>")
    for ded in d.get("deductions") or []:
        if ded.get("deducted"):
            cause = ded.get("cause") or {}
            rows.append(
                f"<tr><th {cell}>Deduction</th><td {cell} colspan=\"4\">"
                f"−{escape(_num(ded.get('deducted')))} {_labels(cause.get('zh', ''), cause.get('en', ''))}</td></tr>"
            )

    nowrap = 'style="padding:2px 8px;text-align:left;vertical-align:top;white-space:nowrap"'
    titled = 'style="padding:2px 8px;text-align:left;vertical-align:top;min-width:12em"'
    head = 'style="padding:4px 8px;text-align:left;border-bottom:2px solid #d0d7de"'
    header = (
        f"<tr><th {head}>Clause</th><th {head}>Title</th><th {head}>Status</th>"
        f"<th {head}>Points</th><th {head}>Explanation</th></tr>"
    )
    body: List[str] = []
    for area in d.get("areas") or []:
        earned = _num(area.get("earned"))
        if area.get("earned_max") != area.get("earned"):
            earned += f"–{_num(area.get('earned_max'))}"
        body.append(
            f'<tr style="background:#f6f8fa"><th {cell} colspan="3">{escape(area.get("id", ""))} '
            f"{_labels(area.get('title', ''), area.get('title_en', ''))}</th>"
            f"<th {nowrap}>{escape(earned)} / {escape(_num(area.get('possible')))}</th>"
            f"<th {cell}></th></tr>"
        )
        for c in area.get("clauses") or []:
            status = str(c.get("status", ""))
            earned = _num(c.get("earned"))
            if c.get("earned_max") != c.get("earned"):
                earned += f"–{_num(c.get('earned_max'))}"
            veto = ' <span title="one-vote veto" style="color:#cf222e">⚑</span>' if c.get("veto") else ""
            fix: Optional[Dict[str, Any]] = c.get("fix")
            fix_text = ""
            if fix:
                due = f" by {escape(str(fix['deadline']))}" if fix.get("deadline") else ""
                fix_text = (
                    f'<br><span style="color:#57606a">fix{due}: '
                    f"{escape(fix.get('action_en') or fix.get('action', ''))}</span>"
                )
            body.append(
                f"<tr><td {nowrap}>{escape(c.get('id', ''))}{veto}</td>"
                f"<td {titled}>{_labels(c.get('title', ''), c.get('title_en', ''))}</td>"
                f"<td {cell}>{status_badge(status)}</td>"
                f"<td {nowrap}>{escape(earned)} / {escape(_num(c.get('points')))}</td>"
                f"<td {cell}>{escape(c.get('explanation', ''))}{fix_text}</td></tr>"
            )

    who = " · ".join(
        escape(str(x)) for x in (audit.get("enterprise_name"), audit.get("id"), audit.get("date")) if x
    )
    title = _labels(rb.get("title", ""), rb.get("title_en", ""))
    return (
        '<div class="ecorule-report">'
        f"<div><b>{title}</b> <code>{escape(str(rb.get('id', '')))}</code>"
        + (f"<br>{who}" if who else "")
        + "</div>"
        '<table class="ecorule-report" style="border-collapse:collapse">'
        + "".join(rows)
        + header
        + "".join(body)
        + "</table></div>"
    )
