"""Widgets. One package per tab; dialogs expose an ``ask()`` classmethod."""
