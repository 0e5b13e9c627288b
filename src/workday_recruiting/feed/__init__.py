"""The interview feed: every change to the interview sessions of a window, delivered at least once until acknowledged.

Build one with :meth:`client.interviews.feed() <workday_recruiting.services.interviews.InterviewsService.feed>`::

    feed = client.interviews.feed(state="feed.sqlite", days=14)
    with feed.poll() as batch:          # acknowledged when the block ends without an exception
        for change in batch:
            print(change.kind, change.start, change.candidate.name, change.changed)

See ``docs/interviews.md`` for what a poll costs and what each kind of change means.
"""

from ._changes import PAYLOAD_SCHEMA, ChangeKind, InterviewChange, SessionValues
from ._feed import ChangeBatch, InterviewFeed, open_store
from ._postgres import FeedStoreUnavailableError, PostgresFeedStore
from ._store import (
    SCHEMA_VERSION,
    FeedLockedError,
    FeedStateError,
    FeedStore,
    SqlFeedStore,
    SQLiteFeedStore,
)

__all__ = [
    "PAYLOAD_SCHEMA",
    "SCHEMA_VERSION",
    "ChangeBatch",
    "ChangeKind",
    "FeedLockedError",
    "FeedStateError",
    "FeedStore",
    "FeedStoreUnavailableError",
    "InterviewChange",
    "InterviewFeed",
    "PostgresFeedStore",
    "SQLiteFeedStore",
    "SessionValues",
    "SqlFeedStore",
    "open_store",
]
