"""`Rulebook.score_frame`: a DataFrame of audits to a DataFrame of results.

Each column is packed once for the native module: 64-bit floats and
integers and 32-bit floats as their NumPy arrays (read in place), anything
else factorised into codes and its distinct values. The native module
scores every row through the core on all cores with the GIL released.
pandas is imported only here.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Tuple

from . import _native
from ._errors import AuditError, _detail

if TYPE_CHECKING:
    import pandas

    from ._info import Fact
    from ._rulebook import Rulebook

_IN_BRACKETS = re.compile(r"^(?P<name>.*?)\s*\[(?P<unit>[^\[\]]*)\]$")
_UNIT_START = re.compile(r"[\[(]")

TEXT_BUILTINS = ("audit.id", "enterprise.id", "enterprise.name")

RECORD_ROWS = (
    'score_frame(..., on_error="record") scores every other row and gives this one an `error` message instead of raising'
)

# A text column of at most this many distinct objects is factorised by
# object identity in the native module; one of more (dates written out
# one object per row, ids) by pandas.
_IDENTITY_LIMIT = 1024

# The most rows one call scores (the native module counts them in 32 bits).
_MAX_ROWS = 2**32 - 1


def split_unit(column: str) -> Tuple[str, Optional[str]]:
    """`"stack.height [m]"` → `("stack.height", "m")`, `"noise.day (dB(A))"`
    → `("noise.day", "dB(A)")` (parentheses may nest); `"x"` → `("x", None)`."""
    text = column.strip()
    m = _IN_BRACKETS.match(text)
    if m:
        name, unit = m.group("name"), m.group("unit")
    else:
        start = _opening(text)
        if start is None:
            return text, None
        name, unit = text[:start].rstrip(), text[start + 1 : -1]
    if not name:
        return text, None
    return name, unit.strip() or None


def _opening(text: str) -> Optional[int]:
    """Where the `(` is that a final `)` closes, or None."""
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return None


def _escaped(text: str) -> str:
    """A text for a message, its lone surrogates written as `\\udcff`."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _is_unicode(text: str) -> bool:
    """Whether a `str` encodes to UTF-8 (holds no lone surrogate)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _checked_units(units: Optional[Mapping[str, str]]) -> Dict[str, str]:
    """`score_frame`'s `units`, each key a column or fact name and each
    value a unit text."""
    if units is None:
        return {}
    if not isinstance(units, Mapping):
        raise TypeError(f"units must map column or fact names to unit texts, not be a {type(units).__name__}")
    checked: Dict[str, str] = {}
    for key, unit in units.items():
        if not isinstance(key, str):
            raise TypeError(f"units: the key {key!r} must be a column or fact name (a str), not {type(key).__name__}")
        if not isinstance(unit, str):
            raise TypeError(f"units[{key!r}] must be a unit text such as 'm' or 'mg/m³', not {unit!r}")
        checked[key] = unit
    return checked


def _only_valid_text(series: Any, pd: Any) -> bool:
    """Whether every value of the column is missing or a valid text (a `str`
    that encodes to UTF-8: no lone surrogate) within the size limit on a
    text (`Limits::max_string_bytes`, as for an audit dict's texts)."""
    dtype = series.dtype
    if not isinstance(dtype, pd.StringDtype) and not (
        dtype == object and pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty")
    ):
        return False
    texts = series.to_numpy(dtype=object, na_value="").tolist()
    try:
        "".join(texts).encode()
    except UnicodeEncodeError:
        return False
    # A character is at most 4 bytes: only long texts need encoding again.
    limit = _native.MAX_TEXT_BYTES
    return all(len(t) * 4 <= limit or len(t.encode()) <= limit for t in texts)


def _codes(codes: Any, n_distinct: int, np: Any) -> Any:
    """Factorised codes (-1 missing) as the narrowest unsigned integers that
    hold them, the widest value of that type meaning missing."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if n_distinct < np.iinfo(dtype).max:
            return np.asarray(codes).astype(dtype)  # -1 wraps to the widest value
    raise AuditError._plain(
        "audit_too_large",
        f"a column has {n_distinct:,} distinct values, too many to score at once",
        help="score the frame in parts",
        message_zh=f"一列有 {n_distinct:,} 个不同的值，过多，无法一次评分",
        help_zh="请把 DataFrame 分成几部分评分",
    )


def _pack(series: Any, np: Any, pd: Any) -> Tuple[str, Any, Optional[List[Any]]]:
    """A column as `(kind, data, distinct values)` for the native module."""
    dtype = series.dtype
    types = pd.api.types
    if dtype == np.bool_:
        return "codes", series.to_numpy().view(np.uint8), [False, True]
    if dtype == np.int64:
        return "int64", series.to_numpy(), None
    if isinstance(dtype, pd.StringDtype) or dtype == object:
        # Texts (and missing values) only; anything else is packed below.
        packed = _native.factorize_texts(series.to_numpy(dtype=object), _IDENTITY_LIMIT, pd.NA)
        if packed is not None:
            return "codes", packed[0], packed[1]
    if types.is_float_dtype(dtype) and getattr(dtype, "itemsize", 8) < 8:
        return _pack_narrow_floats(series, np, pd)
    if types.is_float_dtype(dtype) or types.is_integer_dtype(dtype) and not types.is_bool_dtype(dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        # Other integers pass as floats only while every one is exact (|x| < 2^53).
        if types.is_float_dtype(dtype) or not len(values) or np.nanmax(np.abs(values), initial=0) < 2.0**53:
            return "float64", values, None
    if dtype == object and types.infer_dtype(series, skipna=True) in ("mixed", "mixed-integer"):
        return _pack_by_type(series, np, pd)
    if dtype == object or types.is_string_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype):
        # Factorising the plain object array is about twice as fast as
        # going through a pandas string dtype.
        series = series.to_numpy(dtype=object)
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except Exception:  # unhashable cells (lists, dicts, `Decimal("sNaN")`) that infer_dtype did not call mixed
        return _pack_by_type(series, np, pd)
    distinct = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
    return "codes", _codes(codes, len(distinct), np), distinct


def _pack_narrow_floats(series: Any, np: Any, pd: Any) -> Tuple[str, Any, Optional[List[Any]]]:
    """A column of floats narrower than 64 bits, each value to be read by
    its own shortest decimal (a float32 0.9 is 0.9, not the
    0.8999999761581421 it is as a 64-bit float): float32 as its array, read
    in place; float16 factorised, its distinct values as NumPy scalars."""
    if series.dtype.itemsize == 4:
        return "float32", series.to_numpy(dtype=np.float32, na_value=np.nan), None
    values = series.to_numpy(dtype=np.float16, na_value=np.nan)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = list(np.asarray(uniques, dtype=np.float16))
    return "codes", _codes(codes, len(distinct), np), distinct


def _key(value: Any) -> Tuple[Any, Any]:
    """A value's key when factorising by type and value; an unhashable
    value (a list, a dict) is keyed by its identity, so each such object is
    converted apart (equal ones too, at worst)."""
    try:
        hash(value)
    except Exception:  # TypeError, or whatever a cell's own `__hash__` raises
        return _Unhashable, id(value)
    return type(value), value


class _Unhashable:
    """Marks the key of an unhashable value (its `id`)."""


def _missing(values: Any, np: Any, pd: Any) -> Any:
    """Which cells of an object array are missing (None, NaN, NA, NaT), as
    booleans. A cell pandas cannot test (`pd.isna(Decimal("sNaN"))`
    raises) counts as given: the native module converts it as `score` does
    (a Decimal NaN of either kind is unknown), or makes it its row's error."""
    try:
        return np.asarray(pd.isna(values), dtype=bool)
    except Exception:
        return np.array([_cell_missing(v, pd) for v in values], dtype=bool)


def _cell_missing(value: Any, pd: Any) -> bool:
    """Whether one cell is missing by `pd.isna` (a list cell never is)."""
    try:
        result = pd.isna(value)
    except Exception:
        return False
    return result is True


def _pack_by_type(series: Any, np: Any, pd: Any) -> Tuple[str, Any, Optional[List[Any]]]:
    """A column of objects of several types factorised by type and value:
    pandas finds True == 1 == 1.0 and would keep one of them, so values of
    different types are kept apart and each is checked as given."""
    values = series.to_numpy(dtype=object) if hasattr(series, "to_numpy") else np.asarray(series, dtype=object)
    missing = _missing(values, np, pd)
    keys = [None if m else _key(v) for v, m in zip(values, missing)]
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
    first = {key: v for key, v in zip(keys, values) if key is not None}
    distinct = [first[key] for key in uniques]
    return "codes", _codes(codes, len(distinct), np), distinct


def _one_unit(shown: str, name: str, unit: Optional[str], keys: List[str], units: Mapping[str, str]) -> None:
    """Raises `AuditError` (kind `unit`) if a column is given two different
    units: by its name and in `units`, or in `units` by its name and by its
    fact's. Neither is taken over the other."""
    said = ([("its name", "列名", unit)] if unit is not None else []) + [
        (f"units[{key!r}]", f" units[{key!r}] ", units[key]) for key in keys
    ]
    first, first_zh, first_unit = said[0]
    for by, by_zh, other in said[1:]:
        if other != first_unit:
            both = f"`{_escaped(first_unit)}` by {first} and `{_escaped(other)}` by {by}"
            raise AuditError._plain(
                "unit",
                f"column `{shown}` is in {_escaped(first_unit)} by {first}, but {by} says {_escaped(other)}",
                help="give the column's unit once: in its name or in `units`, not both",
                fact=_escaped(name),
                expected="one unit for the column",
                given=both,
                message_zh=f"列 `{shown}` 的单位在{first_zh}中为 {_escaped(first_unit)}，"
                f"但在{by_zh}中为 {_escaped(other)}",
                help_zh="列的单位只给一次：写在列名中或 `units` 中，不要两处都写",
            )


def _stray_units(keys: List[str], columns: List[str]) -> AuditError:
    """The error for `units` keys that name no column, neither by its name
    nor by its fact's (one error each, with the column or fact it may mean)."""
    names = list(dict.fromkeys(columns + [split_unit(c)[0] for c in columns]))
    details = []
    for key in keys:
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.8)
        hint = f" (did you mean `{_escaped(close[0])}`?)" if close else ""
        hint_zh = f"（是否应为 `{_escaped(close[0])}`？）" if close else ""
        details.append(
            _detail(
                "unit",
                f"units[{key!r}] names no column{hint}",
                help="key `units` by a column's name (`stack.height [cm]`) or by its fact's (`stack.height`)",
                fact=_escaped(split_unit(key)[0]),
                expected="the name of a column or of its fact",
                given=f"`{_escaped(key)}`",
                message_zh=f"units[{key!r}] 不是任何一列的名称{hint_zh}",
                help_zh="`units` 的键应为列名（`stack.height [cm]`）或列的数据项名（`stack.height`）",
            )
        )
    return AuditError(details)


