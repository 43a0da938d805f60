"""Shared fixtures."""

from __future__ import annotations

import os

import pytest

# --- gazetteer (amity.resolve) ----------------------------------------------------------


@pytest.fixture(scope="session")
def gazetteer(request):
    """The real GeoNames gazetteer, built once into pytest's cache dir and reused by later
    runs (about 15 s cold). AMITY_CACHE_DIR, when set, wins."""
    from amity.gazetteer.index import load_gazetteer

    if not os.environ.get("AMITY_CACHE_DIR"):
        os.environ["AMITY_CACHE_DIR"] = str(request.config.cache.mkdir("amity-gazetteer"))
    load_gazetteer.cache_clear()
    return load_gazetteer()


@pytest.fixture(scope="session")
def resolver(gazetteer):
    from amity.resolve import Resolver

    return Resolver(gazetteer)


# --- end gazetteer ------------------------------------------------------------------------


# --- registry (amity.registry) ------------------------------------------------------------
# `registry` runs each registry test on SQLite (a temporary file) and on a real PostgreSQL
# server that `pg_server` starts from the Debian `postgresql` package (initdb + pg_ctl in a
# temporary directory, as the `postgres` user when running as root). Without the server
# binaries the PostgreSQL tests skip locally and FAIL under CI=true.

import datetime as dt  # noqa: E402
import glob  # noqa: E402
import itertools  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]
_database_numbers = itertools.count(1)


def unavailable(message: str):
    """Skip locally; fail under CI, where every backend must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _pg_bin() -> Path | None:
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(directory, "pg_ctl").exists():
            return Path(directory)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for the session: {"host", "port", "user"}."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        unavailable("PostgreSQL server binaries not found (apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="amity-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(base, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = base / "data", _free_port()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)

    started = False
    try:
        result = run(
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
        )
        if result.returncode != 0:
            unavailable(f"initdb failed: {result.stderr.strip()[-500:]}")
        options = (
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        result = run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(base / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        if result.returncode != 0:
            log = (
                (base / "log").read_text(errors="replace")[-1000:]
                if (base / "log").exists()
                else ""
            )
            unavailable(f"pg_ctl start failed: {result.stderr.strip()[-500:]} {log}")
        started = True
        yield {"host": "127.0.0.1", "port": port, "user": "postgres"}
    finally:
        if started:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


def _pg_admin(server, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    name = f"amity_test_{os.getpid()}_{next(_database_numbers)}"
    _pg_admin(pg_server, f"CREATE DATABASE {name}")
    yield f"postgresql+psycopg://{pg_server['user']}@{pg_server['host']}:{pg_server['port']}/{name}"
    _pg_admin(pg_server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def registry_url(request, tmp_path):
    """A URL of an empty registry database, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'amity.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def registry(registry_url):
    """An open, migrated registry on each backend (SQLite file, real PostgreSQL)."""
    from amity.registry import open_registry

    opened = open_registry(registry_url)
    yield opened
    opened.close()


@pytest.fixture
def make_article():
    """Build an Article by hand, without running the pipeline:
    make_article("text", relations=[...], published=dt.date(...), relevant=True)."""
    from amity.ingest import content_hash
    from amity.types import Article

    def make(text: str, *, id: str | None = None, published: dt.date | None = None, **fields):
        fields.setdefault("relevant", True)
        return Article(
            id=id or f"a-{content_hash(text)[:6]}",
            text=text,
            title=text.split(".")[0][:80],
            published=published,
            url=fields.pop("url", f"https://news.example/{content_hash(text)}"),
            source=fields.pop("source", "test"),
            content_hash=content_hash(text),
            language="en",
            **fields,
        )

    return make


# --- end registry --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run: playwright's sync API allows one running
    instance per thread, so every browser test module shares it (or is skipped with it)."""
    from web_browser import chromium

    with chromium() as browser:
        yield browser
