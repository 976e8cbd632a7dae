"""`Rulebook`: compile once, score many audits.

Files are read here (the core does no I/O); a rulebook file finds its
modules the way the `ecorule` command does: the `.eco` modules beside it
and in `../standards`, after any `libs` directories given. The bundled
standard modules are always available.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import sys
import warnings
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterable,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
    overload,
)

from . import _native
from ._errors import AuditError, ErrorDetail, RulebookError
from ._info import AreaInfo, ClauseInfo, Fact, Outcome, areas_and_clauses, outcomes
from ._report import Report

if TYPE_CHECKING:
    import pandas

PathLike = Union[str, "os.PathLike[str]"]
AuditLike = Union[Mapping[str, Any], str, bytes, bytearray, "os.PathLike[str]"]
"""An audit: a dict (`{"audit": {...}, "facts": {...}}`), JSON text (`str`,
`bytes` or `bytearray`), or the path of a `.json` or `.toml` file."""


def is_module(text: str) -> bool:
    """Whether a source declares a module, as the core reads it."""
    return _native.module_id(text) is not None


def _eco_files(directory: Path) -> List[Path]:
    try:
        return sorted(p for p in directory.iterdir() if p.suffix == ".eco")
    except OSError:
        return []


def _module_sources(modules: Union[Sequence[str], Mapping[str, str]]) -> List[Tuple[str, str]]:
    """`from_source`'s `modules` as `(name, text)` pairs: a list of texts
    (named `<module 0>`, …) or a name → text mapping. One `str` (which
    would be read a character a module), `bytes` or path is a `TypeError`
    saying what to give, and so is a source that is not a `str`."""
    if isinstance(modules, (str, bytes, bytearray, os.PathLike)):
        raise TypeError(
            f"modules must be a list of module source texts or a name → text mapping, not one "
            f"{type(modules).__name__}: give [text] for one module (read a file's text with Path(p).read_text())"
        )
    if isinstance(modules, Mapping):
        named = [(str(k), v, f"modules[{k!r}]") for k, v in modules.items()]
    elif isinstance(modules, Iterable):
        named = [(f"<module {i}>", m, f"modules[{i}]") for i, m in enumerate(modules)]
    else:
        raise TypeError(
            f"modules must be a list of module source texts or a name → text mapping, not {type(modules).__name__}"
        )
    for _, source, where in named:
        if not isinstance(source, str):
            hint = " (decode it: data.decode('utf-8'))" if isinstance(source, (bytes, bytearray)) else ""
            hint = " (read it: Path(p).read_text())" if isinstance(source, os.PathLike) else hint
            raise TypeError(f"{where} must be a module's source text (a str), not {type(source).__name__}{hint}")
    return [(name, source) for name, source, _ in named]


def _lib_dirs(libs: Union[PathLike, Iterable[PathLike]]) -> List[Path]:
    """`from_file`'s `libs`: one folder (a `str` or path, as the CLI's
    `--lib DIR`) or an iterable of them, each one a folder that can be
    read. One that cannot (a typo, a file) is its `OSError`, as `ecorule
    --lib` refuses it: its modules left out, the rulebook would be compiled
    against a bundled standard instead, with no word."""
    if isinstance(libs, (str, os.PathLike)):
        libs = [libs]
    elif isinstance(libs, (bytes, bytearray)) or not isinstance(libs, Iterable):
        raise TypeError(f"libs must be a folder (a str or path) or a list of them, not {type(libs).__name__}")
    dirs: List[Path] = []
    for lib in libs:
        if not isinstance(lib, (str, os.PathLike)) or isinstance(os.fspath(lib), bytes):
            raise TypeError(f"libs: each folder must be a str or path, not {type(lib).__name__} ({lib!r})")
        directory = Path(lib)
        try:
            with os.scandir(directory):
                pass
        except OSError as e:
            # Named once: Python adds `: 'FOLDER'` after the text.
            raise type(e)(e.errno, f"libs: the module folder cannot be read ({e.strerror})", os.fspath(lib)) from None
        dirs.append(directory)
    return dirs


def _read_text(path: PathLike, *, audit: bool) -> str:
    """The text of a rulebook file, or with `audit` an audit file; one that
    is not UTF-8 is the core's error (`RulebookError` or `AuditError`),
    which says where the first invalid byte is as `ecorule` does. An
    audit's names its file (`path`)."""
    name = _label(os.fspath(path))
    try:
        return _native.file_text(Path(path).read_bytes(), name, audit)
    except AuditError as e:
        e._of_file(name)
        raise


