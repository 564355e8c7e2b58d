"""``python -m gwgk``."""

from gwgk.cli import main

main()
