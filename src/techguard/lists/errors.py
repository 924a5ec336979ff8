"""Errors raised while reading list files. Every one names the file, the line/record and the field."""

from __future__ import annotations

from pathlib import Path


class ListError(Exception):
    """Base class for list problems the user must see."""


class ListFormatError(ListError):
    """A list file does not have the shape its format promises."""

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.record = record
        self.field = field
        self.message = message
        where = [str(self.path)]
        if line is not None:
            where.append(f"line {line}")
        if record is not None:
            where.append(f"record {record}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {message}")


class UpdateRefused(ListError):
    """A downloaded or imported list was not activated; the previous snapshot stays in force."""
