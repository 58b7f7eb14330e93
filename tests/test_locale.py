"""Every string readers and editors see has an Arabic translation, and the compiled catalogue is current."""

import re
from pathlib import Path

from django.utils import translation

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def entries():
    text = CATALOGUE.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        if "msgid" not in block or block.lstrip().startswith("#~"):
            continue
        yield block


def test_arabic_catalogue_has_no_untranslated_or_fuzzy_entries():
    missing = [block for block in entries() if re.search(r'msgstr(\[\d\])? ""\n?$', block.strip() + "\n")
               or "#, fuzzy" in block]
    assert missing == []


def test_compiled_catalogue_is_used_for_checklist_messages():
    with translation.override("ar"):
        assert translation.gettext("Choose a section.") == "اختر القسم."
        assert translation.gettext("Related articles") == "مقالات متعلقة"