Pending = Tuple[str, Any, Optional[str]]
"""An audit as the native module takes it: `(kind, value, path)`."""


def _json_text(text: str) -> Pending:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        message = f"the audit's JSON text is not valid Unicode (a lone surrogate at character {e.start})"
        message_zh = f"审核的 JSON 文本不是有效的 Unicode（字符 {e.start} 处有孤立代理项）"
        raise AuditError._plain("audit", message, message_zh=message_zh) from None
    return "json", text, None


def _pending(audit: Any) -> Pending:
    """An audit as the native module takes it: `("value", obj, None)`,
    `("bytes", data, None)`, `("json", text, path)` or `("toml", text,
    path)`, `path` the file the text was read from (for errors to name) or
    `None`. The core decodes bytes: not UTF-8, its error says where.

    A `str` is JSON text when it starts with `{` or `[`, else the path of
    an audit file; one that names no file but parses as JSON (`"null"`) is
    JSON, for the core to say what is wrong with it."""
    if isinstance(audit, Mapping):
        return "value", audit, None
    if isinstance(audit, (bytes, bytearray)):
        return "bytes", bytes(audit), None
    if isinstance(audit, str) and audit.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        return _json_text(audit)
    if isinstance(audit, str) and not os.path.exists(audit):
        try:
            json.loads(audit)
        except ValueError:
            raise _not_found(audit) from None
        return _json_text(audit)
    if isinstance(audit, (str, os.PathLike)):
        text = _read_text(audit, audit=True)
        kind = "toml" if Path(audit).suffix == ".toml" else "json"
        return kind, text, _label(os.fspath(audit))
    pandas_type = _pandas_type(audit)
    if pandas_type == "Series":
        raise AuditError._plain(
            "audit",
            "an audit must be an object with `audit` and `facts`, "
            "not a pandas Series (which looks like a DataFrame row)",
            help='score a DataFrame\'s rows with `score_frame(df)`, or one row as `score({"facts": row.to_dict()})`',
            message_zh="审核应为含 `audit` 与 `facts` 的对象，而非 pandas Series（它像是 DataFrame 的一行）",
            help_zh='用 `score_frame(df)` 为 DataFrame 的各行评分，或把一行写作 `score({"facts": row.to_dict()})`',
        )
    if pandas_type == "DataFrame":
        raise AuditError._plain(
            "audit",
            "an audit must be an object with `audit` and `facts`, not a pandas DataFrame",
            help="score its rows, one audit each, with `score_frame(df)`",
            message_zh="审核应为含 `audit` 与 `facts` 的对象，而非 pandas DataFrame",
            help_zh="用 `score_frame(df)` 为其各行评分，每行一份审核",
        )
    return "value", audit, None


