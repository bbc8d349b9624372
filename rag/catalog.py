"""The speaker → quotes lookup, kept in memory so that speaker-first retrieval never costs a
filtered scan of the whole quotes collection (Chroma's ``where`` is a scan)."""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .store import Record, record_date
from .types import Speaker


def speaker_from_json(data: dict) -> Speaker:
    return Speaker(
        id=data["id"],
        name_en=data["name_en"],
        name_ar=data["name_ar"],
        kind=data.get("kind", "person"),
        members=tuple(speaker_from_json(m) for m in data.get("members", ())),
        description=data.get("description"),
    )


@dataclass(frozen=True)
class SpeakerCount:
    speaker: Speaker
    quotes: int
    articles: int
    first: dt.date | None
    last: dt.date | None


class QuoteCatalog:
    """Every indexed quote record, by id and by speaker (group quotes under each member too)."""

    def __init__(self, records: Iterable[Record]):
        self.records: dict[str, Record] = {}
        self.by_speaker: dict[str, list[str]] = defaultdict(list)
        self.speakers: dict[str, Speaker] = {}
        for record in records:
            self.records[record.id] = record
            speaker = speaker_from_json(json.loads(record.metadata["speaker_json"]))
            self.speakers.setdefault(speaker.id, speaker)
            for member in speaker.members:
                self.speakers.setdefault(member.id, member)
            for speaker_id in record.metadata["speaker_ids"].strip("|").split("|"):
                self.by_speaker[speaker_id].append(record.id)

    def speaker_of(self, record: Record) -> Speaker:
        return self.speakers[record.metadata["speaker_id"]]

    def quotes_of(self, speaker_ids: Iterable[str]) -> list[Record]:
        ids = dict.fromkeys(i for s in speaker_ids for i in self.by_speaker.get(s, ()))
        return [self.records[i] for i in ids]

    def counts(self) -> list[SpeakerCount]:
        """Every speaker with their number of quotes (their own and as a group member), most quoted first."""
        rows = []
        for speaker_id, ids in self.by_speaker.items():
            metas = [self.records[i].metadata for i in ids]
            dates = [d for d in map(record_date, metas) if d]
            rows.append(SpeakerCount(
                speaker=self.speakers[speaker_id],
                quotes=len(ids),
                articles=len({m["article_id"] for m in metas}),
                first=min(dates, default=None),
                last=max(dates, default=None),
            ))
        return sorted(rows, key=lambda r: (-r.quotes, r.speaker.name_en))
