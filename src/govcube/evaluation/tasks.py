from __future__ import annotations

from django_tasks import task

BATCH = 500


@task()
def send_rating_requests(kind: str, item_id: int) -> int:
    """Ask the people of the covered buildings to rate a delivered item (in batches)."""
    from govcube.evaluation.services import rated_item, rating_request_recipients
    from govcube.notifications.services import notify

    item = rated_item(kind, item_id)
    if item is None:
        return 0
    users = rating_request_recipients(item.body)
    sent = 0
    batch = []
    for user in users.iterator(chunk_size=BATCH):
        batch.append(user)
        if len(batch) == BATCH:
            sent += len(
                notify(recipients=batch, code="evaluation.rating.requested", obj=item, params={"object": str(item)})
            )
            batch = []
    if batch:
        sent += len(
            notify(recipients=batch, code="evaluation.rating.requested", obj=item, params={"object": str(item)})
        )
    return sent