def _pandas_type(value: Any) -> Optional[str]:
    """`"Series"` or `"DataFrame"` for a pandas one, else None; pandas is
    not imported for it (a value can only be one if pandas is loaded)."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    if isinstance(value, pd.Series):
        return "Series"
    if isinstance(value, pd.DataFrame):
        return "DataFrame"
    return None


def _pending_at(index: int, audit: Any) -> Pending:
    """`_pending` of the audit at `index` of `score_many`: what goes wrong
    is an `AuditError` of that audit, a file that cannot be read too."""
    try:
        return _pending(audit)
    except AuditError as e:
        e._at(index, index)
        raise
    except OSError as e:
        message = f"the audit cannot be read: {e.strerror or e}" + (f" ({e.filename})" if e.filename else "")
        message_zh = f"无法读取审核：{e.strerror or e}" + (f"（{e.filename}）" if e.filename else "")
        path = _label(os.fspath(e.filename)) if isinstance(e.filename, (str, os.PathLike)) else None
        if isinstance(e, FileNotFoundError) and isinstance(audit, str) and e.strerror and e.strerror.startswith("the audit"):
            # Neither JSON text nor a file: said as `score` says it.
            (message, message_zh), path = _neither(audit), None
        error = AuditError._plain("audit", message, message_zh=message_zh)
        raise error._at(index, index)._of_file(path) from e


RECORD_AUDITS = (
    'score_many(..., on_error="record") scores every other audit and keeps this error in its place instead of raising'
)


def _neither(audit: str) -> Tuple[str, str]:
    """What is wrong with a `str` audit that is neither JSON text nor the
    path of a file: in English and in Chinese."""
    shown, missing = _shown(audit), os.path.abspath(audit)
    return (
        f"the audit {shown} is neither JSON text (which starts with `{{`) "
        f"nor the path of a file (there is no {missing})",
        f"审核 {shown} 既不是 JSON 文本（应以 `{{` 开头），也不是文件路径（不存在 {missing}）",
    )


def _not_found(audit: str) -> FileNotFoundError:
    """The error of a `str` audit that is neither JSON text nor a file: the
    text once, as its `filename` (which Python writes after the message) if
    it may be a path (one line, at most 1,024 characters), else cut short
    in the message."""
    looked = "" if os.path.isabs(audit) else f" (there is none in {os.getcwd()})"
    message = f"the audit is neither JSON text (which starts with `{{`) nor the path of a file{looked}"
    if len(audit) > 1024 or "\n" in audit:
        message = f"the audit {_shown(audit)} is neither JSON text (which starts with `{{`) nor the path of a file"
        return FileNotFoundError(errno.ENOENT, message)
    return FileNotFoundError(errno.ENOENT, message, audit)


def _shown(text: str) -> str:
    """A text in backticks for a message, cut to 60 characters."""
    return f"`{text[:60]}…`" if len(text) > 60 else f"`{text}`"


def _unicode_source(name: str, text: str) -> None:
    """Raises `RulebookError` (kind `syntax`) where a source holds a lone
    surrogate, which no source file can: the text did not come from one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        start = text.rfind("\n", 0, e.start) + 1
        line, column = text.count("\n", 0, e.start) + 1, e.start - start + 1
        end = text.find("\n", e.start)
        snippet = text[start : end if end >= 0 else len(text)].encode("utf-8", "backslashreplace").decode("utf-8")
        message = f"the source is not valid Unicode (a lone surrogate, `{ascii(text[e.start])[1:-1]}`)"
        rendered = f"Error: {message}\n  --> {name}:{line}:{column}\n"
        detail = ErrorDetail(
            kind="syntax", message=message, rendered=rendered, source=name, line=line, column=column, snippet=snippet
        )
        raise RulebookError([detail], rendered) from None


