"""§3 sizes: hostile .docx/.xlsx/.pdf uploads are refused while streaming, with a clear message (Chinese on pages,
English on the CLI), a 4xx, nothing written, and a process peak far below 300 MB.

The files are built here by hand, zip entry by zip entry: a .docx whose headers claim 4 KB for a
word/document.xml that inflates to 1 GiB, the same with honest headers, an .xlsx with a 1 GiB cell and
one with a 1 GiB shared string (headers lying or honest), and a PDF whose page content stream inflates to
1 GiB. Each is about 1 MB on disk: 1 MiB of "A" is
deflated once and its (byte-aligned, non-final) deflate blocks repeated 1024 times.
"""
from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GiB = 1024 ** 3
PEAK_LIMIT_MB = 300

# ---- building zips by hand ------------------------------------------------------------------------------


def _deflate_parts(prefix: bytes, block: bytes, count: int, suffix: bytes):
    """(raw deflate stream of prefix + block*count + suffix, its CRC-32, its length), without ever
    holding the inflated bytes: each part is compressed once and ends byte-aligned (full flush), so
    the compressed block may simply be repeated."""
    def part(data: bytes) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)

    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    stream = part(prefix) + part(block) * count + part(suffix) + final
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    return stream, crc & 0xFFFFFFFF, len(prefix) + len(block) * count + len(suffix)


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate data, crc, declared uncompressed size): what the headers say is
    whatever the caller passes."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in members:
        n = name.encode()
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(n), 0)
        out += n + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(data), size,
                               len(n), 0, 0, 0, 0, 0, offset)
        central += n
    cd_offset = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), cd_offset, 0)
    return bytes(out)


def _small(name: str, text: str):
    data = text.encode()
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, c.compress(data) + c.flush(), zlib.crc32(data) & 0xFFFFFFFF, len(data)


def _big(name: str, prefix: str, suffix: str, lie: bool):
    stream, crc, size = _deflate_parts(prefix.encode(), b"A" * (1024 * 1024), 1024, suffix.encode())
    return name, stream, crc, (4096 if lie else size)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CT_DOCX = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
           'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
           'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
           'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+'
           'xml"/></Types>')
RELS_DOCX = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CT_XLSX = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
           'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
           'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
           'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
           '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
           'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
           '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
RELS_XLSX = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {S} {R}><sheets><sheet name="Sheet1" sheetId="1" '
      'r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
           '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
           'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
           '</Relationships>')


def hostile_docx(lie: bool) -> bytes:
    """word/document.xml: one paragraph of 1 GiB; headers claim 4 KB when `lie`."""
    return _zip([_small("[Content_Types].xml", CT_DOCX), _small("_rels/.rels", RELS_DOCX),
                 _big("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body><w:p>'
                      "<w:r><w:t>", "</w:t></w:r></w:p></w:body></w:document>", lie)])


def hostile_xlsx(where: str, lie: bool) -> bytes:
    """An .xlsx whose cell A2 (`where`="cell": an inline string) or shared string 0 (`where`="shared")
    holds 1 GiB of text; headers claim 4 KB when `lie`."""
    head = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {S}><sheetData><row r="1"><c r="A1" t="inlineStr">'
            '<is><t>名称</t></is></c></row><row r="2">')
    members = [_small("[Content_Types].xml", CT_XLSX), _small("_rels/.rels", RELS_XLSX),
               _small("xl/workbook.xml", WB), _small("xl/_rels/workbook.xml.rels", WB_RELS)]
    if where == "cell":
        members.append(_big("xl/worksheets/sheet1.xml", head + '<c r="A2" t="inlineStr"><is><t>',
                            "</t></is></c></row></sheetData></worksheet>", lie))
        members.append(_small("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst {S} count="0" '
                              'uniqueCount="0"></sst>'))
    else:
        members.append(_small("xl/worksheets/sheet1.xml", head + '<c r="A2" t="s"><v>0</v></c></row></sheetData>'
                              "</worksheet>"))
        members.append(_big("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst {S} count="1" '
                            'uniqueCount="1"><si><t>', "</t></si></sst>", lie))
    return _zip(members)


def hostile_pdf() -> bytes:
    """A one-page PDF whose page content stream (FlateDecode) inflates to 1 GiB."""
    stream, _crc, _size = _deflate_parts(b"BT /F1 12 Tf 72 720 Td (", b" " * (1024 * 1024), 1024, b") Tj ET")
    adler = zlib.adler32(b"BT /F1 12 Tf 72 720 Td (")
    block = b" " * (1024 * 1024)
    for _ in range(1024):
        adler = zlib.adler32(block, adler)
    adler = zlib.adler32(b") Tj ET", adler)
    body = b"\x78\x9c" + stream + struct.pack(">I", adler & 0xFFFFFFFF)  # zlib wrapping, as FlateDecode wants
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
            b"<</Length %d/Filter/FlateDecode>>\nstream\n" % len(body) + body + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