def _facts_by_label(facts: Iterable[Fact]) -> Dict[str, str]:
    """Each fact's name by its Chinese label and by its English one (in
    lower case), as a spreadsheet's header may give it instead."""
    by_label: Dict[str, str] = {}
    for fact in facts:
        for label in (fact.label, fact.label_en.casefold()):
            if label.strip():
                by_label.setdefault(label.strip(), fact.name)
    return by_label


def _flattened(label: Tuple[Any, ...]) -> str:
    """A tuple column label (a header of several rows: fact, unit) as the one
    name score_frame reads, `fact [unit]`; the empty cells pandas names
    `Unnamed: …` are left out."""
    parts = [str(p).strip() for p in label if str(p).strip() and not str(p).startswith("Unnamed:")]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else f"{parts[0]} [{' '.join(parts[1:])}]"


def _meant(column: str, label: Any, names: List[str], by_label: Mapping[str, str]) -> Optional[str]:
    """The column name a column that names no fact may mean: a tuple label
    flattened (`stack.height [m]`), the fact whose label it is, or a fact
    name close to it."""
    if isinstance(label, tuple):
        flat = _flattened(label)
        fact, _ = split_unit(flat)
        if fact in names or fact in by_label or fact.casefold() in by_label:
            name = by_label.get(fact) or by_label.get(fact.casefold()) or fact
            return flat.replace(fact, name, 1)
        return flat or None
    name, unit = split_unit(column)
    labelled = by_label.get(name) or by_label.get(name.casefold())
    if labelled is not None:
        return f"{labelled} [{unit}]" if unit else labelled
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.8)
    return close[0] if close else None


