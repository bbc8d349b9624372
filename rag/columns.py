"""Columns that a serving process can map from disk instead of holding as Python objects.

Every structure derived from the index (the quote catalogue, the keyword indexes, the word
forms, the speakers' names) is reduced to numpy arrays and byte strings through these
classes, and rebuilt from them: built in memory after an ingest, or mapped read-only from
the files ``rag.derived`` keeps (the pages are then the system's page cache, shared by every
process serving the same index). Python objects (``Record``s, strings) are made from them one
at a time, when a question reads them.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np

from .store import Record

Parts = dict[str, "np.ndarray | bytes"]  # what a structure is saved as: named arrays and byte strings


class Strings(Sequence[str]):
    """A list of strings as one UTF-8 byte string and the offsets of each."""

    def __init__(self, blob: bytes, offsets: np.ndarray):
        self.blob = blob  # bytes, or a read-only mmap: slicing either gives bytes
        self.offsets = offsets

    @classmethod
    def of(cls, values: Iterable[str]) -> Strings:
        encoded = [v.encode("utf-8", "surrogatepass") for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(b"".join(encoded), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        offsets = self.offsets
        n = len(offsets) - 1
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return self.blob[offsets[i]:offsets[i + 1]].decode("utf-8", "surrogatepass")

    def raw(self, i: int) -> bytes:
        return self.blob[self.offsets[i]:self.offsets[i + 1]]

    def __iter__(self) -> Iterator[str]:
        offsets = self.offsets.tolist() if len(self) < 1 << 20 else self.offsets
        blob = self.blob
        for lo, hi in zip(offsets[:-1], offsets[1:]):
            yield blob[int(lo):int(hi)].decode("utf-8", "surrogatepass")

    def parts(self, name: str) -> Parts:
        return {f"{name}.blob": bytes(self.blob), f"{name}.offsets": self.offsets}

    @classmethod
    def from_parts(cls, parts: Parts, name: str) -> Strings:
        return cls(parts[f"{name}.blob"], parts[f"{name}.offsets"])


class Vocabulary(Mapping[str, int]):
    """Strings sorted by their UTF-8 bytes, each one's id its position: a dict from string to id
    that is two arrays (a binary search per lookup, a few microseconds)."""

    def __init__(self, strings: Strings):
        self.strings = strings

    @classmethod
    def sorted_from(cls, ids: Mapping[str, int], size: int | None = None) -> tuple[Vocabulary, np.ndarray]:
        """The vocabulary of ``ids`` (string → old id; ids at or past ``size`` left out) and
        ``order``, the old id of each new id: new id ``i`` is old id ``order[i]``."""
        kept = [(key.encode("utf-8", "surrogatepass"), old) for key, old in ids.items() if size is None or old < size]
        kept.sort()
        order = np.array([old for _, old in kept], dtype=np.int64)
        return cls(Strings.of(key.decode("utf-8", "surrogatepass") for key, _ in kept)), order

    def __len__(self) -> int:
        return len(self.strings)

    def __iter__(self) -> Iterator[str]:
        return iter(self.strings)

    def __getitem__(self, key: str) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def get(self, key: str, default=None):
        try:
            wanted = key.encode("utf-8", "surrogatepass")
        except AttributeError:
            return default
        strings, lo, hi = self.strings, 0, len(self.strings)
        while lo < hi:
            mid = (lo + hi) // 2
            if strings.raw(mid) < wanted:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(strings) and strings.raw(lo) == wanted else default


def permute_columns(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray | None, order: np.ndarray):
    """A compressed sparse matrix's columns (``indptr``) reordered: new column ``i`` is old column ``order[i]``."""
    lengths = np.diff(indptr)[order]
    new_indptr = np.zeros(len(order) + 1, dtype=indptr.dtype)
    np.cumsum(lengths, out=new_indptr[1:])
    gather = np.repeat(indptr[order] - new_indptr[:-1], lengths) + np.arange(new_indptr[-1], dtype=np.int64)
    return new_indptr, indices[gather], None if data is None else data[gather]