HOSTILE = {
    "pdf-1GiB-content-stream": ("pdf", hostile_pdf),
    "docx-lying-headers": ("docx", lambda: hostile_docx(lie=True)),
    "docx-1GiB-honest": ("docx", lambda: hostile_docx(lie=False)),
    "xlsx-1GiB-cell-lying": ("xlsx", lambda: hostile_xlsx("cell", lie=True)),
    "xlsx-1GiB-cell-honest": ("xlsx", lambda: hostile_xlsx("cell", lie=False)),
    "xlsx-1GiB-shared-string-lying": ("xlsx", lambda: hostile_xlsx("shared", lie=True)),
    "xlsx-1GiB-shared-string-honest": ("xlsx", lambda: hostile_xlsx("shared", lie=False)),
}


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    out = {}
    for name, (kind, build) in HOSTILE.items():
        path = d / f"{name}.{kind}"
        path.write_bytes(build())
        assert path.stat().st_size < 3 * 1024 * 1024  # about 1 MB on disk, 1 GiB inflated
        out[name] = (kind, path)
    return out


def test_the_hostile_files_really_inflate_to_a_gibibyte(hostile_files):
    """The builders are honest about what they build: the data inflates to > 1 GiB (checked as a stream)."""
    kind, path = hostile_files["xlsx-1GiB-cell-honest"]
    import zipfile

    with zipfile.ZipFile(path) as zf, zf.open("xl/worksheets/sheet1.xml") as m:
        n = 0
        while piece := m.read(1 << 22):
            n += len(piece)
    assert n > GiB


# ---- the refusal, in a fresh process whose peak memory is measured ---------------------------------------

_PROBE = textwrap.dedent("""
    import json, sys, time
    import django
    django.setup()
    kind, path, entry = sys.argv[1], sys.argv[2], sys.argv[3]
    data = open(path, "rb").read()
    t = time.perf_counter()
    try:
        if entry == "extract":
            from luoshi import extract
            extract.extract_bytes(data, "讲话." + kind)
        elif entry == "review":
            from luoshi.review.services import _run_extractor
            from luoshi import extract
            _run_extractor(extract.extract_bytes, data, "讲话." + kind)
        elif entry == "units":
            from luoshi.orgs.importexport import read_table
            read_table(path)
        elif entry == "calendar":
            from luoshi.workcal.services import read_notice_file
            read_notice_file(path)
        elif entry == "govservice":
            from luoshi.assessment.govservice import _rows_of
            _rows_of("办件.xlsx", data)
        print(json.dumps({"refused": False}))
    except Exception as exc:
        en = getattr(exc, "message_en", None) or str(exc)
        zh = getattr(exc, "message_zh", None)
        if zh is None and getattr(exc, "errors", None):
            en, zh = exc.errors[0][1], exc.errors[0][2]
        print(json.dumps({"refused": True, "type": type(exc).__name__, "en": en, "zh": zh,
                          "seconds": time.perf_counter() - t}))
""")

ENTRIES = {"docx": ["extract", "review"], "pdf": ["extract", "review"], "xlsx": ["units", "calendar", "govservice"]}


def _child_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="luoshi.settings", PYTHONPATH=str(ROOT / "src"),
               LUOSHI_DATA_DIR=str(tmp_path / "data"), DATABASE_URL="")  # a SQLite file of its own
    (tmp_path / "data" / "static").mkdir(parents=True, exist_ok=True)
    return env


# The child reports its own peak: VmHWM of /proc/self/status, the high-water mark of the memory of the
# program it runs. (ru_maxrss from wait4 would not do: Linux carries the parent's high-water mark into a
# vforked child at exec, so a child of a big test process would report the parent's size.)
_PEAK = textwrap.dedent("""
    import atexit, os, runpy, sys

    def _report():
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    os.write(2, ("\\nLUOSHI_PEAK_KB %s\\n" % line.split()[1]).encode())

    atexit.register(_report)
    mode, target, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if mode == "-m":
        sys.argv = [target, *args]
        runpy.run_module(target, run_name="__main__", alter_sys=True)
    else:
        sys.argv = ["-c", *args]
        exec(compile(target, "<probe>", "exec"), {"__name__": "__main__"})
""")


