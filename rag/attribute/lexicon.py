"""The reporting lexicon: ``rag/resources/reporting.yaml`` read once into normalised lookups.

Every word is stored as ``rag.arabic.normalize`` folds it, so lookups take normalised tokens.
Verb entries expand to all their agreement forms (قال → قالت، قالا، يقول، تقول…).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rag.arabic import AGREEMENT_BY_ENDING as _AGREEMENT_BY_ENDING
from rag.arabic import PARTICIPLE_ENDINGS as _PARTICIPLE_ENDINGS
from rag.arabic import PAST_ENDINGS as _PAST_ENDINGS
from rag.arabic import PRESENT_ENDINGS as _PRESENT_ENDINGS
from rag.arabic import normalize, tokenize
from rag.knowledge import Reporting, load_file, resource_path

DEFAULT_PATH = resource_path("reporting.yaml")


@dataclass(frozen=True)
class Verb:
    """One reporting verb: its citation form and how its content is introduced."""

    lemma: str
    content: tuple[str, ...]  # that | colon | quote | object, in order of preference
    prep: str | None = None
    relay: str | None = None  # نقل عن: the speaker follows this word
    clause_initial: bool = False
    needs_prep: bool = False
    object_first: bool = False
    opinion: bool = False  # اعتبر، رأى، توقع: a view held, never a nested report of someone's words
    passive_alone: bool = False  # يعتبر، يتوقع with no subject are the passive (يُعتبر): the narrator's


@dataclass(frozen=True)
class CueForm:
    """A surface form of a reporting verb: its tense (past | present | participle) and the
    subject it agrees with (m | f | dual | pl): وأضاف is a man or an institution, never a
    country (countries are feminine: وأضافت الصين)."""

    verb: Verb
    tense: str
    agreement: str = "m"


@dataclass(frozen=True)
class GroupNoun:
    """الوزيران، الجانبان…: which earlier speakers can be the two members."""

    roles: frozenset[str]
    words: frozenset[str]
    kinds: frozenset[str]


@dataclass(frozen=True)
class Anaphor:
    """الوزير، الخارجية…: a description that points back to a speaker named earlier."""

    match: frozenset[str]
    kinds: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """All of reporting.yaml, normalised (see the YAML file for what each list means)."""

    cues: dict[str, CueForm]
    blockers: frozenset[str]
    relatives: frozenset[str]
    subjunctive: frozenset[str]
    impersonal: frozenset[str]
    complementisers: frozenset[str]
    saying_nouns: frozenset[str]
    not_complementiser_after: frozenset[str]
    clause_openers: frozenset[str]
    subordinators: frozenset[str]
    subject_lead: frozenset[str]
    adverbial_heads: frozenset[str]  # includes the time words
    time_words: frozenset[str]
    object_pronouns: frozenset[str]
    conduit_heads: frozenset[str]
    conduit_particles: frozenset[str]
    relay_verbs: frozenset[str]
    relay_phrases: tuple[tuple[str, ...], ...]
    statement_nouns: frozenset[str]
    media: frozenset[str]
    named_in_marks: frozenset[str]
    groups: dict[str, GroupNoun]
    anaphors: dict[str, Anaphor]
    counterparts: frozenset[str]
    statement_subjects: frozenset[str]
    speaker_heads: frozenset[str]
    honorifics: frozenset[str]
    name_particles: frozenset[str]
    office_nouns: frozenset[str]
    definite_adjectives: frozenset[str]
    honorific_titles: frozenset[str]
    honorific_pronouns: frozenset[str]
    first_person: frozenset[str]
    confidence: dict[str, float] = field(default_factory=dict)
    feminine_heads: frozenset[str] = frozenset()
    masculine_heads: frozenset[str] = frozenset()
    plural_heads: frozenset[str] = frozenset()
    feminine_speakers: frozenset[str] = frozenset()
    government_heads: frozenset[str] = frozenset()
    not_speaker_words: frozenset[str] = frozenset()  # لنا، عنه، بهذا، أول: never a speaker's first word
    not_speaker_clitics: frozenset[str] = frozenset()
    clitic_stems: frozenset[str] = frozenset()  # صراحة، شكل: «بصراحة»، «بشكل» are no speaker
    clitic_masdars: tuple = ()  # compiled verbal-noun measures: «بتخصيص»، «بإعادة»
    clitic_places: frozenset[str] = frozenset()  # جدة: «بجدة» is where an office is
    speaker_ends: frozenset[str] = frozenset()
    impersonal_to: frozenset[str] = frozenset()  # «تبين لنا أن…»: it became clear to us
    not_names: frozenset[str] = frozenset()  # تعيين، إدانة، عدد: no personal name starts with these
    prayers: frozenset[str] = frozenset()  # رحمه، يرحمه، حفظه: «… رحمه الله» ends a name
    namesake_heads: frozenset[str] = frozenset()  # مركز، جامع: «مركز الملك سلمان» is no speech of the king
    namesake_titles: frozenset[str] = frozenset()  # الملك، الأمير: a namesake's title («جامعة الملك سعود»)
    not_speaker_things: frozenset[str] = frozenset()  # الفحوصات، النتائج: a thing shows, nobody speaks
    cited_speakers: frozenset[str] = frozenset()  # تعالى: quoted (a verse), never the topic after it
    possessed_persons: frozenset[str] = frozenset()  # زوج، رئيس: «زوجته»، «رئيسها» name a person
    content_enders: frozenset[str] = frozenset()  # «، مشيدا…»: the narrator's clause after what was said  # أمس، قد: a speaker's naming never runs past these  # ب، ل، ك on an office or a title: its complement
    setting_heads: frozenset[str] = frozenset()  # «، في بيان،»: the narrator's setting before an object
    quantifiers: frozenset[str] = frozenset()  # أحد، بعض، وسائل: the speaker is the whole phrase
    partitive_quantifiers: frozenset[str] = frozenset()  # عدد، الكثير: only with من («عدد من المواطنين»)
    preposition_objects: frozenset[str] = frozenset()  # «علي الرغم»، «علي ضرورة»: على written with ي
    audiences: tuple[tuple[str, ...], ...] = ()  # «للصحفيين»، «لوسائل الإعلام» between a cue and its subject
    aside_phrases: tuple[tuple[str, ...], ...] = ()  # «من جهته»، «بدوره» between a cue and its subject
    described_by: frozenset[str] = frozenset()  # وهو، ومقره: a clause describing the speaker's phrase
    name_compounds: frozenset[str] = frozenset()  # الدين: «أمين الدين حامدي», a first name in two words
    min_quote_words: int = 1  # a shorter quotation is a name or a title in marks, not what was said


def _words(items) -> frozenset[str]:
    return frozenset(normalize(w) for w in items or ())


def _measures(items) -> tuple:
    """Verbal-noun measures (تفعيل، مفاعلة) as patterns: ف ع ل stand for any root letter but ا;
    a form ending in ة also takes the plural ات; any form may take a possessive pronoun."""
    patterns = []
    for item in items or ():
        form = normalize(item)
        body = "".join("[^ا]" if c in "فعل" else re.escape(c) for c in form)
        if form.endswith("ه"):
            body = body[:-1] + "(?:ه|ات)"
        patterns.append(re.compile(f"^{body}(?:ه|ها|هم|هما)?$"))
    return tuple(patterns)


def _expand(spec, endings: tuple[str, ...], tense: str) -> list[tuple[str, str]]:
    """(form, agreement) for a regular stem with its endings, or for an explicit list."""
    if spec is None:
        return []
    if isinstance(spec, list):
        return [(normalize(w), _agreement(normalize(w), tense, n == 0)) for n, w in enumerate(spec)]
    stem = normalize(spec)
    stems = [stem, "ت" + stem[1:]] if tense == "present" and stem.startswith("ي") else [stem]
    return [(normalize(s + e), _agreement_of(s, e, tense)) for s in stems for e in endings]


def _agreement_of(stem: str, ending: str, tense: str) -> str:
    if ending in ("ان", "ون", "ين", "وا", "ا", "تا") and not (tense == "participle" and ending == "ا"):
        return _AGREEMENT_BY_ENDING[ending]
    if ending in ("ت", "ة") or (tense == "present" and stem.startswith("ت")):
        return "f"
    return "m"


def _agreement(form: str, tense: str, first: bool = False) -> str:
    """Agreement of an irregular form as listed (رأت، تتمنى، مبدية, يريان), by its tense's
    endings: a past «أدان» is no dual (ان is a present ending), a past ending in ا is a dual
    unless it is the list's first form (دعا، أدانا)."""
    endings = {"past": ("تا", "وا"), "present": ("ان", "ون"), "participle": ("ين", "ون")}.get(tense, ())
    for ending in endings:
        if form.endswith(ending):
            return _AGREEMENT_BY_ENDING[ending]
    if tense == "past" and form.endswith("ا") and not first:
        return "dual"
    feminine = {"past": form.endswith("ت"), "present": form.startswith("ت")}.get(tense, form.endswith("ه"))
    return "f" if feminine else "m"


