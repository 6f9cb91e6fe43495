"""What the assessment page shows per dimension and per commitment, built in a fixed number of
queries (answers, questions, evidence, gaps, syntheses) whatever is already answered."""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ecoquartier.assessments.forms import AnswerForm, EvidenceForm, GapForm, SynthesisForm
from ecoquartier.assessments.models import Answer, Evidence, Gap, Level


def answer_form(answer, data=None):
    return AnswerForm(
        data,
        prefix=f"a{answer.pk}",
        initial={"level": answer.level, "narrative": answer.narrative, "revision": answer.revision},
    )


def synthesis_form(synthesis, data=None):
    return SynthesisForm(
        data,
        prefix=f"s{synthesis.pk}",
        initial={"text": synthesis.text, "revision": synthesis.revision},
    )


def level_choices(form):
    current = form["level"].value()
    current = "" if current is None else str(current)
    return [(value, label, str(value) == current) for value, label in Level.choices]


@dataclass
class AnswerBlock:
    answer: Answer
    form: AnswerForm | None = None
    saved: bool = False
    # Set when someone else saved first: their version is shown, ours is kept aside.
    conflict: bool = False
    unsaved: dict | None = None
    evidence_form: EvidenceForm | None = None
    gap_form: GapForm | None = None

    @property
    def level_choices(self):
        return level_choices(self.form) if self.form else []

    @property
    def prefix(self):
        return f"a{self.answer.pk}"

    @property
    def level_radios(self):
        """The level's radio buttons in DSFR markup, written here: a page shows eighty of them
        (five per commitment), and the template loop cost more than the rest of the form."""
        prefix = self.prefix
        radios = []
        for value, label, checked in self.level_choices:
            ident = f"{prefix}-level-{value}"
            radios.append(
                '<div class="fr-fieldset__element fr-fieldset__element--inline">'
                '<div class="fr-radio-group">'
                f'<input type="radio" id="{ident}" name="{prefix}-level" value="{value}"'
                f"{' checked' if checked else ''}>"
                f'<label class="fr-label" for="{ident}">{value} — {escape(label)}</label>'
                "</div></div>"
            )
        return mark_safe("\n".join(radios))

    @cached_property
    def texts(self):
        """The block's sentences with its commitment's number, translated once here rather than
        by a `{% blocktranslate %}` each (the same messages: a page has a hundred of them)."""
        commitment = self.answer.commitment
        number = {"number": commitment.number}
        texts = {
            **_constant_texts(),
            "heading": escape(
                _("Engagement %(number)s : %(title)s")
                % {"number": commitment.number, "title": commitment.title}
            ),
            "level_legend": _("Niveau de maturité de l’engagement %(number)s") % number,
            "narrative_label": _("Analyse de l’engagement %(number)s") % number,
            "save": _("Enregistrer l’engagement %(number)s") % number,
            "add_evidence": _("Ajouter une pièce à l’engagement %(number)s") % number,
            "add_gap": _("Relever un écart sur l’engagement %(number)s") % number,
            "gaps_caption": _("Écarts relevés sur l’engagement %(number)s") % number,
        }
        if self.form is not None:
            value = self.form["narrative"].value()
            texts["counter"] = _("%(count)s / %(max)s caractères") % {
                "count": len(value or ""),
                "max": self.form.fields["narrative"].max_length,
            }
        return texts

    @property
    def save_url(self):
        return answer_url("assessments:answer", self.answer)

    @property
    def evidence_add_url(self):
        return answer_url("assessments:evidence_add", self.answer)

    @property
    def gap_add_url(self):
        return answer_url("assessments:gap_add", self.answer)


_CONSTANT_TEXTS = {}


def _constant_texts():
    """The sentences every block shows alike, translated once per language (a page has twenty
    blocks, each translating them by a `{% translate %}` tag cost a tenth of the page)."""
    language = get_language()
    if language not in _CONSTANT_TEXTS:
        _CONSTANT_TEXTS[language] = {
            "questions": _("Questions guides"),
            "counter_template": _("{count} / {max} caractères"),
            "evidence_title": _("Pièces justificatives"),
            "no_evidence": _("Aucune pièce jointe."),
            "open_evidence_form": _("Ouvrir le formulaire d’ajout"),
            "gaps_title": _("Écarts et propositions"),
            "no_gaps": _("Aucun écart relevé."),
            "open_gap_form": _("Ouvrir le formulaire d’écart"),
        }
    return _CONSTANT_TEXTS[language]


_MARKS = {"pk": 987654321, "answer_pk": 987654322}
_URL_PATTERNS = {}


def answer_url(name, answer):
    """`reverse(name, kwargs={"pk": assessment, "answer_pk": answer})`, from a pattern reversed
    once per URL name and script prefix: a page reverses three for each of its twenty blocks."""
    key = (name, get_script_prefix())
    if key not in _URL_PATTERNS:
        _URL_PATTERNS[key] = reverse(name, kwargs=_MARKS)
    return (
        _URL_PATTERNS[key]
        .replace(str(_MARKS["pk"]), str(answer.assessment_id))
        .replace(str(_MARKS["answer_pk"]), str(answer.pk))
    )


@dataclass
class DimensionGroup:
    dimension: object
    synthesis: object
    synthesis_form: SynthesisForm | None
    blocks: list = field(default_factory=list)


def answers_for_page(assessment):
    return (
        assessment.answers.select_related("commitment__dimension", "updated_by")
        .prefetch_related(
            "commitment__questions",
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
            Prefetch("gaps", queryset=Gap.objects.order_by("priority_rank", "pk")),
        )
        .order_by("commitment__number")
    )


def make_block(answer, editable, **kwargs):
    """The evidence and gap forms are only set to show them with errors; otherwise the page
    fetches them when their panel opens (see evidence_form() and gap_form())."""
    if editable:
        kwargs.setdefault("form", answer_form(answer))
    return AnswerBlock(answer, **kwargs)


def evidence_form(answer, data=None, files=None):
    return EvidenceForm(data, files, prefix=f"e{answer.pk}")


def gap_form(answer, data=None):
    return GapForm(data, prefix=f"g{answer.pk}")


def build_groups(assessment, *, editable, overrides=None):
    """Dimensions in order, each with its synthesis and commitment blocks.

    `overrides` maps an answer pk to a ready-made AnswerBlock (a form with errors or a conflict).
    """
    overrides = overrides or {}
    syntheses = {s.dimension_id: s for s in assessment.syntheses.select_related("updated_by").all()}
    groups = {}
    for answer in answers_for_page(assessment):
        answer.assessment = assessment
        dimension = answer.commitment.dimension
        group = groups.get(dimension.pk)
        if group is None:
            synthesis = syntheses.get(dimension.pk)
            form = synthesis_form(synthesis) if editable and synthesis else None
            group = groups[dimension.pk] = DimensionGroup(dimension, synthesis, form)
        group.blocks.append(overrides.get(answer.pk) or make_block(answer, editable))
    return list(groups.values())
