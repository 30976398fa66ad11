from __future__ import annotations

import pytest

from milepost.engines.matching.language import looks_english


@pytest.mark.parametrize(
    "text",
    [
        "Our claims handlers struggle with angry callers since the new policy wording",
        "Team leaders need to give better feedback and coach their people",
        "Excel pivot tables",  # short: not judged
        "SQL, Python, pandas, dashboards, Power BI, data modelling, ETL pipelines",
    ],
)
def test_english_needs_pass(text):
    assert looks_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nos équipes ont besoin de formation en négociation avec les clients",
        "Unsere Mitarbeiter brauchen eine Schulung für die neue Software und die Prozesse",
        "Nuestros equipos necesitan formación en atención al cliente para los reclamos",
        "Onze medewerkers hebben een training nodig voor het nieuwe systeem van de klant",
    ],
)
def test_other_languages_are_recognised(text):
    assert not looks_english(text)
