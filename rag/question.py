"""Read a question: who is asked about, on what topic, with which limits, in which language.

``parse_question`` is pure: it needs the speaker registry and, to recognise outlets, the
outlet names the index holds. Patterns live in ``rag/resources/questions.yaml``.
"""
from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import QuestionError
from .arabic import has_arabic, name_key, normalize, normalize_with_offsets
from .knowledge import load
from .speakers import KnownSpeakers, RowsOfForms, SpeakerRegistry
from .types import Intent, Speaker, _jsonable

if TYPE_CHECKING:
    from .topic import Topic

MAX_QUESTION_CHARS = 2000
# Each name the registry does not know is matched against every speaker it holds (tens of
# milliseconds): "What did a and a and a… say" would otherwise cost seconds per question.
MAX_NAMED_SPEAKERS = 10


@dataclass(frozen=True)
class Asked:
    """One "who" of a question: a named speaker, or — asked by title («وزير الخارجية الصيني»,
    "the Saudi foreign minister") — every holder of that title, each only for what they said
    while in office (``tenures``: speaker id → (start, end or None))."""

    label: str
    speakers: tuple[Speaker, ...]
    tenures: tuple[tuple[str, dt.date, dt.date | None], ...] = ()
    # (speaker id, name): a speaker the index knows by part of the asked name only («الشيشكلي»
    # for «أديب الشيشكلي») is that person only in articles that give the name in full
    named_as: tuple[tuple[str, str], ...] = ()

    def full_name_needed(self, speaker_id: str) -> str | None:
        """The (normalised) name an article must hold for ``speaker_id``'s quotes there to count."""
        return next((name for sid, name in self.named_as if sid == speaker_id), None)

    def allows(self, speaker_id: str, date: dt.date | None) -> bool:
        """Whether a quote of ``speaker_id`` dated ``date`` is this speaker's (in office, for a title).
        An undated quote counts for every holder: the article named them, and nothing says
        they were out of office."""
        periods = [(start, end) for sid, start, end in self.tenures if sid == speaker_id]
        if not self.tenures or date is None:
            return True
        return any(start <= date and (end is None or date <= end) for start, end in periods)


@dataclass(frozen=True)
class ParsedQuestion:
    """What a question asks. ``asked`` are resolved; ``unresolved`` are names we could not place."""

    question: str
    lang: str  # "ar" | "en"
    intent: Intent
    asked: tuple[Asked, ...] = ()
    unresolved: tuple[str, ...] = ()
    topic: str | None = None
    source: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    addressee: str | None = None  # who the speaker spoke to ("what did X tell Y")
    setting: str | None = None  # where or when ("at the joint press conference with Y")
    reporter: str | None = None  # who reported the statement ("according to X, who said…")
    context: tuple[str, ...] = ()  # names in those roles: never taken for the asked speaker
    candidates: tuple[Speaker, ...] = ()  # when the asked speaker is ambiguous: whom to pick from
    kept: tuple[str, ...] = ()  # roles a follow-up took from the previous question ("speaker", "topic"…)

    def __post_init__(self):
        object.__setattr__(self, "intent", Intent.parse(self.intent, "intent"))

    @property
    def speakers(self) -> tuple[Speaker, ...]:
        return tuple(s for a in self.asked for s in a.speakers)

    def to_dict(self) -> dict:
        return _jsonable({
            "question": self.question,
            "lang": self.lang,
            "intent": self.intent,
            "asked": [a.label for a in self.asked],
            "speakers": [{"id": s.id, "name_en": s.name_en, "name_ar": s.name_ar} for s in self.speakers],
            "unresolved": list(self.unresolved),
            "topic": self.topic,
            "source": self.source,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "addressee": self.addressee,
            "setting": self.setting,
            "reporter": self.reporter,
            "context": list(self.context),
            "candidates": [{"id": s.id, "name_en": s.name_en, "name_ar": s.name_ar} for s in self.candidates],
            "kept": list(self.kept),
        })


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = load("questions")
    data["compiled"] = [
        (entry["intent"], entry.get("elliptic", False), [re.compile(p) for p in entry["patterns"]])
        for entry in data["intents"]
    ]
    data["separator"] = re.compile("|".join(data["speaker_separators"]))
    data["filter_res"] = {k: [re.compile(p) for p in v] for k, v in data["filters"].items()}
    data["role_res"] = {k: [re.compile(p) for p in ([v] if isinstance(v, str) else v)] for k, v in data["roles"].items()}
    return data


def parse_question(
    question: str,
    *,
    registry: SpeakerRegistry,
    sources: Iterable[str] = (),
    known_speakers: KnownSpeakers | Iterable[Speaker] = (),
    previous: ParsedQuestion | None = None,
) -> ParsedQuestion:
    """Parse ``question`` (English or Arabic). ``known_speakers`` lets non-registry speakers
    found in the index be recognised by their names; ``sources`` are the index's outlets.

    Roles: the asked speaker is the subject of the speech verb (several only when coordinated,
    "X and Y"); names in an addressee ("tell Y"), a setting ("at the press conference with Y")
    or a reporter ("according to Y") are context. ``previous``, the question before in the same
    conversation, lends its speaker or topic to a follow-up that leaves it out ("And about Iran?")."""
    question = check_question(question)
    lang = "ar" if has_arabic(question) else "en"
    text = _strip_punctuation(normalize(question))
    text, follow_up = _take_follow_up_marker(text)
    text, limits = _take_filters(text, list(sources))
    text, roles = _take_leading_roles(text)
    text, roles = _take_trailing_roles(text, roles)
    intent, slots, elliptic = _match_intent(text)
    known = _known(known_speakers)
    candidates: list[Speaker] = []
    slots = _representative_region(_unmarked_object(_without_pronoun(slots), registry, known))
    x, roles = _split_slot(slots.get("x"), slots, roles, registry)
    if intent in ("who_said", "who_spoke") or (x is None and slots.get("topic")):
        asked, unresolved = [], []  # nobody asked, or a follow-up that leaves the speaker out
    elif x is None:
        asked, unresolved, candidates = _speaker_of_speech_verb(text, registry)
    else:
        asked, unresolved = _resolve(x, text, registry, known, as_written=_as_written(x, question))
        asked = [_with_full_name(a, known) for a in asked]
    if intent == "what_said" and len(asked) > 1:
        intent = "compare"
    topic = slots.get("topic") or slots.get("content")
    topic, roles = _split_topic(topic.strip() if topic else None, roles)
    if slots.get("setting"):
        roles["setting"] = slots["setting"].strip()
    if slots.get("prep") == "في" and topic:
        # «في تجمع انتخابي عن حل الدولتين»: where, then what about; «في الكويت»: where only
        where, about = _setting_then_topic(topic)
        if about:
            topic, roles = about, {**roles, "setting": where}
        elif _is_place(topic, registry):
            topic, roles = None, {**roles, "setting": topic}
    roles = _outlet_out_of_setting(roles)
    topic = _headed(_as_written(slots.get("asked_for"), question), _as_written(topic, question))
    parsed = ParsedQuestion(
        question=question,
        lang=lang,
        intent=intent,
        asked=tuple(asked),
        unresolved=tuple(unresolved),
        topic=topic,
        candidates=tuple(candidates),
        context=_context_names(roles, registry),
        **roles,
        **limits,
    )
    if previous is not None and (follow_up or _is_elliptic(parsed)):
        parsed = _follow_up(parsed, previous, registry, known, own_intent=not elliptic)
    return parsed


