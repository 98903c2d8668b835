"""Reminders through the operating system's own notification service.

A reminder must not depend on a tray (GNOME without its extension has none) and must
reach the notification list, a lock screen and a second monitor. ``SystemNotifier``
sends each ``Notice`` through the ``desktop-notifier`` library, which speaks the
desktop's own service: freedesktop notifications over D-Bus on Linux, the Notification
Center on macOS, toast notifications on Windows. We do not hand-write D-Bus.

- A due dose is an urgent notification (critical on Linux: it stays until acted on
  where the desktop allows), with **Given** and **Snooze 10 min** buttons for one dose
  (**Given…** for several: the window asks once, as "Given: all due at this time"
  does), **What happened?…** for a dose past its grace period, **Answer…** for the
  "while you were away" list. Early and appointment notices are normal urgency.
- The buttons act in the app as the banner's do: the signals below go to the
  ``ReminderCenter``, which records through the Today tab (the caregiver on duty, or
  asking who) or snoozes through the ``ReminderService``; so Undo takes them back too.
- One notification at a time: a repeat replaces the one shown (withdrawn, then sent),
  and once its doses are recorded or snoozed anywhere it is withdrawn (``withdraw``).
- Discreet wording (a setting, off by default): "Time for medicines (1)" and no names,
  for a household that does not want medicine names on a lock screen.

The library is asyncio-based; its loop runs in one background thread, started at the
first notice (not at start-up). Its callbacks come back to the GUI thread as queued Qt
signals. Whether the service works is known after the first send (``working``): until
then, and when it fails, the tray's message stands in (``ReminderCenter``). The in-window
banner and the sound remain the sure channel either way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from caregiver_app import APP_NAME
from caregiver_app.services.notifier import Notice, NoticeItem, NoticeKind

if TYPE_CHECKING:  # asyncio is imported at the first notice, not at start-up
    import asyncio
    from concurrent.futures import Future

log = logging.getLogger(__name__)

#: The Snooze button's minutes.
SNOOZE_MINUTES = 10
GIVEN, SNOOZE, ANSWER = "given", "snooze", "answer"


@dataclass(frozen=True)
class SystemMessage:
    """What one notice says as a system notification."""

    title: str
    body: str
    buttons: tuple[tuple[str, str], ...] = ()  # (action, label)
    urgent: bool = False  # critical urgency, no time-out


def message_for(notice: Notice, *, discreet: bool, prefix: str = "") -> SystemMessage:
    """The words and buttons of ``notice`` (``discreet``: no medicine or appointment
    names, for a lock screen; ``prefix``: "Example: " for the example household)."""
    kind = notice.kind
    count = len(notice.items)
    urgent = kind.about_a_due_dose
    buttons: tuple[tuple[str, str], ...] = ()
    asks = [i for i in notice.items if i.ask]
    doses = [i for i in notice.items if not i.ask]
    if kind is NoticeKind.DOSES and doses:
        given = "Given" if len(doses) == 1 else f"Given: all {len(doses)}…"
        buttons = ((GIVEN, given), (SNOOZE, f"Snooze {SNOOZE_MINUTES} min"))
    elif kind is NoticeKind.UNRECORDED and asks:
        buttons = ((ANSWER, "What happened?…"),)
    elif kind is NoticeKind.CATCH_UP:
        buttons = ((ANSWER, "Answer…"),)
    title, body = notice.title, notice.text
    if discreet:
        see = f"Open {APP_NAME} to see which."
        if kind is NoticeKind.DOSES:
            title, body = f"Time for medicines ({count})", see
        elif kind is NoticeKind.UNRECORDED:
            title, body = f"Medicines not recorded ({count}): what happened?", see
        elif kind is NoticeKind.EARLY:
            title, body = f"Medicines coming up ({count})", see
        elif kind is NoticeKind.CATCH_UP:
            body = "Say what happened to each one."
        elif kind is NoticeKind.APPOINTMENT:
            body = f"Open {APP_NAME} to see it."
    return SystemMessage(prefix + title, body, buttons, urgent)


class _Loop:
    """One asyncio loop in a daemon thread, started on first use."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def submit(self, coro) -> Future:
        import asyncio

        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()

                def run() -> None:
                    loop.run_forever()
                    loop.close()  # stopped: give back its sockets

                threading.Thread(target=run, name="system-notices", daemon=True).start()
                self._loop = loop
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def stop(self) -> None:
        with self._lock:
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._loop.stop)
                self._loop = None


