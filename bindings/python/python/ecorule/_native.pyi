"""Type stubs of the native module `ecorule._native` (pyo3)."""

from typing import Any, Dict, List, Optional, Sequence, Tuple, final

__all__ = [
    "MAX_TEXT_BYTES",
    "Rulebook",
    "__version__",
    "factorize_texts",
    "file_text",
    "module_id",
    "render_report",
    "report_schema",
    "standard_modules",
]

__version__: str
MAX_TEXT_BYTES: int
"""The most bytes a text in an audit may have (`Limits::max_string_bytes`)."""

def report_schema() -> str:
    """The report schema this build writes."""

def render_report(report_json: str, format: str, lang: str = "both") -> str:
    """A report's JSON drawn as text, markdown, html or html_fragment, in
    `lang`: "both", "zh" or "en"."""

def standard_modules() -> List[Tuple[str, str]]:
    """The bundled standard modules as `(name, text)` pairs."""

def module_id(text: str) -> Optional[str]:
    """The id a module's source declares, or `None` for a rulebook."""

def file_text(data: bytes, name: str, audit: bool) -> str:
    """The text of the file `name` read as `data` (a rulebook's, or with
    `audit` an audit's); bytes that are not UTF-8 raise `RulebookError`
    or `AuditError`, saying where the first invalid byte is."""

def factorize_texts(values: Any, limit: int, na: Any) -> Optional[Tuple[Any, List[str]]]:
    """A column of texts factorised by object identity, or None."""

@final
class Rulebook:
    """A compiled rulebook (the core's `ecorule::Rulebook`)."""

    @staticmethod
    def compile(name: str, text: str, modules: Sequence[Tuple[str, str]]) -> Rulebook:
        """Compiles `text` with extra `(name, text)` modules; raises `RulebookError`."""
    @property
    def id(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def source(self) -> str: ...
    def info_json(self) -> str: ...
    def warnings_json(self) -> str: ...
    def replaced_standards(self) -> List[str]:
        """One message per bundled standard module a given module replaced
        with other text, as `ecorule score` warns of it."""
    def questionnaire_json(self) -> str: ...
    def audit_schema_json(self) -> str: ...
    def clause_ids(self) -> List[str]: ...
    def fact_slot(self, name: str) -> Optional[int]: ...
    def slots_read(self) -> List[bool]: ...
    def column_unit_problem(
        self, slot: int, unit: str
    ) -> Optional[Tuple[str, str, Optional[str], Optional[str], Optional[str], str]]:
        """Why `unit` cannot be the unit of a column of the fact in `slot`
        (the core's `Rulebook::column_unit`), as `(message, message_zh, help,
        help_zh, expected, given)`, or None; a slot it does not have raises."""
    def score(self, kind: str, audit: Any, strict: bool, path: Optional[str] = None) -> str:
        """Scores `("value", obj)`, `("bytes", data)`, `("json", text)` or
        `("toml", text)` to report JSON; `path` is the file the text was
        read from, for errors."""
    def score_many(
        self, audits: Sequence[Optional[Tuple[str, Any, Optional[str]]]], strict: bool, record: bool = False
    ) -> List[Any]:
        """Scores many audits in parallel to report JSON texts; with
        `record`, an audit that fails is its `AuditError` in its place
        (`None` stays `None`)."""
    def score_columns(
        self,
        n_rows: int,
        columns: Sequence[Tuple[int, str, str, Any, Optional[List[Any]], Optional[str]]],
        record_errors: bool,
        texts: Sequence[Tuple[str, Any]] = ...,
    ) -> Dict[str, Any]:
        """Scores audits held as packed columns, `(slot, fact, kind, data,
        distinct, unit)`, to packed summary arrays; a cell that does not
        convert is an error of its row, and so is a row over the limit on
        values in one audit (`texts`: the text columns not handed over, as
        `(fact, Series)`, counted too)."""
