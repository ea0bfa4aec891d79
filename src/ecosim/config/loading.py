"""Reading scenario files: YAML with line numbers, ``extends:``, dotted overrides, validation.

Loading never executes anything from a file and is bounded whatever the file holds: only
regular files of at most :data:`MAX_FILE_BYTES` are read, and the YAML is composed by a
``yaml.SafeLoader`` that refuses nesting deeper than :data:`MAX_DEPTH`, more than
:data:`MAX_NODES` values once aliases are expanded (a "billion laughs" file), aliases to the
node that contains them, duplicate keys and every tag but the plain ones (:data:`PLAIN_TAGS`) —
a ``!!set`` would make the order of skills depend on the process's hash seed. Each refusal is a
:class:`~ecosim.config.errors.Problem` with its line.

Every value keeps the file and line it was written on (:class:`LineMap`), through ``extends:``
merges, so that each problem points at the line to fix; ``ecosim.sweep`` reads sweep files with
the same machinery (:func:`read_yaml`, :func:`read_scenario`, :class:`Source`,
:func:`validation_problems`).

Dotted overrides (``behaviour.separation_rate=0.02``, CLI ``--set``) address mapping keys by name
and list items by index or, for lists of named items, by the item's ``name``
(``occupations.process_operator.base_wage=3600``).
"""

from __future__ import annotations

import copy
import os
import stat
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

MAX_FILE_BYTES = 4 * 2**20
"""Largest scenario or sweep file read (4 MiB; the shipped ones are below 20 kB)."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings (a scenario needs about 8 levels)."""
MAX_NODES = 1_000_000
"""Most values (scalars, lists, mappings) in a file, counting an alias as the values it repeats."""
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "merge")
)
"""The tags a scenario value may have: strings, numbers, booleans, null, lists and mappings
(``merge`` is the ``<<`` key that merges an anchored mapping)."""
_MERGE = "tag:yaml.org,2002:merge"


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
        """Index a composed YAML ``node`` (``None``: an empty map, for data not read from YAML).

        Keys are indexed as the values they load as (``1:`` as the number 1, ``~:`` as
        ``None``), which is how validation errors name them.
        """
        self.lines: dict[tuple[Any, ...], int] = {}
        self.files: dict[tuple[Any, ...], str] = {}
        self._keys = yaml.constructor.SafeConstructor()
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE:
                    continue  # a list or mapping as a key is refused when the data is built;
                    # what << merges in is located at the mapping it is merged into
                sub = (*path, self._keys.construct_object(key))
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
        loc = _written(loc)
        for path, text in self.overrides.items():
            if tuple(loc[: len(path)]) == path:
                return Problem(f"--set {text}", None, dotted_path(loc), message, value, has_value)
        file, line = self.lines.where(loc)
        return Problem(file or self.name, line, dotted_path(loc), message, value, has_value)


class _Refused(Exception):
    """A YAML construct the loader refuses, with its line and the path of the value."""

    def __init__(self, mark: yaml.Mark, path: Sequence[Any], message: str):
        super().__init__(message)
        self.line = mark.line + 1
        self.path = dotted_path(path)
        self.message = message


