"""
The message catalogue is complete, compiled and current:

- every interface string in each `locale/<language>/LC_MESSAGES/django.po` has a
  translation (none empty, none fuzzy);
- the committed `django.mo` holds exactly those translations (a fresh clone needs no
  gettext tools to run the site);
- `makemessages` finds no string the catalogue lacks and none it no longer needs
  (needs GNU gettext's xgettext; CI sets REQUIRE_GETTEXT=1 so a missing one fails).

`make messages` updates the catalogue and compiles it; `make lint` runs this check.
"""

import os
import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

# The options of `make messages`: what is ours and patient-facing. The admin is English.
MAKEMESSAGES_OPTIONS = {
    "no_location": True,
    "no_obsolete": True,
    "ignore_patterns": [
        ".venv",
        "node_modules",
        "tests",
        "bench",
        "staticfiles",
        "templates/admin",
        "templates/simple_history",
    ],
    "verbosity": 0,
}


def entries(po: polib.POFile) -> set[tuple[str | None, str, str]]:
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in po if not entry.obsolete}


def translations(catalogue) -> dict[tuple[str | None, str], object]:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in catalogue
        if entry.msgid and not entry.obsolete and "fuzzy" not in entry.flags
    }


def plural_forms(po: polib.POFile) -> int:
    header = po.metadata.get("Plural-Forms", "nplurals=2;")
    return int(header.split("nplurals=", 1)[1].split(";", 1)[0])


class Command(BaseCommand):
    help = "Fail if the message catalogue is incomplete, uncompiled or out of date."

    def add_arguments(self, parser):
        parser.add_argument("--locale-dir", type=Path, default=Path(settings.LOCALE_PATHS[0]))
        parser.add_argument(
            "--no-extract", action="store_true", help="Skip the makemessages comparison."
        )

    def handle(self, *args, locale_dir: Path, no_extract: bool, **options):
        problems = []
        catalogues = sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))
        if not catalogues:
            raise CommandError(f"No message catalogue under {locale_dir}")
        for po_path in catalogues:
            problems += self.check_catalogue(po_path)
        if not no_extract:
            problems += self.check_current(locale_dir, catalogues)
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(f"Translations complete and compiled: {len(catalogues)} catalogue(s).")

    def check_catalogue(self, po_path: Path) -> list[str]:
        po = polib.pofile(str(po_path))
        language = po_path.parent.parent.name
        problems = [
            f"{language}: untranslated: {entry.msgid[:70]!r}"
            for entry in po.untranslated_entries()
        ] + [f"{language}: fuzzy: {entry.msgid[:70]!r}" for entry in po.fuzzy_entries()]
        # Spanish has three plural forms (Django's: one, millions, other): a missing
        # form falls back to the English text for those counts.
        forms = plural_forms(po)
        problems += [
            f"{language}: plural forms missing: {entry.msgid[:70]!r}"
            for entry in po
            if entry.msgid_plural
            and not entry.obsolete
            and sorted(entry.msgstr_plural) != list(range(forms))
        ]
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            problems.append(f"{language}: {mo_path.name} is missing: run `make messages`")
        elif translations(polib.mofile(str(mo_path))) != translations(po):
            problems.append(
                f"{language}: {mo_path.name} is not compiled from {po_path.name}: run `make messages`"
            )
        return problems

    def check_current(self, locale_dir: Path, catalogues: list[Path]) -> list[str]:
        if shutil.which("xgettext") is None:
            message = "GNU gettext (xgettext) is not installed: cannot compare with makemessages"
            if os.environ.get("REQUIRE_GETTEXT") == "1":
                return [message]
            self.stderr.write(f"{message} (skipped; apt-get install gettext)")
            return []
        problems = []
        for po_path in catalogues:
            language = po_path.parent.parent.name
            kept = po_path.read_bytes()
            try:
                call_command("makemessages", locale=[language], **MAKEMESSAGES_OPTIONS)
                extracted = entries(polib.pofile(str(po_path)))
            finally:
                po_path.write_bytes(kept)
            committed = entries(polib.pofile(str(po_path)))
            problems += [
                f"{language}: new, not in the catalogue: {key[1][:70]!r}"
                for key in extracted - committed
            ]
            problems += [
                f"{language}: no longer used: {key[1][:70]!r}" for key in committed - extracted
            ]
        return problems
