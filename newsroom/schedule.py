"""When the published site next changes on its own: an article's hour comes, or its expiry.

A static site is only as current as its last build. A scheduler (cron, a CI
schedule, a systemd timer) asks ``newsroom next-change`` and rebuilds exactly
then; the build log says it too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from .clock import TZ
from .post import Post


def moments(post: Post, now: datetime) -> list[datetime]:
    """The future moments at which ``post`` enters or leaves the public site."""
    if post.draft:
        return []  # only an editor's edit (a new build) publishes a draft
    found = []
    start, end = post.date.moment, post.expires.moment if post.expires is not None else None
    if start > now and (end is None or end > start):  # one that expires before its hour never shows
        found.append(start)
    if end is not None and end > now and end > start:
        found.append(end)
    return found


def next_change(posts: Iterable[Post], now: datetime) -> datetime | None:
    """The earliest moment after ``now`` at which the public set changes, in Vietnam time; None if never."""
    found = [moment for post in posts for moment in moments(post, now)]
    return min(found).astimezone(TZ) if found else None


def shown(moment: datetime) -> str:
    """ISO 8601 in Vietnam time, to the second: ``2026-11-27T08:00:00+07:00``."""
    return moment.astimezone(TZ).isoformat(timespec="seconds")