def _label(name: str) -> str:
    """A source's name as a label: a file name that is not valid Unicode
    (bytes read with `surrogateescape`) keeps its odd bytes as escapes."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _rebuild(
    name: str,
    text: str,
    modules: Sequence[Tuple[str, str]],
    path: Optional[Path],
    hashes: Tuple[str, Dict[str, str]],
) -> Rulebook:
    """Unpickles a `Rulebook`: compiles its sources again, which must give
    the same rulebook (the same `hash` and `module_hashes`)."""
    # Warned of when it was first compiled, not again in each process.
    rulebook = Rulebook._compile(name, text, modules, path, warn=False)
    if (rulebook.hash, rulebook.module_hashes) != tuple(hashes):
        raise pickle.UnpicklingError(
            f"rulebook `{rulebook.id}` compiled again from its sources is not the one pickled "
            f"(hash {rulebook.hash} and modules {rulebook.module_hashes}, not {hashes[0]} and {hashes[1]}): "
            "the bundled standard modules differ (unpickle it with the ecorule version that pickled it)"
        )
    return rulebook


class Rulebook:
    """A checked, compiled rulebook, ready to score audits.

    Build one with `Rulebook.from_file(path)` or
    `Rulebook.from_source(text)`; both raise `RulebookError` with every
    problem found. It pickles (compiled again from its sources) and copies.
    """

    __slots__ = ("_native", "_info", "_facts", "_areas", "_clauses", "path", "_name", "_modules")

    def __init__(
        self,
        native: _native.Rulebook,
        path: Optional[Path] = None,
        name: str = "<string>",
        modules: Sequence[Tuple[str, str]] = (),
    ) -> None:
        self._native = native
        # What it was compiled from besides its source, to compile it
        # again when unpickled.
        self._name = name
        self._modules = tuple(modules)
        self._info: Dict[str, Any] = json.loads(native.info_json())
        self._facts = tuple(Fact._from_info(f) for f in self._info.get("facts", []))
        self._areas, self._clauses = areas_and_clauses(self._info)
        self.path = path
        """The file it was read from, if any."""

    @classmethod
    def from_file(cls, path: PathLike, *, libs: Union[PathLike, Iterable[PathLike]] = ()) -> Rulebook:
        """Reads and compiles a rulebook file.

        Modules come from the `libs` directories (one folder, or a list of
        them), then the rulebook's own directory and `<dir>/../standards`
        (as with `ecorule score --lib`); they replace bundled modules of the
        same id. One that replaces a bundled standard with other text is a
        `UserWarning` naming its file and both hashes, as `ecorule score`
        warns on stderr. A `libs` folder that cannot be read (none there, a
        file) is its `OSError` (`FileNotFoundError`, `NotADirectoryError`),
        as `ecorule --lib` refuses it; `libs` of another type (`bytes`, an
        `int`) is a `TypeError`.
        """
        lib_dirs = _lib_dirs(libs)
        path = Path(path)
        text = _read_text(path, audit=False)
        directory = path.parent
        dirs = lib_dirs + [directory, directory / ".." / "standards"]
        modules: List[Tuple[str, str]] = []
        for d in dirs:
            for file in _eco_files(d):
                # One that cannot be read is said, not fatal (the rulebook
                # may not use it), as `ecorule score` says it on stderr.
                try:
                    module = _read_text(file, audit=False)
                except OSError as e:
                    message = f"cannot read {_label(str(file))}: {e.strerror}; not read as a module"
                    warnings.warn(message, UserWarning, stacklevel=2)
                    continue
                except RulebookError as e:
                    warnings.warn(f"{e.message}; not read as a module", UserWarning, stacklevel=2)
                    continue
                if is_module(module):
                    modules.append((str(file), module))
        return cls._compile(str(path), text, modules, path)

    @classmethod
    def from_source(
        cls,
        text: str,
        name: Optional[str] = None,
        *,
        modules: Union[Sequence[str], Mapping[str, str]] = (),
    ) -> Rulebook:
        """Compiles rulebook source text. `name` labels it in diagnostics;
        `modules` are extra module sources (texts, or a name → text mapping).
        One text, bytes or path instead of a list of texts, or a source that
        is not a `str`, is a `TypeError`."""
        return cls._compile(name or "<string>", text, _module_sources(modules))

    @classmethod
    def _compile(
        cls,
        name: str,
        text: str,
        modules: Sequence[Tuple[str, str]],
        path: Optional[Path] = None,
        *,
        warn: bool = True,
    ) -> Rulebook:
        """Compiles; with `warn`, a `UserWarning` (pointing at the caller of
        `from_file` or `from_source`) for each bundled standard module that
        a given module replaces with other text, as `ecorule score` warns."""
        name = _label(name)
        modules = [(_label(n), t) for n, t in modules]
        _unicode_source(name, text)
        for module_name, module in modules:
            _unicode_source(module_name, module)
        native = _native.Rulebook.compile(name, text, modules)
        if warn:
            for message in native.replaced_standards():
                warnings.warn(message, UserWarning, stacklevel=3)
        return cls(native, path, name, modules)

    # -- pickling and copying ----------------------------------------------

    def __reduce__(self) -> Tuple[Any, ...]:
        # Compiled again from the same sources when unpickled (another
        # process: multiprocessing, joblib); the hashes say it is the same.
        return _rebuild, (self._name, self.source, self._modules, self.path, (self.hash, self.module_hashes))

    def __copy__(self) -> Rulebook:
        return self._shared()

    def __deepcopy__(self, memo: Dict[int, Any]) -> Rulebook:
        return self._shared()

    def _shared(self) -> Rulebook:
        """Another `Rulebook` over the same compiled one, which never changes."""
        other = Rulebook.__new__(Rulebook)
        for slot in Rulebook.__slots__:
            setattr(other, slot, getattr(self, slot))
        return other

    # -- what it declares ------------------------------------------------

    @property
    def id(self) -> str:
        """The rulebook id."""
        return self._native.id

    @property
    def title(self) -> str:
        """Chinese title."""
        return str(self._info["title"])

    @property
    def title_en(self) -> str:
        """English title."""
        return str(self._info["title_en"])

    @property
    def version(self) -> Optional[str]:
        """`version`, if given."""
        value: Optional[str] = self._info.get("version")
        return value

    @property
    def effective(self) -> Optional[str]:
        """`effective` date, if given."""
        value: Optional[str] = self._info.get("effective")
        return value

    @property
    def hash(self) -> str:
        """`sha256:` and the hex SHA-256 of the source's bytes, as `sha256sum`
        prints it for the file (a report's `rulebook["hash"]`)."""
        return self._native.hash

    @property
    def module_hashes(self) -> Dict[str, str]:
        """The modules it uses, in `use` order: id → `sha256:` of the module's
        source bytes (a report's `rulebook["modules"]`)."""
        return {m["id"]: m["hash"] for m in self._info.get("modules", [])}

    @property
    def scale(self) -> float:
        """The full score."""
        value: float = self._info["scale"]
        return value

    @property
    def source(self) -> str:
        """The source text."""
        return self._native.source

    @property
    def facts(self) -> Tuple[Fact, ...]:
        """The declared facts (built-ins `audit.*`, `enterprise.*` excluded)."""
        return self._facts

    def fact(self, name: str) -> Fact:
        """The declared fact of this name (`KeyError` if none)."""
        for f in self._facts:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def areas(self) -> Tuple[AreaInfo, ...]:
        """Areas, in order."""
        return self._areas

    @property
    def clauses(self) -> Tuple[ClauseInfo, ...]:
        """Clauses, in rulebook order."""
        return self._clauses

    @property
    def clause_ids(self) -> List[str]:
        """Clause ids, in rulebook order."""
        return self._native.clause_ids()

    @property
    def grades(self) -> Tuple[Outcome, ...]:
        """Grades, first match wins."""
        return outcomes(self._info.get("grades"))

    @property
    def verdicts(self) -> Tuple[Outcome, ...]:
        """Verdicts, first match wins."""
        return outcomes(self._info.get("verdicts"))

    @property
    def warnings(self) -> Tuple[ErrorDetail, ...]:
        """What the checker noticed but does not refuse, in source order: each
        declared fact nothing reads and each `let` nothing uses (kind `unused`),
        each comparison every value of its fact's declared range meets and each
        concentration per litre compared with one per cubic metre (kind
        `suspicious`)."""
        return tuple(ErrorDetail._from_info(w) for w in json.loads(self._native.warnings_json()))

    def info(self) -> Dict[str, Any]:
        """Everything declared, as the core's `RulebookInfo` data."""
        result: Dict[str, Any] = json.loads(self._native.info_json())
        return result

    def questionnaire(self) -> Dict[str, Any]:
        """The facts grouped by the area that first reads them, for a form."""
        result: Dict[str, Any] = json.loads(self._native.questionnaire_json())
        return result

    def audit_schema(self) -> Dict[str, Any]:
        """The JSON Schema (draft 2020-12) of the audits it accepts."""
        result: Dict[str, Any] = json.loads(self._native.audit_schema_json())
        return result

    # -- scoring ---------------------------------------------------------

    def score(self, audit: AuditLike, *, strict: bool = False) -> Report:
        """Scores one audit: a dict, JSON text, or a `.json` / `.toml` path.

        `strict` makes undeclared facts errors instead of report warnings.
        Raises `AuditError`; `FileNotFoundError` for a `str` that is neither
        a file nor JSON text. An error of an audit read from a file names
        it, as `ecorule score` does: its `path` is the file, `str()` starts
        with it, and malformed JSON is located as `path:line:column`.
        """
        kind, value, path = _pending(audit)
        try:
            return Report(self._native.score(kind, value, strict, path))
        except AuditError as e:
            e._of_file(path)
            raise

    @overload
    def score_many(
        self, audits: Iterable[AuditLike], *, strict: bool = ..., on_error: Literal["raise"] = ...
    ) -> List[Report]: ...
    @overload
    def score_many(
        self, audits: Iterable[AuditLike], *, strict: bool = ..., on_error: Literal["record"]
    ) -> List[Union[Report, AuditError]]: ...
    def score_many(
        self, audits: Iterable[AuditLike], *, strict: bool = False, on_error: str = "raise"
    ) -> Union[List[Report], List[Union[Report, AuditError]]]:
        """Scores many audits on every core, the GIL released while they
        are scored (and, while they are read, after every 64 audits).
        Ctrl-C stops it within a fraction of a second (`KeyboardInterrupt`).

        `audits` is an iterable of what `score` takes (one `str` is not).
        By default the first audit that cannot be read or scored raises
        `AuditError` with its `index` (a file that cannot be read too: the
        `OSError` is its `__cause__`), and no report is returned; one read
        from a file names it (`path`). With `on_error="record"` every audit
        is still scored: one that cannot be read or scored is its
        `AuditError` in its place in the list, the others their reports.
        """
        if on_error not in ("raise", "record"):
            raise ValueError(f"on_error must be 'raise' or 'record', not {on_error!r}")
        if _pandas_type(audits) == "DataFrame":
            raise TypeError(
                "score_many takes an iterable of audits, not a pandas DataFrame (which iterates over its "
                "column names): score its rows, one audit each, with score_frame(df)"
            )
        if isinstance(audits, (str, bytes, bytearray, os.PathLike, Mapping)):
            raise TypeError(
                f"score_many takes an iterable of audits, not one {type(audits).__name__}: "
                "score one audit with score(), or give a list of them"
            )
        if on_error == "raise":
            return self._score_many_or_raise(audits, strict)
        pending: List[Optional[Pending]] = []
        unread: Dict[int, AuditError] = {}
        for i, a in enumerate(audits):
            try:
                pending.append(_pending_at(i, a))
            except AuditError as e:
                unread[i] = e
                pending.append(None)
        results = self._native.score_many(pending, strict, True)
        out: List[Union[Report, AuditError]] = []
        for i, (r, p) in enumerate(zip(results, pending)):
            if isinstance(r, str):
                out.append(Report(r))
            elif isinstance(r, AuditError):
                out.append(r._of_file(p[2] if p is not None else None))
            else:
                out.append(unread[i])
        return out

    def _score_many_or_raise(self, audits: Iterable[AuditLike], strict: bool) -> List[Report]:
        """`score_many` with `on_error="raise"`: the audits are read up to
        the first that cannot be, those before it scored, and the error of
        the first audit in order that fails is raised, whether it could not
        be read or not be scored."""
        items: List[Pending] = []
        unread: Optional[AuditError] = None
        for i, a in enumerate(audits):
            try:
                items.append(_pending_at(i, a))
            except AuditError as e:
                unread = e
                break
        try:
            reports = [Report(text) for text in self._native.score_many(items, strict)]
        except AuditError as e:
            if e.position is not None and 0 <= e.position < len(items):
                e._of_file(items[e.position][2])
            e._noted(RECORD_AUDITS)
            raise
        if unread is not None:
            unread._noted(RECORD_AUDITS)
            raise unread
        return reports

    def score_frame(
        self,
        df: pandas.DataFrame,
        units: Optional[Mapping[str, str]] = None,
        *,
        on_error: Literal["raise", "record"] = "raise",
    ) -> pandas.DataFrame:
        """Scores one audit per row of a DataFrame to a summary DataFrame.

        Columns are named by fact (`stack.height`), optionally with a unit
        (`stack.height [m]`, `stack.height (m)`, `noise.day (dB(A))`, or
        `units={"stack.height": "m"}`); `audit.id`, `audit.date`, `enterprise.id` and
        `enterprise.name` may be given too. NaN / None / NA are unknown.
        Every column must name a fact (drop others first).

        Returns, on the same index: `id` (the `audit.id` column, else the
        index, with its dtype: it merges with the ids it came from),
        `score` (NaN when unknown facts leave a range), `score_min`, `score_max`, `grade`, `verdict`,
        `determined`, `vetoes`, `warnings` (the report's warnings, a tuple
        per row), `warnings_zh` (the same in Chinese) and one status column
        per clause.

        A cell that does not convert (or a row that cannot be scored) is an
        error of its row. By default the first such row raises `AuditError`
        with the row's label as `index` and its position as `position`,
        and no row's result is returned. With `on_error="record"` every
        other row is still scored, and such a row gets an `error` message
        (and help) and missing results instead (`determined` is then a
        nullable `boolean` column), and the same in Chinese in `error_zh`.
        A row over the limits of one audit (1,000,000 values) is an error
        of its row, as `score` refuses the same audit. A problem with the columns themselves
        (one that names no fact, one fact in two columns, a unit that does
        not fit, a `units` key that names no column) raises `AuditError`
        either way, before any row is scored.
        """
        from ._frame import score_frame

        return score_frame(self, df, units, on_error)

    def __repr__(self) -> str:
        n = len(self._clauses)
        return f"<Rulebook {self.id} {self.version or ''} ({n} clause{'' if n == 1 else 's'})>".replace("  ", " ")
