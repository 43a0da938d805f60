"""The `amity` command: a thin typer layer, one command = one library call.

amity extract PATH...   amity.extract_articles(amity.read_articles(paths))
amity eval GOLD         amity.evaluate.evaluate_files(gold, pred, articles_path=...)
                        (--folds K: amity.extract.training.cross_validate(examine_gold(gold)))
amity train GOLD...     amity.extract.training.train([(gold, articles), ...], output)
amity ingest PATH...    amity.registry.store.ingest(open_registry(db), read_articles(paths))
                        (--workers N: amity.parallel.extract_units; --from-parquet DIR:
                        amity.spark.tables.read_extraction)
amity spark extract     amity.spark.extract_to(spark_session(master), inputs, output)
amity watch FEEDS.txt   amity.watch.Watcher(open_registry(db), urls).run()
amity import wikipedia-list CSV / wikidata JSON
                        amity.registry.reference.import_wikipedia_list / import_wikidata
amity gazetteer build   amity.gazetteer.index.build_gazetteer(geonames, alternate_names)
amity show PLACE        amity.registry.queries.show(session, place)
amity relations         amity.registry.queries.relations(session, RelationFilter(...))
amity search QUERY      amity.registry.queries.search(session, query)
amity stats             amity.registry.queries.stats(session)
amity reconcile         amity.analysis.reconcile.reconcile(session, against)
amity anniversaries     amity.analysis.anniversaries.anniversaries(session, start, days, round_to)
amity export            amity.export.export(session, format, output, RelationFilter(...))
amity network           amity.analysis.network.network(session) / suggest_partners(session, id)
amity serve             amity.api.serve.serve(db, workers=N): uvicorn over amity.api.create_app
"""

from __future__ import annotations

import functools
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

from amity.types import EVENTS, RELATION_SORTS, RELATION_STATUSES, REVIEW_FILTERS, SOURCES, TIERS

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


WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        help="Processes reading and extracting in parallel (default: all cores, or one "
        "process for fewer than 200 articles). Output and registry are the same for any N.",
    ),
]


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
    workers: WorkersOption = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="auto (each article in its language: en, zh, ko, ja, ru, uk, fr, es, de, it, pt), or force one.",
        ),
    ] = "auto",
) -> None:
    """Extract city-pair relations, one JSON line per input article, in input order.

    Errors of an input go to stderr and the batch goes on; the exit code is 1 only when
    every input failed. With --workers N, N processes read and extract (amity.parallel);
    the output is the same, byte for byte.

    Example: amity extract news/*.html > relations.jsonl
    """
    from amity.ingest.units import iter_units
    from amity.parallel import choose_workers, chunk_size_for, extract_units

    err = _err_console()
    if lang not in _LANGS:
        err.print(f"[red]error[/]: --lang must be one of {', '.join(_LANGS)}")
        raise typer.Exit(2)
    with _reporting_skips(err):
        articles = list(iter_units(paths))  # units: one article each when read locally
    processes = choose_workers(workers, len(articles))
    if not articles:
        err.print("[red]error[/]: no article found in the given paths")
        raise typer.Exit(1)
    show = progress if progress is not None else (err.is_terminal and len(articles) > 1)
    failed = 0
    results: list[Article] = []
    with _output(output) as out, _progress(err, show, len(articles)) as bar:
        task = bar.add_task("extracting", total=len(articles)) if bar is not None else None
        chunk = chunk_size_for(len(articles), processes)
        factory = None if lang == "auto" else functools.partial(_pipeline_for, lang)
        for article in extract_units(articles, processes, chunk_size=chunk, pipeline_factory=factory):
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


def _choices(name: str, values: tuple[str, ...]) -> type[StrEnum]:
    """A StrEnum of `values` (the vocabularies of amity.types) for typer's choices."""
    return StrEnum(name, {value: value for value in values})  # type: ignore[return-value]


