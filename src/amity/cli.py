"""The `amity` command: a thin typer layer, one command = one library call.

amity extract PATH...   amity.extract_articles(amity.read_articles(paths))
amity eval GOLD         amity.evaluate.evaluate_files(gold, pred, articles_path=...)
                        (--folds K: amity.extract.training.cross_validate(examine_gold(gold)))
amity train GOLD...     amity.extract.training.train([(gold, articles), ...], output)
amity ingest PATH...    amity.registry.store.ingest(open_registry(db), read_articles(paths))
amity import wikipedia-list CSV / wikidata JSON
                        amity.registry.reference.import_wikipedia_list / import_wikidata
amity show PLACE        amity.registry.queries.show(session, place)
amity relations         amity.registry.queries.relations(session, ...)
amity stats             amity.registry.queries.stats(session)
amity serve             uvicorn.run(amity.api.create_app(Settings.from_env(database_url=db)))
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from rich.progress import Progress

    from amity.types import Article

app = typer.Typer(
    name="amity",
    help="Read the news and extract sister-city, twin-town and friendship-city relations.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _err_console() -> Console:
    return Console(stderr=True, highlight=False)


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


def _version(value: bool) -> None:
    if value:
        from amity import __version__

        typer.echo(f"amity {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = None,
) -> None:
    """Read the news and extract sister-city, twin-town and friendship-city relations."""


@app.command()
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Text, HTML or JSONL files, directories, glob patterns, or - for stdin.",
        ),
    ],
    format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="jsonl (the output contract) or table.")
    ] = ExtractFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Progress bar on stderr (default: when stderr is a terminal and there is more than one article).",
        ),
    ] = None,
) -> None:
    """Extract city-pair relations, one JSON line per input article, in input order.

    Errors of an input go to stderr and the batch goes on; the exit code is 1 only when
    every input failed.

    Example: amity extract news/*.html > relations.jsonl
    """
    from amity.ingest import read_articles
    from amity.pipeline import extract_articles

    err = _err_console()
    articles = list(read_articles(paths))
    if not articles:
        err.print("[red]error[/]: no article found in the given paths")
        raise typer.Exit(1)
    show = progress if progress is not None else (err.is_terminal and len(articles) > 1)
    failed = 0
    results: list[Article] = []
    with _output(output) as out, _progress(err, show, len(articles)) as bar:
        task = bar.add_task("extracting", total=len(articles)) if bar is not None else None
        for article in extract_articles(articles):
            _print_errors(bar.console if bar is not None else err, article)
            failed += _failed(article)
            if format is ExtractFormat.jsonl:
                out.write(article.to_json() + "\n")
                out.flush()
            else:
                results.append(article)
            if bar is not None and task is not None:
                bar.advance(task)
        if format is ExtractFormat.table:
            console = Console(file=out, highlight=False)
            if not console.is_terminal:  # a file or pipe: do not squeeze into 80 columns
                console.width = 160
            console.print(relations_table(results))
    if failed == len(articles):
        raise typer.Exit(1)


@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Argument(metavar="GOLD.jsonl", help="Gold annotations (JSONL).")],
    pred: Annotated[
        Path | None,
        typer.Option(
            "--pred",
            "-p",
            metavar="PRED.jsonl",
            help="Predictions (amity extract output). Default: run the extraction.",
        ),
    ] = None,
    articles: Annotated[
        Path | None,
        typer.Option(
            "--articles",
            "-a",
            metavar="ARTICLES.jsonl",
            help="Input articles for gold lines without 'file', looked up by id.",
        ),
    ] = None,
    format: Annotated[
        EvalFormat, typer.Option("--format", "-f", help="table or json.")
    ] = EvalFormat.table,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar on stderr while extracting."),
    ] = None,
    folds: Annotated[
        int | None,
        typer.Option(
            "--folds",
            "-k",
            min=2,
            help="Cross-validate the pair scorer: K models, each trained on the other folds' "
            "articles, each article scored by the model that never saw it.",
        ),
    ] = None,
) -> None:
    """Score extraction against gold: pair precision/recall/F1, attribute accuracy, errors.

    Without --pred the extraction runs on the gold's articles: each gold line's 'file'
    relative to the gold file, or its id in --articles.

    Example: amity eval tests/fixtures/extraction/gold.jsonl --articles tests/fixtures/extraction/articles.jsonl
    """
    from amity.errors import BadInput
    from amity.evaluate import evaluate_files, render

    err = _err_console()
    if folds is not None and pred is not None:
        err.print("[red]error[/]: --folds runs the extraction itself; it cannot score --pred")
        raise typer.Exit(2)
    show = progress if progress is not None else (pred is None and err.is_terminal)
    try:
        with _progress(err, show, None) as bar:
            task = bar.add_task("extracting", total=None) if bar is not None else None

            def on_article(article: Article) -> None:
                _print_errors(bar.console if bar is not None else err, article)
                if bar is not None and task is not None:
                    bar.advance(task)

            if folds is not None:
                from amity.extract.training import cross_validate, examine_gold

                report = cross_validate(examine_gold(gold, articles, on_article=on_article), folds).report
            else:
                report = evaluate_files(gold, pred, articles_path=articles, on_article=on_article)
    except BadInput as exc:
        err.print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    if format is EvalFormat.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(render(report))


@app.command()
def train(
    gold: Annotated[list[Path], typer.Argument(metavar="GOLD.jsonl...", help="Gold annotation files.")],
    articles: Annotated[
        list[Path] | None,
        typer.Option(
            "--articles",
            "-a",
            metavar="ARTICLES.jsonl",
            help="Input articles of each gold file, in the same order (omit for gold with 'file').",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="MODEL.json", help="Where to write the model. Default: the package's own."),
    ] = None,
    folds: Annotated[int, typer.Option("--folds", "-k", min=0, help="Cross-validation folds (0: none).")] = 5,
    prior: Annotated[
        bool,
        typer.Option("--prior/--no-prior", help="Let the model use the knowledge index of known pairs (default: no)."),
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar on stderr while reading."),
    ] = None,
) -> None:
    """Train the pair scorer on gold files and print its cross-validated scores.

    Example: amity train tests/fixtures/extraction/gold.jsonl --articles tests/fixtures/extraction/articles.jsonl --output pair_scorer.json
    """
    from amity.errors import BadInput
    from amity.evaluate import render
    from amity.extract.training import train as train_model

    err = _err_console()
    given = list(articles or [])
    if len(given) > len(gold):
        err.print(f"[red]error[/]: {len(given)} --articles for {len(gold)} gold files")
        raise typer.Exit(2)
    pairs = [(g, given[i] if i < len(given) else None) for i, g in enumerate(gold)]
    show = progress if progress is not None else err.is_terminal
    try:
        with _progress(err, show, None) as bar:
            task = bar.add_task("reading", total=None) if bar is not None else None

            def on_article(article: Article) -> None:
                if bar is not None and task is not None:
                    bar.advance(task)

            result = train_model(pairs, output, folds=max(folds, 0) if folds != 1 else 0, on_article=on_article, prior=prior)
    except (BadInput, ValueError) as exc:
        err.print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    console = Console(highlight=False)
    trained = result.model["trained_on"]
    console.print(
        f"model: {result.output} ({len(result.model.get('trees', []))} trees, threshold {result.model['threshold']}, "
        f"{trained['examples']} candidate pairs, {trained['relations']} relations)"
    )
    if result.crossval is not None:
        console.print(f"{result.crossval.folds}-fold cross-validation by article:")
        console.print(render(result.crossval.report))


# --- the registry -----------------------------------------------------------------------------

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Database URL (sqlite:///amity.db, postgresql+psycopg://user@host/db). "
        "Default: $AMITY_DATABASE_URL, else sqlite:///amity.db in the current directory.",
    ),
]


class RelationsFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class StatsFormat(StrEnum):
    table = "table"
    json = "json"


class Status(StrEnum):
    proposed = "proposed"
    active = "active"
    suspended = "suspended"
    terminated = "terminated"
    unknown = "unknown"


class TierOption(StrEnum):
    sister = "sister"
    friendly = "friendly"


class SourceOption(StrEnum):
    news = "news"
    wikipedia_list = "wikipedia-list"
    wikidata = "wikidata"


def _open_registry(db: str | None) -> Any:
    from sqlalchemy.exc import SQLAlchemyError

    from amity.registry import open_registry

    try:
        return open_registry(db)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        _err_console().print(
            f"[red]error[/]: cannot open the registry: {escape(str(exc).splitlines()[0])}"
        )
        raise typer.Exit(1) from exc


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Text, HTML or JSONL files, directories, globs, or -."),
    ],
    db: DbOption = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Process again articles stored as failed.")
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar on stderr (default: on a terminal)."
        ),
    ] = None,
) -> None:
    """Extract relations from articles and store them in the registry, one transaction per article.

    Re-ingesting an article (same content hash) changes nothing; after a crash, run the
    same command again to go on. Failed articles are stored with their error.

    Example: amity ingest news/ --db sqlite:///amity.db
    """
    from amity.ingest import read_articles
    from amity.registry.store import ingest as ingest_articles

    err = _err_console()
    registry = _open_registry(db)
    articles = list(read_articles(paths))
    show = progress if progress is not None else (err.is_terminal and len(articles) > 1)
    with registry, _progress(err, show, len(articles)) as bar:
        task = bar.add_task("ingesting", total=len(articles)) if bar is not None else None

        def on_article(article: Article, stored: Any) -> None:
            if stored.status == "failed":
                message = f"{article.source or article.id}: {stored.error}"
                (bar.console if bar is not None else err).print(
                    f"[red]failed[/] {escape(message)}", soft_wrap=True
                )
            if bar is not None and task is not None:
                bar.advance(task)

        summary = ingest_articles(
            registry, articles, retry_failed=retry_failed, on_article=on_article
        )
    Console(highlight=False).print(_ingest_table(summary))
    if articles and summary.failed == summary.read:
        raise typer.Exit(1)


def _ingest_table(summary: Any) -> Any:
    return _counts_table(
        "Ingest",
        {
            "articles read": summary.read,
            "already stored": summary.skipped,
            "relevant": summary.relevant,
            "irrelevant": summary.irrelevant,
            "failed": summary.failed,
            "events": summary.events,
            "relations new": summary.relations_new,
            "relations updated": summary.relations_updated,
        },
    )


def _counts_table(title: str, counts: dict[str, Any]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in counts.items():
        table.add_row(key, str(value))
    return table


import_app = typer.Typer(
    name="import",
    help="Import a reference registry (Wikipedia list, Wikidata) into the registry.\n\n"
    "Example: amity import wikipedia-list twin_cities.csv",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")


def _import(kind: str, path: Path, db: str | None, progress: bool | None) -> None:
    from amity.errors import BadInput
    from amity.registry import reference

    err = _err_console()
    registry = _open_registry(db)
    function = (
        reference.import_wikipedia_list if kind == "wikipedia-list" else reference.import_wikidata
    )
    show = progress if progress is not None else err.is_terminal
    try:
        with registry, _progress(err, show, None) as bar:
            task = bar.add_task(f"importing {kind}", total=None) if bar is not None else None

            def on_row(_: int) -> None:
                if bar is not None and task is not None:
                    bar.advance(task)

            summary = function(registry, path, on_row=on_row)
    except (BadInput, OSError) as exc:
        err.print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    for error in summary.errors[:20]:
        err.print(f"[yellow]skipped[/] {escape(error)}", soft_wrap=True)
    data = summary.to_dict()
    keys = (
        "rows",
        "imported",
        "already",
        "duplicates",
        "skipped",
        "relations_new",
        "relations_joined",
        "places_unresolved",
    )
    table = _counts_table(f"Import {kind}", {k.replace("_", " "): data[k] for k in keys})
    Console(highlight=False).print(table)


ProgressOption = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Progress on stderr (default: on a terminal)."),
]


@import_app.command("wikipedia-list")
def import_wikipedia_list(
    path: Annotated[
        Path,
        typer.Argument(metavar="CSV", help="city1,country1,lat1,lng1,city2,country2,lat2,lng2"),
    ],
    db: DbOption = None,
    progress: ProgressOption = None,
) -> None:
    """Import a Wikipedia twin-cities list (CSV), resolving each place with the gazetteer.

    Example: amity import wikipedia-list ../shared/reference/twin_cities.csv
    """
    _import("wikipedia-list", path, db, progress)


@import_app.command("wikidata")
def import_wikidata(
    path: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="SPARQL JSON result of the P190 query (docs/cli.md)."),
    ],
    db: DbOption = None,
    progress: ProgressOption = None,
) -> None:
    """Import Wikidata sister cities (P190, with P580/P582 start/end) from a SPARQL JSON result.

    Example: amity import wikidata p190.json
    """
    _import("wikidata", path, db, progress)


@app.command()
def show(
    place: Annotated[
        str, typer.Argument(metavar="PLACE", help='A name ("Ulsan"), "name, CC", or a geonameid.')
    ],
    db: DbOption = None,
    format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ShowFormat.text,
) -> None:
    """Show a place's partners, each with status, established year, news timeline and sources.

    Example: amity show Changchun
    """
    from amity.registry.queries import show as show_place

    with _open_registry(db) as registry, registry.session() as session:
        found = show_place(session, place)
    if format is ShowFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif not found:
        _err_console().print(f"no place named {escape(place)!r} in the registry")
    else:
        console = Console(highlight=False)
        if not console.is_terminal:
            console.width = 160
        for item in found:
            _print_place(console, item)
    if not found:
        raise typer.Exit(1)


def _print_place(console: Console, item: dict[str, Any]) -> None:
    from rich.text import Text

    place = item["place"]
    where = ", ".join(x for x in (place["admin1"], place["country"]) if x)
    gid = f" geonameid {place['geonameid']}" if place["geonameid"] else " (unresolved)"
    console.print(
        Text(f"{place['name']} ({where}){gid}: {len(item['partners'])} partners", style="bold")
    )
    for partner in item["partners"]:
        other = partner["partner"]
        line = f"  {other['name']} ({other['country'] or '?'})  {partner['status']}"
        if partner["tier"]:
            line += f", {partner['tier']}"
        if partner["established"] is not None:
            line += f", established {partner['established']}"
        if partner["established_conflict"]:
            years = "/".join(str(c["year"]) for c in partner["established_conflict"])
            line += f" (conflict: {years})"
        line += f"  [{', '.join(partner['sources'])}]"
        console.print(Text(line))
        for event in partner["news"]:
            article = event["article"]
            source = article["url"] or article["title"] or article["source"] or ""
            console.print(
                Text(
                    f"    {event['event_date'] or event['sort_date'] or '?':<10} {event['event']}: {source}"
                )
            )
            for sentence in event["evidence"][:2]:
                console.print(Text(f"      “{sentence}”"), style="dim")
        for ref in partner["references"]:
            if ref["start_year"] is None and ref["end_year"] is None:
                continue  # the source is in the [sources] list already
            years = f"{ref['start_year'] or '?'}–{ref['end_year'] or ''}"
            console.print(Text(f"    {ref['source']} {years}"), style="dim")


@app.command()
def relations(
    db: DbOption = None,
    country: Annotated[
        str | None, typer.Option("--country", metavar="CC", help="ISO2 code of either side.")
    ] = None,
    since: Annotated[
        int | None,
        typer.Option("--since", metavar="YEAR", help="With a fact dated in or after YEAR."),
    ] = None,
    status: Annotated[Status | None, typer.Option("--status", help="Relation status.")] = None,
    tier: Annotated[TierOption | None, typer.Option("--tier", help="sister or friendly.")] = None,
    source: Annotated[
        SourceOption | None, typer.Option("--source", help="With evidence from this source.")
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help="Either side is this place.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many rows.")] = None,
    format: Annotated[
        RelationsFormat, typer.Option("--format", "-f", help="table, jsonl or csv.")
    ] = RelationsFormat.table,
) -> None:
    """List relations, one row per pair, filtered by country, year, status, tier or source.

    Example: amity relations --country CN --since 2020 --status active --format csv
    """
    from amity.registry.queries import RELATION_COLUMNS
    from amity.registry.queries import relations as list_relations

    with _open_registry(db) as registry, registry.session() as session:
        rows = list_relations(
            session,
            country=country,
            since=since,
            status=status.value if status else None,
            tier=tier.value if tier else None,
            source=source.value if source else None,
            place=place,
            limit=limit,
        )
    if format is RelationsFormat.jsonl:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
    elif format is RelationsFormat.csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(RELATION_COLUMNS)
        for row in rows:
            writer.writerow([_csv_cell(row[c]) for c in RELATION_COLUMNS])
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(title="Relations", title_justify="left")
        columns = ("a", "b", "tier", "status", "established", "last_event", "events", "sources")
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(
                Text(f"{row['a']} ({row['a_country'] or '?'})"),
                Text(f"{row['b']} ({row['b_country'] or '?'})"),
                row["tier"] or "",
                row["status"],
                ""
                if row["established"] is None
                else str(row["established"]) + ("*" if row["established_conflict"] else ""),
                row["last_event"] or "",
                str(row["events"]),
                ", ".join(row["sources"]),
            )
        table.caption = f"{len(rows)} relations"
        console = Console(highlight=False)
        if not console.is_terminal:
            console.width = 160
        console.print(table)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(v if isinstance(v, str) else json.dumps(v) for v in value)
    return "" if value is None else value


@app.command()
def stats(
    db: DbOption = None,
    format: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="table or json.")
    ] = StatsFormat.table,
) -> None:
    """Counts of articles, places, relations (by status, tier, source), events and references.

    Example: amity stats --format json
    """
    from amity.registry.queries import stats as registry_stats

    with _open_registry(db) as registry, registry.session() as session:
        data = registry_stats(session)
    if format is StatsFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title="Registry", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")

    def add(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                add(f"{prefix} {key}".strip(), inner)
        else:
            table.add_row(prefix.replace("_", " "), str(value))

    add("", data)
    Console(highlight=False).print(table)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=0, max=65535)
    ] = 8000,
) -> None:
    """Serve the registry: the REST API (/api, docs at /docs) and the map (/) with uvicorn.

    Writes (POST /api/articles, POST /api/relations/ID/review) need AMITY_API_TOKEN set on
    the server and sent as 'Authorization: Bearer TOKEN'; without it they are disabled.

    Example: amity serve --db sqlite:///amity.db --port 8000
    """
    import uvicorn

    from amity.api import Settings, create_app

    registry = _open_registry(db)
    application = create_app(Settings.from_env(registry=registry))
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    typer.echo(f"amity: serving {registry.url} at http://{shown}:{port}/ (Ctrl-C to stop)")
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning")
    finally:
        registry.close()


# --- presentation helpers --------------------------------------------------------------------


def relations_table(articles: list[Article]) -> Any:
    """One row per relation: article, a (country), b (country), tier, event, dates, confidence."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Relations", title_justify="left")
    for column in ("article", "a", "b", "tier", "event", "event_date", "established", "confidence"):
        table.add_column(column, justify="right" if column == "confidence" else "left")
    count = 0
    for article in articles:
        for relation in article.relations:
            count += 1
            table.add_row(
                Text(article.id),
                Text(_place(relation.a)),
                Text(_place(relation.b)),
                relation.tier,
                relation.event,
                Text(relation.event_date or ""),
                "" if relation.established is None else str(relation.established),
                f"{relation.confidence:.2f}",
            )
    table.caption = f"{len(articles)} articles, {count} relations"
    return table


def _place(place: Any) -> str:
    return f"{place.name} ({place.country})" if place.country else place.name


def _failed(article: Article) -> bool:
    if not article.errors:
        return False
    return not article.text or any(e.stage != "ingest" for e in article.errors)


def _print_errors(console: Console, article: Article) -> None:
    for error in article.errors:
        console.print(
            f"[red]{escape(error.source or article.id)}[/]: {escape(f'[{error.stage}]')} {escape(error.message)}",
            soft_wrap=True,
        )


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8")
    except OSError as exc:
        _err_console().print(
            f"[red]error[/]: cannot write {escape(str(path))}: {escape(exc.strerror or str(exc))}"
        )
        raise typer.Exit(1) from exc
    with handle:
        yield handle


def _progress(console: Console, show: bool, total: int | None) -> Any:
    if not show:
        return nullcontext(None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    ]
    progress: Progress = Progress(*columns, console=console, transient=True)
    return progress