def _cue_forms(entries: list[dict]) -> dict[str, CueForm]:
    forms: dict[str, CueForm] = {}
    for entry in entries:
        past = entry["past"]
        verb = Verb(
            lemma=past[0] if isinstance(past, list) else past,
            content=tuple(entry["content"]),
            prep=normalize(entry["prep"]) if entry.get("prep") else None,
            relay=normalize(entry["relay"]) if entry.get("relay") else None,
            clause_initial=bool(entry.get("clause_initial")),
            needs_prep=bool(entry.get("needs_prep")),
            object_first=bool(entry.get("object_first")),
            opinion=bool(entry.get("opinion")),
            passive_alone=bool(entry.get("passive_alone")),
        )
        for tense, spec, endings in (("past", past, _PAST_ENDINGS), ("present", entry.get("present"), _PRESENT_ENDINGS),
                                     ("participle", entry.get("participle"), _PARTICIPLE_ENDINGS)):
            for form, agreement in _expand(spec, endings, tense):
                forms.setdefault(form, CueForm(verb, tense, agreement))
    return forms


def _phrases(items) -> tuple[tuple[str, ...], ...]:
    """Phrases as normalised word tuples, longest first (the first that matches is the whole)."""
    return tuple(sorted((tuple(normalize(w) for w in phrase.split()) for phrase in items or ()), key=len, reverse=True))


