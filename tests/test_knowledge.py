"""The resource loader: every file of rag/resources/ has its shape, and a file that does not
is refused with its name and the key."""
import pytest

from rag import knowledge
from rag.errors import ResourceError


@pytest.mark.parametrize("name", sorted(knowledge.SHAPES))
def test_every_resource_file_has_its_shape(name):
    assert knowledge.load(name)


@pytest.mark.parametrize("text, message", [
    ("en: [a]\nar: [في]\n", "stopwords.yaml: missing key 'prepositions'"),
    ("en: [a, on]\nar: [في]\nprepositions: [في]\n", "stopwords.yaml: en[1]: expected a string, got true or false"),
    ("en: [a]\nar: في\nprepositions: [في]\n", "stopwords.yaml: ar: expected a list, got a string"),
    ("en: [a]\nar: [في]\nprepositions: [في]\nverbs: []\n", "stopwords.yaml: unknown key 'verbs' (known: en, ar, prepositions)"),
    ("en: [a\n", "stopwords.yaml: cannot be read"),
])
def test_a_file_without_its_shape_names_the_file_and_the_key(tmp_path, text, message):
    path = tmp_path / "stopwords.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResourceError) as error:
        knowledge.load_file(path, knowledge.Stopwords)
    assert str(error.value).startswith(message)


def test_nested_entries_are_checked_down_to_their_keys(tmp_path):
    path = tmp_path / "reporting.yaml"
    path.write_text("verbs:\n  - past: قال\n    content: that\nrelay_phrases: []\nconduits: {}\ngroups: []\n"
                    "anaphors: []\nblockers: [لا]\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"^reporting.yaml: verbs\[0\].content: expected a list, got a string$"):
        knowledge.load_file(path, knowledge.Reporting)
    path.write_text(path.read_text(encoding="utf-8").replace("content: that", "content: [that]")
                    .replace("blockers: [لا]", "blockers: 3"), encoding="utf-8")
    with pytest.raises(ResourceError, match=r"^reporting.yaml: blockers: expected a list, got an integer$"):
        knowledge.load_file(path, knowledge.Reporting)  # a word list the shape does not name is still checked
