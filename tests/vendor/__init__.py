"""Labelbox's own SDK tests (labelbox 7.17.0's sdist), run unmodified against the mock: `tox -e vendor`."""
