"""Live sharing with the family through a CalDAV/CardDAV server the household chooses.

``formats``: the app's tasks, events and contacts as iCalendar and vCard text (the
``icalendar`` and ``vobject`` libraries), and the phones' changes read back. The rules
(what is shared, what a tick on a phone means) are in ``domain.sharing``. Nothing here
opens a connection unless sharing is turned on.
"""