def restore_parsed(parsed: dict, *, registry: SpeakerRegistry,
                   known_speakers: KnownSpeakers | Iterable[Speaker] = ()) -> ParsedQuestion:
    """A question as ``ParsedQuestion.to_dict`` gave it (``Answer.parsed``), its speakers
    resolved again from their labels: what a follow-up keeps of the previous question."""
    known = _known(known_speakers)
    asked, pending = [], []
    for label in parsed.get("asked") or []:
        found = _resolve(label, label, registry, known)[0]
        asked += found
        pending += [] if found else [label]
    # the speakers the question was answered for, by id: a description resolved through the
    # articles («مدير فريق العين الإماراتي») or in the question's context does not resolve alone
    by_id = {s.id: s for s in known.speakers}
    answered = [by_id[s["id"]] for s in parsed.get("speakers") or [] if s["id"] in by_id]
    labels = parsed.get("asked") or []
    if answered and len(labels) == 1 and {s.id for a in asked for s in a.speakers} != {s.id for s in answered}:
        asked = [Asked(labels[0], tuple(answered))]
    elif pending:
        covered = {s.id for a in asked for s in a.speakers}
        rest = [s for s in answered if s.id not in covered]
        if rest:
            asked.append(Asked(pending[0], tuple(rest)))
    dates = {key: dt.date.fromisoformat(parsed[key]) if isinstance(parsed.get(key), str) else parsed.get(key)
             for key in ("date_from", "date_to")}
    return ParsedQuestion(question=parsed.get("question", ""), lang=parsed.get("lang", "en"),
                          intent=parsed.get("intent", "what_said"), asked=tuple(_unique_asked(asked)),
                          topic=parsed.get("topic"), source=parsed.get("source"), **dates)


def _representative_region(slots: dict) -> dict:
    """«عضو مجلس الشورى عن منطقة القصيم عن …»: the region belongs to the speaker's description."""
    rules = _rules()["role_res"]
    x, topic = slots.get("x"), slots.get("topic")
    if slots.get("prep") != "عن" or not x or not topic or not rules["representative"][0].search(x):
        return slots
    match = rules["region_after_an"][0].match(topic)
    if not match:
        return slots
    return {**slots, "x": f"{x} عن {match['region']}", "topic": match["topic"]}


def _take_follow_up_marker(text: str) -> tuple[str, bool]:
    """``text`` without a leading "and"/و that marks a follow-up, and whether there was one."""
    for pattern in _rules()["role_res"]["follow_up"]:
        match = pattern.match(text)
        if match:
            return text[match.end():], True
    return text, False


def _headed(asked_for: str | None, topic: str | None) -> str | None:
    """A thing asked for ("what figure", «ما الهدف») heads the topic: "figure for unemployment"."""
    if not asked_for:
        return topic
    return f"{asked_for} {topic}" if topic else asked_for


def _take_trailing_roles(text: str, roles: dict) -> tuple[str, dict]:
    """A trailing «…، بحسب ما قال لصحيفة عكاظ»: the outlet the speaker told is the addressee
    (as in «ماذا قال X لعكاظ»), and the clause is no part of the topic or the speaker."""
    for pattern in _rules()["role_res"]["told_outlet_after"]:
        match = pattern.search(text)
        if match and match.start() > 0:
            return text[:match.start()].strip(), {**roles, "addressee": match["addressee"].strip()}
    return text, roles


def _without_pronoun(slots: dict) -> dict:
    """"What did he say about …": a pronoun names nobody; the speaker is left out (a follow-up)."""
    x = slots.get("x")
    if x and _rules()["role_res"]["pronoun_speaker"][0].match(x.strip()):
        return {k: v for k, v in slots.items() if k != "x"}
    return slots


def _unmarked_object(slots: dict, registry: SpeakerRegistry, known: KnownSpeakers) -> dict:
    """Slots where no word parts the speaker from what follows («كيف روى الوزير الدباشي اكتشاف
    المخطط», «بماذا طالب الطلاب خادم الحرمين الشريفين») cut where the speaker ends: what
    follows is the topic (``x_object``) or whom they addressed (``x_addressee``)."""
    slots = dict(slots)
    for kind, role in (("x_object", "topic"), ("x_addressee", "addressee")):
        if kind in slots:
            x, rest = _speaker_then_rest(slots.pop(kind), registry, known, object_words=kind == "x_object")
            slots["x"] = x
            if rest:
                slots[role] = rest if role == "addressee" or not slots.get(role) else f"{rest} {slots[role]}"
    return slots


