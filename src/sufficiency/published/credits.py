"""Whom the published statistics belong to, and what the DfE's symbols mean."""

from __future__ import annotations

from typing import Final

#: The attribution every output that shows published figures carries (OGL v3 asks for it).
ATTRIBUTION: Final = (
    "Contains public sector information licensed under the Open Government Licence v3.0: "
    "Department for Education (Children looked after in England including adoptions; Local "
    "Authority Interactive Tool; Children's Services Statistical Neighbour Benchmarking Tool, "
    "2025 model), Office for National Statistics (mid-year population estimates; Census 2021), "
    "Ofsted (Children's social care data in England 2023) and Ministry of Housing, Communities "
    "and Local Government (RO3 revenue outturn)."
)

#: The DfE's symbols for a figure that is not a number, as its files print them.
SYMBOLS: Final[dict[str, str]] = {
    "c": "suppressed to protect confidentiality",
    "z": "not applicable (for example, the council did not exist that year)",
    "x": "not available",
    "k": "less than 0.5% (rounds to zero)",
    "low": "rounds to zero but is not zero",
    "u": "low reliability",
    "-": "not available or suppressed (the Local Authority Interactive Tool does not say which)",
}
