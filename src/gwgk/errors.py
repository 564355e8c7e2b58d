"""Problems in user data (values with a location) and the one exception family of gwgk.

Exit codes are decided here and nowhere else: 0 done, 1 done and found problems, 2 refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_REFUSED = 2
EXIT_INTERNAL = 3  # a defect in gwgk itself, never a user's mistake


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a user's file: where it is and what is wrong, in Chinese."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            # a place named in words (“市财政局!3行”) ends a Chinese phrase: the colon is full-width
            if self.file and "\u3400" <= self.file[-1] <= "\u9fff":
                return f"{self.file}：{self.message}"
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.column or 1}: {self.message}"


class GwgkError(Exception):
    """Base of every error gwgk reports to a user; ``exit_code`` says how the process ends."""

    exit_code = EXIT_REFUSED

    def __init__(self, message: str, problems: list[Problem] | list[str] | tuple[Problem, ...] = ()):
        super().__init__(message)
        self.message = message
        self.problems: list[Any] = list(problems)  # Problem values, or located lines already in words

    def lines(self) -> list[str]:
        """The message and then every problem, one line each, as shown to the user."""
        return [self.message, *(str(p) for p in self.problems)]


class UsageError(GwgkError):
    """Bad options or arguments: an unknown unit, a bad date, a missing reason."""


class DataError(GwgkError):
    """A file in the workspace is malformed or inconsistent, so the command cannot run."""


class WorkspaceError(GwgkError):
    """No workspace was found, or one would be overwritten."""


class ConflictError(GwgkError):
    """A file changed on disk while the command worked, so nothing was written."""
