"""gwgk: the 政务公开 work ledger. The packages are layers; docs/architecture.md is the map."""
