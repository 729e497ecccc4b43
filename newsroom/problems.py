"""Problems found in editors' files, in one format for people and for CI.

``posts/2022/04/ky-ket.md:4: agencies: "UBND tinh" is not a known agency; did you mean "UBND tỉnh"?``
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class Problems(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


def quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def did_you_mean(names: list[str]) -> str:
    return f"did you mean {quoted(names)}?" if names else ""