class _BoundedLoader(yaml.SafeLoader):
    """A ``yaml.SafeLoader`` whose work is bounded by the size of the file it reads.

    PyYAML composes nested nodes recursively and lets an alias repeat a whole subtree, so a
    small file can nest deeper than Python's stack or expand to billions of values; this
    composer counts depth and expanded values as it goes and stops at the first excess. It
    also refuses what a scenario never needs: tags other than :data:`PLAIN_TAGS`, aliases
    inside the node they name (recursive data) and a key written twice in one mapping (YAML
    would silently keep the last).
    """

    def __init__(self, text: str):
        super().__init__(text)
        self._depth = 0
        self._nodes = 0
        self._sizes: dict[str, int] = {}  # anchor -> values its node holds, expanded
        self._open: set[str] = set()  # anchors whose node is being composed
        self._path: list[Any] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                msg = f"alias *{event.anchor} is inside the node it names (recursive data)"
                raise _Refused(event.start_mark, self._path, msg)
            self._count(self._sizes.get(event.anchor, 0), event.start_mark)
            return super().compose_node(parent, index)
        if self._depth == MAX_DEPTH:
            msg = f"nested deeper than {MAX_DEPTH} levels of lists and mappings"
            raise _Refused(event.start_mark, self._path, msg)
        part = self._part(index)
        if part is not None:
            self._path.append(part)
        self._depth += 1
        anchor = event.anchor
        if anchor is not None:
            self._open.add(anchor)
        before = self._nodes
        self._count(1, event.start_mark)
        node = super().compose_node(parent, index)
        if anchor is not None:
            self._open.discard(anchor)
            self._sizes[anchor] = self._nodes - before
        if node.tag not in PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            msg = (
                f"YAML tag {tag} is not allowed: a scenario holds only strings, numbers, "
                "true/false, null, lists and mappings (quote a value that is text)"
            )
            raise _Refused(node.start_mark, self._path, msg)
        self._depth -= 1
        if part is not None:
            self._path.pop()
        return node

    def compose_mapping_node(self, anchor: str | None) -> yaml.MappingNode:
        node = super().compose_mapping_node(anchor)
        first: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                continue
            key, line = self._key(key_node), key_node.start_mark.line + 1
            if key in first:
                msg = f"duplicate key {key!r}: on line {first[key]} and again on line {line}"
                raise _Refused(key_node.start_mark, [*self._path, key], msg)
            first[key] = line
        return node

    def _count(self, nodes: int, mark: yaml.Mark) -> None:
        self._nodes += nodes
        if self._nodes > MAX_NODES:
            msg = f"more than {MAX_NODES:,} values once aliases are expanded"
            raise _Refused(mark, self._path, msg)

    def _part(self, index: Any) -> Any:
        """The path element of a node composed at ``index`` (``None`` for a mapping key)."""
        if isinstance(index, yaml.ScalarNode):
            return self._key(index)
        return index if isinstance(index, int) else None

    def _key(self, node: yaml.ScalarNode) -> Any:
        # A plain scalar (its tag was checked when it was composed); cached for construction.
        # The merge key << has no value of its own: the constructor merges its mapping.
        return node.value if node.tag == _MERGE else self.construct_object(node)