def _by_form(entries: list[dict], build) -> dict:
    return {normalize(form): build(e) for e in entries for form in e["forms"]}


def _stems(items) -> frozenset[str]:
    """Words as ``tokenize`` sees them (definite article dropped): الخارجية → خارجيه."""
    return frozenset(t for w in items or () for t in tokenize(w))


def load_lexicon(path: Path = DEFAULT_PATH) -> Lexicon:
    """Read a reporting lexicon in the format of ``reporting.yaml``."""
    raw = load_file(path, Reporting)
    conduits = raw["conduits"]
    return Lexicon(
        cues=_cue_forms(raw["verbs"]),
        blockers=_words(raw["blockers"]),
        relatives=_words(raw["relatives"]),
        subjunctive=_words(raw["subjunctive"]),
        impersonal=_words(raw["impersonal"]),
        complementisers=_words(raw["complementisers"]),
        saying_nouns=_words(raw["saying_nouns"]),
        not_complementiser_after=_words(raw["not_complementiser_after"]),
        clause_openers=_words(raw["clause_openers"]),
        subordinators=_words(raw["subordinators"]),
        subject_lead=_words(raw["subject_lead"]),
        adverbial_heads=_words(raw["adverbial_heads"]) | _words(raw["time_words"]),
        time_words=_words(raw["time_words"]),
        object_pronouns=_words(raw["object_pronouns"]),
        conduit_heads=_words(conduits["heads"]),
        conduit_particles=_words(conduits["particles"]),
        relay_verbs=_words(conduits["relay_verbs"]),
        relay_phrases=_phrases(raw["relay_phrases"]),
        audiences=_phrases(raw["audiences"]),
        aside_phrases=_phrases(raw["aside_phrases"]),
        described_by=_words(raw.get("described_by")),
        name_compounds=_words(raw["name_compounds"]),
        statement_nouns=_stems(conduits["statement_nouns"]),
        media=_stems(conduits["media"]),
        named_in_marks=_words(raw["named_in_marks"]),
        groups=_by_form(raw["groups"], lambda e: GroupNoun(
            frozenset(e["roles"]), _stems(e["words"]), frozenset(e["kinds"]))),
        anaphors=_by_form(raw["anaphors"], lambda e: Anaphor(_stems(e["match"]), frozenset(e["kinds"]))),
        counterparts=_words(raw["counterparts"]),
        statement_subjects=_words(raw["statement_subjects"]),
        speaker_heads=_words(raw["speaker_heads"]),
        honorifics=_words(raw["honorifics"]),
        name_particles=_words(raw["name_particles"]),
        office_nouns=_words(raw["office_nouns"]),
        definite_adjectives=_words(raw["definite_adjectives"]),
        honorific_titles=_words(raw["honorific_titles"]),
        honorific_pronouns=_words(raw["honorific_pronouns"]),
        first_person=_words(raw["first_person"]),
        confidence={k: float(v) for k, v in (raw.get("confidence") or {}).items()},
        feminine_heads=_words(raw["gender"]["feminine_heads"]),
        masculine_heads=_words(raw["gender"]["masculine_heads"]),
        plural_heads=_words(raw["gender"]["plural_heads"]),
        feminine_speakers=frozenset(raw["gender"]["feminine_speakers"]),
        government_heads=_words(raw["government_heads"]),
        not_speaker_words=_words(raw["not_speakers"]["words"]),
        not_speaker_clitics=_words(raw["not_speakers"]["clitics"]),
        clitic_stems=_words(raw["not_speakers"].get("clitic_stems")),
        clitic_masdars=_measures(raw["not_speakers"].get("clitic_masdars")),
        clitic_places=_words(raw["not_speakers"].get("clitic_places")),
        speaker_ends=_words(raw["not_speakers"]["ends_at"]),
        impersonal_to=_words(raw["impersonal_to"]),
        not_speaker_things=_words(raw["not_speakers"]["things"]),
        not_names=_words(raw["not_speakers"].get("not_names")),
        prayers=_words(raw["not_speakers"].get("prayers")),
        cited_speakers=_words(raw["not_speakers"]["cited"]),
        possessed_persons=_words(raw["not_speakers"].get("possessed_persons")),
        content_enders=_words(raw["content_enders"]),
        setting_heads=_words(raw["setting_heads"]),
        preposition_objects=_words(raw["preposition_objects"]),
        namesake_heads=_words(raw.get("namesake_heads")),
        namesake_titles=_words(raw.get("namesake_titles")),
        quantifiers=_words(raw["quantifiers"]),
        partitive_quantifiers=_words(raw["partitive_quantifiers"]),
        min_quote_words=int(raw["min_quote_words"]),
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon of ``rag/resources/reporting.yaml``, loaded once per process."""
    return load_lexicon(DEFAULT_PATH)
