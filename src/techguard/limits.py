"""Limits on what enters techguard, checked where it enters (files, API bodies, activity documents).

Each check is linear in the input and refuses with an :class:`InputLimitError` naming the format that failed
and the limit, never a server path (callers add the user's own file name). The numbers live here once; the
web models and API schemas import them, so a column and its validator cannot disagree.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import yaml

#: A party or query name; longer names are clipped (batch) or refused (API, search). The matcher's cost grows
#: with name length, so this also bounds the time one name can take.
MAX_NAME_CHARS = 500
#: Rows of one batch upload.
MAX_BATCH_ROWS = int(os.environ.get("TECHGUARD_MAX_BATCH_ROWS", "100000"))
#: Bytes of one uploaded file.
MAX_UPLOAD_BYTES = int(os.environ.get("TECHGUARD_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
#: Bytes of one case attachment (CV, invitation letter, 誓約書, 該非判定書, licence).
MAX_ATTACHMENT_BYTES = int(os.environ.get("TECHGUARD_MAX_ATTACHMENT_BYTES", str(20 * 1024 * 1024)))
#: An XLSX (a zip archive) unpacked: total bytes, and the largest ratio of unpacked to packed size per member.
MAX_XLSX_UNPACKED_BYTES = int(os.environ.get("TECHGUARD_MAX_XLSX_UNPACKED_BYTES", str(200 * 1024 * 1024)))
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 10_000
#: Nesting of JSON/YAML documents (activities, API bodies) and the nodes a YAML document expands to with its
#: aliases (a "billion laughs" of 600 bytes otherwise expands to gigabytes).
MAX_NESTING = 64
MAX_YAML_NODES = 100_000

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "MAX_BATCH_ROWS",
    "MAX_NAME_CHARS",
    "MAX_NESTING",
    "MAX_UPLOAD_BYTES",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_UNPACKED_BYTES",
    "MAX_YAML_NODES",
    "InputLimitError",
    "check_file_size",
    "check_json_nesting",
    "check_xlsx_archive",
    "check_yaml_expansion",
    "clip_name",
]


class InputLimitError(ValueError):
    """Input over a limit; the message names the format and the limit."""


def check_file_size(path: Path, limit: int = MAX_UPLOAD_BYTES) -> None:
    size = path.stat().st_size
    if size > limit:
        raise InputLimitError(f"file of {size:,} bytes is over the limit of {limit:,} bytes")


def check_xlsx_archive(path: Path, *, max_unpacked: int = MAX_XLSX_UNPACKED_BYTES,
                       max_ratio: int = MAX_XLSX_RATIO) -> None:
    """Refuse an XLSX whose members unpack to more than ``max_unpacked`` bytes or compress suspiciously well
    (a zip bomb), reading only the archive's directory (the sizes it declares; zipfile enforces them)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputLimitError(f"XLSX: not a readable Excel workbook (not a zip archive: {exc})") from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise InputLimitError(f"XLSX: {len(members):,} parts in the archive, over the limit of {MAX_XLSX_MEMBERS:,}")
    total = 0
    for member in members:
        total += member.file_size
        if total > max_unpacked:
            raise InputLimitError(f"XLSX: unpacks to more than {max_unpacked:,} bytes (limit); "
                                  "save a smaller workbook or split it")
        if member.file_size > 1_000_000 and member.file_size > max_ratio * max(member.compress_size, 1):
            raise InputLimitError(f"XLSX: part {member.filename!r} unpacks {member.file_size // max(member.compress_size, 1)}"
                                  f" times its packed size (limit {max_ratio}×): refused as a possible zip bomb")


def check_json_nesting(text: str | bytes, limit: int = MAX_NESTING) -> None:
    """Refuse JSON nested deeper than ``limit`` before parsing it (deep nesting makes parsers recurse)."""
    data = text.encode() if isinstance(text, str) else text
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                raise InputLimitError(f"JSON: nested more than {limit} levels deep (limit)")
        elif byte in (0x5D, 0x7D):
            depth -= 1


def check_yaml_expansion(text: str, *, max_nodes: int = MAX_YAML_NODES, max_depth: int = MAX_NESTING) -> None:
    """Refuse YAML that nests deeper than ``max_depth`` or whose aliases expand it to more than ``max_nodes``
    nodes, from the parser's event stream (linear in the text; nothing is constructed)."""
    sizes: dict[str, int] = {}
    stack: list[tuple[str | None, int]] = []  # (anchor, nodes so far) of each open collection
    total = 0

    def add(count: int) -> None:
        nonlocal total
        if stack:
            anchor, nodes = stack[-1]
            stack[-1] = (anchor, nodes + count)
        else:
            total += count
        if total + sum(n for _, n in stack) > max_nodes:
            raise InputLimitError(f"YAML: expands to more than {max_nodes:,} nodes through its aliases (limit)")

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append((event.anchor, 1))
                if len(stack) > max_depth:
                    raise InputLimitError(f"YAML: nested more than {max_depth} levels deep (limit)")
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, nodes = stack.pop()
                if anchor:
                    sizes[anchor] = nodes
                add(nodes)
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                add(1)
            elif isinstance(event, yaml.AliasEvent):
                add(sizes.get(event.anchor or "", 1))
    except yaml.YAMLError:
        return  # not valid YAML: the loader reports it with its line


def clip_name(name: str, limit: int = MAX_NAME_CHARS) -> tuple[str, bool]:
    """``name`` cut to ``limit`` characters, and whether it was cut."""
    return (name[:limit], True) if len(name) > limit else (name, False)
