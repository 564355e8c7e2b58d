"""Entry point of the ``gwgk`` command."""

from __future__ import annotations

from .commands import catalogue as _catalogue  # noqa: F401 - registers commands
from .commands import ledger as _ledger  # noqa: F401
from .commands import reports as _reports  # noqa: F401
from .commands import workbook as _workbook  # noqa: F401
from .commands.app import app


def main() -> None:
    """Run gwgk with the process's arguments; exits 0, 1 or 2."""
    app()


if __name__ == "__main__":
    main()
