"""A small registry for the API and browser tests, filled through the library by hand
(no pipeline): Changchun–Ulsan with a 1994 agreement and a 2024-05-24 anniversary, a
friendship proposal, Lyon–Birmingham, a suspension, and an article whose title, URL,
evidence and one place name carry XSS payloads."""

from __future__ import annotations

import datetime as dt

from amity.registry.store import ingest
from amity.types import Place, Relation


def place(name, country, geonameid, lat, lon):
    return Place(name, country, None, geonameid, lat, lon, canonical=name, unresolved=False)


CHANGCHUN = place("Changchun", "CN", 2038180, 43.88, 125.32278)
ULSAN = place("Ulsan", "KR", 1833747, 35.53722, 129.31667)
NOVOSIBIRSK = place("Novosibirsk", "RU", 1496747, 55.0415, 82.9346)
LYON = place("Lyon", "FR", 2996944, 45.74906, 4.84789)
BIRMINGHAM = place("Birmingham", "GB", 2655603, 52.48142, -1.89983)
TURKU = place("Turku", "FI", 633679, 60.45148, 22.26869)
ST_PETERSBURG = place("Saint Petersburg", "RU", 498817, 59.93863, 30.31413)
SCRIPT = "<script>window.XSS=1</script>"
IMG = "<img src=x onerror=window.XSS=2>"
EVIL_PLACE = place("<img src=x onerror=window.XSS=3>", "ZZ", None, -20.0, -60.0)

ANNIVERSARY = (
    "Changchun and Ulsan marked the 30th anniversary of their sister city relationship "
    "on 24 May 2024."
)
ESTABLISHED = "Changchun and Ulsan became sister cities in 1994."
XSS_SENTENCE = f"Lyon and {IMG} signed a twinning deal {SCRIPT} on 2 June 2023."

EXPECTED_LINES = 5
EXPECTED_PLACES = 8

# for the browser tests (fill_world): a trans-Pacific pair reported in the news
SEOUL = place("Seoul", "KR", 1835848, 37.566, 126.9784)
LOS_ANGELES = place("Los Angeles", "US", 5368361, 34.05223, -118.24368)
PACIFIC = "Seoul and Los Angeles renewed their sister city agreement on 9 April 2024."


def make_article(text: str, *, published=None, **fields):
    """An Article built by hand, as the `make_article` fixture builds it."""
    from amity.ingest import content_hash
    from amity.types import Article

    fields.setdefault("relevant", True)
    return Article(
        id=f"a-{content_hash(text)[:6]}",
        text=text,
        title=text.split(".")[0][:80],
        published=published,
        url=fields.pop("url", f"https://news.example/{content_hash(text)}"),
        source="test",
        content_hash=content_hash(text),
        language="en",
        **fields,
    )


def fill(registry, make_article=make_article):
    """Store the articles; returns {"articles": [...ids], "relations": {pair: id}}."""
    articles = [
        make_article(
            f"Ulsan delegation visits.\n{ESTABLISHED} The mayors signed the agreement.",
            published=dt.date(1994, 10, 13),
            relations=[
                Relation(
                    CHANGCHUN,
                    ULSAN,
                    event="agreement",
                    event_date="1994",
                    established=1994,
                    evidence=[ESTABLISHED],
                    confidence=0.9,
                )
            ],
        ),
        make_article(
            f"Anniversary in Changchun.\n{ANNIVERSARY} Officials exchanged gifts.",
            published=dt.date(2024, 5, 25),
            url="https://news.example/changchun-ulsan-30",
            relations=[
                Relation(
                    CHANGCHUN,
                    ULSAN,
                    event="anniversary",
                    event_date="2024-05-24",
                    established=1994,
                    anniversary=30,
                    evidence=[ANNIVERSARY],
                    confidence=0.9,
                )
            ],
        ),
        make_article(
            "Changchun proposed friendly ties with Novosibirsk in March 2021.",
            published=dt.date(2021, 3, 10),
            relations=[
                Relation(
                    CHANGCHUN,
                    NOVOSIBIRSK,
                    tier="friendly",
                    event="proposal",
                    event_date="2021-03",
                    evidence=["Changchun proposed friendly ties with Novosibirsk in March 2021."],
                )
            ],
        ),
        make_article(
            "Lyon and Birmingham signed a twinning agreement on 3 March 2023.",
            published=dt.date(2023, 3, 4),
            relations=[
                Relation(
                    LYON,
                    BIRMINGHAM,
                    event="agreement",
                    event_date="2023-03-03",
                    evidence=["Lyon and Birmingham signed a twinning agreement on 3 March 2023."],
                )
            ],
        ),
        make_article(
            "Turku suspended its sister city relationship with Saint Petersburg on 1 March 2022.",
            published=dt.date(2022, 3, 2),
            relations=[
                Relation(
                    TURKU,
                    ST_PETERSBURG,
                    event="suspension",
                    event_date="2022-03-01",
                    evidence=[
                        "Turku suspended its sister city relationship with Saint Petersburg on 1 March 2022."
                    ],
                )
            ],
        ),
        make_article(
            f"{SCRIPT} headline {IMG}\n{XSS_SENTENCE}",
            published=dt.date(2023, 6, 3),
            url="javascript:window.XSS=4",
            relations=[
                Relation(
                    LYON,
                    EVIL_PLACE,
                    event="agreement",
                    event_date="2023-06-02",
                    evidence=[XSS_SENTENCE],
                )
            ],
        ),
    ]
    articles[-1].title = f"{SCRIPT}{IMG}"
    ingest(registry, articles, extract=False)
    from sqlalchemy import select

    from amity.registry.models import ArticleRow, PlaceRow, RelationRow

    with registry.session() as session:
        ids = {p.name: p.id for p in session.scalars(select(PlaceRow))}
        relations = {}
        for rel in session.scalars(select(RelationRow)):
            names = {n for n, i in ids.items() if i in (rel.place_a_id, rel.place_b_id)}
            relations[frozenset(names)] = rel.id
        article_ids = [a.id for a in session.scalars(select(ArticleRow).order_by(ArticleRow.id))]
    return {"places": ids, "relations": relations, "articles": article_ids}


def fill_world(registry):
    """fill() plus a Seoul–Los Angeles news relation and the Wikipedia list shipped with
    amity (about 26k pairs): the registry a newcomer's map opens on."""
    from amity.registry.reference import import_wikipedia_list

    data = fill(registry)
    article = make_article(
        f"Pacific partners.\n{PACIFIC}",
        published=dt.date(2024, 4, 10),
        relations=[
            Relation(
                SEOUL,
                LOS_ANGELES,
                event="agreement",
                event_date="2024-04-09",
                evidence=[PACIFIC],
                confidence=0.9,
            )
        ],
    )
    ingest(registry, [article], extract=False)
    data["imported"] = import_wikipedia_list(registry).to_dict()
    from sqlalchemy import select

    from amity.registry.models import PlaceRow

    with registry.session() as session:
        for name, country in (("Seoul", "KR"), ("Los Angeles", "US"), ("Harbin", "CN")):
            data["places"][name] = session.scalars(
                select(PlaceRow.id).where(PlaceRow.name == name, PlaceRow.country == country)
            ).first()
    return data
