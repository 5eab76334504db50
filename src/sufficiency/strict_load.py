"""Reading the YAML and JSON people write (scenarios, model and scoring configs, referrals) with a
key given twice in one mapping refused, naming the key and its lines.

PyYAML and the ``json`` module keep the last of a repeated key without a word: a second
``leaving:`` block pasted under the first replaced it, and a plan read half its moves.
"""

from __future__ import annotations

import json
from typing import Any

import yaml


class DuplicateKeyError(ValueError):
    """A mapping gives ``key`` twice: first at line ``first``, again at line ``line``."""

    def __init__(self, key: object, line: int, first: int, source: str = "") -> None:
        self.key = key
        self.line = line
        self.first = first
        self.source = source
        where = f"{source}: line {line}" if source else f"line {line}"
        super().__init__(
            f"{where}: key {str(key)!r} is given twice (first at line {first}): give it once "
            "(the second would silently replace the first)"
        )


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a mapping that repeats a key (merge keys ``<<`` apart:
    a key given beside a merge overrides it, as YAML means)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: PyYAML refuses it itself
                continue
            line = key_node.start_mark.line + 1
            if first is not None:
                raise DuplicateKeyError(key, line, first)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, source: str = "") -> Any:
    """``yaml.safe_load`` that raises :class:`DuplicateKeyError` (naming ``source``) for a
    repeated key; other faults raise ``yaml.YAMLError`` as before."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: no Python objects
    except DuplicateKeyError as exc:
        raise DuplicateKeyError(exc.key, exc.line, exc.first, source) from None


def load_json(text: str, source: str = "") -> Any:
    """``json.loads`` that raises :class:`DuplicateKeyError` (naming ``source``) for a repeated
    key; other faults raise ``json.JSONDecodeError`` as before."""
    decoder = json.JSONDecoder(object_pairs_hook=_unique_pairs)
    text = text.removeprefix("\ufeff")  # a byte-order mark, as Notepad and PowerShell save
    try:
        return decoder.decode(text)
    except _Repeated as exc:
        line, first = _key_lines(text, exc.key)
        raise DuplicateKeyError(exc.key, line, first, source) from None


def load_text(text: str, is_json: bool, source: str = "") -> Any:
    """:func:`load_json` or :func:`load_yaml`, as a file's suffix says."""
    return load_json(text, source) if is_json else load_yaml(text, source)


class _Repeated(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict; raises on a key given twice."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Repeated(key)
        out[key] = value
    return out


def _key_lines(text: str, key: str) -> tuple[int, int]:
    """The lines of the second and first time ``key`` is an object's key in ``text`` (the hook
    that finds the repeat is not told where it is); the line of the first repeat in any one
    object, found by walking the text's tokens."""
    stack: list[dict[str, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            value, end = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            rest = end
            while rest < len(text) and text[rest] in " \t\r\n":
                rest += 1
            if stack and rest < len(text) and text[rest] == ":" and value == key:
                line = text.count("\n", 0, i) + 1
                if key in stack[-1]:
                    return line, stack[-1][key]
                stack[-1][key] = line
            i = end
            continue
        if ch in "{[":
            stack.append({})
        elif ch in "}]" and stack:
            stack.pop()
        i += 1
    return 0, 0
