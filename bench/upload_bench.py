"""Upload bounds benchmark: peak memory (RSS) of the process that reads an upload, for hostile files
(refused) and for the largest files the caps accept (read through).

    .venv/bin/python bench/upload_bench.py

Each file goes through the real entry point in a fresh Python process (Django set up, SQLite in a temp
data dir): the extractor behind /review/ and `luoshi extract` for .docx; the unit import
(`luoshi units import`), the holiday notice import (`luoshi calendar load`, /calendar/) and the 政务服务
window-record import for .xlsx. The peak is the child's own VmHWM (/proc/self/status). Target: ≤ 300 MB each.

Hostile files (about 1 MB each, built by tests/core/test_upload_bounds.py): a .docx whose headers claim
4 KB for a 1 GiB word/document.xml, and the same honest; an .xlsx with a 1 GiB cell or a 1 GiB shared
string, headers lying or honest. Largest accepted: a .docx whose word/document.xml is just under the 8 MB part cap, once as plain
paragraphs (2.5 million characters for the extractor) and once formatting-heavy (many runs),
and an .xlsx of 20,000 rows whose sheet and shared strings are each about 31 MB (the caps: 32 MB a part,
64 MB in all).
"""
from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("upload_bounds", ROOT / "tests" / "core" / "test_upload_bounds.py")
ub = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ub)

MiB = 1024 * 1024


PLAIN = ("<w:p><w:r><w:t>" + "各单位要切实加强组织领导,落实工作责任,确保按期完成任务。" * 4 + "</w:t></w:r></w:p>").encode()
MARKUP = ("<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>" + "<w:r><w:rPr><w:b/><w:sz w:val=\"32\"/></w:rPr><w:t>各单位要落实"
          "</w:t></w:r>" * 8 + "</w:p>").encode()


def largest_docx(path: Path, xml_bytes: int, para: bytes) -> None:
    head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ub.W}><w:body>').encode()
    tail = b"</w:body></w:document>"
    n = (xml_bytes - len(head) - len(tail)) // len(para)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ub.CT_DOCX)
        z.writestr("_rels/.rels", ub.RELS_DOCX)
        with z.open("word/document.xml", "w") as f:
            f.write(head)
            for _ in range(n):
                f.write(para)
            f.write(tail)


def largest_xlsx(path: Path, part_bytes: int = 31 * MiB + MiB // 2) -> None:
    """20,000 rows × 2 columns: a shared string per row (~1.6 KB) and an inline string per row."""
    rows = 20_000
    text = "市发展和改革委员会牵头落实" * 40
    shared = [f"<si><t>{i}{text}</t></si>".encode() for i in range(rows)]
    sst_head = f'<?xml version="1.0" encoding="UTF-8"?><sst {ub.S} count="{rows}" uniqueCount="{rows}">'.encode()
    pad = max(0, part_bytes - len(sst_head) - sum(map(len, shared)) - 6)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ub.CT_XLSX)
        z.writestr("_rels/.rels", ub.RELS_XLSX)
        z.writestr("xl/workbook.xml", ub.WB)
        z.writestr("xl/_rels/workbook.xml.rels", ub.WB_RELS)
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(sst_head)
            for s in shared:
                f.write(s)
            f.write(b" " * pad + b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ub.S}><sheetData>'.encode())
            written = 0
            cell = "甲区人民政府" * 80
            for i in range(rows):
                row = (f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c><c r="B{i + 1}" t="inlineStr"><is><t>'
                       f"{cell}</t></is></c></row>").encode()
                written += len(row)
                f.write(row)
            f.write(b"</sheetData></worksheet>")


def main() -> int:
    only = sys.argv[1] if len(sys.argv) > 1 else ""  # e.g. "docx": only the files whose name holds it
    tmp = Path(tempfile.mkdtemp(prefix="luoshi-upload-bench."))
    env = ub._child_env(tmp)
    files = []
    for name, (kind, build) in ub.HOSTILE.items():
        p = tmp / f"{name}.{kind}"
        p.write_bytes(build())
        files.append((name, kind, p))
    p = tmp / "largest-text.docx"
    largest_docx(p, 8 * MiB - 4096, PLAIN)  # ~2.5 million characters (the text cap is 3 million)
    files.append(("largest accepted .docx, plain (8 MB XML, 2.5M chars)", "docx", p))
    p = tmp / "largest-xml.docx"
    largest_docx(p, 8 * MiB - 4096, MARKUP)  # formatting-heavy: just under the 8 MB part cap
    files.append(("largest accepted .docx, formatted (8 MB XML)", "docx", p))
    p = tmp / "largest-accepted.xlsx"
    largest_xlsx(p)
    files.append(("largest accepted .xlsx (20k rows, 2 parts of ~31 MB)", "xlsx", p))
    worst = 0.0
    import json
    import time

    for name, kind, path in files:
        if only and only not in name:
            continue
        for entry in ub.ENTRIES[kind]:
            t = time.monotonic()
            rc, out, err, peak = ub._measured([sys.executable, "-c", ub._PROBE, kind, str(path), entry], env,
                                              timeout=900)
            secs = time.monotonic() - t
            got = json.loads(out.strip().splitlines()[-1]) if rc == 0 and out.strip() else {"error": err[-300:]}
            what = "refused: " + got.get("en", "")[:70] if got.get("refused") else (
                "read" if got.get("refused") is False else f"ERROR {got}")
            print(f"{name:48s} {entry:10s} {os.path.getsize(path) / MiB:6.1f} MB on disk  peak {peak:6.0f} MB  "
                  f"{secs:5.1f} s  {what}")
            worst = max(worst, peak)
    print(f"worst peak: {worst:.0f} MB (target ≤ 300 MB)")
    print("PASS" if worst <= 300 else "FAIL")
    return 0 if worst <= 300 else 1


if __name__ == "__main__":
    sys.exit(main())
