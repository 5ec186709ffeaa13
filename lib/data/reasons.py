"""Why a file or a row cannot be loaded, and what a load warns about: each reason has a stable
code and its values, and its English sentence is made here from one template per code.

The English goes to the command line, the problems report, the rejects CSV and the load log (the
MIS team reads those); the Data page says the same reason in the page's language from the code
and the values (``lib.view.load_view``, templates in ``lib.view.catalogue_reasons``).

A ``Reason`` *is* its English sentence (a ``str``), so everything that handled the sentences
goes on working; it also remembers its code and values. Vectorised checks put one ``Reason``
object on all the rows it concerns, so knowing the code costs nothing per row.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from functools import cache

import numpy as np

# The English template of every code. Placeholders name the values; ``{n:,}`` groups a count
# the western way, as the command line always has.
TEMPLATES: dict[str, str] = {
    # A value of a row.
    "required_empty": "required value is empty",
    "digits": "write digits as 0-9: Devanagari or other digits are not accepted in numbers and "
              "dates",
    "account_scientific": "not an account number: Excel turned it into a number in scientific "
                          "notation (format the column as Text)",
    "account": "not an account number: it must be 6 to 20 digits and nothing else",
    "date_format": "not a date: write YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY",
    "date_month_first": "not a real calendar date: dates are day-first (DD-MM-YYYY), never "
                        "month-first",
    "date_unreal": "not a real calendar date",
    "date_window": "outside the accepted dates ({earliest} to {latest}): check the year",
    "timestamp_format": "not a timestamp: write YYYY-MM-DD HH:MM[:SS] (ISO 8601; an offset such "
                        "as +05:30 or Z is optional, without one the time is IST)",
    "timestamp_unreal": "not a real date and time",
    "amount_format": "not an amount in rupees (examples: 1234.50, -₹1,234.50, ₹12,34,567.50)",
    "amount_too_large": "amount too large (more than {digits} digits of rupees)",
    "negative": "must be 0 or more",
    "not_whole": "not a whole number",
    "not_number": "not a number (0 or more, e.g. 2.5)",
    "not_one_of": "not one of: {choices}",
    "too_long": "longer than {limit} characters",
    "nul": "contains a NUL character",
    "not_email": "not an e-mail address (name@example.org)",
    # The rules across the columns of a row.
    "not_positive": "amount must be more than zero",
    "end_before_start": "end_date is before start_date {start}",
    "resolved_before_opened": "resolved_at is before opened_at {opened}",
    "role_level": "a {role} covers a {expected}, not a {level}",
    "discom_code": "must be empty for the whole DISCOM (scope_level discom)",
    "scope_code_empty": "required value is empty: the code of the {level}",
    "short_row": "has {n} values but the header has {width} columns; every row needs a value (or "
                 "an empty one between commas) for each column",
    "long_row": "has {n} values but the header has {width} columns; a value that contains a "
                "comma must be in double quotes",
    # Keys and references, checked across the load.
    "same_key": "the same {keys} as line {lines} but different values",
    "same_key_lines": "the same {keys} as lines {lines} but different values",
    "unknown_area": "unknown area_code: not in the hierarchy (already loaded or in this load)",
    "unknown_account": "unknown account: not among the consumers (already loaded or in this "
                       "load)",
    "unknown_campaign": "unknown campaign_id: not among the campaigns (already loaded or in this "
                        "load)",
    "unknown_unit": "unknown {level} code: not a {level}_code in the hierarchy (already loaded "
                    "or in this load)",
    "repeats": "{name}: {n:,} row(s) repeat an earlier row exactly and count once "
               "({pairs}{more})",
    "repeat_pair": "line {line} repeats line {earlier}",
    # A whole file.
    "bad_suffix": "{name} is a {suffix} file; only .csv (UTF-8) and .xlsx files can be loaded",
    "no_suffix": "{name} is a extension-less file; only .csv (UTF-8) and .xlsx files can be "
                 "loaded",
    "empty": "{name} is empty",
    "utf16": "{name} is saved as UTF-16 (Excel's 'Unicode Text'); save it as 'CSV UTF-8 (Comma "
             "delimited)' instead",
    "not_csv": "{name} is {what}, not a CSV file; save it as 'CSV UTF-8 (Comma delimited)'",
    "html": "{name} is a web page (HTML/XML), not a CSV file; save it as 'CSV UTF-8 (Comma "
            "delimited)'",
    "binary": "{name} is a binary file, not CSV text",
    "not_utf8_line": "{name} is not UTF-8 text (byte 0x{byte} on line {line}); save it as 'CSV "
                     "UTF-8 (Comma delimited)'",
    "not_utf8_after": "{name} is not UTF-8 text (a byte that UTF-8 does not allow after "
                      "{bytes:,} bytes); save it as 'CSV UTF-8 (Comma delimited)'",
    "csv_unreadable": "{name} could not be read as CSV ({error})",
    "csv_unreadable_line": "{name} could not be read as CSV (line {line}: {error})",
    "header_empty": "{name} has no header row: its first line is empty; line 1 must name the "
                    "columns ({columns})",
    "not_comma": "{name} is not comma-separated (its header is one column '{header}'); save it "
                 "as 'CSV UTF-8 (Comma delimited)'",
    "no_header": "{name} has no header row: line 1 must name the columns ({columns}), but it "
                 "reads '{reads}'",
    "column_twice": "{name} has the column {column} twice (columns {at} and {again})",
    "missing_column": "{name} misses the required column {columns}",
    "missing_columns": "{name} misses the required columns {columns}",
    "ignored_column": "{name}: ignored column not in the contract: {columns}",
    "ignored_columns": "{name}: ignored columns not in the contract: {columns}",
    "parser_long_row": "{name} line {line} has {n} values but the header has {width} columns; a "
                       "value that contains a comma must be in double quotes",
    "unclosed_quote": "{name} has a double quote that is never closed (from line {line}); check "
                      "the quotes around values",
    "xls_renamed": "{name} is an old Excel 97-2003 (.xls) workbook renamed .xlsx; open it in "
                   "Excel and save it as .xlsx or 'CSV UTF-8 (Comma delimited)'",
    "xlsx_is_pdf": "{name} is a PDF document, not an Excel workbook",
    "not_xlsx": "{name} is not an Excel .xlsx workbook (it looks like text; if it is CSV, name "
                "it .csv)",
    "xlsx_unreadable": "{name} could not be opened as an Excel workbook ({error})",
    "no_worksheet": "{name} has no worksheet",
    "empty_sheet": "{name} is empty (its first sheet '{sheet}' has no rows)",
    "first_sheet_only": "{name}: only the first sheet '{sheet}' was read; {others} other "
                        "sheet(s) ignored",
    "no_rows": "{name} has a header but no data rows",
    "unreadable": "{name} could not be read ({error})",
    # Which files a load reads.
    "nothing_to_load": "Nothing to load: give a folder or contract files",
    "not_contract_name": "{name} is not a contract file: its name must be one of {names} (.csv "
                         "or .xlsx)",
    "missing_path": "{path} does not exist",
    "several_files": "There are {n} files for {kind} ({paths}); load one at a time",
    "folder_ignored": "{name} in {folder} was ignored: not a contract file name ({names})",
    "empty_folder": "The folder {folder} holds no contract files (expected files named {names}, "
                    ".csv or .xlsx)",
    "no_name": "An uploaded file has no name",
    "uploaded_twice": "{name} was uploaded twice; upload each file once",
    "load_failed": "The load failed and nothing was loaded ({error})",
    "archived": "balances dated {day} fall in a month archived (everything before {before}); "
                "they cannot be loaded again",
}

# What each value is, where a page shows it otherwise than as text (numbers grouped, dates in
# the page's format, words of a vocabulary in the page's language); the rest is shown as is.
KINDS: dict[str, str] = {
    "limit": "int", "digits": "int", "n": "int", "width": "int", "bytes": "int",
    "others": "int", "at": "int", "again": "int", "line": "int", "earlier": "int",
    "earliest": "date", "latest": "date", "start": "date", "day": "date", "before": "date",
    "opened": "timestamp", "level": "level", "expected": "level", "role": "role",
    "keys": "and", "choices": "list", "columns": "list", "names": "list", "pairs": "pairs",
    "what": "filetype",
}
# What a file really is when it is not what its name says (the ``what`` of ``not_csv``).
FILE_TYPES = {"pdf": "a PDF document", "zip": "an Excel workbook or zip archive",
              "xls": "an old Excel 97-2003 (.xls) workbook", "gzip": "a gzip archive",
              "png": "a PNG image", "jpeg": "a JPEG image"}


class Reason(str):
    """A reason's English sentence that remembers its code and values."""

    code: str
    values: dict[str, object]

    def __new__(cls, code: str, text: str | None = None, /, **values: object) -> Reason:
        """``Reason("too_long", limit=200)``; ``text`` replaces the English made from the template
        (a refusal quoted inside another sentence)."""
        self = super().__new__(cls, english(code, **values) if text is None else text)
        self.code, self.values = code, values
        return self

    def __reduce__(self) -> tuple:
        """Pickle as code, text and values (``str`` would rebuild it from the text alone)."""
        return _rebuild, (self.code, str(self), self.values)


