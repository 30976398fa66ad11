"""Reads for service satisfaction: one client's results over time and the results across the
clients a reader may see. NPS-style: promoters answer 9-10, passives 7-8, detractors 0-6."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, FloatField, Max, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from milepost.accounts.access import AnyUser
from milepost.clients.models import SURVEY_ITEMS, Client, SurveyInvitation, SurveyResponse
from milepost.clients.selectors import visible_clients

PROMOTER_FROM = 9
PASSIVE_FROM = 7
QUARTERS_SHOWN = 8


@dataclass(frozen=True)
class Tally:
    """Counts and means of a set of answers (a quarter, a client, everything)."""

    responses: int
    promoters: int
    passives: int
    detractors: int
    item_means: dict[str, float | None] = field(default_factory=dict)
    recommend_mean: float | None = None

    @property
    def nps(self) -> int | None:
        """Per cent promoters minus per cent detractors, -100 to 100."""
        if not self.responses:
            return None
        return round(100 * (self.promoters - self.detractors) / self.responses)

    @property
    def item_list(self) -> list[tuple[str, float | None]]:
        return [(label, self.item_means.get(key)) for key, label in SURVEY_ITEMS]


def _aggregates() -> dict[str, Count | Avg]:
    parts: dict[str, Count | Avg] = {
        "responses": Count("pk"),
        "promoters": Count("pk", filter=Q(recommend__gte=PROMOTER_FROM)),
        "passives": Count("pk", filter=Q(recommend__gte=PASSIVE_FROM, recommend__lt=PROMOTER_FROM)),
        "detractors": Count("pk", filter=Q(recommend__lt=PASSIVE_FROM)),
        "recommend_mean": Avg("recommend"),
    }
    for key, _ in SURVEY_ITEMS:
        parts[f"item_{key}"] = Avg(Cast(KeyTextTransform(key, "items"), FloatField()))
    return parts


def _tally(row: dict) -> Tally:
    def rounded(value: float | None) -> float | None:
        return round(float(value), 1) if value is not None else None

    return Tally(
        responses=row["responses"] or 0,
        promoters=row["promoters"] or 0,
        passives=row["passives"] or 0,
        detractors=row["detractors"] or 0,
        item_means={key: rounded(row[f"item_{key}"]) for key, _ in SURVEY_ITEMS},
        recommend_mean=rounded(row["recommend_mean"]),
    )


def quarter_of(moment: datetime.datetime) -> tuple[int, int]:
    local = timezone.localtime(moment)
    return local.year, (local.month - 1) // 3 + 1


def quarter_label(year: int, quarter: int) -> str:
    return f"Q{quarter} {year}"


@dataclass(frozen=True)
class Period:
    label: str
    tally: Tally


def _quarters(end: datetime.datetime, count: int) -> list[tuple[int, int]]:
    year, quarter = quarter_of(end)
    found = []
    for _ in range(count):
        found.append((year, quarter))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return list(reversed(found))


def _quarter_start(year: int, quarter: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 3 * (quarter - 1) + 1, 1))


def results_by_quarter(
    responses: QuerySet[SurveyResponse], *, now: datetime.datetime | None = None
) -> list[Period]:
    """The last QUARTERS_SHOWN quarters (oldest first), one aggregate query each."""
    moment = now or timezone.now()
    quarters = _quarters(moment, QUARTERS_SHOWN)
    periods = []
    for index, (year, quarter) in enumerate(quarters):
        start = _quarter_start(year, quarter)
        after = quarters[index + 1] if index + 1 < len(quarters) else None
        window = responses.filter(answered_at__gte=start)
        if after is not None:
            window = window.filter(answered_at__lt=_quarter_start(*after))
        periods.append(
            Period(quarter_label(year, quarter), _tally(window.aggregate(**_aggregates())))
        )
    return periods


def overall(responses: QuerySet[SurveyResponse]) -> Tally:
    return _tally(responses.aggregate(**_aggregates()))


def client_responses(client: Client) -> QuerySet[SurveyResponse]:
    return client.survey_responses.select_related("invitation__contact").order_by(
        "-answered_at", "-pk"
    )


def client_invitations(client: Client) -> QuerySet[SurveyInvitation]:
    return client.survey_invitations.select_related("contact", "sent_by").order_by(
        "-sent_at", "-pk"
    )


def visible_responses(user: AnyUser) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(client__in=visible_clients(user).order_by().values("pk"))


@dataclass
class ClientResult:
    client: Client
    tally: Tally
    last_answered: datetime.datetime | None


def results_by_client(user: AnyUser) -> QuerySet[Client]:
    """Visible clients with at least one answer, annotated with their tallies (one query)."""
    parts: dict = {
        "responses": Count("survey_responses", distinct=True),
        "promoters": Count(
            "survey_responses",
            filter=Q(survey_responses__recommend__gte=PROMOTER_FROM),
            distinct=True,
        ),
        "passives": Count(
            "survey_responses",
            filter=Q(
                survey_responses__recommend__gte=PASSIVE_FROM,
                survey_responses__recommend__lt=PROMOTER_FROM,
            ),
            distinct=True,
        ),
        "detractors": Count(
            "survey_responses",
            filter=Q(survey_responses__recommend__lt=PASSIVE_FROM),
            distinct=True,
        ),
        "recommend_mean": Avg("survey_responses__recommend"),
        "last_answered": Max("survey_responses__answered_at"),
    }
    for key, _ in SURVEY_ITEMS:
        parts[f"item_{key}"] = Avg(
            Cast(KeyTextTransform(key, "survey_responses__items"), FloatField())
        )
    clients = Client.objects.filter(pk__in=visible_clients(user).order_by().values("pk"))
    return (
        clients.filter(survey_responses__isnull=False)
        .annotate(**parts)
        .select_related("owner")
        .order_by("name", "pk")
    )


def client_result(client: Client) -> ClientResult:
    """A row of results_by_client() as a ClientResult (its annotations read into a Tally)."""
    row = {
        "responses": client.responses,  # type: ignore[attr-defined]
        "promoters": client.promoters,  # type: ignore[attr-defined]
        "passives": client.passives,  # type: ignore[attr-defined]
        "detractors": client.detractors,  # type: ignore[attr-defined]
        "recommend_mean": client.recommend_mean,  # type: ignore[attr-defined]
        **{f"item_{key}": getattr(client, f"item_{key}") for key, _ in SURVEY_ITEMS},
    }
    return ClientResult(
        client=client,
        tally=_tally(row),
        last_answered=client.last_answered,  # type: ignore[attr-defined]
    )
