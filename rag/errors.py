"""Every error Qawl raises on purpose; each message says what went wrong and how to fix it."""
from __future__ import annotations


def first_line(error: Exception) -> str:
    """The first line of an error's message (library errors run to pages), or its type's name."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class QawlError(Exception):
    """Base class: catch this to handle any Qawl failure."""


class SettingError(QawlError, ValueError):
    """A setting or option holds a value Qawl does not know; the message lists the valid ones."""


class ResourceError(QawlError, ValueError):
    """A file of ``rag/resources/`` does not have the shape Qawl reads; the message names the file and the key."""


class LoadError(QawlError):
    """A file could not be read as articles (binary, undecodable, malformed, too large...)."""

    def __init__(self, path: str, reason: str, *, empty: bool = False):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        # An empty record inside a collection (a JSON array, a zip) is skipped, not a failure:
        # real corpora carry some, and they should not fail a whole ingest.
        self.empty = empty


class ModelNotAvailable(QawlError):
    """The embedding model is not on this machine, and nothing may be downloaded at run time."""


class IndexUnavailable(QawlError):
    """The Chroma index cannot be opened, reached or written."""


class IndexLocked(IndexUnavailable):
    """Another process is writing to the same embedded index."""


class QuestionError(QawlError):
    """The question cannot be answered as asked (empty, too long...)."""
