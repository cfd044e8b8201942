"""Placeholder: filled in by the offers work."""