def desktop_notifier_for(app_name: str, icon: Path | None):
    """desktop-notifier's notifier, on the library's own choice of backend for this
    system."""
    from desktop_notifier import DesktopNotifier, Icon

    return DesktopNotifier(app_name=app_name, app_icon=Icon(path=icon) if icon else None)


#: What ``SystemNotifier`` uses unless given a backend (tests put a fake one here).
_default_backend = desktop_notifier_for


class SystemNotifier(QObject):
    """A ``Notifier`` (``notify``, ``clear``, ``withdraw``) on the system's service."""

    given_requested = Signal(int, str)
    """Given on a one-dose notification: (medicine_id, key)."""
    given_all_requested = Signal(object)
    """"Given: all N…" on a notification of several doses: the ``NoticeItem`` tuple."""
    snooze_requested = Signal(object, int)
    """Snooze: the ``NoticeItem`` tuple and the minutes."""
    answer_requested = Signal(object)
    """"What happened?…" / "Answer…": the ``Notice``."""
    open_requested = Signal(object)
    """The notification itself was clicked: the ``Notice``."""
    working_changed = Signal(bool)
    """The service took a notification (True) or refused or is missing (False)."""

    _acted = Signal(str, str)  # (identifier, action): from the library's thread
    _sent = Signal(str, bool)  # (identifier, delivered)

    def __init__(self, *, discreet: Callable[[], bool], title_prefix: str = "",
                 icon: Path | None = None, backend: Callable[[], object] | None = None,
                 parent: QObject | None = None):
        """``backend()`` makes the library's notifier (a ``DesktopNotifier``; tests pass
        one on a ``DesktopNotifierBackend`` of their own, the library's seam)."""
        super().__init__(parent)
        self._discreet = discreet
        self._prefix = title_prefix
        self._make = backend or (lambda: _default_backend(APP_NAME, icon))
        self._notifier: Any = None  # the library's DesktopNotifier, made in its thread
        self._loop = _Loop()
        self._shown: dict[str, Notice] = {}  # identifier -> notice, while shown
        self._current: str | None = None
        self._notice: Notice | None = None
        self.working: bool | None = None  # None: not known yet
        self._refresh = QTimer(self)  # several doses recorded at once: one update
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self._send_current)
        self.destroyed.connect(self._loop.stop)
        self._acted.connect(self._on_acted)
        self._sent.connect(self._on_sent)

    # ---- Notifier

    def notify(self, notice: Notice) -> None:
        """Show ``notice``, replacing the notification shown (a repeat never stacks)."""
        self._notice = notice
        self._refresh.stop()
        self._send_current()

    def clear(self) -> None:
        self._notice = None
        self._refresh.stop()
        self._withdraw_shown()

    def withdraw(self, medicine_id: int, key: str) -> None:
        """The dose was recorded or snoozed: off the notification (withdrawn once no
        dose is left on it)."""
        notice = self._notice
        if notice is None or not notice.items:
            return
        left = tuple(i for i in notice.items if (i.medicine_id, i.key) != (medicine_id, key))
        if len(left) == len(notice.items):
            return
        if not left:
            self.clear()
            return
        self._notice = replace(notice, items=left)
        self._refresh.start()

    def ask_permission(self) -> Future:
        """Ask the system for leave to show notifications: macOS asks the person, once
        (and shows nothing until they allow it); elsewhere it is simply granted. A
        future of True (allowed) or False (refused, or no service)."""
        return self._loop.submit(self._ask_permission())

    def shutdown(self) -> None:
        """Withdraw what is shown (waiting a moment for it) and end the library's thread:
        the app quits, so the notification's buttons could do nothing."""
        self._notice = None
        self._refresh.stop()
        identifier, self._current = self._current, None
        if identifier is not None:
            try:
                self._loop.submit(self._withdraw(identifier)).result(timeout=1)
            except Exception:  # (a service that does not answer does not hold up quitting)
                log.info("notification %s not withdrawn at quit", identifier)
        self._loop.stop()

    # ---- Private

    def _send_current(self) -> None:
        notice = self._notice
        self._withdraw_shown()
        if notice is None:
            return
        message = message_for(notice, discreet=bool(self._discreet()), prefix=self._prefix)
        import uuid  # (with the library, at the first notice: not at start-up)

        from desktop_notifier import Button, Notification, Urgency

        identifier = str(uuid.uuid4())

        def on(action: str) -> Callable[[], None]:
            return lambda: self._acted.emit(identifier, action)

        notification = Notification(
            title=message.title, message=message.body,
            urgency=Urgency.Critical if message.urgent else Urgency.Normal,
            buttons=tuple(Button(title=label, identifier=action, on_pressed=on(action))
                          for action, label in message.buttons),
            on_clicked=on(""), timeout=0 if message.urgent else -1, identifier=identifier)
        self._shown[identifier] = notice
        self._current = identifier
        self._loop.submit(self._send(notification))

    async def _send(self, notification) -> None:
        try:
            if self._notifier is None:
                self._notifier = self._make()
            await self._notifier.send_notification(notification)
            # the library logs a failure and goes on: it is delivered if it is kept
            delivered = notification.identifier in \
                await self._notifier.get_current_notifications()
        except Exception:  # no service on the bus, a refused call: the tray stands in
            log.warning("the system's notification service took no reminder",
                        exc_info=True)
            delivered = False
        self._sent.emit(notification.identifier, delivered)

    async def _ask_permission(self) -> bool:
        try:
            if self._notifier is None:
                self._notifier = self._make()
            allowed = bool(await self._notifier.request_authorisation())
        except Exception:
            log.warning("could not ask for leave to show notifications", exc_info=True)
            return False
        log.info("notifications allowed: %s", allowed)
        return allowed

    async def _withdraw(self, identifier: str) -> None:
        try:
            if self._notifier is not None:
                await self._notifier.clear(identifier)
        except Exception:  # already gone (dismissed, or the service restarted)
            log.info("could not withdraw notification %s", identifier, exc_info=True)

    def _withdraw_shown(self) -> None:
        identifier, self._current = self._current, None
        if identifier is not None:
            self._shown.pop(identifier, None)
            self._loop.submit(self._withdraw(identifier))

    def _on_sent(self, identifier: str, delivered: bool) -> None:
        if delivered != self.working:
            self.working = delivered
            self.working_changed.emit(delivered)

    def _on_acted(self, identifier: str, action: str) -> None:
        notice = self._shown.pop(identifier, None)
        if identifier == self._current:
            self._current = None  # the desktop took it away when it was acted on
        if notice is None:
            return
        items = tuple(i for i in notice.items if not i.ask)
        if action == GIVEN and len(items) == 1:
            self.given_requested.emit(items[0].medicine_id, items[0].key)
        elif action == GIVEN and items:
            self.given_all_requested.emit(items)
        elif action == SNOOZE and items:
            self.snooze_requested.emit(items, SNOOZE_MINUTES)
        elif action == ANSWER:
            self.answer_requested.emit(notice)
        else:
            self.open_requested.emit(notice)


__all__ = ["SNOOZE_MINUTES", "NoticeItem", "SystemMessage", "SystemNotifier",
           "desktop_notifier_for", "message_for"]
