"""Ingest: the only place that knows file formats. Returns a Dataset or problems."""

from sufficiency.ingest.loader import LoadResult, load_data

__all__ = ["LoadResult", "load_data"]
