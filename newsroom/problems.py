"""Problems found in editors' files, in one format for people and for CI.

``posts/2022/04/ky-ket.md:4: agencies: "UBND tinh" is not a known agency; did you mean "UBND tỉnh"?``
"""

from __future__ import annotations

import re
from dataclasses import dataclass


ERROR, WARNING = "error", "warning"
# Control characters but tab, in a file name or a quoted value: a line break would split one problem in two
# (and, in a GitHub annotation's file=, start a workflow command of the file's choosing).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = ERROR  # a warning never stops a build or fails a check

    def __str__(self) -> str:
        kind = "warning: " if self.severity == WARNING else ""
        return _visible(f"{self.path}:{self.line}: {kind}{self.field}: {self.text}")

    @property
    def text(self) -> str:
        """The message and its hint, without the place."""
        return f"{self.message}; {self.hint}" if self.hint else self.message

    def github(self) -> str:
        """A GitHub Actions workflow command: an annotation on the file and line."""
        text = f"{self.field}: {self.text}".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = _visible(self.path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")  # as a property value
        return _visible(f"::{self.severity} file={path},line={self.line}::{text}")


def _visible(line: str) -> str:
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", line)


class Problems(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


def quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def did_you_mean(names: list[str]) -> str:
    return f"did you mean {quoted(names)}?" if names else ""
