"""What the wider duty's sections share (issue 19): their catalogue measures laid out, and an
optional placeholder naming the register to add when it is missing (a publish-mode statement
leaves an optional placeholder out rather than refusing)."""

from __future__ import annotations

from collections.abc import Sequence

from sufficiency.report.model import Block
from sufficiency.report.sections.blocks import measure_blocks, placeholder
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.supply import has_value


def duty_blocks(
    inp: StatementInputs,
    title: str,
    ids: Sequence[str],
    *,
    registers: Sequence[str],
    needs: str,
    fills_with: str,
) -> list[Block]:
    """The measures ``ids`` that have a value, then an optional placeholder when any of
    ``registers`` is missing or nothing could be shown."""
    shown = [i for i in ids if i in inp.info]
    blocks: list[Block] = []
    filled = has_value(inp.cur, shown)
    if filled:
        blocks += measure_blocks(inp.cur, shown, inp.info, title)
    if not filled or any(not inp.has_register(r) for r in registers):
        blocks.append(placeholder(title, needs, fills_with, required=False))
    return blocks
