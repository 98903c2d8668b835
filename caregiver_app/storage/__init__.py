"""Storage: one SQLite file through sqlite-utils. Repositories return domain objects."""
