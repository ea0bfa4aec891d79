"""Reading scenario files: YAML with line numbers, ``extends:``, dotted overrides, validation.

Loading never executes anything from a file (``yaml.SafeLoader`` only). Every value keeps the
file and line it was written on (:class:`LineMap`), through ``extends:`` merges, so that each
:class:`~ecosim.config.errors.Problem` points at the line to fix; ``ecosim.sweep`` reads sweep
files with the same machinery (:func:`read_yaml`, :class:`Source`, :func:`validation_problems`).

Dotted overrides (``behaviour.separation_rate=0.02``, CLI ``--set``) address mapping keys by name
and list items by index or, for lists of named items, by the item's ``name``
(``occupations.process_operator.base_wage=3600``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ecosim.config.checks import semantic_checks
from ecosim.config.distributions import RENAMED_ERROR
from ecosim.config.errors import Problem, ScenarioError
from ecosim.config.schema import Scenario


def dotted_path(loc: Iterable[Any]) -> str:
    """A location (keys and list indices) as written in problems: ``regions.0.municipalities``."""
    return ".".join(str(p) for p in loc)


class LineMap:
    """Map from a path of keys/indices to the YAML line (and file) where it is written.

    Attributes:
        lines: Line (1-based) per path; a mapping key's path maps to the key's line.
        files: The file of entries that came from another file than the one being loaded
            (through ``extends``); other entries belong to the source's own file.
    """

    def __init__(self, node: yaml.Node | None):
        """Index a composed YAML ``node`` (``None``: an empty map, for data not read from YAML)."""
        self.lines: dict[tuple[Any, ...], int] = {}
        self.files: dict[tuple[Any, ...], str] = {}
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, key.value)
                self._walk(value, sub)
                self.lines[sub] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i))

    def line(self, path: Sequence[Any]) -> int | None:
        """Line of the closest written ancestor of ``path`` (``None``: nothing written)."""
        return self.where(path)[1]

    def where(self, path: Sequence[Any]) -> tuple[str | None, int | None]:
        """File (``None``: the source's own) and line of the closest written ancestor of path."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.files.get(path), self.lines.get(path)

    def drop(self, prefix: tuple[Any, ...]) -> None:
        """Forget every entry at or below ``prefix``."""
        n = len(prefix)
        for key in [k for k in self.lines if k[:n] == prefix]:
            del self.lines[key]
            self.files.pop(key, None)

    def graft(self, other: LineMap, src: tuple[Any, ...], dst: tuple[Any, ...]) -> None:
        """Copy ``other``'s entries below ``src`` to below ``dst``."""
        n = len(src)
        for key, line in other.lines.items():
            if key[:n] == src:
                new = dst + key[n:]
                self.lines[new] = line
                if key in other.files:
                    self.files[new] = other.files[key]


@dataclass
class Source:
    """Where a scenario's (or sweep's) data came from, to locate problems.

    Attributes:
        name: The file read, or ``<dict>``.
        lines: Where each value is written.
        overrides: The ``KEY=VALUE`` text of each override, by the path it set.
    """

    name: str
    lines: LineMap
    overrides: dict[tuple[Any, ...], str]

    def locate(self, loc: Sequence[Any], message: str, value: Any, has_value: bool) -> Problem:
        """The problem at ``loc``, pointing at the override or file line that wrote it."""
        loc = tuple(p for p in loc if p != "[key]")
        for path, text in self.overrides.items():
            if tuple(loc[: len(path)]) == path:
                return Problem(f"--set {text}", None, dotted_path(loc), message, value, has_value)
        file, line = self.lines.where(loc)
        return Problem(file or self.name, line, dotted_path(loc), message, value, has_value)


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read a YAML mapping safely, with the line of every value.

    Raises:
        ScenarioError: the file is missing, unreadable, not YAML, empty or not a mapping.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), None, "", f"cannot read file: {exc}")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        msg = f"YAML syntax error: {exc.problem or exc}"
        raise ScenarioError([Problem(str(path), line, "", msg)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(str(path), None, "", f"YAML error: {exc}")]) from None
    if data is None:
        raise ScenarioError([Problem(str(path), None, "", "file is empty")])
    if not isinstance(data, dict):
        msg = f"top level must be a mapping of scenario fields, not a {type(data).__name__}"
        raise ScenarioError([Problem(str(path), 1, "", msg)])
    return data, LineMap(node)


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``KEY=VALUE`` into a dotted key and a YAML-parsed value."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError([Problem(f"--set {text}", None, "", "expected KEY=VALUE")])
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        msg = f"value is not valid YAML: {exc}"
        raise ScenarioError([Problem(f"--set {text}", None, key, msg)]) from None
    return key, value


