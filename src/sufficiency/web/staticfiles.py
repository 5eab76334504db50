# mypy: allow-subclassing-any
"""Static files for the production server: collected with content hashes into the state folder
at start (``sufficiency serve`` runs collectstatic), served by WhiteNoise with a year's caching."""

from __future__ import annotations

from typing import Any

import brotli
from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

#: Brotli's quality for static files: 5 compresses the 5 MB plotly bundle in under a second to
#: 1.34 MB; the default, 11, takes 33 s for 1.15 MB, paid twice (hashed and plain copies) at
#: every start of the server. gzip -9 gives 1.57 MB.
BROTLI_QUALITY = 5


class FastCompressor(Compressor):
    """WhiteNoise's compressor with a brotli quality that keeps ``serve``'s start quick."""

    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        return bytes(brotli.compress(data, quality=BROTLI_QUALITY))


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed storage, tolerant of what the npm packages leave out.

    Source-map comments are left alone (govuk-frontend's CSS names a ``.map`` file its package
    does not ship), and a missing file keeps its plain name instead of failing the page (the
    health check reports missing static files).
    """

    manifest_strict = False

    def create_compressor(self, **kwargs: Any) -> Compressor:
        return FastCompressor(**kwargs)

    patterns = tuple(
        (ext, tuple(p for p in found if "sourceMappingURL" not in str(p)))
        for ext, found in HashedFilesMixin.patterns
    )
