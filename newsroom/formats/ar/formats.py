"""How the admin prints dates in Arabic: day, month, year and a 24-hour clock, as the newsroom writes them.

Django's Arabic formats name no date-and-time format, so the admin fell back to the American «نوفمبر 30، 2026،
8:16 م» and «11/30/2026». The months are named as the public site and the admin's calendar name them
(NEWSROOM_ARABIC_MONTHS): Levantine through Django's "alternative" month names ("E"), which locale/ar gives as
«كانون الثاني، شباط …» (newsroom/django_strings.py), Egyptian through Django's own ("F").
"""

from django.conf import settings

MONTH = "F" if getattr(settings, "NEWSROOM_ARABIC_MONTHS", "levantine") == "egyptian" else "E"

DATE_FORMAT = f"j {MONTH} Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = f"j {MONTH} Y، H:i"
YEAR_MONTH_FORMAT = f"{MONTH} Y"
MONTH_DAY_FORMAT = f"j {MONTH}"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
