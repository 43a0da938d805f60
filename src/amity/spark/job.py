"""The Spark job: input files or a DataFrame → units → extracted rows → three tables.

The driver only lists the input and plans; everything else runs on the executors:

1. `binaryFiles` gives each input file's bytes (any Hadoop filesystem: file:, hdfs:, s3a:);
   an executor cuts each file into units (`amity.ingest.units`: JSONL lines, WARC responses,
   whole text/HTML/feed files; compressed files are decompressed there);
2. the units are spread over `partitions` partitions (one big JSONL file would otherwise be
   one task), and `mapPartitions` reads and extracts them with one pipeline per Python
   worker process, built on first use (`_pipeline`): spaCy and the gazetteer load at most
   once per executor process, from the installed packages, nothing downloaded;
3. the rows (`amity.spark.tables.article_rows`) are cached and written as three tables.

Example:
    >>> from amity.spark import spark_session
    >>> from amity.spark.job import extract_files, write_tables
    >>> spark = spark_session("local[2]")  # doctest: +SKIP
    >>> write_tables(extract_files(spark, ["news/"]), "out/")  # doctest: +SKIP
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import DataFrame, SparkSession

    from amity.pipeline import Pipeline

_PIPELINE: Pipeline | None = None  # one per Python worker process, reused across tasks


@dataclass
class Extraction:
    """The three tables of one run, as DataFrames (computed once, cached)."""

    relations: DataFrame
    articles: DataFrame
    errors: DataFrame
    rows: RDD | None = None  # the cached rows all three are filtered from

    def unpersist(self) -> None:
        if self.rows is not None:
            self.rows.unpersist()


def extract_files(
    spark: SparkSession, paths: Iterable[str], partitions: int | None = None
) -> Extraction:
    """Read files (directories are read recursively) and extract them on the executors."""
    context = spark.sparkContext
    hadoop = context._jsc.hadoopConfiguration()  # type: ignore[union-attr]
    hadoop.set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
    files = context.binaryFiles(",".join(_absolute(path) for path in paths))
    units = files.flatMap(_file_units)
    return _extract(spark, units, partitions or context.defaultParallelism * 4)


def extract_parquet(
    spark: SparkSession, paths: Iterable[str], partitions: int | None = None
) -> Extraction:
    """Read Parquet article tables (columns id, text or html, title, url, published)."""
    frame = spark.read.parquet(*(_absolute(path) for path in paths))
    return extract_frame(frame, partitions)


def extract_frame(frame: DataFrame, partitions: int | None = None) -> Extraction:
    """Extract a DataFrame of articles (columns id, text or html, title, url, published)."""
    units = frame.rdd.mapPartitionsWithIndex(_row_units)
    spark = frame.sparkSession
    return _extract(spark, units, partitions or spark.sparkContext.defaultParallelism * 4)


def write_tables(
    extraction: Extraction, output: str, *, format: str = "parquet", mode: str = "errorifexists"
) -> None:
    """Write relations/, articles/ and errors/ under `output`, each sorted in input order."""
    root = _absolute(output).rstrip("/")
    order = ["input", "position", "part"]
    frames = {
        "relations": extraction.relations,
        "articles": extraction.articles,
        "errors": extraction.errors,
    }
    for name, frame in frames.items():
        sort = [*order, "relation_index"] if name == "relations" else order
        writer = frame.orderBy(*sort).write.mode(mode)
        target = f"{root}/{name}"
        writer.parquet(target) if format == "parquet" else writer.json(target)


def _extract(spark: SparkSession, units: RDD, partitions: int) -> Extraction:
    from amity.spark.tables import TABLES

    rows = units.repartition(max(1, partitions)).mapPartitions(_extract_partition).cache()
    frames = {
        name: spark.createDataFrame(
            rows.filter(lambda r, n=name: r[0] == n).map(lambda r: r[1]), schema
        )
        for name, schema in TABLES.items()
    }
    return Extraction(**frames, rows=rows)


def _file_units(item: tuple[str, bytes]) -> Iterator[tuple[str, int, Any]]:
    """(input, position, unit) for one file's bytes, cut on the executor."""
    from amity.ingest.compressed import inner_name
    from amity.ingest.documents import is_readable_archive
    from amity.ingest.readers import SKIPPED_IN_DIRECTORIES
    from amity.ingest.units import units_of_stream

    uri, data = item
    source = uri[len("file:") :] if uri.startswith("file:") else uri
    name = PurePosixPath(source).name
    path = PurePosixPath(name)
    if path.suffix.lower() in SKIPPED_IN_DIRECTORIES and not is_readable_archive(path):
        return  # as a directory walk: images, PDFs, other archives are not articles
    stem = PurePosixPath(PurePosixPath(inner_name(name)).stem).name or name
    for position, unit in enumerate(units_of_stream(io.BytesIO(data), name, stem, source)):
        yield source, position, unit


def _row_units(index: int, rows: Iterator[Any]) -> Iterator[tuple[str, int, Any]]:
    from amity.ingest.units import Record

    input = f"dataframe partition {index}"
    for position, row in enumerate(rows):
        record = row.asDict(recursive=True)
        yield (
            input,
            position,
            Record(record, f"{index}:{position + 1}", f"{input}:row {position + 1}"),
        )


def _extract_partition(units: Iterator[tuple[str, int, Any]]) -> Iterator[tuple[str, tuple]]:
    from amity.ingest.units import read_unit
    from amity.spark.tables import article_rows

    pipeline = _pipeline()
    for input, position, unit in units:
        for part, article in enumerate(read_unit(unit)):
            yield from article_rows(pipeline(article), input, position, part)


def _pipeline() -> Pipeline:
    global _PIPELINE
    if _PIPELINE is None:
        from amity.pipeline import default_pipeline

        _PIPELINE = default_pipeline()  # its stages load spaCy and the gazetteer lazily
    return _PIPELINE


def _absolute(path: str) -> str:
    """A local path made absolute (executors may run elsewhere); URIs are left as they are."""
    if "://" in path or path.startswith("file:"):
        return path
    from pathlib import Path

    return Path(path).absolute().as_posix()
