"""Data files: the strict base model, the YAML loader, and errors that name what is wrong and
where, for authors and learners alike.

Every YAML file the project reads (exercises, scenarios, cases, programmes, levers, seasons,
journeys, rescue cases...) goes through :func:`load_yaml`, which rejects a key given twice in one
mapping (plain ``yaml.safe_load`` keeps the last one silently), and every file format is a
:class:`Strict` model, so an unknown key is an error naming the file and the field.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidationError,
    model_validator,
)


class Strict(BaseModel):
    """The base of every data-file format: unknown keys are errors, loaded objects immutable,
    and a number is a number: ``true`` or ``"5"`` where a number is expected is an error naming
    the field (pydantic would read them as 1 and 5). An integer where a float is expected is a
    number, and is accepted. (pydantic's ``strict=True`` would also refuse a YAML list for a
    tuple and a string for an enum, which every course file gives.)"""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_numbers(cls, data: Any) -> Any:
        # A model validator, not a field one: pydantic allows none on a union's discriminator.
        if isinstance(data, dict):
            for name, value in data.items():
                field = cls.model_fields.get(name) if isinstance(name, str) else None
                if field is not None:
                    _check_number(field.annotation, value, (name,))
        return data


class NotANumberError(ValueError):
    """A bool or a string given for a number; ``where`` is its path in the model
    (:func:`from_validation` adds it to the dotted field)."""

    def __init__(self, where: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.where = where


_NUMBERS = (int, float)


def _check_number(annotation: Any, value: Any, where: tuple[str | int, ...]) -> None:
    """Raise :class:`NotANumberError` when ``value`` is a bool or a string given for a number
    (inside lists, tuples and mappings too; ``where`` is its path)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        _check_number(args[0], value, where)
        return
    if origin in (typing.Union, types.UnionType):
        kinds = [a for a in args if a is not type(None)]
        if value is not None and kinds and all(k in _NUMBERS for k in kinds):
            _check_number(float if float in kinds else int, value, where)
        return
    if annotation in _NUMBERS:
        if isinstance(value, bool | str):
            kind = "true/false" if isinstance(value, bool) else "text"
            want = "a whole number" if annotation is int else "a number"
            raise NotANumberError(where, f"expected {want}, got {kind} {value!r}")
        return
    if origin in (list, tuple, set, frozenset) and isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if origin is tuple and args and args[-1] is not Ellipsis:
                inner = args[i] if i < len(args) else None
            else:
                inner = args[0] if args else None
            if inner is not None:
                _check_number(inner, item, (*where, i))
        return
    if origin is dict and len(args) == 2 and isinstance(value, dict):
        for k, item in value.items():
            _check_number(args[1], item, (*where, k))


M = TypeVar("M", bound=BaseModel)


def loadable(loader: Callable[[str], object], what: str) -> AfterValidator:
    """A field check for an id that names another data file: ``loader(id)`` must load it.

    Use as ``brief: Annotated[str, loadable(load_brief, "brief")]``; a file that cannot be
    loaded fails the exercise when it is loaded, naming the field and the file's own error.
    """

    def check(value: str) -> str:
        load_named(loader, value, what)
        return value

    return AfterValidator(check)


def load_named(loader: Callable[[str], object], value: str, what: str) -> object:
    """Load the data file another file names (``what`` it is, its id ``value``): a
    ``ValueError`` saying "cannot load <what> '<value>'" and why, if it does not load. Every
    course file that names another one checks it through here, with this message."""
    try:
        return loader(value)
    except (KeyError, FileNotFoundError, ValueError) as e:  # DataFileError is a ValueError
        raise ValueError(f"cannot load {what} '{value}': {e}") from None


class DataFileError(ValueError):
    """A data file (scenario, exercise, programme, worked case) is malformed.

    The message names the file and the field, e.g.
    ``exercises/m1.yaml: field 'grading.profile_weight': expected a number, got 'high'``.
    """

    def __init__(self, path: Path | str, field: str, message: str) -> None:
        self.path = str(path)
        self.field = field
        self.detail = message
        where = f"field '{field}'" if field else "file"
        super().__init__(f"{self.path}: {where}: {message}")