def _rebuild(code: str, text: str, values: dict[str, object]) -> Reason:
    """Unpickle a Reason."""
    return Reason(code, text, **values)


def english(code: str, **values: object) -> str:
    """The English sentence of ``code`` with its values."""
    shown = {name: _english_value(name, value) for name, value in values.items()}
    return TEMPLATES[code].format(**shown)


def _english_value(name: str, value: object) -> object:
    """A value as the English sentence shows it (lists joined, file types named)."""
    kind = KINDS.get(name)
    if kind == "and":
        return " and ".join(map(str, value))
    if kind == "list":
        return ", ".join(map(str, value))
    if kind == "pairs":
        return ", ".join(english("repeat_pair", line=a, earlier=b) for a, b in value)
    if kind == "filetype":
        return FILE_TYPES[value]
    return value


@cache
def fields(code: str) -> tuple[str, ...]:
    """The names of the values a code's template uses, in order."""
    names = (f for _, f, _, _ in string.Formatter().parse(TEMPLATES[code]) if f)
    return tuple(dict.fromkeys(names))


def each(code: str, **columns: Iterable[object]) -> np.ndarray:
    """One Reason per row from columns of values (only the rows concerned): rows with the same
    values share one object, so a repeated value is worded once."""
    made: dict[tuple, Reason] = {}
    names = list(columns)
    out = [made.get(key) or made.setdefault(key, Reason(code, **dict(zip(names, key,
                                                                          strict=True))))
           for key in zip(*columns.values(), strict=True)]
    return np.array(out, dtype=object)


def code_of(text: object) -> tuple[str | None, dict[str, object]]:
    """The code and values of a reason; (None, {}) for plain text (an unexpected error's)."""
    if isinstance(text, Reason):
        return text.code, dict(text.values)
    return None, {}
