"""The limits of every request, in one place: the models, the forms and the pages use these.

Changing a limit here changes the API's validation, its OpenAPI document, the ATS builder's
checks and the CLI's input checks together.
"""

from __future__ import annotations

__all__ = [
    "CODE_MAX",
    "DESCRIPTION_MAX",
    "DISTRICTS_MAX",
    "EMAIL_PATTERN",
    "EXCLUDE_MAX",
    "FILLED",
    "MAX_PAGE",
    "MAX_PER_PAGE",
    "MEASURE_MAX",
    "MEMBERS_MAX",
    "NOTE_MAX",
    "NO_NUL",
    "PROPOSAL_SIZE_MAX",
    "ROUND_MAX",
    "TAX_CODE_MAX",
    "TEXT_MAX",
    "THEMES_MAX",
    "TITLE_MAX",
    "TOP_K_MAX",
    "VISIBLE",
]

#: a project's title
TITLE_MAX = 300
#: a need described in words, an ATS description
TEXT_MAX = 5000
#: a note on a status change
NOTE_MAX = 1000
#: members of one ATS
MEMBERS_MAX = 60
#: districts of one ATS or one query
DISTRICTS_MAX = 100
#: theme codes of one ATS or one query
THEMES_MAX = 100
#: organisations excluded from one search
EXCLUDE_MAX = 500
#: results of one search
TOP_K_MAX = 100
#: highest call round
ROUND_MAX = 1000
#: highest measure (Misura) of the strategy (Misura 5 is the accompaniment service)
MEASURE_MAX = 5
#: an ATS's description or an organisation's (the importer's limit too)
DESCRIPTION_MAX = 20000
#: members of a proposed team
PROPOSAL_SIZE_MAX = 10
#: length of an ATS code
CODE_MAX = 40
#: a tax code as written (spaces and dots are removed afterwards)
TAX_CODE_MAX = 40
#: the largest page number and page size of a list
MAX_PAGE = 1_000_000
MAX_PER_PAGE = 200

#: one character that no reading counts as a space or a control character (Python's
#: ``str.isspace``, JavaScript's and Rust's ``\s``): a text matching it is not blank
#: whichever side checks it
_SPACES = "\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
VISIBLE = f"[^{_SPACES}]"
#: an e-mail address as the importer and the API accept it (no spaces, one @, a dot after)
EMAIL_PATTERN = f"^[^@{_SPACES}]+@[^@{_SPACES}]+\\.[^@{_SPACES}]+$"
#: a text without NUL characters (no database stores them in text)
NO_NUL = "^[^\\x00]*$"
#: a text without NUL characters, with at least one visible character
FILLED = f"^[^\\x00]*{VISIBLE}[^\\x00]*$"
