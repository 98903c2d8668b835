"""The rules of the app in plain Python: no Qt, no database.

A test asserts that importing this package pulls in no PySide6 module.
"""
