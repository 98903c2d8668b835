"""Services: Qt objects without widgets (timers, IPC, printing, import/export)."""
