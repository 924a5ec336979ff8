"""Repeated queries in a batch, each screened once: its result line is kept on disk for the rows that repeat it.

Customer files repeat names (the benchmark's 1,000,000 synthetic names are 24 % repeats), and a repeat can
come anywhere in the file, so a small cache of the latest queries rarely holds it. The lines go to an
unnamed temporary file (``TMPDIR``; gone when the batch ends, even after a crash) and memory holds only
where each one is — a few hundred bytes a line, within a budget — so a batch's memory stays flat however
many names repeat. (Session 7 kept the lines in memory, compressed: the process grew by 267 MB over the
1,000,000 names while the cache filled its budget.)"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from operator import attrgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING

from techguard.matching.hits import json_text

if TYPE_CHECKING:
    from techguard.matching.screener import Query

__all__ = ["REPEAT_CACHE_BYTES", "REPEAT_CACHE_DISK_BYTES", "REPEAT_DOORKEEPER_BITS", "RepeatCache"]

# memory for the kept lines' places (RepeatCache.ENTRY_OVERHEAD each: 32 MB ≈ 160,000 lines)
REPEAT_CACHE_BYTES = 32 * 2**20
# the temporary file's size: reached (an endless stream), it is emptied and filled again
REPEAT_CACHE_DISK_BYTES = 4 * 2**30
REPEAT_DOORKEEPER_BITS = 2**24
_LENGTH_BITS = 24  # a kept record's compressed length, packed with its offset and the alert into one int


class RepeatCache:
    """The result lines of queries seen more than once in a batch.

    A query's line is kept from its second sighting on (a "doorkeeper" bit per hashed query remembers the
    first; a false positive only keeps a line that is not needed), least recently used out first beyond
    ``max_bytes`` of memory. The doorkeeper is cleared after it has marked an eighth of its bits, so it keeps
    telling repeats apart in an endless stream. When the batch can be read twice (a file), :meth:`survey`
    marks the repeated queries beforehand and their lines are kept from the first sighting. Repeats close
    together (in the rows read ahead before a line comes back) are joined by
    :func:`~techguard.matching.batch.screen_lines` instead: a unit of work screens each key once.

    Memory: the doorkeeper's bits / 8 bytes plus at most ``max_bytes`` for the places of the kept lines,
    whatever the batch's length; disk: at most ``max_disk_bytes``. The key is the whole query but its ``id``
    (name, kind, country, dob, identifier, and any field added later): the result depends on all of them.
    Memory holds the key's hash only; each record on disk starts with the key itself, compared on reading,
    so two queries of the same hash never share a line. The line starts with the id, written per row.

    If the temporary file cannot be written (the disk full), nothing more is kept — every later row is
    screened, as with a budget of 0 — and :attr:`disk_error` says why, for the caller to report."""

    ENTRY_OVERHEAD = 200  # bytes of memory per kept line: hash, packed place, ordered-dict slot and link

    def __init__(
        self,
        max_bytes: int = REPEAT_CACHE_BYTES,
        doorkeeper_bits: int = REPEAT_DOORKEEPER_BITS,
        *,
        max_disk_bytes: int = REPEAT_CACHE_DISK_BYTES,
        directory: Path | None = None,
    ) -> None:
        if doorkeeper_bits < 8 or doorkeeper_bits & (doorkeeper_bits - 1):
            raise ValueError("doorkeeper_bits must be a power of two ≥ 8")
        from techguard.matching.screener import Query

        self.max_bytes = max_bytes
        self.max_disk_bytes = max_disk_bytes
        self.directory = directory
        # (a C attribute getter: dataclasses.replace(query, id=None) costs 20× more, three times a row)
        self._fields = attrgetter(*(f.name for f in dataclasses.fields(Query) if f.name != "id"))
        # hash of the key -> offset << (LENGTH_BITS + 1) | length << 1 | alerted, least recently used first
        self._places: OrderedDict[int, int] = OrderedDict()
        self._file: IO[bytes] | None = None
        self.disk_bytes = 0  # written to the temporary file since it was last emptied
        self.disk_error: str | None = None
        self._bits = doorkeeper_bits
        self._seen = bytearray(doorkeeper_bits // 8)
        self._marked = 0
        self._repeated: bytearray | None = None  # from survey(): the slots of queries seen twice or more
        self.lookups = 0
        self.hits = 0  # rows written from a kept line
        self.joined = 0  # rows given the line of an earlier row screened in the same unit (screen_lines)
        self.surveyed = 0  # rows read by survey(): the batch's length, when it was read first
        self.clears = 0  # times the doorkeeper started again
        self.refills = 0  # times the temporary file was full and emptied

    def __len__(self) -> int:
        return len(self._places)

    @property
    def bytes(self) -> int:
        """Memory held for the kept lines (their text is on disk)."""
        return len(self._places) * self.ENTRY_OVERHEAD

    def close(self) -> None:
        """Forget every line and delete the temporary file."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._places.clear()
        self.disk_bytes = 0

    def __enter__(self) -> RepeatCache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def key(self, query: Query) -> tuple[object, ...]:
        """What a query's line depends on besides its id: every other field of the query."""
        fields: tuple[object, ...] = self._fields(query)  # (a tuple: Query has more than one other field)
        return fields

    @staticmethod
    def _id_prefix(query: Query) -> str:
        return '{"id":' + json_text(query.id) + ","

    def _kept(self, key: tuple[object, ...], digest: int) -> tuple[str, bool] | None:
        """The kept line after the id and whether it alerted, if this very key's line is kept."""
        place = self._places.get(digest)
        if place is None or self._file is None:
            return None
        length = (place >> 1) & ((1 << _LENGTH_BITS) - 1)
        record = zlib.decompress(os.pread(self._file.fileno(), length, place >> (_LENGTH_BITS + 1)))
        stored_key, _, text = record.decode("utf-8").partition("\x00")  # (repr() escapes any NUL in the key)
        if stored_key != repr(key):
            return None  # another query with the same hash
        self._places.move_to_end(digest)
        return text, bool(place & 1)

    def lookup(self, query: Query) -> tuple[tuple[str, bool] | None, bool]:
        """``((line, alerted), False)`` for a kept query (its line with this query's id); else ``(None,
        keep)``, ``keep`` telling whether to :meth:`store` its line once screened (seen before)."""
        self.lookups += 1
        key = self.key(query)
        digest = hash(key)
        kept = self._kept(key, digest)
        if kept is not None:
            self.hits += 1
            text, alerted = kept
            return (self._id_prefix(query) + text, alerted), False
        slot = digest & (self._bits - 1)
        byte, bit = slot >> 3, 1 << (slot & 7)
        if self._repeated is not None:
            return None, bool(self._repeated[byte] & bit)
        if self._seen[byte] & bit:
            return None, True
        if self._marked >= self._bits // 8:
            self._seen = bytearray(self._bits // 8)
            self._marked = 0
            self.clears += 1
        self._seen[byte] |= bit
        self._marked += 1
        return None, False

    def survey(self, queries: Iterable[Query]) -> int:
        """Read the whole batch first (a file can be read twice, a stream cannot): a query that occurs
        again is then kept from its first sighting, not its second, and the doorkeeper is no longer used.
        Two bits per slot, so the memory does not grow with the batch (a collision only keeps a line that
        is not needed). Returns the number of queries read."""
        seen = bytearray(self._bits // 8)
        repeated = bytearray(self._bits // 8)
        mask = self._bits - 1
        count = 0
        for query in queries:
            slot = hash(self.key(query)) & mask
            byte, bit = slot >> 3, 1 << (slot & 7)
            if seen[byte] & bit:
                repeated[byte] |= bit
            else:
                seen[byte] |= bit
            count += 1
        self._repeated = repeated
        self.surveyed = count
        return count

    def _after_id(self, line: str, query: Query) -> str:
        prefix = self._id_prefix(query)
        if not line.startswith(prefix):
            raise ValueError(f"a result line does not start with its query's id: {line[:80]!r}")
        return line[len(prefix) :]

    def with_id(self, line: str, screened: Query, query: Query) -> str:
        """The line of ``screened`` as the line of ``query`` (the same but for the id)."""
        return self._id_prefix(query) + self._after_id(line, screened)

    def store(self, query: Query, line: str, alerted: bool) -> None:
        """Keep ``query``'s line (as :func:`~techguard.matching.batch.json_line` wrote it), forgetting the
        least recently used beyond the memory budget."""
        text = self._after_id(line, query)
        if self.max_bytes < self.ENTRY_OVERHEAD or self.disk_error is not None:
            return
        key = self.key(query)
        digest = hash(key)
        if digest in self._places:  # this key's line (only ever the same text), or a namesake hash's: kept
            return
        record = zlib.compress((repr(key) + "\x00" + text).encode("utf-8"), 1)
        if len(record) >= 1 << _LENGTH_BITS or len(record) > self.max_disk_bytes:
            return  # a line of over 16 MB compressed: screened again when it repeats
        if self.disk_bytes + len(record) > self.max_disk_bytes:
            self._refill()
        try:
            if self._file is None:
                # kept open for the batch, closed by close(); unlinked at once, so gone even after a crash
                self._file = tempfile.TemporaryFile(prefix="techguard-repeats-", dir=self.directory)  # noqa: SIM115
            os.pwrite(self._file.fileno(), record, self.disk_bytes)
        except OSError as error:
            where = self.directory or Path(tempfile.gettempdir())
            self.disk_error = f"{where}: {error.strerror or error}"
            self.close()
            return
        self._places[digest] = self.disk_bytes << (_LENGTH_BITS + 1) | len(record) << 1 | alerted
        self.disk_bytes += len(record)
        while len(self._places) * self.ENTRY_OVERHEAD > self.max_bytes:
            self._places.popitem(last=False)

    def _refill(self) -> None:
        """The temporary file is full: forget every line and write from its start again."""
        self._places.clear()
        self.disk_bytes = 0
        if self._file is not None:
            os.ftruncate(self._file.fileno(), 0)
        self.refills += 1
