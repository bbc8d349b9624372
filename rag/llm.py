"""Optional LLM phrasing of extractive answers, never trusted blindly.

Split as in spacy-llm: a versioned prompt template (``resources/prompts/answer_v1.txt``), a
prompt builder (``build_messages``), a response checker (``verify_llm_text``) and the model,
any LangChain chat model (``chat_model_from_setting`` builds one from ``QAWL_LLM``).

The checker's policy, applied by ``phrase_answer``:

- Every quotation — text inside «…», “…” or "…", and in an answer not written in Arabic any
  unquoted run of ``ARABIC_RUN_WORDS`` or more Arabic words — must be an exact substring, after
  trimming whitespace, of a cited source's quote, passage or title; of the source named by the
  nearest ``[n]`` on its line when there is one, so that words cannot move to another speaker.
- A translation is free text only when labelled as one: ``(translation: …)``.
- One unverifiable quotation makes the whole answer fall back to the extractive one. Cutting
  the quotation out instead would leave a sentence that still claims someone said something.
- The answer must cite only existing sources, cite at least one and quote at least one
  verbatim; and it must repeat neither an instruction planted in an article (see
  ``resources/llm.yaml``) nor any word the instruction asks for that the sources do not
  otherwise contain.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import Runnable

from .errors import QawlError
from .knowledge import load, resource_path
from .arabic import ARABIC_WORD, TEXT_END, has_arabic, normalize, tokenize
from .types import Answer, Citation

PROMPT = "answer_v1"
PROVIDERS = {"ollama": "langchain-ollama", "openai": "langchain-openai"}  # QAWL_LLM provider → its package
LANGUAGES = {"en": "English", "ar": "Arabic"}
ARABIC_RUN_WORDS = 4  # unquoted Arabic this long, in an English answer, is a quotation

_MARKER = re.compile(r"\[(\d+)\]")
_QUOTATION = re.compile(r"«([^«»]*)»|“([^“”]*)”|\"([^\"\n]*)\"")
_ARABIC_RUN = re.compile(rf"{ARABIC_WORD.pattern}(?:[ \t\d٠-٩،؛,:.\-]+{ARABIC_WORD.pattern})*")
_QUOTE_MARK = re.compile(r"[\"“”«»]")


@dataclass(frozen=True)
class Quotation:
    """A quotation in a model's answer: ``answer[start:end]``, marks included; ``text`` is what
    the marks enclose, trimmed."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class VerifiedText:
    """A model's answer and the verdict of ``verify_llm_text`` on it."""

    text: str
    ok: bool
    reason: str  # "verified", or why the text may not be shown
    quotations: tuple[str, ...] = ()
    cited: tuple[int, ...] = ()  # the [n] numbers in the order written


@dataclass(frozen=True)
class Planted:
    """An instruction planted in source ``n``: its trigger phrase and the words it asks for (tokens)."""

    n: int
    sentence: str  # normalised
    trigger: tuple[str, ...]
    request: tuple[str, ...]


# -- the model -----------------------------------------------------------------------------


def chat_model_from_setting(setting: str) -> BaseChatModel:
    """The chat model named by a ``QAWL_LLM`` value, ``ollama:<model>`` or ``openai:<model>``
    (``OPENAI_BASE_URL`` points ``openai`` at any OpenAI-compatible server)."""
    provider, _, model = setting.strip().partition(":")
    provider = provider.lower()
    if provider not in PROVIDERS or not model:
        raise QawlError(
            f"QAWL_LLM={setting!r} names no chat model: use ollama:<model> (e.g. ollama:qwen2.5) "
            "or openai:<model> (e.g. openai:gpt-4o-mini, with OPENAI_BASE_URL for another server)."
        )
    package = PROVIDERS[provider]
    try:
        importlib.import_module(package.replace("-", "_"))
    except ImportError as error:
        raise QawlError(f"QAWL_LLM={setting!r} needs the {package} package: pip install {package}") from error
    from langchain.chat_models import init_chat_model  # slow to import: only when a model is wanted

    try:
        return init_chat_model(model, model_provider=provider, **_provider_options(provider))
    except Exception as error:  # every provider raises its own errors (missing key, bad URL...)
        raise QawlError(f"QAWL_LLM={setting!r}: the chat model could not be created: {error}") from error


def _provider_options(provider: str) -> dict:
    options: dict = {"temperature": 0}  # the same sources should give the same answer
    base_url = os.environ.get("OPENAI_BASE_URL")
    if provider == "openai" and base_url:
        options["base_url"] = base_url
        # Local OpenAI-compatible servers accept any key, but the client refuses to start without one.
        options["api_key"] = os.environ.get("OPENAI_API_KEY") or "unused"
    return options


