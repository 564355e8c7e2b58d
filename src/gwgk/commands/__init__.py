"""The typer commands: a thin layer that parses options, calls the core and renders."""
