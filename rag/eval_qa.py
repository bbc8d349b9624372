"""``qawl eval qa``: answer quality on hand-written questions.

Each question names the speaker(s) whose words must be cited and verbatim fragments one
of the cited quotes must contain — or that the answer must abstain. Question sets:

- ``seeds`` and ``saudinewsnet`` (``rag/data/qa_dev.json``): dev questions over the seeds and
  over the 28 articles of the first attribution dev set, each indexed on its own;
- ``full_test`` and ``full_dev`` (``rag/data/qa_full_<split>_*.json``): journalists'
  questions asked of an index of the *whole* SaudiNewsNet archive (``--index``), where every
  other article is a distractor. ``full_test`` is frozen: written by reading only, never tuned on.

A question with ``follow_up_of`` is asked right after that question, as the next turn of one
conversation. Citation precision counts a shown citation as right when it is the asked
speaker's and holds one of the expected fragments (on the topic); ``speaker precision`` only
asks that it be the asked speaker's.
"""
from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .config import SEEDS_DIR, Settings, package_data
from .embed import Embedder
from .errors import QawlError
from .evaluate import GOLD_DIR, shared_corpus_dir
from .load import iter_articles
from .arabic import normalize
from .qawl import Qawl
from .speakers import SpeakerRegistry
from .transliterate import names_match
from .types import Answer, Citation

QA_PATH = package_data("qa_dev.json")  # the qa_full_<split>_*.json sets are read beside it
FULL_SETS = {"full_test": "test", "full_dev": "dev"}  # question set → split of the qa_full_* files
QA_SETS = ("seeds", "saudinewsnet", *FULL_SETS)
SAME_NAME = 0.8  # names_match score at which a gold name and a non-registry speaker are one person


@dataclass
class QAScores:
    name: str
    questions: int = 0
    correct: int = 0
    abstain_expected: int = 0
    abstain_predicted: int = 0
    abstain_correct: int = 0
    citations: int = 0
    asked_speaker_citations: int = 0
    on_topic_citations: int = 0
    wrong_speaker_citations: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.questions if self.questions else 0.0

    @property
    def citation_precision(self) -> float:
        """Shown citations that are the asked speaker's and on the topic (hold an expected fragment)."""
        return self.on_topic_citations / self.citations if self.citations else 1.0

    @property
    def speaker_precision(self) -> float:
        """Shown citations that are the asked speaker's, on the topic or not."""
        return self.asked_speaker_citations / self.citations if self.citations else 1.0

    @property
    def abstention_precision(self) -> float:
        return self.abstain_correct / self.abstain_predicted if self.abstain_predicted else 1.0

    @property
    def abstention_recall(self) -> float:
        return self.abstain_correct / self.abstain_expected if self.abstain_expected else 1.0

    def to_dict(self) -> dict:
        return {
            "questions": self.questions, "accuracy": round(self.accuracy, 4),
            "citation_precision": round(self.citation_precision, 4),
            "speaker_precision": round(self.speaker_precision, 4),
            "abstention_precision": round(self.abstention_precision, 4),
            "abstention_recall": round(self.abstention_recall, 4),
            "wrong_speaker_citations": self.wrong_speaker_citations, "failures": self.failures,
        }


def load_questions(path: Path = QA_PATH) -> list[dict]:
    """The dev questions with what each expects (found or not, speakers, verbatim fragments)."""
    return json.loads(path.read_text(encoding="utf-8"))["questions"]


def full_question_files(split: str) -> list[Path]:
    """The whole-archive question files of one split (``qa_full_<split>_*.json``)."""
    return [path for path in sorted(QA_PATH.parent.glob(f"qa_full_{split}_*.json"))
            if json.loads(path.read_text(encoding="utf-8")).get("split") == split]


def questions_of(name: str) -> list[dict]:
    """The questions of one set (see the module docstring)."""
    if name in FULL_SETS:
        return [q for path in full_question_files(FULL_SETS[name]) for q in load_questions(path)]
    if name not in QA_SETS:
        raise ValueError(f"unknown question set {name!r}; choose from {', '.join(QA_SETS)}")
    return [q for q in load_questions() if q["corpus"] == name]


def score_answer(question: dict, answer: Answer, registry: SpeakerRegistry, scores: QAScores) -> bool:
    """Add one answer to ``scores``; True when it is right."""
    expect = question["expect"]
    scores.questions += 1
    scores.abstain_expected += not expect["found"]
    scores.abstain_predicted += not answer.found
    if not expect["found"]:
        ok = not answer.found
        scores.abstain_correct += ok
    else:
        ok = answer.found and _cited_everyone(expect, answer.citations, registry)
    asked = _identities(expect.get("speakers") or [], registry)
    fragments = list(expect.get("fragments") or []) + [f for fs in (expect.get("fragments_by_speaker") or {}).values()
                                                        for f in fs]
    for citation in answer.citations:
        scores.citations += 1
        if _by(citation, asked):
            scores.asked_speaker_citations += 1
            scores.on_topic_citations += _contains(citation.quote, fragments)
        elif question["intent"] not in ("who_said", "who_spoke_about") and expect["found"]:
            scores.wrong_speaker_citations += 1
    scores.correct += ok
    if not ok:
        cited = "; ".join(f"{c.speaker}: «{c.quote[:50]}»" for c in answer.citations) or answer.text[:120]
        scores.failures.append(f"{question['id']} {question['question']} → {cited}")
    return ok


