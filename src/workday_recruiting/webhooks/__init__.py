"""Push delivery: every interview change POSTed to a webhook URL, signed per Standard Webhooks, retried, nothing lost.

The sending side (needs the ``webhooks`` extra: ``pip install 'workday-recruiting[webhooks]'``)::

    from workday_recruiting.webhooks import WebhookSink

    feed = client.interviews.feed(state="feed.sqlite", days=14)
    with WebhookSink("https://hooks.example.com/workday", secret) as sink:
        feed.poll()
        report = feed.deliver(sink)     # sends what is pending; acknowledges what the receiver accepted

The receiving side::

    from workday_recruiting.webhooks import WebhookVerificationError, verify

    try:
        change = verify(body, headers, secret)      # a DeliveredChange
    except WebhookVerificationError:
        ...                                         # answer 400

:class:`NotificationListener` turns Workday's own notifications into a trigger, and :class:`Watcher` runs it all
(what ``workday-recruiting interviews watch`` does). See ``docs/push.md``.
"""

from ._delivery import Attempt, DeliveryPolicy, DeliveryReport
from ._listener import MAX_NOTIFICATION_BYTES, Notification, NotificationListener, read_notification
from ._payload import (
    DeliveredCandidate,
    DeliveredChange,
    DeliveredLocation,
    DeliveredPerson,
    DeliveredRequisition,
)
from ._secret import WebhookPayloadError, WebhookSecret, WebhookVerificationError, generate_secret
from ._sink import SendResult, Sink, WebhookSink
from ._verify import MAX_BODY_BYTES, TOLERANCE, verify
from ._watch import Watcher

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_NOTIFICATION_BYTES",
    "TOLERANCE",
    "Attempt",
    "DeliveredCandidate",
    "DeliveredChange",
    "DeliveredLocation",
    "DeliveredPerson",
    "DeliveredRequisition",
    "DeliveryPolicy",
    "DeliveryReport",
    "Notification",
    "NotificationListener",
    "SendResult",
    "Sink",
    "Watcher",
    "WebhookPayloadError",
    "WebhookSecret",
    "WebhookSink",
    "WebhookVerificationError",
    "generate_secret",
    "read_notification",
    "verify",
]
