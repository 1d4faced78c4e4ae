"""Benchmark: extraction throughput vs jieba tokenisation on the same text.

    .venv/bin/python3 bench/extract_bench.py [--corpus ../shared/corpus] [--synthetic-mb 5]

Goals (checked, printed as PASS/FAIL lines, exit status 1 on any FAIL):
- speed: the whole extraction at least 2.5x as fast as jieba merely tokenising the
  same text, in the same run, on the corpus and on the synthetic concatenation;
- memory: extraction peak at most 300 MB (Python heap via tracemalloc, and the
  peak RSS of a fresh process that only extracts the synthetic input).

Timing: extraction and jieba alternate, untraced (three times each on the large input,
up to 7 times on small ones); the faster run of
each counts (the machine may be shared). The PASS rule uses wall-clock time; the
CPU time of the same runs (user+sys of this process, the least of the runs) is
printed beside it as "x (CPU)", a figure that depends less on what else runs.
Memory is measured in separate runs.
Writes bench/results/extract_bench.json (gitignored).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from luoshi.extract import extract_text  # noqa: E402

SPEED_GOAL = 2.5
MEMORY_GOAL_MB = 300.0


def load_inputs(corpus_dir: str, synthetic_mb: float, traditional: bool = False) -> list[tuple[str, str]]:
    files = sorted(Path(corpus_dir).glob("*.txt"))
    if not files:
        sys.exit(f"no .txt files in {corpus_dir}")
    corpus = "\n".join(f.read_text(encoding="utf-8") for f in files)
    target = int(synthetic_mb * 1024 * 1024 / 3)  # ~3 bytes per CJK char in UTF-8
    synthetic = (corpus * (target // max(len(corpus), 1) + 1))[:target]
    rows = [("corpus", corpus)]
    if traditional:
        # the same corpus in traditional characters: exercises the OpenCC t2s path
        import opencc

        rows.append(("corpus 繁體", opencc.OpenCC("s2t").convert(corpus)))
    return rows + [(f"synthetic {synthetic_mb:g}MB", synthetic)]


# Import + first use of each library the engine calls, each in a fresh process (ms).
_LIB_PROBES = {
    "opencc (t2s, import + dictionary load)": "import opencc; opencc.OpenCC('t2s').convert('區縣')",
    "pdfplumber (import)": "import pdfplumber",
    "lunar-python (import + one Spring Festival)": "from lunar_python import Lunar; Lunar.fromYmd(2026, 1, 1).getSolar()",
    "pdfminer.six (import)": "import pdfminer.high_level",
}


def library_costs() -> dict:
    out = {}
    for name, code in _LIB_PROBES.items():
        probe = ("import time; t = time.perf_counter(); " + code +
                 "; print((time.perf_counter() - t) * 1000)")
        best = float("inf")
        for _ in range(3):
            p = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
            try:
                best = min(best, float(p.stdout.strip().splitlines()[-1]))
            except (ValueError, IndexError):
                best = float("nan")
        out[name] = round(best, 1)
    return out


def timed(fn, text) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    gc.collect()
    c0 = time.process_time()
    t0 = time.perf_counter()
    fn(text)
    return time.perf_counter() - t0, time.process_time() - c0


def traced_peak_mb(fn, text) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn(text)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def child_rss(corpus_dir: str, synthetic_mb: float) -> None:
    """Run in a fresh process: extract the largest input, print peak RSS in MB."""
    text = load_inputs(corpus_dir, synthetic_mb)[-1][1]
    extract_text(text, "bench")
    # VmHWM belongs to this process image; ru_maxrss can carry the parent's
    # peak over fork+exec on Linux, so it is only the fallback.
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    print(int(line.split()[1]) / 1024)
                    return
    except OSError:
        pass
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # KiB on Linux


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(HERE.parent.parent / "shared" / "corpus"))
    ap.add_argument("--synthetic-mb", type=float, default=5.0)
    ap.add_argument("--child-rss", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child_rss:
        child_rss(a.corpus, a.synthetic_mb)
        return 0
    # the fresh-process memory run goes first, while this process is still small
    proc = subprocess.run([sys.executable, __file__, "--child-rss", "--corpus", a.corpus,
                           "--synthetic-mb", str(a.synthetic_mb)], capture_output=True, text=True)
    try:
        rss = float(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(proc.stderr, file=sys.stderr)
        rss = float("nan")

    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()

    def ex(t):
        return extract_text(t, "bench")

    def jb(t):
        return sum(1 for _ in jieba.cut(t))

    rows = []
    for name, text in load_inputs(a.corpus, a.synthetic_mb, traditional=True):
        ex_t, jb_t = float("inf"), float("inf")
        ex_c, jb_c = float("inf"), float("inf")
        reps = max(3, min(7, 2_000_000 // max(len(text), 1)))  # small inputs: more runs, less noise
        for _ in range(reps):  # alternate, so both see the same machine load
            w, c = timed(ex, text)
            ex_t, ex_c = min(ex_t, w), min(ex_c, c)
            w, c = timed(jb, text)
            jb_t, jb_c = min(jb_t, w), min(jb_c, c)
        rows.append({"input": name, "chars": len(text),
                     "extract_chars_per_s": round(len(text) / ex_t), "extract_s": round(ex_t, 3),
                     "extract_peak_mb": round(traced_peak_mb(ex, text), 1),
                     "jieba_chars_per_s": round(len(text) / jb_t), "jieba_s": round(jb_t, 3),
                     "speedup_vs_jieba": round(jb_t / ex_t, 2),
                     # CPU time (user+sys of this process) depends less on what else runs
                     "extract_cpu_s": round(ex_c, 3), "jieba_cpu_s": round(jb_c, 3),
                     "cpu_speedup_vs_jieba": round(jb_c / ex_c, 2)})
    hdr = (f"{'input':16s} {'chars':>10s} {'extract c/s':>12s} {'heap MB':>8s} "
           f"{'jieba c/s':>11s} {'x jieba':>8s} {'x (CPU)':>8s}")
    print(hdr)
    for r in rows:
        print(f"{r['input']:16s} {r['chars']:10d} {r['extract_chars_per_s']:12d} {r['extract_peak_mb']:8.1f} "
              f"{r['jieba_chars_per_s']:11d} {r['speedup_vs_jieba']:8.2f} {r['cpu_speedup_vs_jieba']:8.2f}")
    print(f"process peak RSS, extracting {rows[-1]['input']} in a fresh process: {rss:.1f} MB")
    libs = library_costs()
    for name, ms in libs.items():
        print(f"library cost: {name}: {ms:.1f} ms")

    worst = min(r["speedup_vs_jieba"] for r in rows)
    speed_ok = worst >= SPEED_GOAL
    heap = max(r["extract_peak_mb"] for r in rows)
    mem_ok = heap <= MEMORY_GOAL_MB and rss <= MEMORY_GOAL_MB
    print(f"{'PASS' if speed_ok else 'FAIL'} speed: extraction >= {SPEED_GOAL:g}x jieba on every input "
          f"(worst {worst:.2f}x: " + ", ".join(f"{r['input']} {r['speedup_vs_jieba']:.2f}x" for r in rows) + ")")
    print(f"{'PASS' if mem_ok else 'FAIL'} memory: peak <= {MEMORY_GOAL_MB:g} MB "
          f"(heap {heap:.1f} MB, process RSS {rss:.1f} MB)")

    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / ".gitignore").write_text("*\n")
    (out / "extract_bench.json").write_text(json.dumps(
        {"rows": rows, "process_peak_rss_mb": round(rss, 1), "library_ms": libs, "speed_pass": speed_ok,
         "memory_pass": mem_ok},
        ensure_ascii=False, indent=1))
    return 0 if speed_ok and mem_ok else 1


if __name__ == "__main__":
    sys.exit(main())
