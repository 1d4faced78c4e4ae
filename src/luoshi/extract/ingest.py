"""Ingest: bytes of a .txt/.html/.docx/.pdf file -> plain text (读入).

Encoding detection tries BOMs and strict UTF-8 first (fast path), then strict
GB18030 (the usual legacy encoding of Chinese government sites), and only then
asks charset-normalizer.
"""
from __future__ import annotations

import codecs
import io
import re
from html.parser import HTMLParser

from luoshi.core.safezip import UnsafeArchive, check_ooxml, check_pdf  # pure Python (stdlib only)

from .errors import (
    CorruptFileError,
    EncodingError,
    TooLargeError,
    UnsupportedTypeError,
    ZipBombError,
)

MAX_INPUT_BYTES = 50 * 1024 * 1024  # raw file
MAX_TEXT_CHARS = 3_000_000  # decoded text (~9 MB of Chinese, 1,500+ pages): the pipeline holds ~45 bytes a char
MAX_PDF_PAGES = 2000

TEXT_EXT = {".txt", ".text", ".md", ".csv"}
HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
DOCX_EXT = {".docx"}
PDF_EXT = {".pdf"}
REFUSED_EXT = {".doc": ("legacy .doc (Word 97-2003) is not supported; save it as .docx",
                        "不支持旧版 .doc 格式,请另存为 .docx 后再导入"),
               ".wps": ("WPS .wps files are not supported; save as .docx",
                        "不支持 .wps 格式,请另存为 .docx 后再导入")}

_CJK = re.compile(r"[\u4e00-\u9fff]")
_COMMON_CJK = re.compile(r"[的一是在了不和有大这主中人上为们地个用工时要动国产以我到会]")


def _ext(filename: str) -> str:
    name = (filename or "").lower()
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""


def sniff_kind(data: bytes, filename: str) -> str:
    """Return 'txt', 'html', 'docx' or 'pdf' (by extension, else by content)."""
    ext = _ext(filename)
    if ext in REFUSED_EXT:
        en, zh = REFUSED_EXT[ext]
        raise UnsupportedTypeError(en, zh)
    if ext in DOCX_EXT:
        return "docx"
    if ext in PDF_EXT:
        return "pdf"
    if ext in HTML_EXT:
        return "html"
    if ext in TEXT_EXT:
        return "txt"
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedTypeError("legacy OLE (.doc/.xls) files are not supported",
                                   "不支持旧版 Office 文件,请另存为 .docx")
    low = head.lower()
    if b"<html" in low or b"<!doctype html" in low or b"<body" in low:
        return "html"
    if ext and ext not in {"", ".log"}:
        # Unknown extension: accept only if it decodes as text.
        try:
            decode_text(data)
        except EncodingError:
            raise UnsupportedTypeError(f"unsupported file type {ext!r}",
                                       f"不支持的文件类型 {ext}") from None
    return "txt"


def _looks_chinese(text: str) -> bool:
    sample = text[:20000]
    cjk = len(_CJK.findall(sample))
    if cjk < 20:
        return True  # too little to judge; accept
    return len(_COMMON_CJK.findall(sample)) >= cjk * 0.04


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding (UTF-8/16/32 with or without BOM, GB18030/GBK, …)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return data.decode("utf-32", errors="replace")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # BOM-less UTF-16: many NUL bytes in one parity.
    head = data[:4096]
    if len(head) >= 4 and head.count(0) > len(head) // 4:
        even_nul = head[0::2].count(0)
        odd_nul = head[1::2].count(0)
        enc = "utf-16-le" if odd_nul > even_nul else "utf-16-be"
        # CJK in UTF-16 has few NULs; ASCII-heavy text has NUL in one parity.
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    if b"\x00" in head and head.count(0) > len(head) // 10:
        raise EncodingError("binary data, not text", "文件是二进制数据,不是文本")
    try:
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return text
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover
        from_bytes = None
    if from_bytes is not None:
        best = from_bytes(data[:200000]).best()
        if best is not None and best.encoding:
            try:
                return data.decode(best.encoding, errors="replace")
            except LookupError:
                pass
    raise EncodingError("cannot detect the text encoding", "无法识别文本编码")


# ---------------------------------------------------------------- HTML

_SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form",
              "iframe", "select", "button", "template", "svg", "head", "title", "object"}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
               "article", "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "hr", "td", "th"}
_VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
              "param", "source", "track", "wbr"}
_NAV_ATTR = re.compile(r"nav|menu|breadcrumb|crumb|footer|header|sidebar|share|related|comment|"
                       r"copyright|pager|pagination|position|location|toolbar|login|advert|\bad\b",
                       re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def _span(v) -> int:
    try:
        return max(1, min(int(str(v).strip() or 1), 50))
    except ValueError:
        return 1


def _expand_spans(rows: list[list[str]], spans: dict) -> list[list[str]]:
    """Lay out cells with colspan/rowspan on a grid: a merged cell's text fills every
    position it covers (责任单位 over 牵头单位 and 配合单位; a unit merged down rows)."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for r, row in enumerate(rows):
        out: list[str] = []
        col = 0
        cells = list(enumerate(row))
        k = 0
        while k < len(cells) or col in pending:
            if col in pending:
                text, left = pending[col]
                out.append(text)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (text, left - 1)
                col += 1
                continue
            i, text = cells[k]
            k += 1
            cs, rs = spans.get((r, i), (1, 1))
            for j in range(cs):
                out.append(text)
                if rs > 1:
                    pending[col + j] = (text, rs - 1)
            col += cs
            if col > 200:
                break
        grid.append(out)
    return grid


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_stack: list[str] = []  # tags opened while skipping
        self.title_parts: list[str] = []
        self._in_title = False
        # open <table>s: (index in out where the table starts, rows of cell texts)
        self.tables: list[tuple[int, list[list[str]]]] = []
        self.spans: dict = {}  # id(rows) -> {(row, cell): (colspan, rowspan)}
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        if tag in _VOID_TAGS:
            if tag in ("br", "hr") and not self.skip_stack:
                self.out.append("\n")
            return
        if self.skip_stack:
            self.skip_stack.append(tag)
            return
        skip = tag in _SKIP_TAGS
        if not skip and tag in ("div", "ul", "ol", "section", "aside", "span", "p", "td", "table"):
            for k, v in attrs:
                if k in ("class", "id", "role") and v and _NAV_ATTR.search(v):
                    skip = True
                    break
        if skip:
            self.skip_stack.append(tag)
            return
        if tag == "table":
            self.tables.append((len(self.out), []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
            self._in_cell = False
        elif tag in ("td", "th") and self.tables:
            rows = self.tables[-1][1]
            if not rows:
                rows.append([])
            rows[-1].append("")
            self._in_cell = True
            spans = dict(attrs)
            cs, rs = _span(spans.get("colspan")), _span(spans.get("rowspan"))
            if cs > 1 or rs > 1:
                self.spans.setdefault(id(rows), {})[(len(rows) - 1, len(rows[-1]) - 1)] = (cs, rs)
        elif tag in ("p", "div") and self._in_cell:
            self._cell_append(" ")
        if tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in _VOID_TAGS:
            return
        if self.skip_stack:
            # pop to the matching tag (tolerates unclosed children)
            if tag in self.skip_stack:
                while self.skip_stack:
                    if self.skip_stack.pop() == tag:
                        break
            return
        if tag == "table" and self.tables:
            self._close_table()
            return
        if tag in ("td", "th"):
            self._in_cell = False
        if tag in _BLOCK_TAGS:
            self.out.append("\n")

    def _cell_append(self, text: str) -> None:
        if self.tables and self.tables[-1][1] and self.tables[-1][1][-1]:
            row = self.tables[-1][1][-1]
            row[-1] += text

    def _close_table(self):
        """A task breakdown table is re-rendered as task lines with notes; any
        other (layout) table keeps the text streamed so far."""
        start, rows = self.tables.pop()
        self._in_cell = False
        spans = self.spans.pop(id(rows), None)
        if spans:
            rows = _expand_spans(rows, spans)
        rows = [[" ".join(c.split()) for c in r] for r in rows]
        rows = [r for r in rows if any(r)]
        if rows and _columns(rows[0]) is not None:
            self.out[start:] = ["\n" + "\n".join(table_lines(rows)) + "\n"]
        else:
            self.out.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title_parts.append(data)
        if not self.skip_stack:
            if self._in_cell:
                self._cell_append(data)
            self.out.append(data)


def html_to_text(data: bytes | str) -> str:
    if isinstance(data, bytes):
        m = _META_CHARSET.search(data[:4096])
        text = None
        if m:
            try:
                text = data.decode(m.group(1).decode("ascii", "ignore"))
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None:
            text = decode_text(data)
    else:
        text = data
    parser = _TextExtractor()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; be safe anyway
        raise CorruptFileError(f"cannot parse HTML: {exc}", "无法解析网页文件") from None
    while parser.tables:  # unclosed tables
        parser._close_table()
    body = "".join(parser.out)
    # Collapse whitespace inside lines (HTML source wrapping is not meaningful).
    body = re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v\n]*", "\n", body)
    body = re.sub(r"[ \t\r\f\v]+", " ", body)
    return body.strip()


# ---------------------------------------------------------------- DOCX

def _check_zip(data: bytes) -> None:
    """Refuse a .docx before python-docx sees it: every part is inflated once as a stream and counted
    (luoshi.core.safezip), so false size headers, a 1 GiB paragraph or a zip bomb cost ~1 MiB of memory."""
    try:
        check_ooxml(data, "docx")
    except UnsafeArchive as exc:
        cls = {"corrupt": CorruptFileError, "too_large": ZipBombError, "false_headers": ZipBombError,
               "too_many": ZipBombError}[exc.code]
        raise cls(exc.message_en, exc.message_zh) from None


# Task breakdown tables (任务分解表): header cells name the columns.
_COL_TASK = re.compile(r"任务|工作内容|工作措施|具体措施|重点工作|事项|目标")
_COL_LEAD = re.compile(r"牵头|主责|责任(?:单位|部门)|负责(?:单位|部门)")
_COL_CO = re.compile(r"配合|协办|参与|协助")
_COL_TIME = re.compile(r"时限|时间|进度|节点")
_COL_SKIP = re.compile(r"^(?:序号|编号|备注)$")


def _columns(header: list[str]) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        h = re.sub(r"\s+", "", h)
        if not h or _COL_SKIP.match(h) or len(h) > 12:
            continue
        for key, rx in (("co", _COL_CO), ("lead", _COL_LEAD), ("time", _COL_TIME), ("task", _COL_TASK)):
            if rx.search(h):
                if key == "lead" and "lead" in cols:
                    key = "co"  # 牵头单位 | 责任单位: the second column names co-units
                if key not in cols:
                    cols[key] = i
                break
    return cols if "task" in cols and ("lead" in cols or "co" in cols) else None


def _pad(row: list[str], n: int) -> list[str]:
    return list(row) + [""] * (n - len(row))


def _header_row(row: list[str], above: list[str]) -> bool:
    """True if ``row`` continues the header above it: every cell empty, the same as
    the cell above (a vertical merge) or a short column name (牵头单位, 配合单位)."""
    named = 0
    for i, c in enumerate(row):
        c = re.sub(r"\s+", "", c)
        if not c or (i < len(above) and c == re.sub(r"\s+", "", above[i])):
            continue
        if len(c) > 8 or not (_COL_LEAD.search(c) or _COL_CO.search(c) or _COL_TIME.search(c) or _COL_TASK.search(c)
                              or _COL_SKIP.match(c)):
            return False
        named += 1
    return named > 0


def table_lines(rows: list[list[str]]) -> list[str]:
    """Rows of a table as text lines.

    A task breakdown table (header with 任务 and 牵头/责任单位 columns) becomes one
    line per task with a note the extractor reads: "任务(牵头单位:A;配合单位:B;完成时限:C)".
    Any other table: the distinct cells of each row joined by spaces."""
    cols = _columns(rows[0]) if rows else None
    body_from = 1
    if cols is not None:
        # a header over two rows (责任单位 merged over 牵头单位 / 配合单位): join them
        while body_from < len(rows) and _header_row(rows[body_from], rows[body_from - 1]):
            merged = [(a if a == b else a + b) for a, b in zip(_pad(rows[0], len(rows[body_from])),
                                                               rows[body_from])]
            rows = [merged] + rows[1:]
            body_from += 1
        cols = _columns(rows[0])
    out: list[str] = []
    if cols is not None:
        for row in rows[body_from:]:
            cell = lambda k: re.sub(r"\s+", "", row[cols[k]]) if k in cols and cols[k] < len(row) else ""  # noqa: E731
            task = " ".join(row[cols["task"]].split()) if cols["task"] < len(row) else ""
            if not task:
                continue
            note = [f"{name}:{cell(k)}" for k, name in (("lead", "牵头单位"), ("co", "配合单位"), ("time", "完成时限"))
                    if cell(k)]
            out.append(task + (f"({';'.join(note)})" if note else ""))
        return out
    for row in rows:
        cells: list[str] = []
        for t in row:
            if t and (not cells or cells[-1] != t):
                cells.append(t)
        out.append(" ".join(cells))
    return out


_CELL_SPLIT = re.compile(r"\t+|[ \u3000\xa0]{2,}")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line.strip()) if c.strip()]


def text_tables(text: str) -> str:
    """Rebuild task tables typed as text (cells separated by tabs or runs of spaces).

    A header line whose cells name the columns (序号 任务 牵头单位 配合单位 完成时限)
    starts a table; each following line with two or more cells is a row (cells
    counted from the right when the task cell itself holds single spaces), a
    line with one cell continues the task of the row above. Rows become task
    lines with notes (see ``table_lines``); other text is left as it is."""
    if "\t" not in text and "  " not in text and "\u3000\u3000" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        cells = _cells(line) if ("\t" in line or "  " in line or "\u3000" in line) else []
        cols = _columns(cells) if 3 <= len(cells) <= 12 else None
        if cols is None:
            out.append(line)
            i += 1
            continue
        header = cells
        rows: list[list[str]] = [header]
        j = i + 1
        while j < len(lines):
            row = _cells(lines[j])
            if not row:
                break
            if len(row) == 1 and len(rows) > 1:
                task_i = cols["task"]
                if task_i < len(rows[-1]):
                    rows[-1][task_i] += row[0]  # a task cell wrapped onto the next line
                j += 1
                continue
            if len(row) < 2:
                break
            if len(row) < len(header):
                # missing cells on the left (序号 left out) or an empty trailing cell
                row = ([""] * (len(header) - len(row)) + row) if row[0] and not row[0].isdigit() else \
                    row + [""] * (len(header) - len(row))
            elif len(row) > len(header):
                # the task cell held runs of spaces: keep the cells on both sides, join the middle
                k = len(row) - len(header)
                t = cols["task"]
                row = row[:t] + [" ".join(row[t:t + k + 1])] + row[t + k + 1:]
            rows.append(row)
            j += 1
        if len(rows) < 2:
            out.append(line)
            i += 1
            continue
        out.extend(table_lines(rows))
        i = j
    return "\n".join(out)


def docx_to_text(data: bytes) -> str:
    _check_zip(data)
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                table = Table(child, document)
                rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
                lines.extend(table_lines(rows))
        return "\n".join(lines)
    except (ZipBombError, CorruptFileError):
        raise
    except Exception as exc:
        raise CorruptFileError(f"corrupt .docx ({type(exc).__name__}: {exc})"[:300],
                               "文件已损坏,无法读取 .docx 内容") from None


# ---------------------------------------------------------------- PDF

_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])\n(?=[^\x00-\x7f])|(?<=\d)\n(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\n(?=\d)")


def _pdf_cell(c) -> str:
    """A ruled table cell's text: lines broken inside Chinese text are joined without a space."""
    if not c:
        return ""
    return " ".join(_CJK_BREAK.sub("", c).split())


def _fill_merged(rows: list[list]) -> list[list[str]]:
    """pdfplumber gives None for the cells a merged cell covers: the header row takes the
    value on its left (merged across), the other rows the value above (merged down)."""
    out: list[list[str]] = []
    for r, row in enumerate(rows):
        cur: list[str] = []
        for i, c in enumerate(row):
            if c is None:
                if r == 0:
                    c = cur[-1] if cur else ""
                else:
                    above = out[-1]
                    c = above[i] if i < len(above) else ""
            cur.append(_pdf_cell(c) if isinstance(c, str) else c)
        out.append(cur)
    return out


_TABLE_HINT = re.compile(r"牵头|责任单位|责任部门|配合|协办")
_SENTENCE_END = re.compile(r"[。;；!！?？]$")


def _word_lines(words: list[dict], tol: float = 2.5) -> list[list[dict]]:
    """Words grouped into lines by their top (a line's words left to right)."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= tol:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _fragment(line: list[dict]) -> bool:
    """A line of one or two characters only (序 / 号 of a narrow header cell)."""
    return all(len(w["text"]) <= 2 and not w["text"].isdigit() for w in line)


def _unruled_tables(words: list[dict]) -> list[tuple[float, float, list[str]]]:
    """Task tables laid out without ruling lines (a Word table printed without borders).

    The header line names the columns (序号 工作任务 牵头单位 配合单位 完成时限; a second
    header line under 责任单位 is joined); each column runs to the midpoint between two
    header words, and a word goes to the column holding its centre. Lines belong to one
    row until a larger vertical gap (the row padding) or a new 序号; a line with a word
    spanning a column border (prose) ends the table. Returns (top, bottom, task lines)
    per table; the text above and below is left to the plain text reader."""
    out = []
    lines = _word_lines(words)
    i = 0
    while i < len(lines):
        header = lines[i]
        cols = _columns([w["text"] for w in header]) if 3 <= len(header) <= 12 else None
        if cols is None:
            i += 1
            continue
        head_words = list(header)
        j = i + 1
        # 序 / 号 of a narrow first column, one character per line, around the header lines
        frags = [w for w in (lines[i - 1] if i and _fragment(lines[i - 1]) else [])]
        while j < len(lines) and _fragment(lines[j]):
            frags.extend(lines[j])
            j += 1
        # a second header line (牵头单位 / 配合单位 under 责任单位): its words replace what they sit under
        if j < len(lines) and all(len(w["text"]) <= 8 and (_COL_LEAD.search(w["text"]) or _COL_CO.search(w["text"])
                                                           or _COL_TIME.search(w["text"]))
                                  for w in lines[j]):
            lower = lines[j]
            head_words = [w for w in header if not any(u["x0"] < w["x1"] + 10 and u["x1"] > w["x0"] - 10
                                                       for u in lower)] + list(lower)
            j += 1
            while j < len(lines) and _fragment(lines[j]):
                frags.extend(lines[j])
                j += 1
        frag_top = min([header[0]["top"]] + [w["top"] for w in frags])
        frags = [w for w in frags if w["x1"] < min(h["x0"] for h in head_words)]
        if frags and not _COL_SKIP.match(head_words[0]["text"]):
            head_words.append({"text": "序号", "x0": min(w["x0"] for w in frags), "x1": max(w["x1"] for w in frags),
                               "top": frags[0]["top"], "bottom": frags[-1]["bottom"]})
        head_words.sort(key=lambda w: w["x0"])
        names = [w["text"] for w in head_words]
        cols = _columns(names)
        if cols is None:
            i += 1
            continue
        # the column borders: between two header words, where the fewest body words lie
        # (the whitespace between the columns); a header may be centred or left-aligned
        cand = lines[j:j + 400]
        bounds = []
        for a, b in zip(head_words, head_words[1:]):
            lo, hi = int(a["x1"]), int(b["x0"])
            if hi <= lo:
                bounds.append((a["x1"] + b["x0"]) / 2)
                continue
            cover = [0] * (hi - lo + 1)
            for line in cand:
                for w in line:
                    for x in range(max(lo, int(w["x0"])), min(hi, int(w["x1"])) + 1):
                        cover[x - lo] += 1
            least = min(cover)
            best, run, start = (0, lo), 0, 0
            for k, c in enumerate(cover + [least + 1]):
                if c == least:
                    if run == 0:
                        start = k
                    run += 1
                else:
                    if run > best[0]:
                        best = (run, lo + start + run / 2)
                    run = 0
            bounds.append(best[1])

        def column(w, bounds=bounds):
            centre = (w["x0"] + w["x1"]) / 2
            return sum(1 for b in bounds if centre > b)

        body: list[tuple[float, list[str]]] = []
        while j < len(lines):
            line = lines[j]
            if any(w["x0"] < b - 3 and w["x1"] > b + 3 for w in line for b in bounds):
                break  # prose across the columns: the table has ended
            cells = [""] * len(head_words)
            for w in line:
                k = column(w)
                cells[k] = (cells[k] + w["text"]) if cells[k] else w["text"]
            body.append((line[0]["top"], cells))
            j += 1
        if not body:
            i = j
            continue
        gaps = [b[0] - a[0] for a, b in zip(body, body[1:]) if b[0] - a[0] > 1]
        pitch = min(gaps) if gaps else 0
        serial = 0 if re.search(r"序号|编号", names[0]) or re.fullmatch(r"[序号]", names[0]) else None
        rows: list[list[str]] = []
        prev_top, prev_task = None, ""
        t = cols["task"]
        for top, cells in body:
            new = prev_top is None or (pitch and top - prev_top > pitch * 1.15) \
                or (cells[t] and _SENTENCE_END.search(prev_task) is not None) \
                or (serial is not None and cells[serial] and rows and rows[-1][serial])
            if new:
                rows.append(cells)
            else:
                rows[-1] = [(a + b) for a, b in zip(rows[-1], cells)]
            prev_top = top
            prev_task = cells[t] or prev_task
        top = frag_top
        bottom = max(w["bottom"] for line in lines[i:j] for w in line)
        out.append((top, bottom, table_lines([names] + rows)))
        i = j
    return out


def _pdf_plumber(data: bytes) -> str | None:
    """Text of a PDF with its ruled tables rebuilt row by row (pdfplumber), or None."""
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    parts: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise TooLargeError("the .pdf has too many pages", "PDF 页数过多")
        for page in pdf.pages:
            parts.append(_pdf_page_text(page))
            page.close()  # drop the page's layout objects: memory stays one page deep
    return "\n".join(parts)


def _pdf_page_text(page) -> str:
    """One page's text: lines outside ruled tables and the tables row by row, top to bottom."""
    tables = [t for t in page.find_tables() if len(t.rows) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj, boxes=boxes):
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    items: list[tuple[float, str]] = []
    if not tables and _TABLE_HINT.search(page.extract_text() or ""):
        for top, bottom, task_lines in _unruled_tables(page.extract_words()):
            boxes.append((page.bbox[0], top - 1, page.bbox[2], bottom + 1))
            items.append((top, "\n".join(task_lines)))
    rest = page.filter(outside) if boxes else page
    for line in rest.extract_text_lines(return_chars=False):
        items.append((line["top"], line["text"]))
    for t in tables:
        rows = _fill_merged(t.extract())
        rows = [r for r in rows if any(r)]
        if rows:
            items.append((t.bbox[1], "\n".join(table_lines(rows))))
    items.sort(key=lambda x: x[0])
    return "\n".join(text for _, text in items)


def pdf_to_text(data: bytes) -> str:
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise CorruptFileError("corrupt .pdf (no %PDF header)", "文件已损坏:不是有效的 PDF 文件")
    try:
        check_pdf(data)  # compressed streams inflated and counted before pdfminer inflates them whole
    except UnsafeArchive as exc:
        raise ZipBombError(exc.message_en, exc.message_zh) from None
    try:
        text = _pdf_plumber(data)
        if text and text.strip():
            return text
    except TooLargeError:
        raise
    except Exception:
        pass  # fall back to pdfminer's plain text below
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.layout import LAParams

        text = extract_text(io.BytesIO(data), laparams=LAParams(), maxpages=MAX_PDF_PAGES)
    except Exception as exc:
        raise CorruptFileError(f"corrupt .pdf ({type(exc).__name__}: {exc})"[:300],
                               "文件已损坏,无法读取 PDF 内容") from None
    text = text.replace("\x0c", "\n")
    if not text.strip():
        raise CorruptFileError("the .pdf has no text layer (scanned image?)",
                               "PDF 没有文字层(可能是扫描件),无法提取")
    return text


def bytes_to_text(data: bytes, filename: str) -> tuple[str, str]:
    """Return (text, kind) for the raw bytes of a file."""
    if len(data) > MAX_INPUT_BYTES:
        raise TooLargeError(f"file too large ({len(data) // (1024 * 1024)} MB > {MAX_INPUT_BYTES // (1024 * 1024)} MB)",
                            f"文件过大(超过 {MAX_INPUT_BYTES // (1024 * 1024)} MB)")
    kind = sniff_kind(data, filename)
    if kind == "docx":
        text = docx_to_text(data)
    elif kind == "pdf":
        text = pdf_to_text(data)
    elif kind == "html":
        text = html_to_text(data)
    else:
        text = decode_text(data)
        # A .txt that is really HTML (saved web page).
        if "<" in text[:2000] and re.search(r"<(html|body|p|div)\b", text[:5000], re.I):
            text = html_to_text(text)
            kind = "html"
    if len(text) > MAX_TEXT_CHARS:
        raise TooLargeError("text too large after decoding", "文件文字内容过多")
    return text, kind
