"""``Rebuilt``: built once however many threads ask, and never kept stale."""
import threading
import time

from rag.lazy import Rebuilt


def test_threads_asking_together_share_one_build():
    builds = []

    def build():
        builds.append(1)
        time.sleep(0.2)
        return object()

    value = Rebuilt(build)
    got = []
    threads = [threading.Thread(target=lambda: got.append(value.get())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and len({id(v) for v in got}) == 1


def test_a_build_overtaken_by_a_change_serves_its_caller_but_is_not_kept():
    started, release, versions = threading.Event(), threading.Event(), iter(["before", "after"])

    def build():
        version = next(versions)
        if version == "before":
            started.set()
            release.wait(5)
        return version

    value = Rebuilt(build)
    first = []
    builder = threading.Thread(target=lambda: first.append(value.get()))
    builder.start()
    started.wait(5)
    value.invalidate()  # the index changed while the first build was reading it
    release.set()
    builder.join()
    assert first == ["before"] and value.get() == "after" and value.get() == "after"


def test_invalidate_forgets_the_value():
    counter = iter(range(10))
    value = Rebuilt(lambda: next(counter))
    assert value.get() == value.get() == 0
    value.invalidate()
    assert value.get() == 1