class RowPlan:
    """How the rows of a derived structure are laid out again after some of its records left and
    others came (an ingest that touched a few articles): rows are always in the order of their
    records' ids, so a structure updated this way is row for row the one built from scratch.
    Merged row ``i`` is old row ``old[i]`` or, where that is -1, new record ``new[i]``."""

    def __init__(self, old: np.ndarray, new: np.ndarray, old_size: int):
        self.old = old
        self.new = new
        self.old_size = old_size  # rows before

    @classmethod
    def of(cls, old_ids: Sequence[str], keep: np.ndarray, new_ids: Sequence[str]) -> RowPlan:
        """The plan keeping the old rows where ``keep`` is True and adding ``new_ids``, in id order."""
        kept = np.flatnonzero(keep)
        entries = [(old_ids[int(row)], int(row), -1) for row in kept] + [(i, -1, n) for n, i in enumerate(new_ids)]
        entries.sort(key=lambda entry: entry[0].encode("utf-8", "surrogatepass"))
        old = np.array([o for _, o, _ in entries], dtype=np.int64)
        new = np.array([n for _, _, n in entries], dtype=np.int64)
        return cls(old, new, len(old_ids))

    def __len__(self) -> int:
        return len(self.old)

    def old_to_merged(self) -> np.ndarray:
        """The merged row of each old row, -1 for those left out."""
        moved = np.full(self.old_size, -1, dtype=np.int64)
        at = np.flatnonzero(self.old >= 0)
        moved[self.old[at]] = at
        return moved

    def new_to_merged(self) -> np.ndarray:
        """The merged row of each new record."""
        at = np.flatnonzero(self.new >= 0)
        moved = np.empty(len(at), dtype=np.int64)
        moved[self.new[at]] = at
        return moved

    def records(self, old: Sequence[Record], new: Sequence[Record]) -> list[Record]:
        """The merged rows' records."""
        return [old[o] if o >= 0 else new[n] for o, n in zip(self.old.tolist(), self.new.tolist())]


def id_order(ids: Sequence[str]) -> list[int]:
    """The positions of ``ids`` in the order derived structures keep their rows in (``RowPlan``)."""
    return sorted(range(len(ids)), key=lambda i: ids[i].encode("utf-8", "surrogatepass"))


_NO_INT = np.iinfo(np.int64).min  # an int column's "this record has no such key"


