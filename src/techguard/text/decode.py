"""Reading text files the way they are saved: UTF-8 (with or without BOM), else a named legacy encoding.

ONE decoder for every CSV/YAML/TSV techguard reads: users' files (queries, activities, affiliations, list
files an office keeps) fall back to CP932 (Shift_JIS, what Japanese Excel writes); an official list format
whose publisher is known to use another legacy encoding passes its own ``fallbacks`` (OFAC's cp1252). Bytes
that fit none raise :class:`TextEncodingError` naming the file and the line of the first bad byte; nothing
is ever replaced with "?".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_BOM = b"\xef\xbb\xbf"
USER_FALLBACKS: tuple[str, ...] = ("cp932",)
# Python's cp932 codec maps the unused bytes 0x80, 0xA0 and 0xFD-0xFF to these characters instead of failing;
# a file containing them is not really CP932 (more likely Latin-1 or GBK).
_CP932_PLACEHOLDERS = frozenset("\x80\uf8f0\uf8f1\uf8f2\uf8f3")
_DISPLAY = {"cp932": "CP932 (Shift_JIS)", "cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1"}


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig" (a BOM was dropped) or the fallback that was needed


class TextEncodingError(ValueError):
    """The bytes fit none of the allowed encodings; names the file and the first line that is not UTF-8."""

    def __init__(
        self, path: Path | str, line: int, fallbacks: Sequence[str] = USER_FALLBACKS, *, byte: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.line = line
        where = f" (byte 0x{byte:02x} at offset {offset})" if byte is not None and offset is not None else ""
        tried = ", ".join(["UTF-8", "UTF-8 with BOM", *(_DISPLAY.get(f, f) for f in fallbacks)])
        tried = " or ".join(tried.rsplit(", ", 1))
        self.reason = (
            f"not {tried} text{where}; save it as 'CSV UTF-8' / 文字コードを判別できません（UTF-8 で保存してください）"
        )
        super().__init__(f"{self.path}, line {line}: {self.reason}")


def decode_text(data: bytes, path: Path | str, *, fallbacks: Sequence[str] = USER_FALLBACKS) -> DecodedText:
    """Decode UTF-8 (a BOM is dropped), else the first of ``fallbacks`` that fits; else
    :class:`TextEncodingError`."""
    try:
        text = data.decode("utf-8-sig")
        return DecodedText(text, "utf-8-sig" if data.startswith(_BOM) else "utf-8")
    except UnicodeDecodeError as utf8_error:
        first_error = utf8_error
    for fallback in fallbacks:
        try:
            text = data.decode(fallback)
        except UnicodeDecodeError:
            continue
        if fallback == "cp932" and _CP932_PLACEHOLDERS.intersection(text):
            continue
        return DecodedText(text, fallback)
    body = bytes(first_error.object)  # the bytes after a BOM: the error's offsets count from there
    line = body[: first_error.start].count(b"\n") + 1
    offset = first_error.start + (len(data) - len(body))
    raise TextEncodingError(path, line, fallbacks, byte=body[first_error.start], offset=offset)


def read_text(path: Path, *, fallbacks: Sequence[str] = USER_FALLBACKS) -> DecodedText:
    """Read and decode a text file (see :func:`decode_text`); ``OSError`` propagates."""
    return decode_text(path.read_bytes(), path, fallbacks=fallbacks)


# ---------------------------------------------------------------- streaming (large query files)
_STREAM_CHUNK = 1 << 20


def detect_file_encoding(path: Path) -> str:
    """The encoding :func:`read_text` would choose for ``path`` (``utf-8``, ``utf-8-sig`` or ``cp932``),
    found by streaming the file in 1 MiB chunks, so a file of any size is checked in constant memory; the
    same :class:`TextEncodingError` (naming the first line that is not UTF-8) otherwise."""
    import codecs

    utf8 = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        has_bom = handle.read(len(_BOM)) == _BOM
        if not has_bom:
            handle.seek(0)
        lines_before = 0
        while True:
            chunk = handle.read(_STREAM_CHUNK)
            # bytes of an incomplete character held back from the previous chunk (never a newline)
            pending = utf8.getstate()[0]
            try:
                utf8.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                line = lines_before + chunk[: max(0, error.start - len(pending))].count(b"\n") + 1
                break
            if not chunk:
                return "utf-8-sig" if has_bom else "utf-8"
            lines_before += chunk.count(b"\n")
        handle.seek(0)
        cp932 = codecs.getincrementaldecoder("cp932")()
        try:
            while chunk := handle.read(_STREAM_CHUNK):
                if _CP932_PLACEHOLDERS.intersection(cp932.decode(chunk)):
                    raise TextEncodingError(path, line)
            if _CP932_PLACEHOLDERS.intersection(cp932.decode(b"", final=True)):
                raise TextEncodingError(path, line)
        except UnicodeDecodeError:
            raise TextEncodingError(path, line) from None
    return "cp932"


__all__ = ["USER_FALLBACKS", "DecodedText", "TextEncodingError", "decode_text", "detect_file_encoding", "read_text"]
