"""A stand-in for the desktop's notification service, on desktop-notifier's own seam:
a ``DesktopNotifierBackend`` (the class each platform's backend implements: D-Bus on
Linux, the Notification Center on macOS, WinRT toasts on Windows) that records what it
is asked and, like those backends, calls ``handle_button`` / ``handle_clicked`` when a
person presses a button or the notification. ``tests/conftest.py`` puts it under every
app a test builds, so no test ever shows a notification on the developer's desktop."""

from __future__ import annotations

import asyncio
import threading

from desktop_notifier import Capability, DesktopNotifier
from desktop_notifier.backends.base import DesktopNotifierBackend

ALL = frozenset({Capability.APP_NAME, Capability.TITLE, Capability.MESSAGE,
                 Capability.URGENCY, Capability.BUTTONS, Capability.ON_CLICKED,
                 Capability.ON_DISMISSED, Capability.TIMEOUT, Capability.ICON})


class FakeService(DesktopNotifierBackend):
    """``shown``: the notifications on screen (identifier -> Notification);
    ``log``: ("send" | "clear", identifier) in order; ``refuse``: fail every send, as
    with no service on the bus."""

    def __init__(self, app_name: str = "test", app_icon=None, *,
                 capabilities: frozenset[Capability] = ALL):
        super().__init__(app_name, app_icon)
        self.shown: dict[str, object] = {}
        self.log: list[tuple[str, str]] = []
        self.refuse = False
        self._caps = capabilities
        self._lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None

    async def request_authorisation(self) -> bool:
        return True

    async def has_authorisation(self) -> bool:
        return True

    async def _send(self, notification) -> None:
        self.loop = asyncio.get_running_loop()
        if self.refuse:
            raise ConnectionError("no notification service on the bus")
        with self._lock:
            self.shown[notification.identifier] = notification
            self.log.append(("send", notification.identifier))

    async def _clear(self, identifier: str) -> None:
        with self._lock:
            self.shown.pop(identifier, None)
            self.log.append(("clear", identifier))

    async def _clear_all(self) -> None:
        with self._lock:
            self.shown.clear()

    async def _get_capabilities(self) -> frozenset[Capability]:
        return self._caps

    # ---- a person at the notification

    def only(self):
        """The one notification on screen (fails if none or several)."""
        with self._lock:
            assert len(self.shown) == 1, f"{len(self.shown)} notifications shown"
            return next(iter(self.shown.values()))

    def press(self, label: str) -> None:
        """Press the button with this label, as the platform reports it: in the
        library's thread, and the notification goes."""
        notification = self.only()
        button = next(b for b in notification.buttons if b.title == label)
        self._in_loop(lambda: self._act(notification, button.identifier))

    def click(self) -> None:
        notification = self.only()
        self._in_loop(lambda: self._act(notification, None))

    def _act(self, notification, button: str | None) -> None:
        with self._lock:
            self.shown.pop(notification.identifier, None)
        self._clear_notification_from_cache(notification.identifier)
        if button is None:
            self.handle_clicked(notification.identifier, notification)
        else:
            self.handle_button(notification.identifier, button, notification)

    def _in_loop(self, call) -> None:
        assert self.loop is not None
        self.loop.call_soon_threadsafe(call)


def notifier_on(service: FakeService) -> DesktopNotifier:
    """The library's ``DesktopNotifier`` on ``service`` (its platform backend replaced)."""
    notifier = DesktopNotifier(app_name=service.app_name)
    notifier._backend = service  # the library's one place for a platform's backend
    return notifier