def _speaker_then_rest(text: str, registry: SpeakerRegistry, known: KnownSpeakers, *,
                       object_words: bool) -> tuple[str, str | None]:
    """``text`` split after the speaker: after a registry name or title it starts with («الرئيس
    الأمريكي باراك أوباما الاتفاق النووي»); else before a title that follows other words — an
    office is not a speaker's apposition to a description («طلاب جامعة نجران خادم الحرمين»);
    else, for what was spoken of (``object_words``), where the words turn from a name to a new
    phrase: a word without «ال» after one with it, not a first name («… الدباشي اكتشاف …»),
    or a word with «ل» attached («… فيصل العلوي للفريق»). Nothing to cut: all of it is the speaker."""
    titles = [(s, e) for s, e, _ in registry.titles_in(text)]
    mentions = registry.find_mentions(text)
    at_start = [e for s, e in titles + [(m.start, m.end) for m in mentions] if s == 0]
    if at_start:
        end = max(at_start)
        return text[:end].strip(), text[end:].strip() or None
    later = sorted(s for s, _ in titles + [(m.start, m.end) for m in mentions if m.by_title]
                   if s > 0 and text[s - 1] == " ")
    if later:
        return text[:later[0]].strip(), text[later[0]:].strip()
    if not object_words:
        return text, None
    words = text.split()
    cut = _object_start(words, registry, known)
    if cut is None:
        return text, None
    return " ".join(words[:cut]), " ".join(words[cut:])


MIN_SPEAKER_WORDS = 2  # a speaker cut from an unmarked object has at least this many words


def _object_start(words: list[str], registry: SpeakerRegistry, known: KnownSpeakers) -> int | None:
    """Where a phrase spoken of starts after a speaker described in ``words`` (see ``_speaker_then_rest``)."""
    not_a_start = _rules()["role_res"]["not_an_object_start"][0]
    first_names = _first_names(registry, known)
    for i in range(MIN_SPEAKER_WORDS, len(words)):
        word, before = words[i], words[i - 1]
        if not_a_start.match(word) or word in first_names:
            continue
        if word.startswith("ل") and not word.startswith("لا"):
            return i  # «للفريق», «لعدد الإصابات»
        if before.startswith("ال") and not word.startswith(("ال", "و", "ب", "ف")):
            return i  # «الدباشي اكتشاف»
    return None


# per index (its KnownSpeakers, while it lives): (the registry, the first names)
_FIRST_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _first_names(registry: SpeakerRegistry, known: KnownSpeakers) -> frozenset[str]:
    """First words of the persons' Arabic names that have two words or more (registry and
    index), normalised: «رافع الرويلي» goes on a name at «رافع», no phrase starts there."""
    cached = _FIRST_NAMES.get(known)
    if cached is None or cached[0] is not registry:
        names = [s.name_ar for s in [*registry.all(), *known.speakers] if s.kind == "person"]
        words = [_name_key_words(name) for name in names if name]
        cached = (registry, frozenset(w[0] for w in words if len(w) > 1))
        _FIRST_NAMES[known] = cached
    return cached[1]


def _take_leading_roles(text: str) -> tuple[str, dict]:
    """A leading setting clause and "according to X," (X not an outlet), as roles."""
    roles: dict = {}
    for kind in ("reporter", "leading_setting"):
        for pattern in _rules()["role_res"][kind]:
            match = pattern.match(text)
            if match:
                key = "setting" if kind == "leading_setting" else kind
                roles[key] = match[key].strip()
                text = text[match.end():]
                break
    return text, roles


def _accredited_to(x: str, match: re.Match) -> bool:
    """«ممثل الائتلاف السوري لدى دول الخليج», «سفير الصين لدى الأمم المتحدة»: لدى after an envoy's
    office is where the envoy is accredited — part of the description, not where they spoke."""
    return match.group().strip() == "لدي" and bool(_rules()["role_res"]["accredited"][0].search(x[:match.start()]))


def _split_slot(x: str | None, slots: dict, roles: dict, registry: SpeakerRegistry) -> tuple[str | None, dict]:
    """The speaker slot cut where an addressee or a setting begins ("X to Y", «X للرئيس…», "X
    during…") — never inside a name or title ("the UN envoy to Yemen"); an addressee the
    pattern named goes to the roles too."""
    roles = dict(roles)
    if slots.get("addressee"):
        addressee, roles = _split_topic(slots["addressee"].strip(), roles)
        roles["addressee"] = addressee
    if not x:
        return x, roles
    mentions = registry.find_mentions(x)
    names = [(s, e) for s, e, _ in registry.titles_in(x)] + [(m.start, m.end) for m in mentions]
    # «بلاتر لبوتين»: a later name with ل attached is whom the speaker spoke to
    cuts = [(m.start - 2, "addressee_in_slot", None) for m in mentions
            if m.start >= 2 and x[m.start - 1] == "ل" and x[m.start - 2] == " "]
    cuts += [(start, "addressee_in_slot", None) for start in _outlet_cuts(x) + _addressee_cuts(x, registry)]
    for kind in ("addressee_in_slot", "setting_in_slot"):
        for pattern in _rules()["role_res"][kind]:
            for match in pattern.finditer(x):
                if match.start() > 0 and not any(s <= match.start() + 1 < e for s, e in names) \
                        and not _accredited_to(x, match):
                    cuts.append((match.start(), kind, match))
                    break
    if not cuts:
        return x, roles
    start, kind, _ = min(cuts, key=lambda c: c[0])
    rest = x[start:].strip()
    if kind == "addressee_in_slot":
        rest, roles = _split_topic(rest, roles)
        rest, roles = _setting_after_addressee(rest, roles)
        roles.setdefault("addressee", rest)
    else:
        roles.setdefault("setting", rest)
    return x[:start].strip(), roles


def _setting_after_addressee(addressee: str, roles: dict) -> tuple[str, dict]:
    """«للصحافيين لدى وصوله إلى عدن»: whom the speaker told, then where (a setting)."""
    for pattern in _rules()["role_res"]["setting_in_slot"]:
        match = pattern.search(addressee)
        if match and match.start() > 0:
            where = roles.get("setting") or addressee[match.start():].strip()
            return addressee[:match.start()].strip(), {**roles, "setting": where}
    return addressee, roles


def _outlet_out_of_setting(roles: dict) -> dict:
    """«… في الأحساء لصحيفة الوطن», «… لدى دول الخليج لعكاظ»: the outlet told, found in what was
    taken for the setting, is the addressee; the setting is what comes before it."""
    setting = roles.get("setting")
    cuts = [c for c in _outlet_cuts(setting) if c > 0] if setting else []
    if not cuts or roles.get("addressee"):
        return roles
    at = min(cuts)
    return {**roles, "setting": setting[:at].strip(), "addressee": setting[at:].strip()}


