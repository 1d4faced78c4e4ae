"""`luoshi extract FILE|DIR --format json|xlsx|md [-o OUT]`."""
from __future__ import annotations

import argparse
import os
import sys

from . import extract_file
from .errors import ExtractError
from .export import to_json, to_markdown, to_xlsx

_EXTS = (".txt", ".html", ".htm", ".docx", ".pdf")


def _files(path: str) -> list[str]:
    out = []
    for root, _dirs, names in os.walk(path):
        for n in sorted(names):
            if n.lower().endswith(_EXTS):
                out.append(os.path.join(root, n))
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="luoshi extract",
                                 description="Extract a task ledger (台账) from speeches and work plans.")
    ap.add_argument("path", help="a .txt/.html/.docx/.pdf file or a directory of them")
    ap.add_argument("--format", choices=["json", "xlsx", "md"], default="json")
    ap.add_argument("-o", "--output", help="output file (required for xlsx; default stdout)")
    a = ap.parse_args(argv)

    if a.format == "xlsx" and not a.output:
        print("error: --format xlsx needs -o OUT.xlsx", file=sys.stderr)
        return 2
    results = []
    if os.path.isdir(a.path):
        files = _files(a.path)
        try:
            from tqdm import tqdm

            it = tqdm(files, desc="extract", unit="file", file=sys.stderr)
        except ImportError:  # pragma: no cover
            it = files
        failed = 0
        for f in it:
            try:
                results.append(extract_file(f))
            except ExtractError as exc:
                failed += 1
                print(f"warning: {f}: {exc.message_en}", file=sys.stderr)
        if not results and failed:
            print("error: no readable input files", file=sys.stderr)
            return 1
    else:
        try:
            results.append(extract_file(a.path))
        except ExtractError as exc:
            print(f"error: {exc.message_en}", file=sys.stderr)
            return 1
        except MemoryError:
            print("error: input too large to process", file=sys.stderr)
            return 1

    if a.format == "xlsx":
        to_xlsx(results, a.output)
        return 0
    if a.format == "json":
        if len(results) == 1 and not os.path.isdir(a.path):
            out = to_json(results[0])
        else:
            import json

            out = json.dumps({"schema": "luoshi.extract/1", "results": results}, ensure_ascii=False, indent=1)
    else:
        out = to_markdown(results)
    if a.output:
        with open(a.output, "w", encoding="utf-8") as fh:
            fh.write(out + "\n")
    else:
        sys.stdout.write(out + "\n")
    return 0