Status = _choices("Status", RELATION_STATUSES)
TierOption = _choices("TierOption", TIERS)
SourceOption = _choices("SourceOption", SOURCES)
EventOption = _choices("EventOption", EVENTS)
ReviewOption = _choices("ReviewOption", REVIEW_FILTERS)
SortOption = _choices("SortOption", tuple(s for k in RELATION_SORTS for s in (k, f"-{k}")))
DEFAULT_SORT = SortOption("a")


def _relation_filter(given: dict[str, Any]) -> Any:
    """The one RelationFilter from a command's filter options (None = not given); a bad value
    is a usage error (exit 2) naming the option."""
    from pydantic import ValidationError

    from amity.registry.queries import RelationFilter

    try:
        return RelationFilter(
            **{k: str(v) if isinstance(v, StrEnum) else v for k, v in given.items() if v is not None}
        )
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "filters"
            _err_console().print(f"[red]error[/]: {escape(where)}: {escape(error['msg'])}")
        raise typer.Exit(2) from exc


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
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Text, HTML, JSONL, WARC or feed files (also .gz/.bz2/.xz/.zst), "
            "directories, globs, or -.",
        ),
    ] = None,
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
    workers: WorkersOption = None,
    from_parquet: Annotated[
        Path | None,
        typer.Option(
            "--from-parquet",
            metavar="DIR",
            help="Store the output of 'amity spark extract' (Parquet) instead of reading PATHs.",
        ),
    ] = None,
) -> None:
    """Extract relations from articles and store them in the registry, one transaction per article.

    Re-ingesting an article (same content hash) changes nothing; after a crash, run the
    same command again to go on. Failed articles are stored with their error. With
    --workers N, N processes read and extract while this one writes; --from-parquet DIR
    stores what 'amity spark extract' wrote, without extracting again.

    Example: amity ingest news/ --db sqlite:///amity.db
    """
    from amity.registry.store import ingest as ingest_articles

    err = _err_console()
    if (from_parquet is None) == (not paths):
        err.print("[red]error[/]: give either PATHs or --from-parquet DIR")
        raise typer.Exit(2)
    registry = _open_registry(db)
    with _reporting_skips(err):
        articles, extracted = _articles_to_ingest(registry, paths or [], from_parquet, workers, retry_failed)
    show = progress if progress is not None else (err.is_terminal and len(articles) > 1)
    with registry, _progress(err, show, len(articles)) as bar:
        task = bar.add_task("ingesting", total=len(articles)) if bar is not None else None

        def on_article(article: Article, stored: Any) -> None:
            console = bar.console if bar is not None else err
            done = stored.article or article
            if stored.status == "failed" and not _failed(done):  # the write failed
                message = f"{done.source or done.id}: {stored.error}"
                console.print(f"[red]failed[/] {escape(message)}", soft_wrap=True)
            elif stored.status != "skipped":  # errors, or warnings such as a truncation
                _print_errors(console, done, prefix="[red]failed[/] " if _failed(done) else "")
            if bar is not None and task is not None:
                bar.advance(task)

        summary = ingest_articles(
            registry,
            extracted if extracted is not None else articles,
            extract=extracted is None,
            retry_failed=retry_failed,
            on_article=on_article,
        )
    Console(highlight=False).print(_ingest_table(summary))
    if articles and summary.failed == summary.read:
        raise typer.Exit(1)