def _outlet_cuts(x: str) -> list[int]:
    """Where an outlet the speaker spoke to begins in the speaker slot: «… لصحيفة المدينة»,
    «… لعكاظ», «… للشرق الأوسط» (ل + a question alias of outlets.yaml)."""
    cuts = [m.start() for p in _rules()["role_res"]["outlet_in_slot"] for m in p.finditer(x) if m.start() > 0]
    for alias in _outlet_aliases():
        attached = "لل" + alias[2:] if alias.startswith("ال") else "ل" + alias
        at = f" {x} ".find(f" {attached} ")
        if at > 0:
            cuts.append(at - 1)
    return cuts


def _addressee_cuts(x: str, registry: SpeakerRegistry) -> list[int]:
    """«… للرئيس المصري»: ل attached to a registry title or name starts an addressee; «رئيس
    اللجنة التنفيذية للانتخابات» is one description."""
    cuts = []
    for pattern in _rules()["role_res"]["the_in_slot"]:
        for match in pattern.finditer(x):
            rest = "ال" + x[match.end():]
            if match.start() > 0 and (registry.titles_in(rest) or registry.find_mentions(rest)):
                cuts.append(match.start())
    return cuts


@lru_cache(maxsize=1)
def _outlet_aliases() -> tuple[str, ...]:
    """The outlets' Arabic question aliases, normalised («عكاظ», «الشرق الاوسط»)."""
    names = [a for o in _outlets() for a in [*o["aliases"], *o.get("question_aliases", [])] if has_arabic(a)]
    return tuple(dict.fromkeys(normalize(n) for n in names))


def _split_topic(topic: str | None, roles: dict) -> tuple[str | None, dict]:
    """A setting after the topic ("… about Sinai during the visit") goes to the roles; one that
    describes the thing spoken of ("the memoranda signed at the conference") stays in the topic."""
    if not topic:
        return topic, roles
    participle = _rules()["role_res"]["described_by_setting"][0]
    for pattern in _rules()["role_res"]["setting_after_topic"]:
        match = pattern.search(topic)
        if match and match.start() > 0 and not participle.search(topic[:match.start()]):
            return topic[:match.start()].strip(), {**roles, "setting": roles.get("setting") or topic[match.end():].strip()}
    return topic, roles


def _context_names(roles: dict, registry: SpeakerRegistry) -> tuple[str, ...]:
    """Registry names and titles that stand in the addressee, setting and reporter roles."""
    names = []
    for key in ("addressee", "setting", "reporter"):
        if roles.get(key):
            names += [m.speaker.name_en for m in registry.find_mentions(roles[key])]
    return tuple(dict.fromkeys(names))


def _speaker_of_speech_verb(text: str, registry: SpeakerRegistry) -> tuple[list[Asked], list[str], list[Speaker]]:
    """No pattern named the speaker: one name is the speaker; of several, the one next to a
    speech verb ("did Kerry say", «قال كيري»), also when there is one name and a speech verb
    elsewhere («بماذا طالب طلاب الجامعة خادم الحرمين»: the king is addressed, not speaking);
    otherwise nobody, and the names are candidates to pick from — guessing could cite the
    wrong person."""
    mentions = [m for m in registry.find_mentions(text)]
    people = list({m.speaker.id: m for m in mentions}.values())
    verbs = [m for pattern in _rules()["role_res"]["speech_verb"] for m in pattern.finditer(text)]
    if len(people) <= 1 and not verbs:
        asked, unresolved = _resolve(None, text, registry, KnownSpeakers(()))
        return asked, unresolved, []
    near = [m for m in people if any(_adjacent(text, m, v) for v in verbs)]
    if len({m.speaker.id for m in near}) == 1:
        return [Asked(near[0].surface, (near[0].speaker,))], [], []
    return [], [], [m.speaker for m in people]


def _adjacent(text: str, mention, verb: re.Match) -> bool:
    """A speech verb right before the name (Arabic: «قال كيري») or right after it ("Kerry said"),
    with at most one word between."""
    before = text[verb.end():mention.start].split() if verb.end() <= mention.start else None
    after = text[mention.end:verb.start()].split() if mention.end <= verb.start() else None
    return (before is not None and len(before) <= 1) or (after is not None and len(after) <= 1)


def _is_elliptic(parsed: ParsedQuestion) -> bool:
    """A question that leaves out its speaker ("What about Iran?")."""
    return not parsed.asked and not parsed.unresolved and not parsed.candidates and parsed.intent not in (
        "who_said", "who_spoke")


def _follow_up(parsed: ParsedQuestion, previous: ParsedQuestion, registry: SpeakerRegistry,
               known: KnownSpeakers, *, own_intent: bool = False) -> ParsedQuestion:
    """A follow-up keeps what it leaves out of the previous question: the speaker when it names
    none, the topic when it names a speaker only ("And Lavrov?"); a topic that is itself a
    person the previous question did not ask about switches the speaker ("What about Lavrov?").
    A follow-up that states its own verb («وهل تحدث عن …») keeps its intent (``own_intent``);
    one that states a topic only ("And about Iran?") asks as the previous question did."""
    kept = []
    asked, topic, intent = parsed.asked, parsed.topic, parsed.intent
    switched = _person_topic(topic, registry) if topic and not asked and previous.topic else None
    if switched is not None:
        asked, topic = (switched,), None
    if not asked and not parsed.unresolved and previous.asked:
        asked, kept = previous.asked, kept + ["speaker"]
        if not own_intent:
            intent = previous.intent if previous.intent not in ("who_said", "who_spoke") else "what_said"
    if topic is None and previous.topic:
        topic, kept = previous.topic, kept + ["topic"]
    limits = {}
    for key in ("source", "date_from", "date_to"):
        if getattr(parsed, key) is None and getattr(previous, key) is not None:
            limits[key] = getattr(previous, key)
    if intent == "compare" and len(asked) < 2:
        intent = "what_said"
    return replace(parsed, asked=asked, topic=topic, intent=intent, kept=tuple(kept), **limits)


def _setting_then_topic(text: str) -> tuple[str, str | None]:
    """«تجمع انتخابي عن حل الدولتين» → (the setting, the topic after عن/حول/بشأن), or (text, None)."""
    match = re.search(r"\s(?:عن|حول|بشان|بخصوص)\s", text)
    return (text[:match.start()].strip(), text[match.end():].strip()) if match else (text, None)


