# mypy: allow-subclassing-any
"""Static files for the production server: collected with content hashes into the state folder
at start (``sufficiency serve`` runs collectstatic), served by WhiteNoise with a year's caching."""

from __future__ import annotations

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed storage, tolerant of what the npm packages leave out.

    Source-map comments are left alone (govuk-frontend's CSS names a ``.map`` file its package
    does not ship), and a missing file keeps its plain name instead of failing the page (the
    health check reports missing static files).
    """

    manifest_strict = False
    patterns = tuple(
        (ext, tuple(p for p in found if "sourceMappingURL" not in str(p)))
        for ext, found in HashedFilesMixin.patterns
    )