def _apply_override(data: dict[str, Any], key: str, value: Any) -> tuple[Any, ...]:
    """Set a dotted key in nested data; returns the resolved path (indices for lists)."""
    parts = key.split(".")
    node: Any = data
    path: list[Any] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            index = _list_index(node, part)
            if index is None:
                raise KeyError(f"no item {part!r} in list {dotted_path(path) or '<root>'}")
            path.append(index)
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            path.append(part)
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
        else:
            raise KeyError(f"{dotted_path(path)} is a value, not a mapping or list")
    return tuple(path)


def _list_index(items: list[Any], part: str) -> int | None:
    if part.lstrip("-").isdigit():
        index = int(part)
        return index if -len(items) <= index < len(items) else None
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == part:
            return i
    return None


def load_scenario(
    path: str | Path, overrides: Mapping[str, Any] | Sequence[str] | None = None
) -> Scenario:
    """Load, override and validate a scenario file.

    Args:
        path: YAML scenario file.
        overrides: Dotted-key overrides, as a mapping ``{"behaviour.separation_rate": 0.02}`` or
            as ``"KEY=VALUE"`` strings (values parsed as YAML).

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: listing every problem found, each with file, line and dotted path.
    """
    path = Path(path)
    data, lines = _read_with_extends(path, ())
    return scenario_from_dict(data, overrides, source=str(path), lines=lines)


def _read_with_extends(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], LineMap]:
    """Read a scenario file, resolving ``extends`` (one file or a list, relative to the file).

    Bases are merged in the order listed, then the file's own values over them: mappings merge
    key by key; lists of named items (occupations, sectors, regions, municipalities, transitions,
    their demand paths, drifts and events) merge item by item by ``name`` (new names are
    appended); any other value, lists included, replaces the base's.
    """
    data, lines = read_yaml(path)
    bases = data.pop("extends", None)
    if bases is None:
        return data, lines
    here = str(path)
    where = lines.line(("extends",))
    names = [bases] if isinstance(bases, str) else bases
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        msg = "must name a scenario file or a list of them"
        raise ScenarioError([Problem(here, where, "extends", msg, bases, True)])
    merged: dict[str, Any] = {}
    merged_lines = LineMap(None)
    for name in names:
        base_path = (path.parent / name).resolve()
        if base_path in chain or base_path == path.resolve():
            msg = "scenario extends itself (cycle)"
            raise ScenarioError([Problem(here, where, "extends", msg, name, True)])
        try:
            base, base_lines = _read_with_extends(base_path, (*chain, path.resolve()))
        except ScenarioError as exc:
            note = Problem(here, where, "extends", f"in the base scenario {name}:")
            raise ScenarioError([note, *exc.problems]) from None
        for key in base_lines.lines:
            base_lines.files.setdefault(key, str(base_path))
        _deep_merge(merged, base, merged_lines, base_lines, (), ())
    _deep_merge(merged, data, merged_lines, lines, (), ())
    return merged, merged_lines