class RecordTable(Sequence[Record]):
    """Records (ids, optionally their documents, chosen metadata) as columns: strings many records
    share (``shared``: an article's id, an outlet, a speaker) stored once and coded, numbers in
    one matrix per type, other strings one after another. ``table[row]`` makes the ``Record``."""

    def __init__(self, parts: Parts, layout: dict):
        self.layout = layout
        self.ids = Strings.from_parts(parts, "ids")
        self.documents = Strings.from_parts(parts, "documents") if layout["documents"] else None
        self._shared = [_Shared(Strings.from_parts(parts, f"shared.{k}")) for k in layout["shared"]]
        self._codes = parts["codes"]
        self._ints = parts["ints"]
        self._floats = parts["floats"]
        self._texts = [Strings.from_parts(parts, f"text.{k}") for k in layout["texts"]]
        self._has_text = parts["has_text"]
        self._sorted_ids = parts["sorted_ids"]  # the ids as fixed-width bytes, sorted…
        self._sorted_rows = parts["sorted_rows"]  # …and the row of each
        self._parts = parts

    @classmethod
    def build(cls, records: Iterable[Record], keys: Sequence[str], shared: Sequence[str] = (),
              documents: bool = True) -> RecordTable:
        """The table of ``records``, keeping their metadata ``keys`` (those of ``shared`` coded)."""
        ids, docs, columns = [], [], {k: [] for k in keys}
        for record in records:
            ids.append(record.id)
            if documents:
                docs.append(record.document)
            for key in keys:
                columns[key].append(record.metadata.get(key, _Absent))
        layout = {"documents": documents, "shared": [], "ints": [], "floats": [], "texts": []}
        for key in keys:
            layout[_kind(columns[key], key in shared)].append(key)
        n = len(ids)
        parts: Parts = {**Strings.of(ids).parts("ids")}
        if documents:
            parts |= Strings.of(docs).parts("documents")
        codes = np.full((n, len(layout["shared"])), -1, dtype=np.int32)
        for j, key in enumerate(layout["shared"]):
            table: dict[str, int] = {}
            codes[:, j] = [-1 if v is _Absent else table.setdefault(v, len(table)) for v in columns[key]]
            parts |= Strings.of(table).parts(f"shared.{key}")
        ints = np.full((n, len(layout["ints"])), _NO_INT, dtype=np.int64)
        for j, key in enumerate(layout["ints"]):
            ints[:, j] = [_NO_INT if v is _Absent else v for v in columns[key]]
        floats = np.full((n, len(layout["floats"])), np.nan, dtype=np.float64)
        for j, key in enumerate(layout["floats"]):
            floats[:, j] = [np.nan if v is _Absent else v for v in columns[key]]
        has_text = np.zeros((n, len(layout["texts"])), dtype=bool)
        for j, key in enumerate(layout["texts"]):
            has_text[:, j] = [v is not _Absent for v in columns[key]]
            parts |= Strings.of("" if v is _Absent else v for v in columns[key]).parts(f"text.{key}")
        encoded = np.array([i.encode("utf-8", "surrogatepass") for i in ids] or [b""], dtype=bytes)[:n]
        order = np.argsort(encoded, kind="stable")
        parts |= {"codes": codes, "ints": ints, "floats": floats, "has_text": has_text,
                  "sorted_ids": encoded[order], "sorted_rows": order.astype(np.int64)}
        return cls(parts, layout)

    def parts(self) -> Parts:
        return dict(self._parts)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [self[r] for r in range(*row.indices(len(self)))]
        row = int(row)
        layout = self.layout
        meta = {}
        for key, table, code in zip(layout["shared"], self._shared, self._codes[row].tolist()):
            if code >= 0:
                meta[key] = table[code]
        for key, value in zip(layout["ints"], self._ints[row].tolist()):
            if value != _NO_INT:
                meta[key] = value
        for key, value in zip(layout["floats"], self._floats[row].tolist()):
            if value == value:
                meta[key] = value
        for key, column, has in zip(layout["texts"], self._texts, self._has_text[row].tolist()):
            if has:
                meta[key] = column[row]
        return Record(self.ids[row], self.documents[row] if self.documents is not None else "", meta)

    def __iter__(self) -> Iterator[Record]:
        for row in range(len(self)):
            yield self[row]

    def row_of(self, record_id: str) -> int | None:
        rows = self.rows_of([record_id])
        return int(rows[0]) if rows[0] >= 0 else None

    def rows_of(self, ids: Sequence[str]) -> np.ndarray:
        """The row of each id, -1 where the table has no such record."""
        if not len(ids) or not len(self):
            return np.full(len(ids), -1, dtype=np.int64)
        wanted = np.array([i.encode("utf-8", "surrogatepass") for i in ids], dtype=bytes)
        at = np.minimum(np.searchsorted(self._sorted_ids, wanted), len(self) - 1)
        found = self._sorted_ids[at] == wanted
        return np.where(found, self._sorted_rows[at], -1)

    def shared_values(self, key: str) -> Strings:
        """Every distinct value of the ``shared`` metadata ``key``."""
        return self._shared[self.layout["shared"].index(key)].strings

    def shared_codes(self, key: str) -> np.ndarray:
        return self._codes[:, self.layout["shared"].index(key)]

    def int_column(self, key: str) -> np.ndarray:
        return self._ints[:, self.layout["ints"].index(key)]

    def rows_not_in(self, key: str, values: set[str]) -> np.ndarray:
        """True for each row whose ``shared`` metadata ``key`` is not one of ``values``."""
        if not len(self):
            return np.zeros(0, dtype=bool)
        strings = self.shared_values(key)
        gone = [code for code, value in enumerate(strings) if value in values]
        return ~np.isin(self.shared_codes(key), gone)


class RecordMap(Mapping[str, Record]):
    """A ``RecordTable`` as the dict from id to record it replaces."""

    def __init__(self, table: RecordTable):
        self.table = table

    def __getitem__(self, record_id: str) -> Record:
        row = self.table.row_of(record_id) if isinstance(record_id, str) else None
        if row is None:
            raise KeyError(record_id)
        return self.table[row]

    def __contains__(self, record_id) -> bool:
        return isinstance(record_id, str) and self.table.row_of(record_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.table.ids)

    def __len__(self) -> int:
        return len(self.table)

    def values(self):  # type: ignore[override]
        return self.table


class _Shared:
    """A coded column's values, each decoded once and then the same (interned) string for every record."""

    def __init__(self, strings: Strings):
        self.strings = strings
        self._decoded: list[str | None] = [None] * len(strings)

    def __getitem__(self, code: int) -> str:
        value = self._decoded[code]
        if value is None:
            value = self._decoded[code] = sys.intern(self.strings[code])
        return value


class _AbsentType:
    def __repr__(self) -> str:
        return "<absent>"


_Absent = _AbsentType()


def _kind(values: list, shared: bool) -> str:
    present = [v for v in values if v is not _Absent]
    if all(isinstance(v, str) for v in present):
        return "shared" if shared else "texts"
    if all(isinstance(v, int) and not isinstance(v, bool) and v != _NO_INT for v in present):
        return "ints"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "floats"  # equal as Python numbers whichever they were written as
    raise TypeError(f"a metadata key holds values of mixed or unsupported types: {sorted({type(v).__name__ for v in present})}")
