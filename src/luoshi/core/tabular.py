"""The one writer for spreadsheet exports (.xlsx and .csv): cells that cannot attack their reader.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, WPS and LibreOffice (CSV/formula injection, OWASP "CSV Injection"; CWE-1236):
a liaison's progress text ``=HYPERLINK("http://…","点击")`` would become a live link in the
supervisor's 台账. Every export goes through `append_row` (xlsx) or `csv_row` (csv), which write
such text as plain text: in .xlsx as a string cell (never a formula), in .csv behind a leading
apostrophe, the form spreadsheet programs show as text. Numbers, dates and booleans stay typed.

Pure Python (openpyxl only, no Django), so the extraction library's export uses it too.
"""
from __future__ import annotations

import datetime as dt
import numbers

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """True for text a spreadsheet program would evaluate as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _plain(value):
    if value is None or isinstance(value, (bool, numbers.Number, dt.date, dt.datetime, dt.time)):
        return value
    # A control character (stored before check_plain_text refused them) would make openpyxl refuse the
    # whole workbook: it is left out of the cell.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def append_row(ws, row) -> int:
    """Append `row` to an openpyxl worksheet with every text cell stored as text; returns the row number.

    openpyxl turns any str starting with "=" into a formula on assignment, so the cell's type is
    set back to string afterwards; other formula-like starts are stored as strings already, and
    Excel does not evaluate string cells.
    """
    values = [_plain(v) for v in row]
    ws.append(values)
    r = ws.max_row
    for col, value in enumerate(values, start=1):
        if is_formula_like(value):
            cell = ws.cell(row=r, column=col)
            cell.value = value
            cell.data_type = "s"
    return r


def csv_row(row) -> list:
    """`row` for csv.writer, with formula-like text behind a leading apostrophe."""
    out = []
    for value in row:
        value = _plain(value)
        if is_formula_like(value):
            value = "'" + value
        out.append("" if value is None else value)
    return out
