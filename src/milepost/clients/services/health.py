"""Relationship health (engines/stakeholders/health.py does the maths; docs/clients.md)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from milepost.clients.models import Client, Interaction, SurveyResponse
from milepost.engines.stakeholders import HealthInputs, health_score

SATISFACTION_DAYS = 730  # survey answers older than two years no longer speak for the client
RESPONSE_DAYS = 365  # needs raised in the last year


def _inputs_by_client(
    client_ids: list[int], now: datetime.datetime
) -> dict[int, tuple[HealthInputs, datetime.datetime | None]]:
    today = timezone.localdate(now)
    last_contact = dict(
        Interaction.objects.filter(client_id__in=client_ids, occurred_at__lte=now)
        .values("client_id")
        .annotate(last=Max("occurred_at"))
        .values_list("client_id", "last")
    )
    overdue = dict(
        Interaction.objects.filter(
            client_id__in=client_ids, next_step_done_at__isnull=True, next_step_due__lt=today
        )
        .exclude(next_step="")
        .values("client_id")
        .annotate(n=Count("pk"))
        .values_list("client_id", "n")
    )
    recommend = dict(
        SurveyResponse.objects.filter(
            client_id__in=client_ids,
            answered_at__gte=now - datetime.timedelta(days=SATISFACTION_DAYS),
        )
        .values("client_id")
        .annotate(mean=Avg("recommend"))
        .values_list("client_id", "mean")
    )
    # Needs belong to clients from the needs app's side (Need.client): read them through the
    # reverse relation so clients never imports needs.
    need_model: Any = Client._meta.get_field("needs").related_model
    waits: dict[int, list[float]] = defaultdict(list)
    for client_id, created, first in need_model.objects.filter(
        Q(client_id__in=client_ids),
        created_at__gte=now - datetime.timedelta(days=RESPONSE_DAYS),
    ).values_list("client_id", "created_at", "first_response_at"):
        waits[client_id].append(((first or now) - created).total_seconds() / 86400)
    result = {}
    for client_id in client_ids:
        last = last_contact.get(client_id)
        times = waits.get(client_id)
        mean = recommend.get(client_id)
        result[client_id] = (
            HealthInputs(
                days_since_contact=(today - timezone.localdate(last)).days if last else None,
                overdue_next_steps=overdue.get(client_id, 0),
                recommend_average=float(mean) if mean is not None else None,
                response_days=sum(times) / len(times) if times else None,
            ),
            last,
        )
    return result


def refresh_health(*, client: Client | None = None, clients: Iterable[Client] | None = None) -> int:
    """Recompute and store the health of one client, some, or (neither given) every active
    client; returns how many were written. Called after each interaction, survey answer and
    need response, and nightly (`milepost client_health`), since the age of the last contact
    grows by itself."""
    now = timezone.now()
    if client is not None:
        batch = [client]
    elif clients is not None:
        batch = list(clients)
    else:
        batch = list(Client.objects.filter(is_active=True).only("pk", "last_contact_at"))
    written = 0
    for start in range(0, len(batch), 1000):
        chunk = batch[start : start + 1000]
        inputs = _inputs_by_client([c.pk for c in chunk], now)
        for row in chunk:
            signals, last = inputs[row.pk]
            score = health_score(signals)
            row.health_score = score.score
            row.health_band = score.band
            row.health_parts = score.parts
            row.health_checked_at = now
            row.last_contact_at = last
        Client.objects.bulk_update(
            chunk,
            ["health_score", "health_band", "health_parts", "health_checked_at", "last_contact_at"],
        )
        written += len(chunk)
    return written
