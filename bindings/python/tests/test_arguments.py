"""The Python layer's own arguments: `libs=`, `modules=`, a missing audit
file, and hints for `score_frame`'s headers that are almost right."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ecorule
from conftest import RULES

FISHMEAL = RULES / "fishmeal" / "fishmeal.eco"


def local_standard(tmp_path: Path) -> Path:
    """A folder holding a revision of GB 14554 (its 15 m ammonia row changed)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    text = (RULES / "standards" / "gb14554.eco").read_text(encoding="utf-8")
    assert "15 m => 4.9 kg/h" in text
    (lib / "gb14554.eco").write_text(text.replace("15 m => 4.9 kg/h", "15 m => 5.9 kg/h"), encoding="utf-8")
    return lib


def rulebook_apart(tmp_path: Path) -> Path:
    """The fishmeal rulebook copied to a folder of its own (no standards beside it)."""
    folder = tmp_path / "fm"
    folder.mkdir()
    return Path(shutil.copy(FISHMEAL, folder))


# -- libs= ----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:module `gb14554` comes from")
@pytest.mark.parametrize("given", [str, Path, lambda p: [str(p)], lambda p: (Path(p),)], ids=["str", "path", "list", "tuple"])
def test_libs_is_one_folder_or_a_list_of_them(tmp_path: Path, given: Any) -> None:
    lib, rulebook = local_standard(tmp_path), rulebook_apart(tmp_path)
    bundled = ecorule.Rulebook.from_file(rulebook).module_hashes["gb14554"]
    local = ecorule.Rulebook.from_file(rulebook, libs=given(lib)).module_hashes["gb14554"]
    assert local != bundled


@pytest.mark.parametrize("folder", ["libb", "lib/gb14554.eco"], ids=["missing", "a-file"])
def test_a_libs_folder_that_cannot_be_read_is_an_error_not_skipped(tmp_path: Path, folder: str) -> None:
    local_standard(tmp_path)
    rulebook = rulebook_apart(tmp_path)
    wrong = tmp_path / folder
    for libs in (str(wrong), [wrong]):
        with pytest.raises(OSError) as info:
            ecorule.Rulebook.from_file(rulebook, libs=libs)
        assert isinstance(info.value, (FileNotFoundError, NotADirectoryError))
        assert info.value.filename == str(wrong)
        # The folder named once, by Python after the message.
        assert str(info.value).count(str(wrong)) == 1 and "libs" in str(info.value)


@pytest.mark.parametrize("libs", [b"/tmp", 3, [b"/tmp"], [None]], ids=["bytes", "int", "list-of-bytes", "list-of-none"])
def test_libs_of_another_type_is_a_type_error(libs: Any) -> None:
    with pytest.raises(TypeError, match="libs"):
        ecorule.Rulebook.from_file(FISHMEAL, libs=libs)


# -- modules= -------------------------------------------------------------


MODULE = (RULES / "standards" / "gb14554.eco").read_text(encoding="utf-8")
SOURCE = FISHMEAL.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "modules,match",
    [
        (MODULE, r"not one str: give \[text\]"),
        (MODULE.encode(), "not one bytes"),
        (Path("m.eco"), "not one PosixPath|not one WindowsPath"),
        ([Path("m.eco")], r"modules\[0\] must be a module's source text \(a str\), not PosixPath \(read it"),
        ({"m.eco": MODULE.encode()}, r"modules\['m.eco'\] must be .* not bytes \(decode it"),
        (3, "not int"),
    ],
    ids=["str", "bytes", "path", "list-of-path", "dict-of-bytes", "int"],
)
def test_modules_of_the_wrong_shape_is_a_type_error_saying_what_to_give(modules: Any, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        ecorule.Rulebook.from_source(SOURCE, modules=modules)


def test_modules_as_a_list_a_tuple_or_a_mapping_still_compile() -> None:
    for modules in ([MODULE], (MODULE,), {"gb14554.eco": MODULE}, {}, ()):
        assert ecorule.Rulebook.from_source(SOURCE, modules=modules).id == "fishmeal"


# -- a str audit that is neither JSON nor a file ----------------------------


def test_a_missing_audit_file_is_named_once(fishmeal: ecorule.Rulebook, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.json")
    with pytest.raises(FileNotFoundError) as info:
        fishmeal.score(missing)
    assert info.value.filename == missing
    assert str(info.value).count(missing) == 1
    assert "neither JSON text" in str(info.value)
    relative = "rules/fishmeal/audits/nope.json"
    with pytest.raises(FileNotFoundError) as info:
        fishmeal.score(relative)
    # Where it was looked for, and the path as given, once.
    assert str(info.value).endswith(f"(there is none in {os.getcwd()}): '{relative}'")
    assert str(info.value).count(relative) == 1


# -- score_frame ----------------------------------------------------------


def test_a_two_row_header_is_told_to_be_flattened(fishmeal: ecorule.Rulebook) -> None:
    columns = pd.MultiIndex.from_tuples([("stack.height", "m"), ("stack.clearance", "m")])
    with pytest.raises(ecorule.AuditError) as info:
        fishmeal.score_frame(pd.DataFrame([[27, 3]], columns=columns))
    assert "(did you mean `stack.height [m]`?)" in info.value.message
    assert "(did you mean `stack.clearance [m]`?)" in info.value.message
    assert info.value.help is not None and 'f"{fact} [{unit}]"' in info.value.help
    assert info.value.help_zh is not None and 'f"{fact} [{unit}]"' in info.value.help_zh
    # Flattened as told, it scores.
    flat = pd.DataFrame([[27, 3]], columns=[f"{fact} [{unit}]" for fact, unit in columns])
    assert fishmeal.score_frame(flat)["FM21"].iloc[0] in ("pass", "partial", "fail", "unknown", "not_applicable")


def test_a_header_that_is_a_facts_label_names_the_fact(fishmeal: ecorule.Rulebook) -> None:
    height = fishmeal.fact("stack.height")
    for header, meant in ((height.label, "stack.height"), (height.label_en.upper(), "stack.height"), (f"{height.label} [m]", "stack.height [m]")):
        with pytest.raises(ecorule.AuditError) as info:
            fishmeal.score_frame(pd.DataFrame({header: [27]}))
        assert f"(did you mean `{meant}`?)" in info.value.message, header
        assert f"（是否应为 `{meant}`？）" in (info.value.message_zh or "")
