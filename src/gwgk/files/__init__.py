"""Everything that touches the disk, and nothing that knows what a plan or a ledger means.

Owns: finding the workspace and its paths (``workspace``), reading bytes and turning YAML into
validated models with located problems (``loader``), the one YAML module (``yamlio``), editing
YAML text in place at the positions it reports (``yamlsplice``), atomic
writes and locks (``storage``), the JSON cache (``cache``) and rebuilding models from cached data
without validating again (``trusted``).

May import: ``gwgk.errors`` and ``gwgk.process`` only (and yaml, ruamel.yaml, filelock, pydantic). It is the only
package that imports ``yaml`` or ``ruamel``, or takes file locks.
"""
