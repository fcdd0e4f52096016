"""Engines: behaviour over state that is more than a lookup (tasks, validation, exports)."""
