"""Entry point of the ``gwgk`` command."""

from __future__ import annotations

from gwgk.commands import catalogue as _catalogue  # noqa: F401 - registers commands
from gwgk.commands import ledger as _ledger  # noqa: F401
from gwgk.commands import plans as _plans  # noqa: F401
from gwgk.commands import reports as _reports  # noqa: F401
from gwgk.commands import review as _review  # noqa: F401
from gwgk.commands import workbook as _workbook  # noqa: F401
from gwgk.commands.app import app


def main() -> None:
    """Run gwgk with the process's arguments; exits 0, 1 or 2."""
    app()


if __name__ == "__main__":
    main()
