"""``python -m gwgk``."""

from gwgk.cli import run

run()
