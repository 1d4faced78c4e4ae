"""Benchmark: extraction throughput vs jieba tokenisation on the same text.

    .venv/bin/python3 bench/extract_bench.py [--corpus ../shared/corpus]

Prints a table and writes bench/results/extract_bench.json (gitignored).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from luoshi.extract import extract_text  # noqa: E402


def measure(fn, text):
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    fn(text)
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # second, untraced run for speed (tracemalloc slows Python code down)
    t0 = time.perf_counter()
    fn(text)
    dt = min(dt, time.perf_counter() - t0)
    return dt, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(HERE.parent.parent / "shared" / "corpus"))
    ap.add_argument("--synthetic-mb", type=float, default=5.0)
    a = ap.parse_args()
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    files = sorted(Path(a.corpus).glob("*.txt"))
    corpus = "\n".join(f.read_text(encoding="utf-8") for f in files)
    target = int(a.synthetic_mb * 1024 * 1024 / 3)  # ~3 bytes per CJK char in UTF-8
    synthetic = (corpus * (target // max(len(corpus), 1) + 1))[:target]
    rows = []
    for name, text in (("corpus", corpus), (f"synthetic {a.synthetic_mb:g}MB", synthetic)):
        ex_t, ex_mem = measure(lambda t: extract_text(t, "bench"), text)
        jb_t, jb_mem = measure(lambda t: sum(1 for _ in jieba.cut(t)), text)
        rows.append({"input": name, "chars": len(text),
                     "extract_chars_per_s": round(len(text) / ex_t), "extract_peak_mb": round(ex_mem / 2**20, 1),
                     "jieba_chars_per_s": round(len(text) / jb_t), "jieba_peak_mb": round(jb_mem / 2**20, 1),
                     "speedup_vs_jieba": round(jb_t / ex_t, 2)})
    hdr = f"{'input':16s} {'chars':>10s} {'extract c/s':>12s} {'peak MB':>8s} {'jieba c/s':>11s} {'peak MB':>8s} {'x jieba':>8s}"
    print(hdr)
    for r in rows:
        print(f"{r['input']:16s} {r['chars']:10d} {r['extract_chars_per_s']:12d} {r['extract_peak_mb']:8.1f} "
              f"{r['jieba_chars_per_s']:11d} {r['jieba_peak_mb']:8.1f} {r['speedup_vs_jieba']:8.2f}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / ".gitignore").write_text("*\n")
    (out / "extract_bench.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