def _cited_everyone(expect: dict, citations: list[Citation], registry: SpeakerRegistry) -> bool:
    """Every required speaker has a citation that is theirs and contains one of their fragments."""
    if expect.get("fragments_by_speaker"):
        required = {name: frags for name, frags in expect["fragments_by_speaker"].items()}
    else:
        # Any one of the listed speakers, with any one of the fragments, answers the question.
        required = {"|".join(expect["speakers"]): expect["fragments"]}
    for names, fragments in required.items():
        who = _identities(names.split("|"), registry)
        if not any(_by(c, who) and _contains(c.quote, fragments) for c in citations):
            return False
    return True


def _identities(names: Iterable[str], registry: SpeakerRegistry) -> set[str]:
    """Registry ids (or normalised names, for speakers outside the registry) of gold names."""
    out = set()
    for name in names:
        speaker = registry.lookup(name.removesuffix(" (government)"))
        out.add(speaker.id if speaker else f"name:{name}")
    return out


def _by(citation: Citation, identities: set[str]) -> bool:
    """The citation's speaker is one of ``identities``: by registry id, or — for speakers
    outside the registry («بن رودس» for "Ben Rhodes") — by name across scripts."""
    if identities & set(citation.speaker_ids):
        return True
    names = [i.removeprefix("name:") for i in identities if i.startswith("name:")]
    return any(names_match(name, citation.speaker_ar) >= SAME_NAME for name in names)


def _contains(quote: str, fragments: list[str]) -> bool:
    text = " ".join(normalize(quote).split())
    return any(" ".join(normalize(f).split()) in text for f in fragments)


def build_index(corpus: str, root: Path, settings: Settings, *, embedder: Embedder | None = None) -> Qawl:
    """A fresh index of the corpus the questions of ``corpus`` are about (see ``Qawl`` for ``embedder``)."""
    qawl = Qawl(settings=Settings(**{**settings.__dict__, "index": root / corpus, "chroma_url": None}), embedder=embedder)
    if corpus == "seeds":
        qawl.ingest([SEEDS_DIR])
    else:
        gold = json.loads((GOLD_DIR / "saudinewsnet_dev.json").read_text(encoding="utf-8"))["articles"]
        wanted = {a["url"] for a in gold}
        zips = sorted({shared_corpus_dir() / a["zip"] for a in gold})
        articles = (a for a in iter_articles(zips, max_bytes=settings.max_file_bytes)
                    if not isinstance(a, Exception) and a.url in wanted)
        qawl.ingest_articles(articles)
    return qawl


def run_qa_eval(sets: list[str] | None = None, *, settings: Settings | None = None,
                index: Qawl | None = None) -> dict[str, QAScores]:
    """Answer every question of the chosen sets and score them. ``seeds`` and ``saudinewsnet``
    build their own small index; the whole-archive sets are asked of ``index`` (default: all
    sets that can be run — the whole-archive ones only when an index is given)."""
    settings = settings or Settings.from_env()
    for name in sets or ():
        questions_of(name)  # an unknown name fails before any index is built
    if index is None and any(name in FULL_SETS for name in sets or ()):
        raise QawlError("the full_test and full_dev questions are asked of an index of the whole SaudiNewsNet "
                        "archive: pass --index DIR (built by `qawl --index DIR ingest ../shared/corpora/saudinewsnet/`)")
    names = sets or ["seeds", "saudinewsnet", *(FULL_SETS if index is not None else ())]
    registry = SpeakerRegistry.default()
    results = {}
    with tempfile.TemporaryDirectory(prefix="qawl-eval-") as tmp:
        for name in names:
            if name != "seeds" and not shared_corpus_dir().exists():
                continue
            questions = questions_of(name)
            if not questions:
                continue
            qawl = index if name in FULL_SETS else build_index(name, Path(tmp), settings)
            results[name] = score_questions(questions, qawl, registry, QAScores(name))
    return results


def score_questions(questions: list[dict], qawl: Qawl, registry: SpeakerRegistry, scores: QAScores) -> QAScores:
    """Ask each question — a follow-up right after the question it follows, as one conversation —
    and score its answer."""
    answers: dict[str, Answer] = {}
    for question in questions:
        previous = answers.get(question.get("follow_up_of") or "")
        answers[question["id"]] = answer = qawl.ask(question["question"], previous=previous)
        score_answer(question, answer, registry, scores)
    return scores


def format_qa_table(results: dict[str, QAScores]) -> str:
    """A plain-text table of the scores, one row per set."""
    rows = ["set            questions  accuracy  cit.prec  spk.prec  abst.P  abst.R  wrong-speaker"]
    for name, s in results.items():
        rows.append(f"{name:<14} {s.questions:>9}  {s.accuracy:>8.3f}  {s.citation_precision:>8.3f}  "
                    f"{s.speaker_precision:>8.3f}  {s.abstention_precision:>6.3f}  {s.abstention_recall:>6.3f}  "
                    f"{s.wrong_speaker_citations:>13}")
    return "\n".join(rows)
