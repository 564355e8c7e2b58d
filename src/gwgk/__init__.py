"""gwgk: the 政务公开 work ledger. The packages are layers; docs/architecture.md is the map."""

__version__ = "0.5.0"  # the one place the version is written; CHANGELOG.md says what each one changed
