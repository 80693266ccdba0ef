"""Shared widgets, one per module."""
