"""This folder is both the demo workspace's catalogue and the package ``gwgk.bundled`` shipped in the wheel."""
