"""docs/measures.md is generated from the catalogue: it must match what the code says."""

from __future__ import annotations

from pathlib import Path

from sufficiency.measures.docs import render_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_docs_measures_md_is_up_to_date() -> None:
    expected = render_markdown()
    actual = (ROOT / "docs" / "measures.md").read_text(encoding="utf-8")
    assert actual == expected, "regenerate: python -m sufficiency.measures.docs > docs/measures.md"
