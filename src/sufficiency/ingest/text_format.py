"""How a text table is written: its encoding and its delimiter, found from the bytes themselves.

Councils' systems and Excel write CSV as UTF-8 (with or without a BOM), Windows-1252, or UTF-16
(with a BOM, or without one from some exports); European Excel separates with ``;`` and some
systems with tabs or ``|``. Finding these here keeps one bad setting from becoming a column
problem per column.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

#: Delimiters other than the comma that ingest recognises, and how problems name them.
DELIMITER_NAMES: dict[str, str] = {";": "semicolons", "\t": "tabs", "|": "bars"}

#: How much of a file the encoding and delimiter are judged from.
_SAMPLE = 65536
#: The encoding ``decode_text`` names for a file of UTF-8 text with Windows-1252 bytes in it.
MIXED = "utf-8 and windows-1252"
#: A character of two or more bytes written as UTF-8 (Windows-1252 text almost never has one:
#: it would read as two characters such as 'Ã©').
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler reading the bytes UTF-8 cannot as Windows-1252."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    # the five bytes Windows-1252 leaves undefined raise: the file is in neither encoding
    return error.object[error.start : error.end].decode("cp1252"), error.end


_CP1252_FALLBACK = "sufficiency-cp1252-fallback"
codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when every other byte of the start is NUL (text that is
    mostly ASCII, as returns are, written as UTF-16 with no byte-order mark), else None."""
    sample = data[: min(len(data), 4096) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> tuple[bytes | None, str]:
    r"""Return UTF-8 bytes of ``data`` (lines ended by ``\n`` or ``\r\n``) and the encoding it
    was in, or None if it is not text."""
    text, encoding = _decode(data)
    return (None if text is None else _line_ends(_marks(text))), encoding


def _marks(text: bytes) -> bytes:
    """UTF-8 text without the marks that are not part of a table: a byte-order mark starting a
    line (two exports joined into one file keep the second's) and the end-of-file mark
    (Ctrl-Z, 0x1A) old DOS tools end a file with."""
    if b"\xef\xbb\xbf" in text:
        text = text.replace(b"\n\xef\xbb\xbf", b"\n")
    if text.endswith((b"\x1a", b"\x1a\n", b"\x1a\r\n")):
        text = text.rstrip(b"\r\n").rstrip(b"\x1a")
    return text


def _line_ends(text: bytes) -> bytes:
    r"""Lines ended by a bare ``\r`` (classic Mac text, some exports) ended by ``\n`` instead:
    CSV readers and TOML take ``\n`` and ``\r\n`` only, and would read the file as one line."""
    if b"\r" not in text or text.count(b"\r") == text.count(b"\r\n"):
        return text
    return text.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _decode(data: bytes) -> tuple[bytes | None, str]:
    """:func:`decode_text` before line ends are looked at."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError:
            return None, "utf-16"
    if b"\x00" in data[:_SAMPLE]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            return None, "binary"
        try:
            return data.decode(utf16).encode("utf-8"), utf16
        except UnicodeDecodeError:
            return None, utf16
    if data.isascii():
        return data, "ascii"
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(data):  # some UTF-8 text, some not: each part read as it is
        try:
            return data.decode("utf-8", errors=_CP1252_FALLBACK).encode("utf-8"), MIXED
        except UnicodeDecodeError:
            return None, "unknown"
    try:
        return data.decode("cp1252").encode("utf-8"), "cp1252"
    except UnicodeDecodeError:
        return None, "unknown"


def sniff_delimiter(text: bytes) -> str:
    """The delimiter of a table: a comma, unless its header line has none and has one of
    ``;``, tab or ``|`` (the most frequent of them)."""
    first = text[:_SAMPLE].split(b"\n", 1)[0]
    if b"," in first:
        return ","
    counts = {d: first.count(d.encode()) for d in DELIMITER_NAMES}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


#: The start of a web page: a doctype or an html element, after a BOM and spaces.
_HTML = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)


def not_a_table(data: bytes) -> str | None:
    """What a file is when it is something a table is often mistaken for: a web page saved from
    a browser (a sign-in or error page) or a zip archive that is not a workbook; else None."""
    if _HTML.match(data[:1024]):
        return (
            "this is a web page (HTML), not a table: a browser saved the page (a sign-in or "
            "error page?) instead of the file; download or export the table again"
        )
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" in names:  # a workbook (or another Office file)
        return None
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (
        f"this is a zip archive (of {shown or 'nothing'}), not a table or workbook: unzip it "
        "and put the files it holds in the folder"
    )


def mixed_message(encoding: str) -> str | None:
    """What a file whose text mixes encodings says (None for one encoding)."""
    if encoding != MIXED:
        return None
    return (
        "the file mixes UTF-8 and Windows-1252 text (saved by two programs?): each part is read "
        "as what it is; check names with accents or the pound sign read right"
    )
