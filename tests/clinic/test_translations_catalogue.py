"""The Spanish catalogue is complete and its committed .mo compiled from it."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES"


def test_the_shipped_catalogue_is_complete_and_compiled():
    call_command("check_translations", "--no-extract")


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "es" / "LC_MESSAGES"
    shutil.copytree(CATALOGUE, target)
    return tmp_path


def test_a_string_without_its_translation_fails(copy):
    po_path = copy / "es" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.append(polib.POEntry(msgid="A new sentence nobody translated", msgstr=""))
    po.save()
    with pytest.raises(CommandError, match="untranslated: 'A new sentence nobody translated'"):
        call_command("check_translations", "--no-extract", "--locale-dir", str(copy))


def test_a_translation_changed_but_not_compiled_fails(copy):
    po_path = copy / "es" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.translated_entries()[0].msgstr += " (cambiado)"
    po.save()
    with pytest.raises(CommandError, match="not compiled"):
        call_command("check_translations", "--no-extract", "--locale-dir", str(copy))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    call_command("check_translations", "--no-extract", "--locale-dir", str(copy))


def test_a_plural_without_all_its_forms_fails(copy):
    po_path = copy / "es" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.append(
        polib.POEntry(
            msgid="%(count)d time",
            msgid_plural="%(count)d times",
            msgstr_plural={0: "%(count)d hora", 1: "%(count)d horas"},
            flags=["python-format"],
        )
    )
    po.save()
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    with pytest.raises(CommandError, match="plural forms missing"):
        call_command("check_translations", "--no-extract", "--locale-dir", str(copy))
