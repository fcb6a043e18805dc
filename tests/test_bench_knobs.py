"""``make bench``'s knobs for a partial run: ``BENCH_PATHS`` (which rows are measured) and
``BENCH_DATABASE`` (which database the site reads), and how the report names the database.

These are the harness's pure pieces; nothing here seeds a database, starts gunicorn or
PostgreSQL (the bench itself does, and the PostgreSQL pass of ``.ci/run`` covers the site)."""

import pytest

from benchmarks import reporting, run, server
from benchmarks.config import WORKERS, HarnessError, path_patterns, selected
from benchmarks.edge import edge_paths
from benchmarks.measure import MISS_SEARCH, path_specs, select, uncached_specs

SLUGS = {
    "demo": "what-is-metastatic-breast-cancer",
    "synthetic": "synthetic-article-5",
    "topic": "metastasis",
}


def names(specs) -> list[str]:
    return [spec.name for spec in specs]


def test_paths_knob_is_a_list_of_lower_case_patterns():
    """Blanks around and between the commas are dropped; case is folded once, here."""
    assert path_patterns("") == []
    assert path_patterns(" Search, ,API list ") == ["search", "api list"]


def test_a_pattern_selects_the_rows_whose_name_contains_it():
    """No pattern selects every row; otherwise any pattern found in the name, case ignored."""
    assert selected("home", [])
    assert selected("search", ["search"])
    assert selected("search, 2 connections", ["search"])
    assert not selected("home", ["search"])
    assert selected("API list", ["api list", "nothing"])


def test_search_selects_the_cached_and_the_cache_miss_search_rows():
    """The PostgreSQL search row is measured alone with ``BENCH_PATHS=search``: the miss
    row keeps its shape in a full run (one connection per worker, the miss target)."""
    specs = path_specs(SLUGS)
    assert names(select(specs, ["search"])) == ["search"]
    misses = select(uncached_specs(specs, 10_000), ["search"])
    assert names(misses) == [f"search, {WORKERS} connections"]
    assert misses[0].connections == WORKERS
    assert misses[0].target == MISS_SEARCH
    assert edge_paths(SLUGS, ["search"]) == []


def test_a_miss_only_row_can_be_asked_for_by_its_own_name():
    """The topic's page 5 exists only among the cache-miss rows."""
    specs = path_specs(SLUGS)
    assert select(specs, ["page 5"]) == []
    assert names(select(uncached_specs(specs, 10_000), ["page 5"])) == ["topic, page 5"]


def test_no_pattern_keeps_every_row():
    """Without BENCH_PATHS a run measures what it measured before the knob existed."""
    specs = path_specs(SLUGS)
    assert select(specs, []) == specs
    assert len(edge_paths(SLUGS, [])) == 3
    assert [path[0] for path in edge_paths(SLUGS, ["varnish (gzip)"])] == [
        "article via Varnish (gzip)",
        "API detail via Varnish (gzip)",
    ]


def test_knobs_are_checked_before_anything_is_seeded():
    """An unknown database, or patterns that name no row, stop the run at once."""
    run.check_knobs("postgres", ["search"])
    run.check_knobs("sqlite", [])
    with pytest.raises(HarnessError, match="BENCH_DATABASE"):
        run.check_knobs("mysql", [])
    with pytest.raises(HarnessError, match="matches no row"):
        run.check_knobs("sqlite", ["no such row"])


def test_postgres_runs_only_on_the_throwaway_cluster(monkeypatch):
    """The harness drops and creates databases, so a PostgreSQL ``DATABASE_URL`` alone (an
    operator's) is refused: only ``.ci/with-postgres``, which also sets ``PGHOST``, is used."""
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mbc_cms")
    monkeypatch.delenv("PGHOST", raising=False)
    with pytest.raises(HarnessError, match="with-postgres"):
        server.postgres_server_url()
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    url = server.postgres_server_url()
    assert server.with_database_name(url, "bench_10000") == (
        "postgres://postgres@127.0.0.1:5432/bench_10000"
    )


def report(machine_extra: dict, scale_extra: dict) -> dict:
    """A minimal raw report (the dict ``run.main`` writes as JSON), with no rows."""
    machine = {
        "date": "2026-12-01 10:00 UTC",
        "nproc": 2,
        "cpu": "cpu",
        "memory": "1 GiB",
        "os": "Linux",
        "python": "3.11",
        "django": "5.2",
        "drf": "3.18",
        "gunicorn": "23",
        "sqlite": "3.40.1",
        "wrk": "wrk 4",
        **machine_extra,
    }
    scale = {
        "extra": 10_000,
        "articles": 10_022,
        "timings": {"seed_s": 100},
        "load_before": 1.0,
        "load_after": 2.0,
        "rows": [],
        "uncached": [],
        **scale_extra,
    }
    return {
        "machine": machine,
        "settings": {"paths": ["search"]},
        "scales": [scale],
        "total_s": 60,
        "verdict": "all 0 targets met",
    }


def test_report_names_the_database_in_the_machine_section_and_each_heading():
    """A PostgreSQL run also says whether the search query read the GIN index."""
    plan = {"plan": "Bitmap Index Scan on snapshot_search", "uses_gin_index": True}
    text = reporting.render_report(report({"database": "PostgreSQL 15.18"}, {"search_plan": plan}))
    assert "- Database: PostgreSQL 15.18\n" in text
    assert "### 10,000 synthetic articles (10,022 published in all), PostgreSQL 15.18\n" in text
    assert "`pain` reads the GIN index `snapshot_search`" in text
    assert "- Only the rows matching `BENCH_PATHS=search`" in text


def test_reports_from_before_the_knob_were_sqlite():
    """An older JSON report, with no database recorded, renders as a SQLite run."""
    text = reporting.render_report(report({}, {}))
    assert "- Database: SQLite 3.40.1\n" in text
    assert "published in all), SQLite 3.40.1\n" in text
    assert "GIN" not in text
