"""Attribution as ingest runs it: page furniture is not attributed, spans index the original text."""
import pytest

from rag import extract_quotes
from rag.attribute.article import article_quotes
from rag.config import SEEDS_DIR

CAPTIONED = ("قال وزير الخارجية الروسي سيرغي لافروف إن المحادثات كانت مثمرة (الصورة: رويترز)\n"
             "اقرأ أيضا:\n"
             "وأكد لافروف أن العلاقات مع الصين في أفضل حالاتها على الإطلاق.\n")


def test_a_photo_caption_is_not_attributed_and_spans_stay_in_the_original():
    raw = extract_quotes(CAPTIONED)
    assert any("الصورة" in q.text for q in raw)  # read raw, the caption is a statement
    quotes = article_quotes(CAPTIONED)
    assert [(q.speaker.id, q.text) for q in quotes] == [("sergei-lavrov", "العلاقات مع الصين في أفضل حالاتها على الإطلاق")]
    [q] = quotes
    assert CAPTIONED[q.start:q.end] == q.text and CAPTIONED[q.cue_start:].startswith("وأكد")


@pytest.mark.parametrize("path", sorted(SEEDS_DIR.glob("*.txt")), ids=lambda p: p.name[:3])
def test_clean_articles_give_the_same_statements(path):
    text = path.read_text(encoding="utf-8")
    assert article_quotes(text) == extract_quotes(text)
