"""``python -m gwgk``."""

from .cli import main

main()