def _ids(values: Any, n: int, pd: Any) -> Any:
    """The result's `id` column: the `audit.id` column or else the index,
    each value and its dtype as given (int64 ids stay int64, a RangeIndex
    gives int64, texts keep their text dtype, a MultiIndex gives tuples), so
    it merges with the column it came from."""
    if isinstance(values, pd.MultiIndex):
        values = values.to_flat_index()
    return pd.Series(values.array, index=pd.RangeIndex(n), dtype=values.dtype, copy=False)


def score_frame(
    rulebook: Rulebook,
    df: pandas.DataFrame,
    units: Optional[Mapping[str, str]],
    on_error: str,
) -> pandas.DataFrame:
    try:
        import numpy as np
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("score_frame needs pandas: pip install 'ecorule[pandas]'") from e
    if on_error not in ("raise", "record"):
        raise ValueError(f"on_error must be 'raise' or 'record', not {on_error!r}")
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"score_frame takes a pandas DataFrame, not {type(df).__name__}")

    if len(df) > _MAX_ROWS:
        raise AuditError._plain(
            "audit_too_large",
            f"the frame has {len(df):,} rows, more than one call scores ({_MAX_ROWS:,})",
            help="score the frame in parts: `df.iloc[i : i + 1_000_000]`",
            message_zh=f"DataFrame 有 {len(df):,} 行，超过一次调用可评分的行数（{_MAX_ROWS:,}）",
            help_zh="请把 DataFrame 分成几部分评分：`df.iloc[i : i + 1_000_000]`",
        )

    # Every problem with the frame's columns is found before any row is
    # scored, and is an `AuditError` naming the fact (whatever `on_error` says).
    native = rulebook._native
    declared = {f.name: f for f in rulebook.facts}
    read = native.slots_read()
    units = _checked_units(units)
    used_units: set[str] = set()
    columns: List[Tuple[int, str, str, Any, Optional[List[Any]], Optional[str]]] = []
    by_slot: Dict[int, str] = {}
    texts: List[Tuple[str, Any]] = []
    unknown: List[str] = []
    unknown_labels: List[Any] = []
    audit_ids: Any = None
    for position, label in enumerate(df.columns):
        column = str(label)
        name, unit = split_unit(column)
        shown = _escaped(column)
        where, where_zh = f"column `{shown}`", f"列 `{shown}`"
        keys = [key for key in dict.fromkeys((column, name)) if key in units]
        if keys:
            used_units.update(keys)
            _one_unit(shown, name, unit, keys, units)
            unit = units[keys[0]]
            where, where_zh = f"column `{shown}` (units[{keys[0]!r}])", f"列 `{shown}`（units[{keys[0]!r}]）"
        slot = native.fact_slot(name) if _is_unicode(name) else None
        if slot is None:
            prefix = _UNIT_START.split(column, maxsplit=1)[0].strip()
            if prefix != name and _is_unicode(prefix) and native.fact_slot(prefix) is not None:
                # A fact's column whose unit part is malformed, not a misspelt fact.
                own = declared[prefix].unit if prefix in declared else None
                example, example_zh = own or "unit", own or "单位"
                raise AuditError._plain(
                    "unit",
                    f"column `{shown}`: the unit after `{prefix}` could not be read",
                    help="give one unit in brackets or balanced parentheses: "
                    f"`{prefix} [{example}]` or `{prefix} ({example})`",
                    fact=prefix,
                    expected="one unit in brackets or balanced parentheses",
                    given=f"`{shown}`",
                    message_zh=f"列 `{shown}`：`{prefix}` 之后的单位无法读取",
                    help_zh="在方括号或成对的圆括号中给出一个单位："
                    f"`{prefix} [{example_zh}]` 或 `{prefix} ({example_zh})`",
                )
            unknown.append(column)
            unknown_labels.append(label)
            continue
        if slot in by_slot:
            # As the core refuses a fact an audit gives twice: which one
            # counts would depend on the order of the columns.
            first = by_slot[slot]
            if first == column:
                twice, twice_zh = f"two columns named `{shown}`", f"两列都名为 `{shown}`"
            else:
                twice, twice_zh = f"columns `{_escaped(first)}` and `{shown}`", f"列 `{_escaped(first)}` 与 `{shown}`"
            raise AuditError._plain(
                "audit",
                f"fact `{name}` is given twice, by {twice}",
                help="give each fact in one column: drop or rename the other",
                fact=name,
                expected="one column",
                given=twice,
                message_zh=f"数据项 `{name}` 给出了两次：{twice_zh}",
                help_zh="每个数据项只用一列给出：删去另一列，或为其改名",
            )
        by_slot[slot] = column
        if unit is not None and not _is_unicode(unit):
            raise AuditError._plain(
                "unit",
                f"{where}: the unit `{_escaped(unit)}` is not valid Unicode (it holds a lone surrogate)",
                fact=name,
                expected="a unit in valid Unicode",
                given=f"`{_escaped(unit)}`, which holds a lone surrogate",
                message_zh=f"{where_zh}：单位 `{_escaped(unit)}` 不是有效的 Unicode（含孤立代理项）",
            )
        fact = declared.get(name)
        if unit is not None and fact is not None and unit == fact.unit:
            unit = None
        problem = native.column_unit_problem(slot, unit) if unit is not None else None
        if problem is not None:
            # The column's, not a row's: raised before any row is scored.
            message, message_zh, help, help_zh, expected, given = problem
            raise AuditError._plain(
                "unit",
                f"{where}: {message}",
                help=help,
                fact=name,
                expected=expected,
                given=given,
                message_zh=f"{where_zh}：{message_zh}",
                help_zh=help_zh,
            )
        series = df.iloc[:, position]
        if name == "audit.id":
            audit_ids = series
        text = name in TEXT_BUILTINS or (fact is not None and fact.type == "text")
        if text and not read[slot] and _only_valid_text(series, pd):
            # Any text is a valid value here, and the rulebook never reads
            # this fact (an id, usually): its values cannot change a score
            # (they count towards a row's values only).
            texts.append((name, series))
            continue
        kind, packed, distinct = _pack(series, np, pd)
        columns.append((slot, name, kind, packed, distinct, unit))
    if unknown:
        names = list(declared) + list(TEXT_BUILTINS) + ["audit.date"]
        by_label = _facts_by_label(declared.values())

        def named(column: str, label: Any) -> Tuple[str, str]:
            """The column in backticks, with the fact it may mean: in English and in Chinese."""
            shown = f"`{_escaped(column)}`"
            meant = _meant(column, label, names, by_label)
            if meant is None:
                return shown, shown
            return f"{shown} (did you mean `{_escaped(meant)}`?)", f"{shown}（是否应为 `{_escaped(meant)}`？）"

        said = [named(c, label) for c, label in zip(unknown, unknown_labels)]
        which = "column " + said[0][0] + " is not a fact" if len(unknown) == 1 else (
            "columns " + ", ".join(en for en, _ in said) + " are not facts"
        )
        help, help_zh = (
            "name columns by fact (`stack.height [m]`), or drop the others before scoring",
            "按数据项为列命名（`stack.height [m]`），或在评分前删去其他列",
        )
        if any(isinstance(label, tuple) for label in unknown_labels):
            # A two-row header (fact, unit), as `read_excel(..., header=[0, 1])` reads one.
            help, help_zh = (
                "flatten a header of several rows (fact, unit) into one name per column, which score_frame reads: "
                '`df.columns = [f"{fact} [{unit}]" for fact, unit in df.columns]`',
                "把多行表头（数据项、单位）合并为每列一个名称，score_frame 可读取："
                '`df.columns = [f"{fact} [{unit}]" for fact, unit in df.columns]`',
            )
        listed = ", ".join(f"`{_escaped(c)}`" for c in unknown)
        # No space after a full-width parenthesis.
        listed_zh = "、".join(zh for _, zh in said)
        listed_zh += "" if listed_zh.endswith("）") else " "
        raise AuditError._plain(
            "audit",
            f"{which} of rulebook `{rulebook.id}`",
            help=help,
            fact=_escaped(split_unit(unknown[0])[0]),
            expected=f"a fact rulebook `{rulebook.id}` declares",
            given=f"column {listed}" if len(unknown) == 1 else f"columns {listed}",
            message_zh=f"列 {listed_zh}不是规则集 `{rulebook.id}` 的数据项",
            help_zh=help_zh,
        )
    stray = [key for key in units if key not in used_units]
    if stray:
        raise _stray_units(stray, [str(c) for c in df.columns])

    n = len(df)
    try:
        out = native.score_columns(n, columns, on_error == "record", texts)
    except AuditError as e:
        # The native error knows the row's position; pandas users look a
        # row up by its label (`df.loc[e.index]`).
        if e.position is not None:
            e._at(df.index[e.position : e.position + 1].tolist()[0], e.position)._noted(RECORD_ROWS)
        raise

    clauses: List[str] = out["clauses"]
    score_min = np.frombuffer(out["score_min"], dtype=np.float64)
    score_max = np.frombuffer(out["score_max"], dtype=np.float64)
    score = np.where(score_min == score_max, score_min, np.nan)
    # One clause per row of `statuses` (contiguous), its codes as int8:
    # 255 (no status) reads as -1, which from_codes takes as missing.
    statuses = np.ascontiguousarray(np.frombuffer(out["statuses"], dtype=np.int8).reshape(n, len(clauses)).T)
    status_names: List[str] = out["status_names"]

    def categorical(codes: Any, categories: List[str]) -> Any:
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories))

    determined: Any = np.frombuffer(out["determined"], dtype=np.uint8).astype(bool)
    if on_error == "record":
        # A row that could not be scored is neither determined nor not.
        failed = np.zeros(n, dtype=bool)
        failed[[row for row, *_ in out["errors"]]] = True
        determined = pd.arrays.BooleanArray(determined, failed)
    data: Dict[str, Any] = {
        "id": _ids(audit_ids if audit_ids is not None else df.index, n, pd),
        "score": score,
        "score_min": score_min,
        "score_max": score_max,
        "grade": categorical(np.frombuffer(out["grade"], dtype=np.int64), out["grades"]),
        "grade_best": categorical(np.frombuffer(out["grade_best"], dtype=np.int64), out["grades"]),
        "verdict": categorical(np.frombuffer(out["verdict"], dtype=np.int64), out["verdicts"]),
        "verdict_best": categorical(np.frombuffer(out["verdict_best"], dtype=np.int64), out["verdicts"]),
        "determined": determined,
        "vetoes": pd.Series(out["vetoes"], dtype=object),
        "warnings": pd.Series(out["warnings"], dtype=object),
        "warnings_zh": pd.Series(out["warnings_zh"], dtype=object),
    }
    # One dtype for every status column: building it is most of from_codes.
    status_dtype = pd.CategoricalDtype(status_names)
    for j, clause in enumerate(clauses):
        data[clause] = pd.Categorical.from_codes(statuses[j], dtype=status_dtype)
    if on_error == "record":
        errors: List[Optional[str]] = [None] * n
        errors_zh: List[Optional[str]] = [None] * n
        for row, message, message_zh in out["errors"]:
            errors[row], errors_zh[row] = message, message_zh
        data["error"] = pd.Series(errors, dtype=object)
        data["error_zh"] = pd.Series(errors_zh, dtype=object)
    result = pd.DataFrame(data)
    result.index = df.index
    return result
