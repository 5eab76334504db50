"""Warm the shared page cache for the data as it is, before the server takes requests: what an
earlier run of the server left is dropped (it may have been computed by older code), then the
Dataset (rebuilt from the database) and the published figures of the latest year (the
dashboard's first page for everyone), computed once and read by every worker process
(``web.page_cache``). ``python -m sufficiency.web.warm``; the production server runs it."""

from __future__ import annotations

import logging
import time

log = logging.getLogger("sufficiency.web.warm")


def warm() -> str:
    """Compute what the first pages need for the current data; say what was done."""
    from sufficiency.web import bridge, page_cache
    from sufficiency.web.dashboard.views import published_figures

    start = time.perf_counter()
    page_cache.clear()
    ds = bridge.dataset_or_none()
    if ds is None:
        return "no data is loaded: nothing to warm"
    year = max(ds.returns)
    published_figures(ds, year)
    return f"warmed the Dataset and the {year} published figures in {time.perf_counter() - start:.1f} s"


def main() -> None:
    from sufficiency.web.setup import setup_django

    setup_django()
    try:
        log.info(warm())
    except Exception:  # a page still works cold: warming must never stop the server starting
        log.exception("warming the page cache failed; pages will compute on first use")


if __name__ == "__main__":
    main()
