"""The How things are going tab (``GoingTab``, loaded when first asked for: Today's
one-line nudge, ``ui.going.nudge``, is shown at start-up without the tab or its charts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caregiver_app.ui.going.tab import GoingTab

__all__ = ["GoingTab"]


def __getattr__(name: str) -> object:
    if name == "GoingTab":
        from caregiver_app.ui.going.tab import GoingTab

        return GoingTab
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
