"""The exceptions of ecorule, built from the core's error data.

Every error the core reports (`ErrorInfo`: kind, message, line, column,
snippet, help and, for audit errors, the fact) arrives here; `str()` of an
exception is the core's rendered diagnostic, with the source line and a
caret where there is one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Hashable, Optional, Sequence, Tuple, TypeVar


_E = TypeVar("_E", bound="EcoruleError")


@dataclass(frozen=True)
class ErrorDetail:
    """One problem, as the core describes it."""

    kind: str
    """`syntax`, `unknown_name`, `type`, `unit`, `scoring`, `audit`, `evaluation`, …"""
    message: str
    """Lowercase, no final period; user text in backticks."""
    rendered: str
    """The diagnostic drawn as text (source line and caret when located)."""
    severity: str = "error"
    """`error`, or `warning` for what is noticed but not refused (`Rulebook.warnings`)."""
    source: Optional[str] = None
    """Name of the source it points into (the rulebook's path or name)."""
    line: Optional[int] = None
    """1-based line."""
    column: Optional[int] = None
    """1-based column, in characters."""
    start: Optional[int] = None
    """Byte offset of the start of the span."""
    end: Optional[int] = None
    """Byte offset of the end of the span."""
    snippet: Optional[str] = None
    """The source line the error points at."""
    help: Optional[str] = None
    """How to fix it, when the core knows."""
    fact: Optional[str] = None
    """For audit errors: the fact as named in the audit."""
    expected: Optional[str] = None
    """For audit errors: what the rulebook declares."""
    given: Optional[str] = None
    """For audit errors: what the audit gave."""
    message_zh: Optional[str] = None
    """The message in Chinese, where there is one: the core writes one for a
    value the audit gives that its fact cannot take, a fact given twice, an
    undeclared fact refused in strict mode, a rulebook or audit (a file or
    bytes) that is not UTF-8; the Python layer for each error it raises
    itself (a DataFrame's columns that do not name the facts, an audit that
    cannot be read)."""
    help_zh: Optional[str] = None
    """The help in Chinese, beside `message_zh`."""
    expected_zh: Optional[str] = None
    """For audit errors the core says in Chinese: what the rulebook
    declares, in Chinese, as `expected` says it in English."""

    @classmethod
    def _from_info(cls, info: dict[str, Any]) -> ErrorDetail:
        fact = info.get("fact") or {}
        return cls(
            kind=str(info.get("kind", "")),
            message=str(info.get("message", "")),
            rendered=str(info.get("rendered", "")),
            severity=str(info.get("severity", "error")),
            source=info.get("source"),
            line=info.get("line"),
            column=info.get("column"),
            start=info.get("start"),
            end=info.get("end"),
            snippet=info.get("snippet"),
            help=info.get("help"),
            fact=fact.get("fact"),
            expected=fact.get("expected"),
            given=fact.get("given"),
            message_zh=info.get("message_zh"),
            help_zh=info.get("help_zh"),
            expected_zh=info.get("expected_zh"),
        )


class EcoruleError(Exception):
    """Base class of every error ecorule raises about rules or audits.

    The attributes describe the first problem; `errors` lists them all
    (a rulebook check reports every error it finds).
    """

    errors: Tuple[ErrorDetail, ...]
    rendered: str
    index: Optional[Hashable]
    """Which audit of a batch: its position in `score_many`, its row's
    label in `score_frame` (the DataFrame's index, for `df.loc`)."""
    position: Optional[int]
    """The audit's position in the batch (in `score_frame`, for `df.iloc`)."""
    path: Optional[str]
    """The file the audit was read from, when `score` or `score_many` was
    given its path (as given)."""

    def __init__(
        self,
        errors: Sequence[ErrorDetail],
        rendered: Optional[str] = None,
        index: Optional[Hashable] = None,
        position: Optional[int] = None,
        path: Optional[str] = None,
    ) -> None:
        self.errors = tuple(errors)
        self.rendered = rendered if rendered is not None else "".join(e.rendered for e in self.errors)
        self.index = index
        self.position = position
        self.path = path
        # What the caller can do instead, as a last line of `str()`.
        self._note: Optional[str] = None
        first = self.errors[0] if self.errors else None
        super().__init__(first.message if first else self.rendered)

    @property
    def _first(self) -> Optional[ErrorDetail]:
        return self.errors[0] if self.errors else None

    @property
    def kind(self) -> str:
        """The kind of the first error."""
        return self._first.kind if self._first else ""

    @property
    def message(self) -> str:
        """The message of the first error."""
        return self._first.message if self._first else ""

    @property
    def message_zh(self) -> Optional[str]:
        """The message of the first error in Chinese, where there is one."""
        return self._first.message_zh if self._first else None

    @property
    def source(self) -> Optional[str]:
        """The source the first error points into."""
        return self._first.source if self._first else None

    @property
    def line(self) -> Optional[int]:
        """1-based line of the first error."""
        return self._first.line if self._first else None

    @property
    def column(self) -> Optional[int]:
        """1-based column of the first error."""
        return self._first.column if self._first else None

    @property
    def snippet(self) -> Optional[str]:
        """The source line of the first error."""
        return self._first.snippet if self._first else None

    @property
    def help(self) -> Optional[str]:
        """How to fix the first error, when known."""
        return self._first.help if self._first else None

    @property
    def help_zh(self) -> Optional[str]:
        """How to fix the first error, in Chinese, beside `message_zh`."""
        return self._first.help_zh if self._first else None

    def __str__(self) -> str:
        text = self.rendered.rstrip("\n")
        if self.index is not None:
            # A row's label says its position too unless they are the same.
            same = self.position is None or (type(self.index) is int and self.index == self.position)
            where = f"{self.index!r}" if same else f"{self.index!r} (position {self.position})"
            where += f" ({self.path})" if self.path is not None else ""
            text = f"audit at index {where}:\n{text}"
        elif self.path is not None:
            # As `ecorule score` says it of a file.
            text = f"{self.path} cannot be scored:\n{text}"
        if self._note is not None:
            text += f"\nnote: {self._note}"
        return text

    def _at(self, index: Hashable, position: int) -> EcoruleError:
        """This error, said of the audit at `index` (a label or a
        position) and `position` of a batch."""
        self.index, self.position = index, position
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def _of_file(self: _E, path: Optional[str]) -> _E:
        """This error, said of the audit read from `path` (if not `None`)."""
        if path is not None:
            self.path = path
        return self

    def _noted(self: _E, note: str) -> _E:
        """This error, with `note` as the last line of `str()`."""
        self._note = note
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        fields = (self.errors, self.rendered, self.index, self.position, self.path, self._note)
        return (_rebuild, (type(self), *fields))

    @classmethod
    def _from_native(cls, info_json: str, rendered: str, index: Optional[int]) -> EcoruleError:
        infos = json.loads(info_json)
        return cls([ErrorDetail._from_info(i) for i in infos], rendered, index, index)

    @classmethod
    def _plain(
        cls,
        kind: str,
        message: str,
        help: Optional[str] = None,
        fact: Optional[str] = None,
        expected: Optional[str] = None,
        given: Optional[str] = None,
        *,
        message_zh: Optional[str] = None,
        help_zh: Optional[str] = None,
    ) -> EcoruleError:
        detail = _detail(kind, message, help, fact, expected, given, message_zh=message_zh, help_zh=help_zh)
        return cls([detail])


class RulebookError(EcoruleError):
    """A rulebook (or a module it uses) that does not parse or check.

    `line`, `column` and `snippet` locate the first error; `errors` lists
    every error found.
    """


class AuditError(EcoruleError, ValueError):
    """An audit that cannot be scored: a value of the wrong type or unit,
    a malformed audit, a DataFrame whose columns do not name the facts
    (one fact in two columns, a unit that does not fit), or a failure while
    evaluating its clauses.

    `fact`, `expected` and `given` name the offending fact when there is
    one; `index` says which audit of a batch it is (the position in
    `score_many`, the row's label in `score_frame`) and `position` its
    position. It is a `ValueError` too: the audit is the right type of
    argument with a value that cannot be scored, and
    `except ValueError` catches bad data from ecorule as it does from
    `json.loads` or `pandas.read_csv`.
    """

    @property
    def fact(self) -> Optional[str]:
        """The fact, as named in the audit."""
        return self._first.fact if self._first else None

    @property
    def expected(self) -> Optional[str]:
        """What the rulebook declares for the fact."""
        return self._first.expected if self._first else None

    @property
    def expected_zh(self) -> Optional[str]:
        """What the rulebook declares for the fact, in Chinese, where the
        core says it so."""
        return self._first.expected_zh if self._first else None

    @property
    def given(self) -> Optional[str]:
        """What the audit gave."""
        return self._first.given if self._first else None


def _detail(
    kind: str,
    message: str,
    help: Optional[str] = None,
    fact: Optional[str] = None,
    expected: Optional[str] = None,
    given: Optional[str] = None,
    *,
    message_zh: Optional[str] = None,
    help_zh: Optional[str] = None,
) -> ErrorDetail:
    """An error of the Python layer, drawn as the core draws one that has no
    source line (`Error: …` and `  Help: …`, in English); `message_zh` and
    `help_zh` say it in Chinese, as the core's audit errors do."""
    rendered = f"Error: {message}\n" + (f"  Help: {help}\n" if help else "")
    return ErrorDetail(
        kind=kind,
        message=message,
        rendered=rendered,
        help=help,
        fact=fact,
        expected=expected,
        given=given,
        message_zh=message_zh,
        help_zh=help_zh,
    )


def _rebuild(
    cls: type[EcoruleError],
    errors: Sequence[ErrorDetail],
    rendered: str,
    index: Optional[Hashable],
    position: Optional[int] = None,
    path: Optional[str] = None,
    note: Optional[str] = None,
) -> EcoruleError:
    error = cls(errors, rendered, index, position, path)
    error._note = note
    return error


# Shown as `ecorule.AuditError` in tracebacks; pickle finds them there too.
for _cls in (ErrorDetail, EcoruleError, RulebookError, AuditError):
    _cls.__module__ = "ecorule"
del _cls
