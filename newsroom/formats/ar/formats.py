"""How the admin prints dates in Arabic: day, month, year and a 24-hour clock, as the newsroom writes them.

Django's Arabic formats name no date-and-time format, so the admin fell back to the American «نوفمبر 30، 2026،
8:16 م» and «11/30/2026». Month names here are Django's Arabic ones; the public site prints its own
(NEWSROOM_ARABIC_MONTHS, articles/templatetags/newsroom.py).
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
