"""A stakeholder map as a picture: server-rendered SVG (a template, so every name is escaped),
and PNG (CairoSVG) and PDF (WeasyPrint) downloads of the same SVG.

The geometry is the engine's (engines/stakeholders/layout.py); this module only adapts the rows
and names the colours. Colour is never the only cue: each sector carries its name and each
circle its number in the data table beside the map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string

from milepost.clients.models import Stakeholder, StakeholderMap
from milepost.engines.stakeholders import QUADRANTS
from milepost.engines.stakeholders.layout import Box, Item, Layout, Placed, layout

# Quadrant -> (stroke and text colour, sector tint); dark colours keep white numbers readable.
COLOURS: dict[str, tuple[str, str]] = {
    "manage_closely": ("#b91c1c", "#fef2f2"),
    "keep_satisfied": ("#a16207", "#fefce8"),
    "keep_informed": ("#1d4ed8", "#eff6ff"),
    "monitor": ("#4b5563", "#f9fafb"),
}
LABEL_CHARS = 15
CENTRE_CHARS = 14
OWN_ORGANISATION = "Our organisation"


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Entry:
    """One stakeholder as drawn and as listed in the table beside the map."""

    number: int
    name: str
    label: str
    kind: str
    power: int
    interest: int
    quadrant: str
    quadrant_label: str
    salience_label: str
    attributes: int
    wants: str
    engagement: str
    colour: str
    spot: Placed
    stakeholder_id: int | None


@dataclass(frozen=True)
class Sector:
    key: str
    label: str
    box: Box
    colour: str
    tint: str
    count: int

    @property
    def label_x(self) -> float:
        return self.box.x + 4

    @property
    def label_y(self) -> float:
        # The sector's name at its outer edge, away from the centre.
        return (
            self.box.y - 8
            if self.key in ("manage_closely", "keep_satisfied")
            else (self.box.y + self.box.height + 18)
        )


@dataclass(frozen=True)
class MapPicture:
    title: str
    centre: str
    centre_label: str
    layout: Layout
    entries: list[Entry]
    sectors: list[Sector]

    @property
    def description(self) -> str:
        if not self.entries:
            return f"{self.centre} in the centre; no stakeholders on the map yet."
        parts = []
        for sector in self.sectors:
            names = [e.name for e in self.entries if e.quadrant == sector.key]
            if names:
                parts.append(f"{sector.label.lower()}: {', '.join(names)}")
        return (
            f"{self.centre} in the centre with {len(self.entries)} stakeholders around it by "
            f"power and interest. {'; '.join(parts)}."
        )


def picture_rows(rows: Sequence[dict[str, object]], *, title: str, centre: str) -> MapPicture:
    """A picture from plain rows (a version's snapshot, or stakeholders made into rows)."""
    geometry = layout(
        [
            Item(key=index, quadrant=str(row["quadrant"]), attributes=int(str(row["attributes"])))
            for index, row in enumerate(rows)
        ]
    )
    entries = []
    for row, spot in zip(rows, geometry.placed, strict=True):
        quadrant = str(row["quadrant"])
        name = str(row["name"])
        entries.append(
            Entry(
                number=spot.number,
                name=name,
                label=short(name, LABEL_CHARS),
                kind=str(row["kind"]),
                power=int(str(row["power"])),
                interest=int(str(row["interest"])),
                quadrant=quadrant,
                quadrant_label=QUADRANTS[quadrant].label,
                salience_label=str(row["salience_label"]),
                attributes=int(str(row["attributes"])),
                wants=str(row.get("wants", "")),
                engagement=str(row.get("engagement", "")),
                colour=COLOURS[quadrant][0],
                spot=spot,
                stakeholder_id=row.get("id") if isinstance(row.get("id"), int) else None,  # type: ignore[arg-type]
            )
        )
    sectors = [
        Sector(
            key=key,
            label=QUADRANTS[key].label,
            box=box,
            colour=COLOURS[key][0],
            tint=COLOURS[key][1],
            count=sum(e.quadrant == key for e in entries),
        )
        for key, box in geometry.sectors.items()
    ]
    return MapPicture(
        title=title,
        centre=centre,
        centre_label=short(centre, CENTRE_CHARS),
        layout=geometry,
        entries=entries,
        sectors=sectors,
    )


def stakeholder_row(stakeholder: Stakeholder) -> dict[str, object]:
    quadrant, salience = stakeholder.quadrant, stakeholder.salience
    return {
        "id": stakeholder.pk,
        "name": stakeholder.name,
        "kind": stakeholder.kind_label,
        "power": stakeholder.power,
        "interest": stakeholder.interest,
        "quadrant": quadrant.key,
        "salience_label": salience.label,
        "attributes": salience.attributes,
        "wants": stakeholder.wants,
        "engagement": stakeholder.engagement,
    }


def centre_name(stakeholder_map: StakeholderMap) -> str:
    return stakeholder_map.client.name if stakeholder_map.client else OWN_ORGANISATION


def map_picture(stakeholder_map: StakeholderMap, stakeholders: Sequence[Stakeholder]) -> MapPicture:
    """The map as it stands now (`stakeholders` in the table's order)."""
    return picture_rows(
        [stakeholder_row(s) for s in stakeholders],
        title=f"Stakeholder map of {centre_name(stakeholder_map)}",
        centre=centre_name(stakeholder_map),
    )


def render_svg(picture: MapPicture, *, standalone: bool = False) -> str:
    """The map's SVG; `standalone` adds the XML declaration for a download."""
    svg = render_to_string("clients/maps/map.svg", {"picture": picture})
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg if standalone else svg


def render_png(picture: MapPicture, *, scale: float = 2.0) -> bytes:
    """The SVG rasterised by CairoSVG (twice the size, so text stays sharp)."""
    import cairosvg  # imported here: loading cairo is only needed for this download

    png = cairosvg.svg2png(bytestring=render_svg(picture).encode(), scale=scale, unsafe=False)
    assert png is not None  # svg2png returns bytes when no write_to is given
    return bytes(png)


def render_pdf(picture: MapPicture, *, subtitle: str = "") -> bytes:
    """The map and its data table on A4 landscape pages, printed by WeasyPrint.

    The document is self-contained, so the URL fetcher allows nothing but data: URLs (a name
    that looks like a link is text, never fetched)."""
    from weasyprint import HTML  # imported here: loading pango costs ~0.3 s
    from weasyprint.urls import URLFetcher

    document = render_to_string(
        "clients/maps/map_print.html",
        {"picture": picture, "subtitle": subtitle, "svg": render_svg(picture)},
    )
    pdf = HTML(
        string=document, url_fetcher=URLFetcher(allowed_protocols={"data"}, timeout=1)
    ).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)
