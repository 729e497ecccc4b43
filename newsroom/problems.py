"""Problems found in editors' files, in one format for people and for CI.

``posts/2022/04/ky-ket.md:4: agencies: "UBND tinh" is not a known agency; did you mean "UBND tỉnh"?``
"""

from __future__ import annotations

from dataclasses import dataclass


ERROR, WARNING = "error", "warning"


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
        return f"{self.path}:{self.line}: {kind}{self.field}: {self.text}"

    @property
    def text(self) -> str:
        """The message and its hint, without the place."""
        return f"{self.message}; {self.hint}" if self.hint else self.message

    def github(self) -> str:
        """A GitHub Actions workflow command: an annotation on the file and line."""
        text = f"{self.field}: {self.text}".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={self.path},line={self.line}::{text}"


class Problems(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


def quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def did_you_mean(names: list[str]) -> str:
    return f"did you mean {quoted(names)}?" if names else ""
