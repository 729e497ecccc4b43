"""YAML read with the line of every key and item, so errors can point at them.

Dates are not turned into Python objects here: a timestamp-looking scalar comes
back as ``DateText`` (a ``str``), so the schema parses it with its own rules and
can still tell that ``title: 2024-01-01`` was not written as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .problems import Problem, Problems


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
    """Parse a YAML mapping; ``first_line`` is the file line the text starts on."""
    node = _compose(text, path, field, first_line)
    if node is None:
        return {}
    return _mapping(node, path, field, first_line)


def load_list_of_mappings(text: str, path: str, field: str) -> list[tuple[int, dict[str, Located]]]:
    """Parse a YAML list of mappings (a registry file), each with its line."""
    node = _compose(text, path, field, 1)
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise Problems([Problem(path, _line(node, 1), field, "expected a list of entries, each starting with \"- \"")])
    entries, problems = [], []
    for item in node.value:
        try:
            entries.append((_line(item, 1), _mapping(item, path, field, 1)))
        except Problems as error:
            problems += error.problems
    if problems:
        raise Problems(problems)
    return entries


def _compose(text: str, path: str, field: str, first_line: int) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError:
        pass
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        # An unclosed quote fails at the end of the text: point at the quote.
        quoted = "quoted scalar" in (error.context or "")
        mark = (error.context_mark if quoted else None) or error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = error.problem or error.context or "cannot be read"
        raise Problems([Problem(path, line, field, f"YAML syntax error: {problem}", _yaml_hint(problem))]) from None
    except yaml.YAMLError as error:
        raise Problems([Problem(path, first_line, field, f"YAML error: {error}")]) from None


def _yaml_hint(problem: str) -> str:
    if "'\\t'" in problem or "\\t" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return 'put the value in quotes when it contains ": ", e.g. title: "A: B"'
    if "end of stream" in problem or "quoted scalar" in problem:
        return "a quote was opened and never closed"
    return "check the indentation and quotes on this line"


def _mapping(node: yaml.Node, path: str, field: str, first_line: int) -> dict[str, Located]:
    if not isinstance(node, yaml.MappingNode):
        raise Problems([Problem(path, _line(node, first_line), field, 'expected "key: value" lines')])
    loader = _Loader("")
    result: dict[str, Located] = {}
    problems = []
    for key_node, value_node in node.value:
        key, line = str(key_node.value), _line(key_node, first_line)
        if key in result:
            problems.append(Problem(path, line, key, f"duplicate key (first given on line {result[key].line})", "keep one"))
            continue
        try:
            value = loader.construct_object(value_node, deep=True)
        except yaml.YAMLError as error:
            problems.append(Problem(path, line, key, f"cannot be read: {error}"))
            continue
        items = tuple(_line(item, first_line) for item in value_node.value) if isinstance(value_node, yaml.SequenceNode) else ()
        result[key] = Located(value, line, items)
    if problems:
        raise Problems(problems)
    return result


def _line(node: yaml.Node, first_line: int) -> int:
    return first_line + node.start_mark.line