def _articles_to_ingest(
    registry: Any, paths: list[str], parquet: Path | None, workers: int | None, retry: bool
) -> tuple[list[Any], Any]:
    """(the input, an iterator of its extracted Articles or None to extract while storing)."""
    if parquet is not None:
        from amity.errors import BadInput
        from amity.spark.tables import read_extraction

        try:
            articles = list(read_extraction(parquet))
        except BadInput as exc:
            _err_console().print(f"[red]error[/]: {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(1) from exc
        return articles, iter(articles)
    from amity.ingest.units import iter_units, read_unit
    from amity.parallel import (
        choose_workers,
        chunk_size_for,
        extract_units,
        stored_hashes,
    )

    units = list(iter_units(paths))
    processes = choose_workers(workers, len(units))
    if processes == 1:  # one process: each article checked against the registry just in time
        return [article for unit in units for article in read_unit(unit)], None
    extracted = extract_units(
        units,
        processes,
        skip_hashes=stored_hashes(registry, retry_failed=retry),
        chunk_size=chunk_size_for(len(units), processes),
    )
    return units, extracted


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


def _import(kind: str, path: Path | None, db: str | None, progress: bool | None) -> None:
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
        "doubtful",
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
        Path | None,
        typer.Argument(
            metavar="[CSV]",
            help="city1,country1,lat1,lng1,city2,country2,lat2,lng2 (.csv or .csv.gz); "
            "default: the list shipped with amity (MIT licence)",
        ),
    ] = None,
    db: DbOption = None,
    progress: ProgressOption = None,
) -> None:
    """Import a Wikipedia twin-cities list (CSV), resolving each place with the gazetteer.

    Example: amity import wikipedia-list    (the shipped list; or a CSV path)
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


gazetteer_app = typer.Typer(
    name="gazetteer",
    help="Build or describe the GeoNames index that place resolution uses.\n\n"
    "Example: amity gazetteer build --geonames allCountries.zip",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    geonames: Annotated[
        Path | None,
        typer.Option(help="GeoNames dump (allCountries.zip, a country's XX.zip or .txt)"),
    ] = None,
    alternate_names: Annotated[
        Path | None, typer.Option(help="GeoNames alternateNamesV2.zip (names in every language)")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="index file to write (default: the cache)")] = None,
) -> None:
    """Build the gazetteer index now (otherwise built on first use). With --geonames, add the
    dump's villages, districts (PPLX) and ADM3/ADM4 areas; amity uses that build from then on.

    Example: amity gazetteer build --geonames allCountries.zip --alternate-names alternateNamesV2.zip
    """
    import time

    from amity.gazetteer.index import build_gazetteer

    err = _err_console()
    for given in (geonames, alternate_names):
        if given is not None and not given.is_file():
            err.print(f"[red]error[/]: {escape(str(given))}: no such file")
            raise typer.Exit(1)
    started = time.perf_counter()
    try:
        path, counts = build_gazetteer(geonames, alternate_names, output)
    except (ValueError, OSError) as exc:
        err.print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    table = _counts_table("Gazetteer", {k: v for k, v in counts.items()})
    Console(highlight=False).print(table)
    print(f"{path} ({path.stat().st_size / 1e6:.0f} MB, {time.perf_counter() - started:.0f} s)")


@gazetteer_app.command("info")
def gazetteer_info() -> None:
    """Where the index is and what it holds (places per source, names).

    Example: amity gazetteer info
    """
    from amity.gazetteer.index import load_gazetteer

    gazetteer = load_gazetteer()
    Console(highlight=False).print(_counts_table("Gazetteer", gazetteer.counts()))
    print(gazetteer.path)


spark_app = typer.Typer(
    name="spark",
    help="Run the extraction on Apache Spark (local[*] or a cluster); see docs/spark.md.\n\n"
    "Example: amity spark extract news/ --output out/ --master local[*]",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(spark_app, name="spark")


class SparkFormat(StrEnum):
    parquet = "parquet"
    jsonl = "jsonl"


@spark_app.command("extract")
def spark_extract(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT",
            help="Files, directories or globs on any Hadoop filesystem (file:, hdfs://, s3a://): "
            "JSONL, text, HTML, WARC, feeds (also .gz/.bz2/.xz/.zst), or *.parquet article tables.",
        ),
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="DIR", help="Where to write relations/, articles/, errors/.")
    ],
    master: Annotated[
        str | None,
        typer.Option(
            "--master",
            help="local[*], local[N], spark://host:7077, yarn, ... (default: spark-submit's, else local[*]).",
        ),
    ] = None,
    format: Annotated[
        SparkFormat, typer.Option("--format", "-f", help="parquet or jsonl (JSON lines part files).")
    ] = SparkFormat.parquet,
    partitions: Annotated[
        int | None,
        typer.Option("--partitions", min=1, help="Extraction tasks (default: 4 per core)."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the tables under DIR if they exist.")
    ] = False,
) -> None:
    """Extract relations with Spark: one row per relation (Parquet), errors in their own table.

    The model and gazetteer load once per executor process; nothing is downloaded. Store the
    result with 'amity ingest --from-parquet DIR'.

    Example: amity spark extract news/ archive.warc.gz --output out/ --master local[2]
    """
    from amity.spark import extract_to, spark_session

    err = _err_console()
    try:
        from pyspark.sql import SparkSession

        running = SparkSession.getActiveSession()  # a caller's session: use it, leave it open
        spark = spark_session(master or _default_master(), **{"spark.ui.showConsoleProgress": "false"})
    except ImportError as exc:
        err.print(f"[red]error[/]: pyspark is not installed: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    except Exception as exc:  # no Java, a cluster that cannot be reached, ...
        err.print(f"[red]error[/]: cannot start Spark: {escape(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)}")
        raise typer.Exit(1) from exc
    try:
        summary = extract_to(spark, inputs, output, format=str(format), partitions=partitions, overwrite=overwrite)
    except Exception as exc:  # an input that does not exist, an output that does
        err.print(f"[red]error[/]: {escape((str(exc).splitlines() or [type(exc).__name__])[0])}")
        raise typer.Exit(1) from exc
    finally:
        if running is None:
            spark.stop()
    Console(highlight=False).print(
        _counts_table(
            f"Spark extract → {summary.output}",
            {"relations": summary.relations, "relevant articles": summary.articles, "errors": summary.errors},
        )
    )


def _default_master() -> str | None:
    import os

    # under spark-submit the master is in the configuration already
    return None if os.environ.get("SPARK_ENV_LOADED") or "SPARK_MASTER" in os.environ else "local[*]"


@app.command()
def watch(
    feeds: Annotated[Path, typer.Argument(metavar="FEEDS.txt", help="Feed URLs (RSS or Atom), one a line; # comments.")],
    db: DbOption = None,
    interval: Annotated[
        str, typer.Option("--interval", help="Time between two polls of a feed: 15m, 90s, 2h.")
    ] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once, then exit.")] = False,
    max_polls: Annotated[
        int | None, typer.Option("--max-polls", min=1, help="Stop after this many rounds.")
    ] = None,
    state: Annotated[
        Path | None,
        typer.Option("--state", metavar="FILE", help="Keep ETag/Last-Modified of each feed here across runs."),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds per request.")] = 20.0,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1024, help="Refuse a feed or page larger than this.")
    ] = 5 * 1024 * 1024,
    host_delay: Annotated[
        float, typer.Option("--host-delay", min=0.0, help="Seconds between two requests to one host.")
    ] = 1.0,
) -> None:
    """Follow RSS/Atom feeds: fetch new articles, extract and store them, poll again.

    Conditional GETs (ETag, Last-Modified); new pages fetched with timeouts, a size limit, an
    identifying User-Agent and a delay per host; articles de-duplicated by URL and content.
    A feed that is down, slow or malformed is logged and retried with backoff.

    Example: amity watch feeds.txt --db sqlite:///amity.db --interval 15m
    """
    import logging

    from amity.watch import Watcher, parse_interval, read_feed_list
    from amity.watch.fetch import Fetcher

    err = _err_console()
    try:
        urls = read_feed_list(feeds)
        seconds = parse_interval(interval)
    except (OSError, ValueError, KeyError) as exc:
        err.print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(2) from exc
    if not urls:
        err.print(f"[red]error[/]: no feed URL in {escape(str(feeds))}")
        raise typer.Exit(2)
    registry = _open_registry(db)

    class ToConsole(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            err.print(f"[yellow]{escape(record.getMessage())}[/]", soft_wrap=True)

    logger, handler = logging.getLogger("amity.watch"), ToConsole(logging.WARNING)
    logger.addHandler(handler)
    fetcher = Fetcher(timeout=timeout, max_bytes=max_bytes, host_delay=host_delay)
    watcher = Watcher(registry, urls, interval=seconds, fetcher=fetcher, state_path=state)
    try:
        with registry:
            report = watcher.run(max_polls=1 if once else max_polls)
    except KeyboardInterrupt:  # Ctrl-C: the summary of what was done
        report = watcher.report
    finally:
        logger.removeHandler(handler)
        fetcher.close()
    Console(highlight=False).print(
        _counts_table("Watch", {k.replace("_", " "): v for k, v in vars(report).items()})
    )


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


# The relation filters of `amity relations` and `amity export`, declared once.
CountryFilter = Annotated[
    str | None, typer.Option("--country", metavar="CC", help="ISO2 code of either side.")
]
UntilFilter = Annotated[
    int | None,
    typer.Option("--until", metavar="YEAR", help="With a fact dated in or before YEAR."),
]
StatusFilter = Annotated[Status | None, typer.Option("--status", help="Relation status.")]
TierFilter = Annotated[TierOption | None, typer.Option("--tier", help="sister or friendly.")]
SourceFilter = Annotated[
    SourceOption | None, typer.Option("--source", help="With evidence from this source.")
]
EventFilter = Annotated[
    EventOption | None, typer.Option("--event", help="With a news event of this type.")
]
PlaceFilter = Annotated[str | None, typer.Option("--place", help="Either side is this place.")]
NameFilter = Annotated[
    str | None, typer.Option("--name", metavar="TEXT", help="Part of either place's name.")
]


@app.command()
def relations(
    db: DbOption = None,
    country: CountryFilter = None,
    since: Annotated[
        int | None,
        typer.Option(
            "--since",
            metavar="YEAR",
            help="With a fact dated in or after YEAR (established, news event, registry start).",
        ),
    ] = None,
    until: UntilFilter = None,
    status: StatusFilter = None,
    tier: TierFilter = None,
    source: SourceFilter = None,
    event: EventFilter = None,
    place: PlaceFilter = None,
    name: NameFilter = None,
    review: Annotated[
        ReviewOption | None,
        typer.Option("--review", help="The latest review verdict (none: never reviewed)."),
    ] = None,
    sort: Annotated[
        SortOption, typer.Option("--sort", help="Order by this column (- first: reversed).")
    ] = DEFAULT_SORT,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many rows.")] = None,
    format: Annotated[
        RelationsFormat, typer.Option("--format", "-f", help="table, jsonl or csv.")
    ] = RelationsFormat.table,
) -> None:
    """List relations, one row per pair: the filters and order of GET /api/relations.

    Example: amity relations --country CN --since 2020 --status active --format csv
    """
    from amity.registry.queries import RELATION_COLUMNS
    from amity.registry.queries import relations as list_relations

    given = {
        "country": country,
        "year_from": since,
        "year_to": until,
        "status": status,
        "tier": tier,
        "source": source,
        "event": event,
        "place": place,
        "q": name,
        "review": review,
    }
    filters = _relation_filter(given)
    with _open_registry(db) as registry, registry.session() as session:
        rows = list_relations(session, filters, sort=str(sort), limit=limit)
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
def search(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY", help='A place name in any spelling or script, or "A - B" for a pair.'
        ),
    ],
    db: DbOption = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=50, help="At most this many places.")
    ] = 10,
    format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ShowFormat.text,
) -> None:
    """Search places by any name (GeoNames alternates such as München or 울산, St/Saint,
    accents, misspellings) and their relations, as GET /api/search does.

    Example: amity search "St Paul"
    """
    from amity.registry.queries import search as search_registry

    with _open_registry(db) as registry, registry.session() as session:
        found = search_registry(session, query, limit=limit)
    if format is ShowFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        from rich.text import Text

        console = Console(highlight=False)
        for place in found["places"]:
            where = ", ".join(x for x in (place["admin1"], place["country"]) if x)
            console.print(
                Text(
                    f"{place['name']} ({where})  {place['partners']} partners  "
                    f"[{place['match']} {place['score']}]"
                )
            )
        for rel in found["relations"]:
            console.print(
                Text(f"  {rel['a']['name']} – {rel['b']['name']}  {rel['status']}"), style="dim"
            )
    if not found["places"]:
        _err_console().print(f"no place found for {escape(query)!r}")
        raise typer.Exit(1)


@app.command()
def stats(
    db: DbOption = None,
    format: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="table or json.")
    ] = StatsFormat.table,
) -> None:
    """Counts of articles, places, relations (by status, tier, source), events and references,
    doubtful reference rows, and each category of amity reconcile (against every reference).

    Example: amity stats --format json
    """
    from amity.analysis.reconcile import reconcile_counts
    from amity.registry.doubts import stored_doubt_counts
    from amity.registry.queries import stats as registry_stats

    with _open_registry(db) as registry, registry.session() as session:
        data = registry_stats(session)
        data["reference_checks"] = stored_doubt_counts(session)  # doubtful reference rows
        data["reconciliation"] = reconcile_counts(session)  # amity reconcile's categories
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
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            max=64,
            help="Server processes (uvicorn workers); about one per core.",
        ),
    ] = 1,
) -> None:
    """Serve the registry: the REST API (/api, docs at /docs) and the map (/) with uvicorn.

    Writes (POST /api/articles, POST /api/relations/ID/review) need AMITY_API_TOKEN set on
    the server and sent as 'Authorization: Bearer TOKEN'; without it they are disabled.

    Example: amity serve --db sqlite:///amity.db --port 8000 --workers 2
    """
    from amity.api.serve import serve as run

    registry = _open_registry(db)  # created or migrated once, before any worker starts
    url = registry.engine.url.render_as_string(hide_password=False)
    registry.close()
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    processes = f" with {workers} workers" if workers > 1 else ""
    typer.echo(
        f"amity: serving {registry.url} at http://{shown}:{port}/{processes} (Ctrl-C to stop)"
    )
    run(url, host=host, port=port, workers=workers)


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
    from amity.ingest import article_failed

    return article_failed(article)


def _print_errors(console: Console, article: Article, prefix: str = "") -> None:
    for error in article.errors:
        console.print(
            f"{prefix}[red]{escape(error.source or article.id)}[/]: {escape(f'[{error.stage}]')} {escape(error.message)}",
            soft_wrap=True,
        )


@contextmanager
def _reporting_skips(console: Console) -> Iterator[None]:
    """Print the files read_articles skips (special files, symbolic link loops) on stderr."""
    import logging

    class ToConsole(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            console.print(f"[yellow]{escape(record.getMessage())}[/]", soft_wrap=True)

    logger, handler = logging.getLogger("amity.ingest"), ToConsole(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


_LANGS = ("auto", "en", "zh", "ko", "ja", "ru", "uk", "fr", "es", "de", "it", "pt")  # amity.languages.SUPPORTED


def _pipeline_for(lang: str):
    """The pipeline reading every article as `lang` (module level: worker processes pickle it)."""
    from amity.pipeline import default_pipeline

    return default_pipeline(lang)


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


# --- analyses and exports (amity.analysis, amity.export) ----------------------------------------


class ReconcileFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Against(StrEnum):
    all = "all"
    wikipedia_list = "wikipedia-list"
    wikidata = "wikidata"


_RECONCILE_SHOWN = 20  # rows per category in the table; csv and json give every row


@app.command()
def reconcile(
    against: Annotated[
        Against, typer.Option("--against", help="The reference(s) to compare the news with.")
    ] = Against.all,
    db: DbOption = None,
    format: Annotated[
        ReconcileFormat, typer.Option("--format", "-f", help="table, csv or json.")
    ] = ReconcileFormat.table,
) -> None:
    """Compare the news with the references: new pairs (in no reference), known ones (with
    the established year by source), ended in news but listed active, year conflicts,
    one-sided Wikidata pairs, doubtful reference rows, claimed vs known counts.

    Example: amity reconcile --against wikipedia-list --format csv
    """
    from amity.analysis.reconcile import against_sources
    from amity.analysis.reconcile import reconcile as reconcile_registry

    with _open_registry(db) as registry, registry.session() as session:
        report = reconcile_registry(session, against_sources(str(against)))
    if format is ReconcileFormat.json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    elif format is ReconcileFormat.csv:
        import csv

        from amity.analysis.reconcile import report_lines

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(
            ("category", "relation_id", "a", "a_country", "b", "b_country", "detail", "article")
        )
        writer.writerows(report_lines(report))
    else:
        _print_reconcile(report)


def _print_reconcile(report: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from amity.analysis.reconcile import report_lines

    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160
    counts = Table(title=f"Against {', '.join(report['against'])}", title_justify="left")
    counts.add_column("category")
    counts.add_column("count", justify="right")
    for name, n in report["counts"].items():
        counts.add_row(name.replace("_", " "), str(n))
    console.print(counts)
    by_category: dict[str, list[Any]] = {}
    for line in report_lines(report):
        by_category.setdefault(line[0], []).append(line)
    for category, lines in by_category.items():
        table = Table(title=category.replace("_", " "), title_justify="left")
        for column in ("a", "b", "detail", "article"):
            table.add_column(column)
        for _, _, a, a_cc, b, b_cc, detail, article in lines[:_RECONCILE_SHOWN]:
            table.add_row(
                Text(f"{a} ({a_cc or '?'})"),
                Text(f"{b} ({b_cc or '?'})"),
                Text(detail),
                Text(article),
            )
        if len(lines) > _RECONCILE_SHOWN:
            table.caption = f"{_RECONCILE_SHOWN} of {len(lines)} (--format csv or json: all)"
        console.print(table)


class AnniversariesFormat(StrEnum):
    table = "table"
    json = "json"


def _days(text: str) -> int:
    """ "90d", "12w" or "90" -> days."""
    import re

    match = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", text)
    if not match:
        raise typer.BadParameter("a number of days: 90d, 12w or 90")
    return int(match.group(1)) * (7 if match.group(2) == "w" else 1)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@app.command()
def anniversaries(
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="DATE", help="First day of the window (YYYY-MM-DD; default today)."
        ),
    ] = None,
    within: Annotated[
        str, typer.Option("--within", metavar="DAYS", help="Length of the window: 90d, 12w.")
    ] = "90d",
    round_to: Annotated[
        int | None,
        typer.Option(
            "--round",
            min=1,
            help="Every Nth year (5, 10); default 10, 20, 25, 30, ... 50, 60, 70, 75.",
        ),
    ] = None,
    db: DbOption = None,
    format: Annotated[
        AnniversariesFormat, typer.Option("--format", "-f", help="table or json.")
    ] = AnniversariesFormat.table,
) -> None:
    """Relations whose established year makes a round anniversary in the window, with the
    day when the news dated the founding (or a celebration).

    Example: amity anniversaries --from 2024-05-01 --within 60d
    """
    import datetime as dt

    from amity.analysis.anniversaries import anniversaries as due_anniversaries

    try:
        start = dt.date.fromisoformat(from_) if from_ else None
    except ValueError as exc:
        raise typer.BadParameter("a date: YYYY-MM-DD", param_hint="--from") from exc
    days = _days(within)
    with _open_registry(db) as registry, registry.session() as session:
        found = due_anniversaries(session, start, days, round_to)
    if format is AnniversariesFormat.json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Anniversaries", title_justify="left")
    for column in ("date", "years", "a", "b", "established", "status"):
        table.add_column(column)
    for item in found:
        rel = item["relation"]
        table.add_row(
            item["date"] or f"{item['year']} (day unknown)",
            _ordinal(item["years"]),
            Text(f"{rel['a']['name']} ({rel['a']['country'] or '?'})"),
            Text(f"{rel['b']['name']} ({rel['b']['country'] or '?'})"),
            str(rel["established"]),
            rel["status"],
        )
    table.caption = f"{len(found)} anniversaries"
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160
    console.print(table)


ExportFormat = _choices(
    "ExportFormat", ("csv", "jsonl", "geojson", "graphml", "parquet", "quickstatements")
)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="The file format.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    db: DbOption = None,
    country: CountryFilter = None,
    since: Annotated[
        int | None,
        typer.Option("--since", metavar="YEAR", help="With a fact dated in or after YEAR."),
    ] = None,
    until: UntilFilter = None,
    status: StatusFilter = None,
    tier: TierFilter = None,
    source: SourceFilter = None,
    event: EventFilter = None,
    place: PlaceFilter = None,
    name: NameFilter = None,
) -> None:
    """Write the relations (the filters of amity relations) as csv, jsonl, geojson (lines
    and points), graphml (for Gephi or networkx) or parquet: one row per relation with both
    places (geonameid, name, country, admin1, lat, lon), tier, status, dates and sources;
    or as Wikidata QuickStatements (P190 both ways) for news pairs Wikidata lacks.

    Example: amity export --format geojson --country KR --output kr.geojson
    """
    from amity.export import BINARY_FORMATS
    from amity.export import export as export_relations

    given = {
        "country": country,
        "year_from": since,
        "year_to": until,
        "status": status,
        "tier": tier,
        "source": source,
        "event": event,
        "place": place,
        "q": name,
    }
    filters = _relation_filter(given)
    binary = str(format) in BINARY_FORMATS
    try:
        handle = output.open("wb") if binary else output.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        _err_console().print(
            f"[red]error[/]: cannot write {escape(str(output))}: {escape(str(exc))}"
        )
        raise typer.Exit(1) from exc
    try:
        with handle, _open_registry(db) as registry, registry.session() as session:
            export_relations(session, str(format), handle, filters)
    except RuntimeError as exc:  # parquet without pyarrow
        _err_console().print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    _err_console().print(f"wrote {escape(str(output))}")


class NetworkFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def network(
    top: Annotated[int, typer.Option("--top", min=1, max=500, help="Rows per list.")] = 20,
    suggest: Annotated[
        str | None,
        typer.Option("--suggest", metavar="PLACE", help="Suggest partners for this place."),
    ] = None,
    db: DbOption = None,
    format: Annotated[
        NetworkFormat, typer.Option("--format", "-f", help="table or json.")
    ] = NetworkFormat.table,
) -> None:
    """The relations as a network: hubs (overall, per country), relations per decade,
    Louvain communities; with --suggest PLACE, ranked partner suggestions and their reasons.

    Example: amity network --top 10 --suggest Changchun
    """
    from amity.analysis.network import network as network_report
    from amity.analysis.network import suggest_partners
    from amity.registry.queries import find_places

    with _open_registry(db) as registry, registry.session() as session:
        if suggest is not None:
            places = find_places(session, suggest)
            if not places:
                _err_console().print(f"no place found for {escape(suggest)!r}")
                raise typer.Exit(1)
            data: Any = suggest_partners(session, places[0].id, limit=top)
        else:
            data = network_report(session, top=top)
    if format is NetworkFormat.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 160
    if suggest is not None:
        table = Table(title=f"Partners to suggest for {suggest}", title_justify="left")
        for column in ("place", "score", "reasons"):
            table.add_column(column)
        for item in data:
            place = item["place"]
            table.add_row(
                Text(f"{place['name']} ({place['country'] or '?'})"),
                str(item["score"]),
                Text("; ".join(item["reasons"])),
            )
        console.print(table)
        return
    console.print(f"{data['places']} places, {data['relations']} relations")
    for title, rows in (("Hubs", data["hubs"]), ("Hub of each country", data["hubs_by_country"])):
        table = Table(title=title, title_justify="left")
        for column in ("place", "partners"):
            table.add_column(column)
        for row in rows:
            table.add_row(Text(f"{row['name']} ({row['country'] or '?'})"), str(row["partners"]))
        console.print(table)
    table = Table(title="Established per decade", title_justify="left")
    table.add_column("decade")
    table.add_column("relations", justify="right")
    for row in data["per_decade"]:
        table.add_row(f"{row['decade']}s", str(row["relations"]))
    console.print(table)
    table = Table(title="Communities (Louvain)", title_justify="left")
    for column in ("size", "countries", "hubs"):
        table.add_column(column)
    for row in data["communities"]:
        countries = ", ".join(f"{c} {n}" for c, n in row["countries"].items())
        hubs = ", ".join(h["name"] for h in row["hubs"])
        table.add_row(str(row["size"]), countries, Text(hubs))
    console.print(table)
