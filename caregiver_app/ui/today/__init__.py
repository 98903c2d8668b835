"""The Today tab, the reminder banner and the "while you were away" list."""
