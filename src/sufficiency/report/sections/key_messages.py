"""Key messages: the sentences ``report.messages`` writes from the numbers."""

from __future__ import annotations

from sufficiency.report.model import Block
from sufficiency.report.sections.inputs import StatementInputs
from sufficiency.report.sections.registry import section


@section("key_messages", "Key messages", 20, needs=("key_messages",))
def key_messages(inp: StatementInputs) -> list[Block]:
    """The key messages as one list (the template says when there are none)."""
    return [Block("messages", items=list(inp.key_messages))]
