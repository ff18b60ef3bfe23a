"""Outage pages: `public` (no login: list, detail, iCalendar; the Atom feed is in `feeds`), `staff` (list, notice
page, steps, retry), `editor` (new and edit). `common` holds what they share."""
