"""Errors that name what is wrong and where, for authors and learners alike."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class DataFileError(ValueError):
    """A data file (scenario, exercise, programme, worked case) is malformed.

    The message names the file and the field, e.g.
    ``exercises/m1.yaml: field 'grading.profile_weight': Input should be a valid number``.
    """

    def __init__(self, path: Path | str, field: str, message: str) -> None:
        self.path = str(path)
        self.field = field
        self.detail = message
        where = f"field '{field}'" if field else "file"
        super().__init__(f"{self.path}: {where}: {message}")


def from_validation(path: Path | str, err: ValidationError) -> DataFileError:
    """Turn pydantic's first error into a DataFileError naming the file and the dotted field."""
    first = err.errors()[0]
    field = ".".join(str(x) for x in first["loc"])
    msg = first["msg"]
    if first["type"] == "extra_forbidden":
        msg = "unknown key (not part of the format; check its spelling)"
    extra = len(err.errors()) - 1
    if extra:
        msg += f" (and {extra} more error{'s' if extra > 1 else ''})"
    return DataFileError(path, field, msg)


def load_yaml(path: Path | str) -> dict:
    """Read a YAML mapping, naming the file (and line) when it is not valid YAML."""
    import yaml

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(p, "", "file not found") from None
    except UnicodeDecodeError as e:
        raise DataFileError(p, "", f"not UTF-8 text ({e.reason})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise DataFileError(p, "", f"not valid YAML{where}: {getattr(e, 'problem', e)}") from None
    if not isinstance(data, dict):
        raise DataFileError(p, "", "expected a mapping of keys to values at the top level")
    return data


def load_model(path_or_id: Path | str, folder: Path, model: type[M]) -> tuple[Path, M]:
    """Load one data file into a pydantic model: a path, or an id looked up in ``folder``.

    Every error names the file and the field; a file's ``id`` must equal its file name, so
    that ids in other files (an exercise's scenario, say) always find it.
    """
    p = Path(path_or_id)
    if p.suffix not in (".yaml", ".yml"):
        p = folder / f"{path_or_id}.yaml"
    data = load_yaml(p)
    try:
        obj = model.model_validate(data)
    except ValidationError as e:
        raise from_validation(p, e) from None
    oid = getattr(obj, "id", p.stem)
    if oid != p.stem:
        raise DataFileError(p, "id", f"id '{oid}' differs from the file name '{p.stem}'")
    return p, obj
