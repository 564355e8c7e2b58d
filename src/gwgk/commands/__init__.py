"""The typer commands: a thin layer that parses options, calls the core, renders and maps errors
to exit codes (in ``app``). The only package that imports typer, reads the clock or the
environment, or prints.

May import: every other package.
"""