def _is_place(text: str, registry: SpeakerRegistry) -> bool:
    """The text is one country's name and nothing else («في الكويت»: where, not what about)."""
    mentions = registry.find_mentions(text)
    return len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(text) \
        and mentions[0].speaker.kind == "country"


def _person_topic(topic: str, registry: SpeakerRegistry) -> Asked | None:
    """The topic names exactly one person of the registry, and nothing else."""
    mentions = registry.find_mentions(topic)
    if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(topic) \
            and mentions[0].speaker.kind == "person":
        return Asked(mentions[0].surface, (mentions[0].speaker,))
    return None


def _as_written(slot: str | None, question: str) -> str | None:
    """A slot as the question wrote it: matching folds letters (ة→ه, أ→ا, capitals), but the
    embedding reads the words as written, and an English capital marks a name (Aden, Pollard).
    Falls back to the slot as matched."""
    if not slot:
        return slot
    folded, offsets = normalize_with_offsets(question)
    gap = r"[\s?؟!.«»\"“”]+"
    pattern = gap.join(re.escape(word) for word in slot.split())
    match = re.search(pattern, folded)
    if not match:
        return slot
    return question[offsets[match.start()]:offsets[match.end() - 1] + 1]


def check_question(question: object) -> str:
    """The question stripped, or a ``QuestionError`` saying what is wrong with it."""
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("The question is empty: ask, for example, “What did Wang Yi say about Ukraine?”")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"The question is longer than {MAX_QUESTION_CHARS:,} characters: shorten it.")
    return question.strip()


