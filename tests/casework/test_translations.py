"""The interface is Dutch: every message of the kernel's catalogue, of each
case-type package's own catalogue (workflows/<type>/locale) and of each other
app's (api, lookups, notifications, …: <app>/locale) is translated."""

import re
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
ENTRY = re.compile(
    r'((?:#[^\n]*\n)*)msgid ((?:"[^"\n]*"\n)+)'
    r'(?:msgid_plural (?:"[^"\n]*"\n)+)?((?:msgstr(?:\[\d\])? (?:"[^"\n]*"\n)+)+)'
)


def untranslated(path: Path) -> list[str]:
    missing = []
    for comments, msgid, msgstrs in ENTRY.findall(path.read_text()):
        text = "".join(re.findall(r'"(.*)"', msgid))
        if not text:
            continue  # the header
        values = re.findall(r'msgstr(?:\[\d\])? ((?:"[^"\n]*"\n)+)', msgstrs)
        empty = any(not "".join(re.findall(r'"(.*)"', v)) for v in values)
        if empty or "#, fuzzy" in comments:
            missing.append(text)
    return missing


class CataloguesTests(SimpleTestCase):
    def test_every_catalogue_is_complete(self):
        catalogues = [ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"]
        catalogues += sorted(ROOT.glob("workflows/*/locale/nl/LC_MESSAGES/django.po"))
        catalogues += sorted(ROOT.glob("*/locale/nl/LC_MESSAGES/django.po"))
        self.assertGreaterEqual(len(catalogues), 5)
        for path in catalogues:
            with self.subTest(catalogue=str(path.relative_to(ROOT))):
                self.assertEqual(untranslated(path), [])
