"""Reading text files the way Japanese offices save them: UTF-8 (with or without BOM) or CP932 (Shift_JIS).

One decoder for every CSV/YAML a user hands techguard (list files, query files, activity files, affiliation
files), so they all accept the same encodings and fail with the same clear message naming file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_BOM = b"\xef\xbb\xbf"
# Python's cp932 codec maps the unused bytes 0x80, 0xA0 and 0xFD-0xFF to these characters instead of failing;
# a file containing them is not really CP932 (more likely Latin-1 or GBK).
_CP932_PLACEHOLDERS = frozenset("\x80\uf8f0\uf8f1\uf8f2\uf8f3")


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8", "utf-8-sig" (a BOM was dropped) or "cp932"


class TextEncodingError(ValueError):
    """The bytes are neither UTF-8 nor CP932; names the file and the first line that is not UTF-8."""

    def __init__(self, path: Path | str, line: int) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = (
            "not UTF-8, UTF-8 with BOM or CP932 (Shift_JIS) text; save it as 'CSV UTF-8' "
            "/ 文字コードを判別できません（UTF-8 で保存してください）"
        )
        super().__init__(f"{self.path}, line {line}: {self.reason}")


def decode_text(data: bytes, path: Path | str) -> DecodedText:
    """Decode UTF-8 (a BOM is dropped), else CP932; :class:`TextEncodingError` otherwise."""
    try:
        text = data.decode("utf-8-sig")
        return DecodedText(text, "utf-8-sig" if data.startswith(_BOM) else "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError:
            text = None
        if text is not None and not _CP932_PLACEHOLDERS.intersection(text):
            return DecodedText(text, "cp932")
        raise TextEncodingError(path, data[: utf8_error.start].count(b"\n") + 1) from None


def read_text(path: Path) -> DecodedText:
    """Read and decode a user's text file (see :func:`decode_text`)."""
    return decode_text(path.read_bytes(), path)


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


__all__ = ["DecodedText", "TextEncodingError", "decode_text", "detect_file_encoding", "read_text"]
