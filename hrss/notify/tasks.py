"""Background delivery: one task per message, enqueued after the sender's transaction commits."""

from __future__ import annotations

from django_tasks import task

from hrss.notify import services


@task()
def deliver_message(message_id: str) -> str:
    return services.message_deliver(message_id=message_id).status