# -- the prompt ----------------------------------------------------------------------------


@lru_cache(maxsize=4)
def load_prompt(version: str = PROMPT) -> dict[str, str]:
    """The sections of a versioned prompt template: ``system``, ``source`` (one per citation), ``user``."""
    text = resource_path(f"prompts/{version}.txt").read_text(encoding="utf-8")
    parts = re.split(r"^=== (\w+) ===\n", text, flags=re.M)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2])}


def build_messages(question: str, answer: Answer, lang: str) -> list[BaseMessage]:
    """System and user messages asking a model to phrase ``answer`` in ``lang`` ("en" or "ar").

    The citations travel as numbered data between fences that article text cannot forge: the
    fence is a hash of the data itself.
    """
    prompt = load_prompt()
    fence = _fence(question, answer.citations)
    values = {"fence": fence, "count": len(answer.citations), "language": LANGUAGES[lang], "question": question}
    sources = "\n\n".join(
        prompt["source"].format(n=n, fence=fence, **_source_fields(c)) for n, c in enumerate(answer.citations, 1)
    )
    return [SystemMessage(prompt["system"].format(**values)), HumanMessage(prompt["user"].format(sources=sources, **values))]


def _fence(question: str, citations: Sequence[Citation]) -> str:
    digest = hashlib.sha256(question.encode())
    for text in (t for c in citations for t in _source_texts(c)):
        digest.update(b"\x00" + text.encode())
    return digest.hexdigest()[:16]


def _source_fields(citation: Citation) -> dict[str, str]:
    unknown = "unknown"
    return {
        "speaker": citation.speaker,
        "speaker_ar": citation.speaker_ar,
        "title": citation.title or unknown,
        "outlet": citation.source or unknown,
        "date": citation.date.isoformat() if citation.date else unknown,
        "quote": citation.quote,
        "passage": citation.passage,
    }


def _source_texts(citation: Citation) -> tuple[str, ...]:
    """The cited texts a quotation may come from."""
    return citation.quote, citation.passage, citation.title or ""


# -- the checker ---------------------------------------------------------------------------


def verify_llm_text(text: str, citations: Sequence[Citation], *, lang: str = "en") -> VerifiedText:
    """Check a model's answer against the ``citations`` it was given (policy: module docstring)."""
    text = text.strip()
    cited = tuple(int(n) for n in _MARKER.findall(text))
    quotations = find_quotations(text, lang)
    reason = (
        ("empty answer" if not text else None)
        or _echoed_instruction(text, citations)
        or _bad_citations(cited, len(citations))
        or _misquoted(text, quotations, citations)
        or ("quotes no source verbatim" if citations and not quotations else None)
    )
    return VerifiedText(text, reason is None, reason or "verified", tuple(q.text for q in quotations), cited)


def find_quotations(text: str, lang: str) -> list[Quotation]:
    """Every quotation in ``text``: the marked ones outside labelled translations and, when
    ``lang`` is not Arabic, unquoted runs of ``ARABIC_RUN_WORDS`` or more Arabic words."""
    visible = _blank(text, [m.span() for m in _translations().finditer(text)])
    marked = list(_QUOTATION.finditer(visible))
    found = [Quotation(m.start(), m.end(), next(g for g in m.groups() if g is not None).strip()) for m in marked]
    if lang != "ar":
        unquoted = _blank(visible, [m.span() for m in marked])
        found += [
            Quotation(m.start(), m.end(), m.group())
            for m in _ARABIC_RUN.finditer(unquoted)
            if len(ARABIC_WORD.findall(m.group())) >= ARABIC_RUN_WORDS
        ]
    return sorted((q for q in found if q.text), key=lambda q: q.start)


def planted_instructions(citations: Sequence[Citation]) -> list[Planted]:
    """Instructions addressed to a language model inside the cited texts."""
    planted = []
    for n, citation in enumerate(citations, 1):
        for text in _source_texts(citation):
            planted += [_planted(n, match) for match in _injection()["triggers"].finditer(normalize(text))]
    return planted


def _planted(n: int, trigger: re.Match) -> Planted:
    text = trigger.string
    end = TEXT_END.search(text, trigger.end())
    rest = text[trigger.end():end.start() if end else len(text)]
    request = _injection()["requests"].search(rest)
    asked = _QUOTE_MARK.split(rest[request.end():])[0] if request else ""
    return Planted(
        n=n,
        sentence=text[trigger.start():trigger.end() + len(rest)],
        trigger=tuple(tokenize(trigger.group())),
        request=tuple(tokenize(asked)),
    )