def _measured(args: list[str], env: dict, timeout: int = 300) -> tuple[int, str, str, float]:
    """Run `python -c CODE ARGS…` or `python -m MODULE ARGS…` (args[1:] of `args`) in a fresh process;
    (exit code, stdout, stderr, the child's peak resident memory in MB)."""
    assert args[0] == sys.executable and args[1] in ("-c", "-m"), args
    p = subprocess.run([sys.executable, "-c", _PEAK, *args[1:]], capture_output=True, env=env, cwd=ROOT,
                       timeout=timeout)
    err = p.stderr.decode()
    marks = [line for line in err.splitlines() if line.startswith("LUOSHI_PEAK_KB ")]
    assert marks, ("the child did not report its peak", err[-2000:])
    peak = int(marks[-1].split()[1]) / 1024
    err = "\n".join(line for line in err.splitlines() if not line.startswith("LUOSHI_PEAK_KB "))
    return p.returncode, p.stdout.decode(), err, peak


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_upload_is_refused_streaming_under_300_mb(name, hostile_files, tmp_path):
    import json

    kind, path = hostile_files[name]
    env = _child_env(tmp_path)
    for entry in ENTRIES[kind]:
        t = time.monotonic()
        rc, out, err, peak = _measured([sys.executable, "-c", _PROBE, kind, str(path), entry], env)
        assert rc == 0, err[-2000:]
        got = json.loads(out.strip().splitlines()[-1])
        assert got["refused"], (name, entry, got)
        assert got["zh"] and any("\u4e00" <= ch <= "\u9fff" for ch in got["zh"]), got
        assert got["en"].isascii() or "refused" in got["en"] or "not a valid" in got["en"], got
        assert any(w in got["en"] for w in ("refused", "false", "too large", "expands", "inflates")), got
        assert peak < PEAK_LIMIT_MB, (name, entry, f"peak {peak:.0f} MB")
        assert time.monotonic() - t < 120, (name, entry)


def test_cli_refuses_in_english_with_exit_status_and_bounded_memory(hostile_files, tmp_path):
    env = _child_env(tmp_path)
    rc, out, err, _ = _measured([sys.executable, "-m", "luoshi.cli", "manage", "migrate", "-v", "0"], env)
    assert rc == 0, err
    cell, shared = hostile_files["xlsx-1GiB-cell-lying"][1], hostile_files["xlsx-1GiB-shared-string-honest"][1]
    for args in (["units", "import", str(cell)],
                 ["calendar", "load", str(shared), "--year", "2031", "--title", "2031年节假日安排"]):
        rc, out, err, peak = _measured([sys.executable, "-m", "luoshi.cli", *args], env)
        assert rc != 0, (args, out, err)
        text = out + err
        assert "Traceback" not in text, text[-2000:]
        assert any(w in text for w in ("refused", "false", "expands", "inflates")), text[-1000:]
        assert peak < PEAK_LIMIT_MB, (args, f"peak {peak:.0f} MB")


def test_cli_extract_refuses_a_lying_docx(hostile_files, tmp_path):
    kind, path = hostile_files["docx-lying-headers"]
    rc, out, err, peak = _measured([sys.executable, "-c", "import sys; from luoshi.extract.cli import main; sys.exit(main(sys.argv[1:]))", str(path)], _child_env(tmp_path))
    assert rc != 0 and "Traceback" not in err and "false" in (out + err), (rc, out, err)
    assert peak < PEAK_LIMIT_MB


# ---- the pages: 4xx, Chinese message, nothing written --------------------------------------------------

def test_review_upload_refuses_hostile_docx(hostile_files, users, client_for):
    from luoshi.review.models import ImportDraft

    c = client_for("supervisor")
    for name in ("docx-lying-headers", "docx-1GiB-honest", "pdf-1GiB-content-stream"):
        _, path = hostile_files[name]
        with open(path, "rb") as fh:
            r = c.post("/review/upload/", {"file": fh})
        assert r.status_code == 400, (name, r.status_code)
        page = r.content.decode()
        assert "拒绝处理" in page, name
        assert not ImportDraft.objects.exists()


def test_calendar_page_refuses_hostile_xlsx(hostile_files, users, client_for):
    from luoshi.workcal.models import CalendarDay, HolidayNotice

    c = client_for("admin")
    for name in ("xlsx-1GiB-cell-lying", "xlsx-1GiB-shared-string-honest"):
        _, path = hostile_files[name]
        with open(path, "rb") as fh:
            r = c.post("/calendar/", {"load_notice": "1", "n-year": "2031", "n-title": "2031年节假日安排",
                                      "n-table": fh})
        assert r.status_code == 400, (name, r.status_code)
        assert "拒绝处理" in r.content.decode()
        assert not HolidayNotice.objects.exists() and not CalendarDay.objects.exists()


def test_govservice_import_refuses_hostile_xlsx(hostile_files, users, units, client_for):
    from luoshi.assessment.models import WindowRecord

    c = client_for("supervisor")
    _, path = hostile_files["xlsx-1GiB-cell-lying"]
    with open(path, "rb") as fh:
        r = c.post("/assessment/govservice/import/", {"file": fh, "centre": units["city"].pk})
    assert r.status_code == 400, r.status_code
    assert "拒绝处理" in r.content.decode()
    assert not WindowRecord.objects.exists()
