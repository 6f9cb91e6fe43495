"""What the application page shows of opinions ("avis") and private annotations, by role: the
instructors see every opinion, the form to ask one and the annotations; the person asked sees
their question and answers it. A fixed number of queries whatever the number of opinions."""

from django.db.models import Prefetch

from ecoquartier.applications import opinions, permissions
from ecoquartier.applications.forms import AnnotationForm, AnswerOpinionForm, AskOpinionForm
from ecoquartier.applications.models import OpinionFile
from ecoquartier.calls.permissions import can_manage_programme


def context(user, application, *, ask_form=None, answer_form=None, annotation_form=None):
    is_instructor = permissions.is_instructor(user, application)
    if not is_instructor and not permissions.is_asked_opinion(user, application):
        return {}
    rows = list(
        permissions.visible_opinions(user, application)
        .select_related("expert", "asked_by")
        .prefetch_related(Prefetch("files", queryset=OpinionFile.objects.order_by("pk")))
    )
    for opinion in rows:
        if permissions.can_answer_opinion(user, opinion):
            bound = (
                answer_form
                if answer_form is not None and answer_form.opinion_pk == opinion.pk
                else None
            )
            opinion.answer_form = bound or AnswerOpinionForm(prefix=f"avis{opinion.pk}")
    result = {"opinions": rows}
    if is_instructor:
        answered = sum(1 for opinion in rows if opinion.is_answered)
        result["opinion_count"] = f"{answered}/{len(rows)}" if rows else ""
        result["ask_form"] = ask_form or AskOpinionForm(
            choices=opinions.expert_choices(application)
        )
        result["manages_programme"] = can_manage_programme(user, application.call.programme)
    if permissions.can_annotate(user, application):
        result["annotations"] = application.annotations.select_related("author")
        result["annotation_form"] = annotation_form or AnnotationForm()
    return result
