"""Score the plan reader on folders of golden files: precision and recall per field (docs/reader-scoring.md).

    .venv/bin/python benchmarks/reader_accuracy.py tests/corpus tests/golden [--verbose] [--json]

Prints the same table as ``binhdang parse --score DIR``: one line per field with precision, recall, the golden
count and the read count; ``--verbose`` adds, per document, every missed and wrong item. Sources are looked up
beside the golden files, then in ``../shared/corpus`` (docs/reader-scoring.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from binhdang.docparse.scoring.golden import GoldenError  # noqa: E402
from binhdang.docparse.scoring.match import score_folders  # noqa: E402
from binhdang.docparse.scoring.report import render_table, render_verbose  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", type=Path, nargs="+", metavar="DIR")
    parser.add_argument("--verbose", action="store_true", help="list missed and wrong items per document")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    try:
        score = score_folders(args.dirs)
    except GoldenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(score.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(render_table(score))
    if args.verbose:
        print(render_verbose(score))
    return 0


if __name__ == "__main__":
    sys.exit(main())