def _deep_merge(
    base: dict[str, Any],
    over: dict[str, Any],
    base_lines: LineMap,
    over_lines: LineMap,
    base_path: tuple[Any, ...],
    over_path: tuple[Any, ...],
) -> None:
    """Merge ``over`` into ``base`` in place, carrying line locations along."""
    for key, value in over.items():
        bp, op = (*base_path, key), (*over_path, key)
        old = base.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            _deep_merge(old, value, base_lines, over_lines, bp, op)
        elif _named_list(old) and _named_list(value):
            index = {item["name"]: i for i, item in enumerate(old)}
            for j, item in enumerate(value):
                i = index.get(item["name"])
                if i is None:
                    old.append(item)
                    base_lines.graft(over_lines, (*op, j), (*bp, len(old) - 1))
                else:
                    _deep_merge(old[i], item, base_lines, over_lines, (*bp, i), (*op, j))
            continue
        else:
            base[key] = value
            base_lines.drop(bp)
            base_lines.graft(over_lines, op, bp)
            continue
        if op in over_lines.lines:
            base_lines.lines[bp] = over_lines.lines[op]
            if op in over_lines.files:
                base_lines.files[bp] = over_lines.files[op]
            else:
                base_lines.files.pop(bp, None)


def _named_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and isinstance(item.get("name"), str) for item in value)
    )


def scenario_from_dict(
    data: Mapping[str, Any],
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    *,
    source: str = "<dict>",
    lines: LineMap | None = None,
) -> Scenario:
    """Validate scenario data already in memory (see :func:`load_scenario`)."""
    data = copy.deepcopy(dict(data))
    pairs: list[tuple[str, Any, str]] = []
    if isinstance(overrides, Mapping):
        pairs = [(k, v, f"{k}={v}") for k, v in overrides.items()]
    elif overrides:
        pairs = [(*parse_override(t), t) for t in overrides]
    applied: dict[tuple[Any, ...], str] = {}
    problems: list[Problem] = []
    for key, value, text in pairs:
        try:
            applied[_apply_override(data, key, value)] = text
        except KeyError as exc:
            problems.append(Problem(f"--set {text}", None, key, str(exc.args[0])))
    if problems:
        raise ScenarioError(problems)
    src = Source(source, lines or LineMap(None), applied)
    return validate_scenario(data, src)


def validate_scenario(data: Mapping[str, Any], src: Source) -> Scenario:
    """Schema validation, then cross-reference and share checks; all problems at once.

    Raises:
        ScenarioError: listing every problem, located through ``src``.
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, src)) from None
    problems = [src.locate(loc, msg, val, True) for loc, msg, val in semantic_checks(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario


def validation_problems(error: ValidationError, src: Source) -> list[Problem]:
    """A pydantic error as one located :class:`Problem` per error, in plain words.

    An old distribution field name (``RENAMED_DIST_FIELDS`` of
    :mod:`ecosim.config.distributions`) gives one problem per old name, located at it:
    ``...distribution.kind: renamed; write dist: normal``.
    """
    problems = []
    for err in error.errors(include_url=False):
        if err["type"] == RENAMED_ERROR:
            problems += [
                src.locate((*err["loc"], old), f"renamed; write {new}", None, False)
                for old, new in err["ctx"]["renamed"]
            ]
        else:
            problems.append(
                src.locate(err["loc"], _message(err), err.get("input"), _has_input(err))
            )
    return problems


def _message(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "missing":
        return "required field is missing"
    return str(err.get("msg", "invalid value"))


def _has_input(err: Mapping[str, Any]) -> bool:
    return err.get("type") not in ("missing",) and not isinstance(err.get("input"), dict | list)


def resolve_scenario(scenario: Any, overrides: dict[str, Any] | None = None) -> Scenario:
    """A validated scenario from a :class:`Scenario`, a YAML path or a mapping, with overrides.

    Raises:
        ScenarioError: If the data or the overrides are invalid.
        TypeError: If ``scenario`` is none of the accepted kinds.
    """
    overrides = overrides or {}
    if isinstance(scenario, Scenario):
        if overrides:
            return scenario_from_dict(scenario.model_dump(mode="python"), overrides)
        return scenario
    if isinstance(scenario, str | Path):
        return load_scenario(scenario, overrides or None)
    if isinstance(scenario, dict):
        return scenario_from_dict(scenario, overrides or None)
    raise TypeError(
        f"scenario must be a Scenario, a path or a mapping, not {type(scenario).__name__}"
    )