def _strip_punctuation(text: str) -> str:
    text = re.sub(r"[?؟!.«»\"“”]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _take_filters(text: str, sources: list[str]) -> tuple[str, dict]:
    """Remove year and outlet limits from the question text and return them as filters."""
    rules = _rules()["filter_res"]
    limits: dict = {}
    for pattern in rules["day"]:
        match = pattern.search(text)
        day = match and _day(match)
        if day:
            limits["date_from"] = limits["date_to"] = day
            text = (text[: match.start()] + " " + text[match.end():]).strip()
            break
    for kind in ("since", "before", "year"):
        for pattern in rules[kind]:
            match = pattern.search(text)
            if match and not limits.get("date_from") and not limits.get("date_to"):
                year = int(match["year"])
                if kind in ("year", "since"):
                    limits["date_from"] = dt.date(year, 1, 1)
                if kind in ("year", "before"):
                    limits["date_to"] = dt.date(year, 12, 31) if kind == "year" else dt.date(year - 1, 12, 31)
                text = (text[: match.start()] + " " + text[match.end():]).strip()
    for pattern in rules["source"]:
        match = pattern.search(text)
        outlet = match and _known_outlet(match["source"], sources)
        if outlet:
            limits["source"] = outlet
            # A leading "According to X," goes alone; a trailing one takes the rest of the line.
            text = text[match.end():] if match.start() == 0 else text[: match.start()]
            break
    return re.sub(r"\s+", " ", text), limits


_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")


@lru_cache(maxsize=1)
def _month_numbers() -> dict[str, int]:
    """Month names (English, and every Arabic form in dates.yaml), normalised, to numbers."""
    arabic = load("dates")["months"]
    months = {name: i for i, name in enumerate(_EN_MONTHS, 1)} | {name[:3]: i for i, name in enumerate(_EN_MONTHS, 1)}
    months.update({normalize(name): int(n) for n, names in arabic.items() for name in names})
    return months


def _day(match: re.Match) -> dt.date | None:
    month = _month_numbers().get(match["month"])
    try:
        return dt.date(int(match["year"]), month, int(match["day"])) if month else None
    except ValueError:
        return None


def _outlet_key(name: str) -> str:
    return re.sub(r"[^\w]|_", "", normalize(name))


def _known_outlet(mention: str, sources: list[str]) -> str | None:
    """The index outlet a mention names («العربي», "Al-Araby"), via outlets.yaml aliases."""
    key = _outlet_key(mention)
    by_key = {_outlet_key(s): s for s in sources}
    if key in by_key:
        return by_key[key]
    for outlet in _outlets():
        names = [outlet["name"], *outlet.get("ids", [])]
        if key in {_outlet_key(a) for a in [*outlet["aliases"], *outlet.get("question_aliases", []), *names]}:
            in_index = [by_key[_outlet_key(n)] for n in names if _outlet_key(n) in by_key]
            return in_index[0] if in_index else outlet["name"]
    return None


def outlet_spoken_to(addressee: str | None, sources: list[str]) -> str | None:
    """The index outlet an addressee is, when the speaker spoke to a newspaper («لصحيفة الوطن»,
    "Okaz"): the statement is that outlet's own, so its articles are where it is."""
    if not addressee:
        return None
    mention = re.sub(r"^ل(?:ل|ـ)?(?=\w{3})", "", normalize(addressee).strip())
    for candidate in (mention, _rules()["role_res"]["outlet_medium"][0].sub("", mention)):
        outlet = _known_outlet(candidate, sources)
        if outlet in sources:
            return outlet
    return None


@lru_cache(maxsize=1)
def _outlets() -> list[dict]:
    return load("outlets")["outlets"]


def _match_intent(text: str) -> tuple[str, dict, bool]:
    """The intent, the named groups of the first pattern that matches, and whether its wording
    states a topic only (``elliptic``)."""
    for intent, elliptic, patterns in _rules()["compiled"]:
        for pattern in patterns:
            match = pattern.match(text)
            if match:
                return intent, {k: v for k, v in match.groupdict().items() if v}, elliptic
    return "what_said", {}, False


def _resolve(
    x: str | None, text: str, registry: SpeakerRegistry, known: KnownSpeakers, *, as_written: str | None = None,
) -> tuple[list[Asked], list[str]]:
    """Who a question asks about. Registry names and titles are found wherever they stand
    (in the speaker slot ``x`` when a pattern gave one, else anywhere in the question); a
    title means every holder of it, each for their time in office. Names the registry does
    not know are split off ``x`` («X وY», "X and Y") and matched against the index's own
    speakers, transliteration-aware."""
    where = x or text
    titles = registry.titles_in(where)
    asked = [
        Asked(m.surface, (m.speaker,))
        for m in registry.find_mentions(where)
        if not (m.by_title and any(s <= m.start < e for s, e, _ in titles))
        and not (m.speaker.kind in ("country", "institution") and _names_an_office(where, m, titles))
        and not _after_attached_preposition(where, m.start)
        and not _names_a_place(where, m.start)
    ]
    for start, end, title_id in titles:
        if any(a.label == where[start:end] or where[start:end] in a.label for a in asked):
            continue  # the title stands next to a name: the name decides
        holders = registry.holders(title_id)
        if holders:
            asked.append(Asked(where[start:end], tuple(dict.fromkeys(s for s, _ in holders)),
                               tuple((s.id, t.start, t.end) for s, t in holders)))
    if x and len(asked) == 1 and asked[0].speakers[0].kind != "person" and not asked[0].tenures:
        # "the Taliban's former mufti, Mullah Hassan": the person named, not the movement
        mention = next((m for m in registry.find_mentions(where) if m.surface == asked[0].label), None)
        if mention and _names_an_office(where, mention, titles):
            person = named_within(x, registry, known, as_written=as_written)
            if person is not None:
                return [person], []
            if any(normalize(" ".join(run)) not in mention.surface for run in _capitalised_runs(as_written or "")):
                return [], [x]  # a person named whom the index does not know: not the movement's words
    joined = _and_within_a_name(as_written)  # "the Saudi Food and Drug Authority": one name
    names = ([x] if joined else _split_speakers(x)) if x else []
    if asked and x and not joined and len(names) <= MAX_NAMED_SPEAKERS:
        # «X وY», "X and his adviser Y": a part no registry name covers is one of the index's speakers
        asked += [a for part in names if not any(a.label in part for a in asked)
                  for a in [_resolve_part(part, registry, known, as_written)] if a is not None]
    if asked or not x:
        return _unique_asked(asked), []
    # (a country's office is left to the registry, see described_speaker)
    whole = None if registry.names_a_country(x) else (
        registry.match_known(x, known) or described_speaker(x, registry, known))
    if whole is not None:  # "the Saudi Food and Drug Authority" is one speaker, not two
        return [Asked(x, (whole,))], []
    if len(names) > MAX_NAMED_SPEAKERS:
        raise QuestionError(
            f"The question names {len(names)} speakers: ask about at most {MAX_NAMED_SPEAKERS} at a time.")
    if len(names) > 1 and re.search(r"\band\b|\sو", x):
        # "the federation's president Mohammed Islam and board member Abdulrahman Al-Masaad": each
        # part its own speaker, when every part is one
        parts = [_resolve_part(name, registry, known, as_written) for name in names]
        if all(parts):
            return _unique_asked(parts), []
    within = named_within(x, registry, known, as_written=as_written)
    if within is not None:  # «ممثل الائتلاف السوري أديب الشيشكلي»: a title, then the person's name
        return [within], []
    unresolved: list[str] = []
    for name in names:
        speaker = _index_speaker(name, registry, known)
        if speaker is None:
            unresolved.append(name)
        else:
            asked.append(Asked(name, (speaker,)))
    if unresolved and len(names) > 1 and not re.search(r",|،|\band\b", x):
        # «نائب وزير…» is not «نائب» and «زير…»: a split that leaves a part unplaced was no list of names
        return [], [x]
    return _unique_asked(asked), unresolved


MIN_DESCRIPTION_WORDS = 2
FAMILY_NAME_MIN = 0.85  # an English family name and an index speaker's one-word name sound this alike
NAME_WORDS = (3, 2)  # how many last words of a description may be the person's name, longest first


def named_within(description: str, registry: SpeakerRegistry, known: KnownSpeakers, *,
                 as_written: str | None = None) -> Asked | None:
    """The person a description ends with, or begins with before «من/في»: «ممثل الائتلاف السوري
    أديب الشيشكلي», «إيمان فلاتة من مبادرة بلدي», "the dismissed Nineveh governor Atheel
    al-Nujaifi". The index may know them by that name, by a longer one (with their title), or
    by their family name alone («الشيشكلي», as articles call a person after the first mention):
    a speaker known by the family name only counts in articles that give the name in full.
    English names are matched by sound (``SpeakerRegistry.match_known``), then found the same
    way through the Arabic name they matched."""
    windows, words, by_family = [], None, None
    for window in _name_windows(description, as_written):
        if has_arabic(" ".join(window)):
            words = set(_name_key_words(description))
        else:
            speaker = registry.match_known(" ".join(window), known)
            if speaker is None or speaker.kind != "person":
                family = _known_by_family_name(window, registry, known)
                if family and by_family is None:  # "Atheel al-Nujaifi", quoted as «النجيفي» only
                    by_family = Asked(description, tuple(family), named_as=tuple((s.id, " ".join(window)) for s in family))
                continue
            window = _name_key_words(speaker.name_ar)[-max(NAME_WORDS):]
        windows.append(_name_key_words(" ".join(window)))
    for full_only in (True, False):
        for window in windows:
            full, partial = _holders_of_name(window, known, words)
            if full or (partial and not full_only):
                speakers = tuple(dict.fromkeys([*full, *partial]))
                name = " ".join(window[-2:])
                return Asked(description, speakers, named_as=tuple((s.id, name) for s in partial))
    # a family name only when no run of the description names someone in full: "Osama Filali of
    # the National Hajj Committee" is Filali, not a «الحاج» the index knows by one word
    return by_family


def _known_by_family_name(name: list[str], registry: SpeakerRegistry, known: KnownSpeakers) -> list[Speaker]:
    """Persons the index knows by one word only that sounds like the family name of an English
    ``name`` ("al-Nujaifi" → «النجيفي»); the article check (``Asked.named_as``) does the rest.
    Nobody when the word names a place or body the registry knows ("Tunisia"), or sounds like
    several different words the index knows ("Hassan": «حسين», «حسان»): sound alone cannot say which."""
    if registry.find_mentions(name[-1]):
        return []
    index, owners = registry.known_names(known)
    found = list(dict.fromkeys(
        owners[i] for i, _ in index.similar(name[-1], FAMILY_NAME_MIN)
        if owners[i].kind == "person" and owners[i].id not in known.hidden and len(_name_key_words(owners[i].name_ar)) == 1))
    words = {_name_key_words(s.name_ar)[0].removeprefix("ال") for s in found}
    return found if len(words) == 1 else []


def _name_windows(description: str, as_written: str | None) -> list[list[str]]:
    """Word runs of ``description`` that may be a person's name, longest first: its last words,
    and the words before an affiliation («… من مبادرة بلدي», "… of the National Hajj
    Committee"). In English only capitalised runs ("Atheel al-Nujaifi") count."""
    if has_arabic(description):
        parts = [description, *re.split(r"\s(?:من|في|ب)\s", description)[:1]]
        runs = [part.split() for part in parts]
    else:
        runs = _capitalised_runs(as_written or description)
    windows: list[list[str]] = []
    for run in runs:
        for n in NAME_WORDS:
            if len(run) >= n and run[-n:] not in windows:
                windows.append(run[-n:])
    return windows


_NAME_PARTICLES = {"al", "el", "bin", "bint", "ibn", "abu", "abd", "de", "van", "von", "ben"}


def _capitalised_runs(text: str) -> list[list[str]]:
    """Runs of capitalised words (with name particles: al-, bin, Abu) in an English description."""
    runs, run = [], []
    for word in re.findall(r"[\w'’-]+", text):
        head = word.split("-")[0].lower()
        if word[:1].isupper() or (run and head in _NAME_PARTICLES):
            run.append(word)
        else:
            if len(run) >= 2:
                runs.append(run)
            run = []
    if len(run) >= 2:
        runs.append(run)
    return runs


def _holders_of_name(window: list[str], known: KnownSpeakers,
                     description: set[str] | None = None) -> tuple[list[Speaker], list[Speaker]]:
    """Index speakers named ``window`` (normalised words, at least two): ``full`` — whose name
    ends with it and whose other words (a title) are all in the ``description`` asked, or
    whose name has its first and last words (a middle name left out) — and ``partial`` —
    persons known by its last word alone (the family name). The title check keeps «رئيس
    الاتحاد السعودي لكرة القدم» from answering for «رئيس الاتحاد البنمي لكرة القدم»."""
    full, partial = [], []
    if len(window) < 2 or window[0].startswith("ل"):
        # «… لكرة القدم»: a name that starts with ل is rarer than a phrase with ل, "for"
        return full, partial
    for i in _by_last_word(known).get(window[-1], ()):
        speaker = known.speakers[i]
        name = _name_key_words(speaker.name_ar)
        if len(name) > 1 and name[0].startswith("ل"):
            continue  # «لجوازات منطقة الجوف» is a phrase an extraction took for a name
        # a person's name («عبدالله المغلوث») whatever title the index has with it; words that
        # are no name («منطقة الجوف») only with a title the question gives too
        titled = name[-len(window):] == window and (
            description is None or _first_name_like(window[0]) or set(name) <= description)
        if titled or (len(window) == 2 < len(name) <= 4 and name[0] == window[0] and _first_name_like(window[0])):
            full.append(speaker)
        elif len(name) == 1 and len(window) == 2 and speaker.kind == "person" and _first_name_like(window[0]):
            partial.append(speaker)
    return full, partial


def _first_name_like(word: str) -> bool:
    """A first name has no article or attached preposition: «للانتخابات البلدية», «لنادي
    الأهلي» are no «first name + family name»."""
    return not word.startswith(("ال", "لل", "بال"))


def _name_key_words(name: str) -> list[str]:
    return name_key(name).split()


FAMILY_SHARE = 0.8


def _with_full_name(asked: Asked, known: KnownSpeakers) -> Asked:
    """A person asked by the family name the index also knows alone («بلاتر») is the person the
    index quotes, almost always, under a full name ending with it («سيب بلاتر»): articles name a
    person in full once, then by the family name. When no full name holds ``FAMILY_SHARE`` of
    the statements under full names with that family name («أحمد الجبير», «فهد الجبير»), the
    family name does not say who, and only the speaker asked is."""
    if len(asked.speakers) != 1 or asked.tenures:
        return asked
    speaker = asked.speakers[0]
    words = _name_key_words(speaker.name_ar)
    if speaker.kind != "person" or not speaker.id.startswith("ar:") or len(words) != 1:
        return asked
    full = {}
    for i in _by_last_word(known).get(words[0], ()):
        other = known.speakers[i]
        name = _name_key_words(other.name_ar)
        if other.kind == "person" and 2 <= len(name) <= 4 and _first_name_like(name[0]):
            full.setdefault(" ".join(name), other)
    counts = {name: known.quotes.get(other.id, 0) for name, other in full.items()}
    best = max(counts, key=counts.get, default=None)
    if best is None or counts[best] < FAMILY_SHARE * sum(counts.values()):
        return asked
    return replace(asked, speakers=(speaker, full[best]))


def _by_last_word(known: KnownSpeakers) -> dict[str, list[int]]:
    """Last word of each index speaker's Arabic name → the speakers (built once per ``known``)."""
    if known.last_words is None:
        index: dict[str, list[int]] = {}
        for i, speaker in enumerate(known.speakers):
            words = _name_key_words(speaker.name_ar)
            if words and speaker.id not in known.hidden:
                index.setdefault(words[-1], []).append(i)
        known.last_words = index
    return known.last_words


def described_speaker(description: str, registry: SpeakerRegistry, known: KnownSpeakers) -> Speaker | None:
    """The index speaker a description names, in either language: «المستشار القانوني لنادي
    الأهلي», "the Tunisian interior ministry" (its words translated through the glossaries) —
    the one speaker whose Arabic name holds every content word of it, the tightest such name
    if several do and it is the only one that tight. None when the description has fewer than
    ``MIN_DESCRIPTION_WORDS`` content words, a word that cannot be translated, names a
    country's office, or no single speaker fits: a guess could cite the wrong person."""
    from .topic import parse_topic

    if registry.names_a_country(description):
        # A country's office («نائب وزير الخارجية الإيراني») is the registry's to resolve, by its
        # holders and tenures: several people may fit it, and the index names only some by it.
        return None
    topic = parse_topic(description, registry)
    terms = [t for t in topic.terms if t.alternatives]
    if len(terms) < MIN_DESCRIPTION_WORDS or topic.untranslated or len(terms) < len(topic.terms):
        return None
    words = _speaker_words(known)
    fits = None
    for term in terms:
        having = set()
        for phrase in term.alternatives:
            rows = None
            for word in phrase:
                hits = set().union(*(words.get(f, ()) for f in word))
                rows = hits if rows is None else rows & hits
            having |= rows or set()
        fits = having if fits is None else fits & having
        if not fits:
            return None
    by_length = sorted(fits, key=lambda i: len(known.speakers[i].name_ar.split()))
    tightest = [i for i in by_length if len(known.speakers[i].name_ar.split())
                == len(known.speakers[by_length[0]].name_ar.split())]
    return known.speakers[tightest[0]] if len(tightest) == 1 else None


def _speaker_words(known: KnownSpeakers) -> RowsOfForms:
    """Word form → the index speakers whose Arabic name holds it (built once per ``known``, unless
    the saved catalogue brought it: ``QuoteCatalog.speaker_forms``)."""
    if known.words is None:
        from .topic import stems

        words: dict[str, set[int]] = {}
        for i, speaker in enumerate(known.speakers):
            for word in stems(speaker.name_ar):
                for form in word:
                    words.setdefault(form, set()).add(i)
        known.words = words
    return known.words


def _after_attached_preposition(text: str, start: int) -> bool:
    """The name carries a preposition («لبوتين», «بكيري»): whom something was said to or about."""
    return start >= 1 and text[start - 1] in "لبك" and (start == 1 or text[start - 2] == " ")


def _names_a_place(text: str, start: int) -> bool:
    """The name at ``start`` follows «جامعة», «مستشفى», "University of"…: it names a place or
    an institution («بجامعة الملك عبدالعزيز»), and the person is not the one asked about."""
    return any(p.search(text[:start]) for p in _rules()["role_res"]["named_after"])


def _names_an_office(where: str, mention, titles: list[tuple[int, int, str]]) -> bool:
    """An office word outside the mention and outside any known title stands in ``where``:
    the country describes an office-holder ("Oman's foreign minister") and does not speak."""
    for pattern in _rules()["role_res"]["office_word"]:
        for match in pattern.finditer(where):
            inside = any(s <= match.start() < e for s, e, _ in titles)
            if not inside and not (mention.start <= match.start() < mention.end):
                return True
    return False


def _known(speakers: KnownSpeakers | Iterable[Speaker]) -> KnownSpeakers:
    return speakers if isinstance(speakers, KnownSpeakers) else KnownSpeakers(speakers)


def _and_within_a_name(as_written: str | None) -> bool:
    """"the Saudi Food and Drug Authority", "the National Hajj and Umrah Committee": "and"
    inside a capitalised name that ends with a body's noun joins no two speakers."""
    return bool(as_written) and bool(_rules()["role_res"]["and_within_a_name"][0].search(as_written))


def _index_speaker(name: str, registry: SpeakerRegistry, known: KnownSpeakers) -> Speaker | None:
    """The one speaker ``name`` names: in the registry, among the index's speakers by name or
    sound, or an index speaker whose name holds the whole description."""
    return registry.lookup(name) or registry.match_known(name, known) or described_speaker(name, registry, known)


def _resolve_part(part: str, registry: SpeakerRegistry, known: KnownSpeakers, as_written: str | None) -> Asked | None:
    """One coordinated part of an asked subject: a name the registry or the index knows, a
    description one index speaker's name holds, or a description ending in a person's name."""
    speaker = _index_speaker(part, registry, known)
    if speaker is not None:
        return Asked(part, (speaker,))
    written = None
    if as_written:
        at = as_written.lower().find(part.lower())
        written = as_written[at:at + len(part)] if at >= 0 else None
    return named_within(part, registry, known, as_written=written)


def _unique_asked(asked: list[Asked]) -> list[Asked]:
    return list({tuple(s.id for s in a.speakers): a for a in asked}.values())


def _split_speakers(x: str) -> list[str]:
    parts = [p.strip() for p in _rules()["separator"].split(x) if p and p.strip()]
    return parts or [x]


def with_speaker(
    parsed: ParsedQuestion, name: str, registry: SpeakerRegistry, known: KnownSpeakers | Iterable[Speaker],
) -> ParsedQuestion:
    """``parsed`` with its speakers replaced by the one ``name`` refers to (a UI or API filter)."""
    asked, unresolved = _resolve(name, name, registry, _known(known))
    intent = parsed.intent if parsed.intent in ("what_said", "did_mention") else "what_said"
    return replace(parsed, asked=tuple(asked), unresolved=tuple(unresolved), intent=intent)


MAX_DESCRIBED = 3  # a description fitting more speakers than this asks the user to pick
DESCRIBED_SHARE = 0.25  # …and speakers it fits this much less often than the best are left out


def _as_written_in(label: str, question: str) -> str:
    """``label`` with the capitals the question wrote it with (labels are read in lower case, and
    a capital is what marks a name inside an English description: "Al-Hilal's coach")."""
    lowered = question.lower()
    at = lowered.find(label) if len(lowered) == len(question) else -1
    return question[at:at + len(label)] if at >= 0 else label


def with_described(
    parsed: ParsedQuestion, described: Callable[[Topic], list[tuple[Speaker, int]]], registry: SpeakerRegistry,
) -> ParsedQuestion:
    """``parsed`` with each description the registry and the speakers' names could not place
    («المستشار القانوني لنادي الأهلي», "the Eastern Province civil defence chief") resolved by how
    the articles describe the speakers they name (``described``, the catalogue's): the one to
    ``MAX_DESCRIBED`` speakers it fits, or, when it fits more, candidates to pick from."""
    if parsed.asked or not parsed.unresolved:
        return parsed
    from .topic import parse_description

    asked, unresolved, candidates = [], [], []
    for label in parsed.unresolved:
        description = parse_description(_as_written_in(label, parsed.question), registry)
        if len(description.terms) < MIN_DESCRIPTION_WORDS or description.untranslated:
            unresolved.append(label)
            continue
        found = described(description)
        found = [(s, n) for s, n in found if n >= DESCRIBED_SHARE * found[0][1]] if found else []
        if not found:
            unresolved.append(label)
        elif len(found) <= MAX_DESCRIBED:
            asked.append(Asked(label, tuple(s for s, _ in found)))
        else:
            candidates += [s for s, _ in found[:MAX_DESCRIBED * 2]]
    if candidates and not asked:
        return replace(parsed, unresolved=(), candidates=tuple(dict.fromkeys(candidates)))
    intent = "compare" if parsed.intent == "what_said" and len(asked) > 1 else parsed.intent
    return replace(parsed, asked=tuple(asked), unresolved=tuple(unresolved), intent=intent)