def _read_text(path: Path) -> str:
    """The text of a regular file of at most :data:`MAX_FILE_BYTES` bytes, as UTF-8.

    The file is opened without blocking and checked to be a regular file before anything is
    read, so that a FIFO, a device (``/dev/zero``) or a directory is refused at once.
    """
    source = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ScenarioError([Problem(source, None, "", "file not found")]) from None
    except OSError as exc:
        msg = f"cannot read file: {exc.strerror or exc}"
        raise ScenarioError([Problem(source, None, "", msg)]) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "a directory" if stat.S_ISDIR(mode) else "a device, pipe or socket"
            msg = f"not a regular file ({what}); give a YAML file"
            raise ScenarioError([Problem(source, None, "", msg)])
        with open(fd, "rb", closefd=False) as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        msg = f"cannot read file: {exc.strerror or exc}"
        raise ScenarioError([Problem(source, None, "", msg)]) from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        msg = f"file is larger than {MAX_FILE_BYTES // 2**20} MiB; is it a scenario?"
        raise ScenarioError([Problem(source, None, "", msg)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"cannot read file: not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise ScenarioError([Problem(source, None, "", msg)]) from None


def _parse(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    """YAML text as data and its composed node, through :class:`_BoundedLoader`.

    Raises:
        ScenarioError: The text is not YAML or holds something the loader refuses.
    """
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except _Refused as exc:
        raise ScenarioError([Problem(source, exc.line, exc.path, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        msg = f"YAML syntax error: {exc.problem or exc}"
        raise ScenarioError([Problem(source, line, "", msg)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(source, None, "", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    return data, node


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read a YAML mapping safely and within bounds, with the line of every value.

    Raises:
        ScenarioError: the file is missing, unreadable, not a regular file, too large, not
            YAML, refused by the loader (see the module docstring), empty or not a mapping.
    """
    data, node = _parse(_read_text(path), str(path))
    if data is None:
        raise ScenarioError([Problem(str(path), None, "", "file is empty")])
    if not isinstance(data, dict):
        msg = f"top level must be a mapping of scenario fields, not a {type(data).__name__}"
        raise ScenarioError([Problem(str(path), 1, "", msg)])
    return data, LineMap(node)


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``KEY=VALUE`` into a dotted key and a YAML-parsed value (loaded as files are)."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError([Problem(f"--set {text}", None, "", "expected KEY=VALUE")])
    if not raw.strip():
        return key, ""
    try:
        value, _ = _parse(raw, f"--set {text}")
    except ScenarioError as exc:
        (problem,) = exc.problems
        msg = f"value is not valid YAML: {problem.message}"
        raise ScenarioError([Problem(problem.source, None, key, msg)]) from None
    return key, value


def _apply_override(data: dict[str, Any], key: str, value: Any) -> tuple[Any, ...]:
    """Set a dotted key in nested data; returns the path the override answers for.

    That is the resolved path (indices for lists), or the first mapping the override had to
    create on the way: a problem anywhere below it (``foo: unknown field`` for ``foo.bar=1``)
    is the override's, not the file's.
    """
    parts = key.split(".")
    node: Any = data
    path: list[Any] = []
    created: tuple[Any, ...] | None = None
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
                if part not in node and created is None:
                    created = tuple(path)
                node = node.setdefault(part, {})
        else:
            raise KeyError(f"{dotted_path(path)} is a value, not a mapping or list")
    return created or tuple(path)


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
        TypeError: ``overrides`` is neither a mapping nor a list of ``KEY=VALUE`` strings.
    """
    path = Path(path)
    data, lines = read_scenario(path)
    return scenario_from_dict(data, overrides, source=str(path), lines=lines)


def read_scenario(path: Path) -> tuple[dict[str, Any], LineMap]:
    """A scenario file's data with ``extends`` resolved, and where each value is written.

    Raises:
        ScenarioError: The file or one of its bases cannot be read, or ``extends`` is wrong.
    """
    return _read_with_extends(path, ())


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
    """Validate scenario data already in memory (see :func:`load_scenario`).

    Raises:
        ScenarioError: listing every problem, located through ``source`` and ``lines``.
        TypeError: ``data`` is not a mapping, or ``overrides`` is of a kind that cannot be one.
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"scenario data must be a mapping, not a {type(data).__name__}")
    pairs = _override_pairs(overrides)
    data = copy.deepcopy(dict(data))
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


def _override_pairs(
    overrides: Mapping[str, Any] | Sequence[str] | None,
) -> list[tuple[str, Any, str]]:
    """Overrides as ``(dotted key, value, text)``, refusing what cannot be one.

    A string is a sequence too: iterated, ``"resolution=46"`` would be 13 overrides of
    one character each, so it is refused with what to write instead.

    Raises:
        TypeError: ``overrides`` is neither a mapping with text keys nor a list of strings.
        ScenarioError: A ``KEY=VALUE`` string is malformed.
    """
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        for key in overrides:
            if not isinstance(key, str):
                raise TypeError(
                    "override keys must be dotted paths such as 'behaviour.separation_rate', "
                    f"not {key!r} ({type(key).__name__})"
                )
        return [(k, v, f"{k}={v}") for k, v in overrides.items()]
    if isinstance(overrides, str | bytes) or not isinstance(overrides, Sequence):
        hint = f"; write [{overrides!r}]" if isinstance(overrides, str) else ""
        raise TypeError(
            "overrides must be a mapping {'dotted.key': value} or a list of 'KEY=VALUE' "
            f"strings, not a {type(overrides).__name__}{hint}"
        )
    for text in overrides:
        if not isinstance(text, str):
            raise TypeError(
                f"an override in a list must be a 'KEY=VALUE' string, not {text!r} "
                f"({type(text).__name__})"
            )
    return [(*parse_override(t), t) for t in overrides]


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


def _written(loc: Sequence[Any]) -> tuple[Any, ...]:
    """A pydantic location as written in the file: without tags (``[key]``, ``[number]``).

    After ``[distribution]`` (:data:`~ecosim.config.schema.Uncertain`) comes the kind of
    distribution, pydantic's tag too.
    """
    out: list[Any] = []
    for i, part in enumerate(loc):
        tag = isinstance(part, str) and part.startswith("[") and part.endswith("]")
        if not tag and not (i and loc[i - 1] == "[distribution]"):
            out.append(part)
    return tuple(out)


def validation_problems(error: ValidationError, src: Source) -> list[Problem]:
    """A pydantic error as one located :class:`Problem` per error, in plain words.

    An old distribution field name (``RENAMED_DIST_FIELDS`` of
    :mod:`ecosim.config.distributions`) gives one problem per old name, located at it:
    ``...distribution.kind: renamed; write dist: normal``; so do a scenario's ``scale`` and
    ``workforce.size`` (``workforce.size: renamed; write workforce.persons: ...``), an old name
    being a dotted path under the error's location.
    """
    problems = []
    for err in error.errors(include_url=False):
        if err["type"] == RENAMED_ERROR:
            problems += [
                src.locate((*err["loc"], *old.split(".")), f"renamed; write {new}", None, False)
                for old, new in err["ctx"]["renamed"]
            ]
        else:
            loc = err["loc"]
            if err["type"] == "invalid_key":  # pydantic writes a key that is not text as text
                loc = (*loc[:-1], err["input"])
            problems.append(src.locate(loc, _message(err), err.get("input"), _has_input(err)))
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
