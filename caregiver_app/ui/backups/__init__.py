"""Backup and restore dialogs."""
