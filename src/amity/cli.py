"""The `amity` command: a thin typer layer, one command = one library call.

amity extract PATH...   amity.extract_articles(amity.read_articles(paths))
amity eval GOLD         amity.evaluate.evaluate_files(gold, pred, articles_path=...)
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
) -> None:
    """Score extraction against gold: pair precision/recall/F1, attribute accuracy, errors.

    Without --pred the extraction runs on the gold's articles: each gold line's 'file'
    relative to the gold file, or its id in --articles.

    Example: amity eval tests/fixtures/extraction/gold.jsonl --articles tests/fixtures/extraction/articles.jsonl
    """
    from amity.errors import BadInput
    from amity.evaluate import evaluate_files, render

    err = _err_console()
    show = progress if progress is not None else (pred is None and err.is_terminal)
    try:
        with _progress(err, show, None) as bar:
            task = bar.add_task("extracting", total=None) if bar is not None else None

            def on_article(article: Article) -> None:
                _print_errors(bar.console if bar is not None else err, article)
                if bar is not None and task is not None:
                    bar.advance(task)

            report = evaluate_files(gold, pred, articles_path=articles, on_article=on_article)
    except BadInput as exc:
        err.print(f"[red]error[/]: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    if format is EvalFormat.json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(render(report))


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