def _echoed_instruction(text: str, citations: Sequence[Citation]) -> str | None:
    planted = planted_instructions(citations)
    if not planted:
        return None
    words = tokenize(text)
    # Words of a requested text that also occur in the articles' own reporting prove nothing.
    elsewhere = {
        w for c in citations for t in _source_texts(c) for w in tokenize(_without(normalize(t), planted))
    }
    for instruction in planted:
        if _contains(words, instruction.trigger):
            return f"repeats an instruction planted in source [{instruction.n}]"
        if (set(instruction.request) - elsewhere) & set(words):
            return f"writes what an instruction planted in source [{instruction.n}] asks for"
    return None


def _bad_citations(cited: tuple[int, ...], count: int) -> str | None:
    wrong = [n for n in cited if not 1 <= n <= count]
    if wrong:
        return f"cites [{wrong[0]}], but there are only {count} sources"
    if count and not cited:
        return "cites no source"
    return None


def _misquoted(text: str, quotations: list[Quotation], citations: Sequence[Citation]) -> str | None:
    markers = [(m.start(), m.end(), int(m.group(1))) for m in _MARKER.finditer(text)]
    for quotation in quotations:
        n = _nearest_marker(text, quotation, markers)
        pool = citations[n - 1:n] if n else citations
        if not any(quotation.text in source for c in pool for source in _source_texts(c)):
            return f"quotation not found verbatim in {f'source [{n}]' if n else 'any source'}: «{quotation.text}»"
    return None


def _nearest_marker(text: str, quotation: Quotation, markers: list[tuple[int, int, int]]) -> int | None:
    """The ``[n]`` closest to ``quotation`` on its own line, before or after it."""
    line_start = text.rfind("\n", 0, quotation.start) + 1
    line_end = text.find("\n", quotation.end)
    if line_end < 0:
        line_end = len(text)
    gaps = [
        (quotation.start - end if end <= quotation.start else start - quotation.end, n)
        for start, end, n in markers
        if line_start <= start and end <= line_end and (end <= quotation.start or start >= quotation.end)
    ]
    return min(gaps)[1] if gaps else None


# -- the whole step ------------------------------------------------------------------------


def phrase_answer(answer: Answer, model: Runnable) -> Answer:
    """``answer`` phrased by ``model`` (a chat model, or any Runnable from messages to a message
    or a string) when the result passes ``verify_llm_text``, else ``answer``'s extractive text.

    Either way a new ``Answer`` with the same ``Citation`` objects, whose ``parsed["llm"]``
    says whether the model's text was used and why.
    """
    if "llm" in answer.parsed:  # already phrased (or tried) once: do not pay for a second model call
        return answer
    if not answer.citations:
        return _with_llm(answer, answer.text, False, "no citations to phrase")
    lang = answer.parsed.get("lang") or ("ar" if has_arabic(answer.question) else "en")
    try:
        reply = model.invoke(build_messages(answer.question, answer, lang))
    except Exception as error:  # a model that fails (server down, timeout...) must not lose the answer
        return _with_llm(answer, answer.text, False, f"model error: {error}")
    verified = verify_llm_text(reply if isinstance(reply, str) else reply.text, answer.citations, lang=lang)
    return _with_llm(answer, verified.text if verified.ok else answer.text, verified.ok, verified.reason)


def _with_llm(answer: Answer, text: str, used: bool, reason: str) -> Answer:
    parsed = {**answer.parsed, "llm": {"used": used, "reason": reason, "prompt": PROMPT}}
    return Answer(answer.question, answer.found, text, list(answer.citations), parsed)


# -- helpers -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _rules() -> dict:
    return load("llm")


@lru_cache(maxsize=1)
def _translations() -> re.Pattern:
    labels = "|".join(re.escape(label) for label in _rules()["translation_labels"])
    return re.compile(rf"\(\s*(?:{labels})\s*:[^)]*\)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _injection() -> dict[str, re.Pattern]:
    rules = _rules()["injection"]
    verbs = "|".join(re.escape(v) for v in rules["requests"])
    return {
        "triggers": re.compile("|".join(f"(?:{p})" for p in rules["triggers"])),
        # An Arabic verb may carry the conjunction و/ف; the requested text may open with : or a quote mark.
        "requests": re.compile(rf"\b(?:[وف])?(?:{verbs})\b(?:\s+with)?\s*:?\s*[\"“«]?"),
    }


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` replaced by spaces, so offsets stay valid."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _without(text: str, planted: list[Planted]) -> str:
    for instruction in planted:
        text = text.replace(instruction.sentence, " ")
    return text


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return bool(size) and any(tuple(words[i:i + size]) == phrase for i in range(len(words) - size + 1))
