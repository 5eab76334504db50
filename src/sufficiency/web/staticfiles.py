# mypy: allow-subclassing-any
"""Static files for the production server: collected with content hashes into the state folder
at start (``sufficiency serve`` runs collectstatic), served by WhiteNoise with a year's caching."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed storage that leaves a missing file's name unhashed instead
    of failing the page (the npm front end is optional; the health check reports what is missing)."""

    manifest_strict = False
