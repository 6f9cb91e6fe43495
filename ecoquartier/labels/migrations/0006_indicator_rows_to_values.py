"""Move the free-text indicator rows of the label files (IndicatorRow: label, unit, target,
achieved) into the indicators app, before 0007 removes them.

For each row:
- the indicator: the national one of the current set with the same name (ignoring case, accents
  and punctuation) and the same unit (or none given); otherwise a custom indicator of the
  file's project, one per name and project;
- the target becomes an `IndicatorValue` of kind target for the campaign's year, the achieved
  value a measurement dated on the file's submission — read as decimals: French comma, spaces
  between thousands and a trailing unit are accepted ("4 000 logements", "1,5 ha", "35 %");
- what cannot be read as a number (or falls outside the indicator's bounds) is never dropped:
  it becomes a comment of the file on that indicator ("valeur non numérique ou hors bornes :
  objectif « … »"),
  shown in the file's performance check.
Values are reserved to the State services and experts (the rows were read by the file's
readers only); the holders see and may change them.

Reverse: nothing is undone (0007's reverse recreates an empty table).
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.db import migrations
from django.utils import timezone

THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")
NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(.*)$", re.S)
LOOSE_DIGIT = re.compile(r"(?:^|[^\w])\d")  # a number in the rest, not "CO2"
LARGEST = Decimal(10) ** 12  # the values' columns: 16 digits, 4 decimals
SOURCE = "Dossier de labellisation (repris)"


def parse(text):
    """A Decimal from a free-text value, or None when it is not plainly one number."""
    text = THOUSANDS.sub("", (text or "").strip())
    match = NUMBER.match(text)
    if match is None or LOOSE_DIGIT.search(match.group(2)):
        return None
    try:
        number = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover — the pattern is a number
        return None
    if abs(number) >= LARGEST or -number.as_tuple().exponent > 4:
        return None
    return number


def normalize(text):
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w%²³/]+", " ", text).split())


def decimals(*numbers):
    return max([-n.as_tuple().exponent for n in numbers if n is not None] + [0])


class Mover:
    def __init__(self, apps):
        self.Indicator = apps.get_model("indicators", "Indicator")
        self.IndicatorSet = apps.get_model("indicators", "IndicatorSet")
        self.IndicatorValue = apps.get_model("indicators", "IndicatorValue")
        self.IndicatorComment = apps.get_model("labels", "IndicatorComment")
        self.indicator_set = None
        self.national = {}
        self.custom = {}

    def start(self):
        sets = self.IndicatorSet.objects.order_by("-is_current", "-published_on")
        self.indicator_set = sets.first() or self.IndicatorSet.objects.create(
            code="labels", title="Indicateurs repris des dossiers de labellisation",
            published_on=timezone.localdate(), is_current=False,
        )  # fmt: skip
        for indicator in self.Indicator.objects.filter(
            indicator_set=self.indicator_set, project=None, programme=None
        ):
            self.national.setdefault(normalize(indicator.name), indicator)

    def indicator(self, row, project, numbers):
        found = self.national.get(normalize(row.label))
        if found is not None and normalize(row.unit) in ("", normalize(found.unit)):
            return found
        key = (project.pk, normalize(row.label), normalize(row.unit))
        if key not in self.custom:
            self.custom[key] = self.Indicator.objects.create(
                indicator_set=self.indicator_set, project=project, code=f"DOS-{row.pk}"[:20],
                name=row.label[:200], unit=row.unit[:40], precision=decimals(*numbers),
                direction="higher", challenge="key_figures", source="declared",
                definition="Indicateur repris d'un dossier de labellisation.", order=1000,
            )  # fmt: skip
        return self.custom[key]

    def move(self, row):
        file = row.file
        project, year = file.project, file.campaign.year
        submitted = file.application.submitted_at or file.created_at
        day = timezone.localtime(submitted).date() if submitted else None
        target, achieved = parse(row.target), parse(row.achieved)
        indicator = self.indicator(row, project, (target, achieved))
        target, achieved = (self.within(indicator, n) for n in (target, achieved))
        common = {"project": project, "indicator": indicator, "source": SOURCE,
                  "visibility": "restricted", "comment": f"Repris du dossier de "
                  f"labellisation « {file.target_stage.name} » (campagne {year})."}  # fmt: skip
        if target is not None:
            self.IndicatorValue.objects.create(kind="target", value=target, year=year, **common)
        if achieved is not None and day is not None:
            self.IndicatorValue.objects.create(
                kind="measurement", value=achieved, date=day, **common
            )
        unread = [
            f"{what} « {text} »"
            for what, text, number in (("objectif", row.target, target),
                                       ("valeur atteinte", row.achieved, achieved))
            if text.strip() and number is None
        ]  # fmt: skip
        if unread:
            self.IndicatorComment.objects.create(
                file=file, indicator=indicator,
                text="Repris du dossier — valeur non numérique ou hors bornes : " + " ; ".join(unread) + ".",
            )  # fmt: skip

    @staticmethod
    def within(indicator, number):
        if number is None:
            return None
        low, high = indicator.min_value, indicator.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            return None
        return number


def forwards(apps, schema_editor):
    IndicatorRow = apps.get_model("labels", "IndicatorRow")
    rows = IndicatorRow.objects.select_related(
        "file__project", "file__campaign", "file__application", "file__target_stage"
    ).order_by("file", "position", "pk")
    if not rows.exists():
        return
    mover = Mover(apps)
    mover.start()
    for row in rows:
        mover.move(row)


class Migration(migrations.Migration):
    dependencies = [
        ("labels", "0005_indicator_comments"),
        ("indicators", "0003_value_import_checks"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
