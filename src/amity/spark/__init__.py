"""amity on Apache Spark: the same pipeline in `mapPartitions`, on `local[*]` or a cluster.

- `spark_session(master)`: a SparkSession whose Python workers run this interpreter (local
  masters) and whose timestamps are UTC;
- `extract_dataframe(df)`: a DataFrame of articles (columns id, text or html, title, url,
  published) → a DataFrame of relations (schema: `amity.spark.tables.RELATIONS_SCHEMA`);
- `extract_to(spark, inputs, output)`: what `amity spark extract` runs: JSONL, text/HTML, WARC,
  feed (plain or compressed) or Parquet inputs → relations/, articles/ and errors/ tables.

pyspark is imported only when one of these runs; `amity.spark.tables` (reading the output
back with pyarrow) needs no JVM. See docs/spark.md.

Example:
    >>> from amity.spark import extract_dataframe, spark_session
    >>> spark = spark_session("local[2]")  # doctest: +SKIP
    >>> articles = spark.createDataFrame([("n1", "Lyon and Birmingham are twinned.")], "id string, text string")  # doctest: +SKIP
    >>> extract_dataframe(articles).select("a_name", "b_name").show()  # doctest: +SKIP
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["ExtractSummary", "extract_dataframe", "extract_to", "spark_session"]


def spark_session(
    master: str | None = None, app_name: str = "amity", **config: str
) -> SparkSession:
    """Get or create the SparkSession. On a `local` master the Python workers run this very
    interpreter (so they import this amity); on a cluster set PYSPARK_PYTHON (docs/spark.md)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if (master or "local").startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = builder.config("spark.sql.session.timeZone", "UTC")
    for key, value in config.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def extract_dataframe(frame: DataFrame, partitions: int | None = None) -> DataFrame:
    """The relations of a DataFrame of articles, one row per relation, in input order columns
    (`input`, `position`, `part`, `relation_index`); see docs/spark.md for the schema."""
    from amity.spark.job import extract_frame

    return extract_frame(frame, partitions).relations


@dataclass
class ExtractSummary:
    relations: int
    articles: int  # relevant articles (passed the prefilter)
    errors: int
    output: str


def extract_to(
    spark: SparkSession,
    inputs: Iterable[str],
    output: str,
    *,
    format: str = "parquet",
    partitions: int | None = None,
    overwrite: bool = False,
) -> ExtractSummary:
    """Extract `inputs` (files, directories, globs, Hadoop URIs; `.parquet` ones as article
    tables) and write relations/, articles/ and errors/ under `output`."""
    from amity.spark.job import extract_files, extract_parquet, write_tables

    inputs = list(inputs)
    parquet = [path for path in inputs if path.rstrip("/").lower().endswith(".parquet")]
    files = [path for path in inputs if path not in parquet]
    parts = []
    if files:
        parts.append(extract_files(spark, files, partitions))
    if parquet:
        parts.append(extract_parquet(spark, parquet, partitions))
    extraction = parts[0]
    for other in parts[1:]:
        extraction.relations = extraction.relations.unionByName(other.relations)
        extraction.articles = extraction.articles.unionByName(other.articles)
        extraction.errors = extraction.errors.unionByName(other.errors)
    write_tables(
        extraction, output, format=format, mode="overwrite" if overwrite else "errorifexists"
    )
    summary = ExtractSummary(
        relations=extraction.relations.count(),
        articles=extraction.articles.count(),
        errors=extraction.errors.count(),
        output=output,
    )
    for part in parts:
        part.unpersist()
    return summary
