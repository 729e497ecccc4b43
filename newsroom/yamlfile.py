"""YAML read with the line of every key and item, so errors can point at them.

Dates are not turned into Python objects here: a timestamp-looking scalar comes
back as ``DateText`` (a ``str``), so the schema parses it with its own rules and
can still tell that ``title: 2024-01-01`` was not written as text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

import yaml

from . import text
from .problems import Problem, Problems


MAX_DEPTH = 20  # levels of lists and groups a value may hold; front matter needs two
# libyaml's composer recurses in C and crashes the process near 50,000 levels;
# PyYAML's raises RecursionError near 300. A text with more characters that
# can open a level than this has its nesting measured on the parser's events first.
_OPENERS = "[{-:?"
_SUSPECT_OPENERS = 2000
_INT_TAG = "tag:yaml.org,2002:int"
_LONG_NUMBER = 100  # digits: int() refuses more than 4,300, and str() of a base-60 1:2:3:... as long
INVISIBLE_HINT = "delete it (pasted from Word?), or run newsroom check --fix"
_ESCAPE_HINT = "delete the escape by hand (newsroom check --fix leaves escapes alone)"


class DateText(str):
    """A scalar YAML would have read as a date; kept as written."""


class _Loader(yaml.SafeLoader):
    pass


# libyaml parses about ten times faster; its error messages are terser, so a
# text it rejects is parsed again by the pure-Python loader to explain why.
class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


for _loader in (_Loader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: DateText(node.value))


@dataclass(frozen=True)
class Located:
    value: Any
    line: int  # 1-based line in the file
    item_lines: tuple[int, ...] = ()  # for a list: the line of each item


def load_mapping(text: str, path: str, field: str, first_line: int = 1) -> dict[str, Located]:
    """Parse a YAML mapping; ``first_line`` is the file line the text starts on.

    Raises ``Problems`` for a syntax error, a value nested deeper than
    ``MAX_DEPTH``, and any invisible character (``text.first_invisible``).
    """
    reading = _Reading(text, path, field, first_line, levels_above=1)
    node = reading.compose()
    result = reading.mapping(node) if node is not None else {}
    reading.finish()
    return result or {}


def load_list_of_mappings(text: str, path: str, field: str) -> list[tuple[int, dict[str, Located]]]:
    """Parse a YAML list of mappings (a registry file), each with its line."""
    reading = _Reading(text, path, field, 1, levels_above=2)
    node = reading.compose()
    entries = []
    if node is not None and not isinstance(node, yaml.SequenceNode):
        reading.problems.append(Problem(path, _line(node, 1), field, "expected a list of entries, each starting with \"- \""))
    elif node is not None:
        for item in node.value:
            mapping = reading.mapping(item)
            if mapping is not None:
                entries.append((_line(item, 1), mapping))
    reading.finish()
    return entries


class _Reading:
    """One YAML text being read, and every problem found in it.

    Invisible characters typed into the text are deleted before parsing (YAML
    refuses most of them, and would count U+0085 as a line break); each is
    then reported on its line, under the key it was found in.
    """

    def __init__(self, source: str, path: str, field: str, first_line: int, levels_above: int):
        self.path, self.field, self.first_line = path, field, first_line
        self.levels_above = levels_above  # collections around a key's value: the document's, a registry's list
        self.text, self.hidden = _strip_invisible(source)
        self.problems: list[Problem] = []
        self.keys: list[tuple[tuple[int, int], str]] = []  # where each key starts, for placing hidden characters

    def compose(self) -> yaml.Node | None:
        for loader in (_FastLoader, _Loader):
            try:
                if loader is _Loader or sum(map(self.text.count, _OPENERS)) > _SUSPECT_OPENERS:
                    self._check_nesting(loader)
                return yaml.compose(self.text, Loader=loader)
            except Problems as error:
                self.problems += error.problems
                return None
            except Exception as error:  # noqa: BLE001 - the YAML libraries raise more than YAMLError
                if loader is _Loader:
                    self.problems.append(self._explain(error))
        return None

    def _check_nesting(self, loader) -> None:
        """Raise ``Problems`` where collections nest deeper than ``MAX_DEPTH``, read from the
        parser's events, which nest nothing: the composers recurse, and libyaml's crashes."""
        open_ones: list[list] = []  # per open collection: [is a mapping, children so far, its current key]
        for event in yaml.parse(self.text, Loader=loader):
            if open_ones and isinstance(event, (yaml.NodeEvent, yaml.CollectionStartEvent)):
                parent = open_ones[-1]
                if parent[0] and parent[1] % 2 == 0:
                    parent[2] = event.value if isinstance(event, yaml.ScalarEvent) else None
                parent[1] += 1
            if isinstance(event, yaml.CollectionStartEvent):
                open_ones.append([isinstance(event, yaml.MappingStartEvent), 0, None])
                if len(open_ones) > MAX_DEPTH + self.levels_above:
                    key = next((item[2] for item in open_ones if item[0] and item[2] is not None), self.field)
                    raise Problems([self._too_deep(self.first_line + event.start_mark.line, str(key))])
            elif isinstance(event, yaml.CollectionEndEvent):
                open_ones.pop()

    def _explain(self, error: Exception) -> Problem:
        if isinstance(error, yaml.MarkedYAMLError):
            # An unclosed quote fails at the end of the text: point at the quote.
            quoted = "quoted scalar" in (error.context or "")
            mark = (error.context_mark if quoted else None) or error.problem_mark or error.context_mark
            line = self.first_line + (mark.line if mark else 0)
            problem = error.problem or error.context or "cannot be read"
            return Problem(self.path, line, self.field, f"YAML syntax error: {problem}", _yaml_hint(problem))
        if isinstance(error, yaml.YAMLError):
            return Problem(self.path, self.first_line, self.field, f"YAML error: {error}")
        return Problem(self.path, self.first_line, self.field, f"cannot be read ({type(error).__name__})", "check the indentation and quotes")

    def _too_deep(self, line: int, key: str) -> Problem:
        return Problem(self.path, line, text.visible(key), f"nested too deeply (more than {MAX_DEPTH} levels of lists or groups)",
                       "write plain text, a date, or a list of names")

    def mapping(self, node: yaml.Node) -> dict[str, Located] | None:
        """The pairs of a mapping node, each checked; ``None`` (and a problem) for anything else."""
        if not isinstance(node, yaml.MappingNode):
            self.problems.append(Problem(self.path, _line(node, self.first_line), self.field, 'expected "key: value" lines'))
            return None
        loader = _Loader("")
        result: dict[str, Located] = {}
        for key_node, value_node in node.value:
            line = _line(key_node, self.first_line)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.path, line, self.field, "a key must be a plain name", 'write "key: value"'))
                continue
            key = text.visible(str(key_node.value))
            self.keys.append(((key_node.start_mark.line, key_node.start_mark.column), key))
            if key in result:
                self.problems.append(Problem(self.path, line, key, f"duplicate key (first given on line {result[key].line})", "keep one"))
                continue
            if not self._readable(key, key_node, value_node):
                continue
            try:
                value = loader.construct_object(value_node, deep=True)
            except Exception as error:  # noqa: BLE001 - int("1" * 5000) raises ValueError, say
                detail = f" ({type(error).__name__})"
                if isinstance(error, yaml.YAMLError):  # a marked error's own text adds lines naming "<unicode string>"
                    detail = f": {getattr(error, 'problem', None) or error}"
                self.problems.append(Problem(self.path, line, key, f"cannot be read{detail}"))
                continue
            items = tuple(_line(item, self.first_line) for item in value_node.value) if isinstance(value_node, yaml.SequenceNode) else ()
            result[key] = Located(value, line, items)
        return result

    def _readable(self, key: str, key_node: yaml.Node, value_node: yaml.Node) -> bool:
        """False (and a problem) for what YAML reads but no later code should meet."""
        deep = _too_deep(value_node)
        if deep is not None:
            self.problems.append(self._too_deep(_line(deep, self.first_line), key))
            return False
        for node in _scalars(key_node, value_node):
            where = text.first_invisible(node.value)
            if where >= 0:
                message = f"contains {text.describe_invisible(node.value[where])}, written as an escape in quotes"
                self.problems.append(Problem(self.path, _line(node, self.first_line), key, message, _ESCAPE_HINT))
                return False
            if node.tag == _INT_TAG and len(node.value) > _LONG_NUMBER:
                self.problems.append(Problem(self.path, _line(node, self.first_line), key, f"a number {len(node.value)} characters long",
                                             'put it in quotes if it is text, e.g. "..."'))
                return False
        return True

    def finish(self) -> None:
        """Report the invisible characters deleted from the text, and raise every problem."""
        keys = sorted(self.keys)
        starts = [start for start, _ in keys]
        reported = set()
        for line, column, char in self.hidden:
            owner = bisect.bisect_right(starts, (line, column)) - 1  # the key written last before it
            if owner not in reported:  # the first one per key: --fix deletes them all
                reported.add(owner)
                field = keys[owner][1] if owner >= 0 else self.field
                self.problems.append(Problem(self.path, self.first_line + line, field, f"contains {text.describe_invisible(char)}", INVISIBLE_HINT))
        if self.problems:
            raise Problems(self.problems)


def invisible_problem(value: str, path: str, line: int, field: str) -> Problem | None:
    """A problem for the first invisible character in ``value`` (text starting on ``line``), if any."""
    where = text.first_invisible(value)
    if where < 0:
        return None
    line += value.count("\n", 0, where)
    return Problem(path, line, field, f"contains {text.describe_invisible(value[where])}", INVISIBLE_HINT)


def _strip_invisible(source: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text without invisible characters, and where each was: (line, column) in that text."""
    if text.first_invisible(source) < 0:
        return source, []
    hidden, lines = [], source.split("\n")
    for number, line in enumerate(lines):
        # Columns in the stripped line: each earlier hidden character moves the next one left.
        found = text.invisible_characters(line)
        hidden += [(number, column - removed, char) for removed, (column, char) in enumerate(found)]
        if found:
            lines[number] = text.without_invisible(line)
    return "\n".join(lines), hidden


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _too_deep(root: yaml.Node) -> yaml.Node | None:
    """The first collection more than ``MAX_DEPTH`` levels down, through aliases too (a cycle never ends)."""
    walked: dict[int, int] = {}  # node -> the deepest level it was walked from: deeper walks are stricter
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, yaml.ScalarNode) or walked.get(id(node), 0) >= depth:
            continue
        if depth > MAX_DEPTH:
            return node
        walked[id(node)] = depth
        stack += [(child, depth + 1) for child in reversed(_children(node))]
    return None


def _scalars(*roots: yaml.Node):
    """Every scalar below ``roots``, in order, each once (aliases share nodes)."""
    seen, stack = set(), list(reversed(roots))
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield node
        stack += reversed(_children(node))


def _yaml_hint(problem: str) -> str:
    if "'\\t'" in problem or "\\t" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return 'put the value in quotes when it contains ": ", e.g. title: "A: B"'
    if "end of stream" in problem or "quoted scalar" in problem:
        return "a quote was opened and never closed"
    return "check the indentation and quotes on this line"


def _line(node: yaml.Node, first_line: int) -> int:
    return first_line + node.start_mark.line