def from_validation(path: Path | str, err: ValidationError) -> DataFileError:
    """Turn pydantic's first error into a DataFileError naming the file and the dotted field,
    in plain words that say what to write ("missing: this key is required", "expected a whole
    number, got 'abc'") for the common error types (:func:`_plain`)."""
    first = err.errors()[0]
    loc = list(first["loc"])
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, NotANumberError):
        loc.extend(cause.where)
    field = ".".join(str(x) for x in loc)
    msg = first["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)  # a validator's own message reads as written
    msg = _plain(first["type"], first.get("input"), first.get("ctx") or {}) or msg
    extra = len(err.errors()) - 1
    if extra:
        msg += f" (and {extra} more error{'s' if extra > 1 else ''})"
    return DataFileError(path, field, msg)


def _given(value: Any) -> str:
    """A value as the file gave it, short: 'abc', 12, true, a list, nothing."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping of keys to values"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)}"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
}

_BOUNDS = {
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


_PATTERNS = {
    "^[a-z0-9_]+$": "lower-case letters, digits and _ only (no spaces)",
}
"""The patterns of the course's formats, in words (a pattern not here is shown as written)."""


def _plain(kind: str, given: Any, ctx: dict[str, Any]) -> str:
    """Plain words, saying what to write, for pydantic's common error types ('' for the
    others: a validator's own message, or a rarer type, is kept as pydantic wrote it)."""
    if kind == "missing":
        return "missing: this key is required"
    if kind == "extra_forbidden":
        return "unknown key (not part of the format; check its spelling)"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_given(given)}"
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return f"expected one of {ctx['expected']}, got {_given(given)}"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"must be {words} {ctx.get(key)}, got {_given(given)}"
    if kind in ("too_short", "too_long"):
        most = "at least" if kind == "too_short" else "at most"
        n = ctx.get("min_length" if kind == "too_short" else "max_length")
        return f"must have {most} {n} item{'s' if n != 1 else ''}, has {ctx.get('actual_length')}"
    if kind == "union_tag_invalid":
        what = str(ctx.get("discriminator", "type")).strip("'")
        return (
            f"unknown {what} {_given(ctx.get('tag'))}: give one of {ctx.get('expected_tags')} "
            "(check its spelling)"
        )
    if kind == "string_pattern_mismatch":
        form = _PATTERNS.get(str(ctx.get("pattern")), f"text of the form {ctx.get('pattern')}")
        return f"expected {form}, got {_given(given)}"
    if kind in ("string_too_short", "string_too_long"):
        most = "at least" if kind == "string_too_short" else "at most"
        n = ctx.get("min_length" if kind == "string_too_short" else "max_length")
        return f"must be {most} {n} character{'s' if n != 1 else ''} long"
    return ""


class DuplicateKeyError(ValueError):
    """A mapping in a YAML file gives the same key twice; ``field`` is the key's dotted path
    (``params.days_of_stay``)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _node_paths(node: Any, path: tuple[str, ...], out: dict[int, tuple[str, ...]]) -> None:
    """The dotted path of every mapping node under ``node``, by node id."""
    import yaml

    if id(node) in out:
        return  # an alias: its first path
    if isinstance(node, yaml.MappingNode):
        out[id(node)] = path
        for k, v in node.value:
            _node_paths(v, (*path, str(getattr(k, "value", "?"))), out)
    elif isinstance(node, yaml.SequenceNode):
        out[id(node)] = path
        for i, v in enumerate(node.value):
            _node_paths(v, (*path, str(i)), out)


def _unique_key_loader() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeyLoader(base):  # type: ignore[misc, valid-type]
        """yaml's safe loader, refusing a key given twice in one mapping."""

        _paths: dict[int, tuple[str, ...]]

        def construct_document(self, node: Any) -> Any:
            self._paths = {}
            _node_paths(node, (), self._paths)
            return super().construct_document(node)

        def construct_mapping(self, node: Any, deep: bool = False) -> dict:
            if isinstance(node, yaml.MappingNode):
                seen: dict[Any, int] = {}
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue  # "<<: *anchor" merges are overridden on purpose
                    key = self.construct_object(key_node, deep=True)
                    line = key_node.start_mark.line + 1
                    try:
                        first = seen.get(key)
                    except TypeError:
                        continue  # an unhashable key: the base loader reports it
                    if first is not None:
                        where = f"lines {first} and {line}" if first != line else f"line {line}"
                        raise DuplicateKeyError(
                            f"key '{key}' is given twice ({where}); keep one "
                            "(YAML would silently use the last)",
                            ".".join((*self._paths.get(id(node), ()), str(key))),
                        )
                    seen[key] = line
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


_LOADER: type | None = None


def parse_yaml(text: str) -> Any:
    """Parse YAML text safely, refusing duplicate keys (:class:`DuplicateKeyError`)."""
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _unique_key_loader()
    return yaml.load(text, Loader=_LOADER)  # a SafeLoader subclass: safe


def load_yaml(path: Path | str) -> dict:
    """Read a YAML mapping, naming the file (and line) when it is not valid YAML or gives a key
    twice."""
    import yaml

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(p, "", "file not found") from None
    except UnicodeDecodeError as e:
        raise DataFileError(p, "", f"not UTF-8 text ({e.reason})") from None
    try:
        data = parse_yaml(text)
    except DuplicateKeyError as e:
        raise DataFileError(p, e.field, str(e)) from None
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
