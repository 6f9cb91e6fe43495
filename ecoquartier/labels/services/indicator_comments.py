"""The experts' comments on the indicators of a file's performance check (labels/performance.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecoquartier.core.activity import record
from ecoquartier.labels import performance, permissions
from ecoquartier.labels.models import IndicatorComment, LabelFile

MAX_LENGTH = 2000


@transaction.atomic
def comment_indicator(user, file, indicator, text):
    """One of the file's two experts comments an indicator of its performance check, while the
    file is in expertise; the comment is on the file's and the project's timelines."""
    file = (
        LabelFile.objects.select_for_update(of=("self",)).select_related("project").get(pk=file.pk)
    )
    if not permissions.can_comment_indicators(user, file):
        raise PermissionDenied(
            _("Seuls les deux experts du dossier commentent ses indicateurs, pendant l'expertise.")
        )
    if not performance.commentable_indicators(file).filter(pk=indicator.pk).exists():
        raise ValidationError(
            {"indicator": _("Cet indicateur ne fait pas partie du bilan de ce dossier.")}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Écrivez votre commentaire.")})
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {"text": _("Le commentaire ne doit pas dépasser %d caractères.") % MAX_LENGTH}
        )
    comment = IndicatorComment.objects.create(
        file=file, indicator=indicator, author=user, text=text
    )
    record(
        user, "label.indicator_commented",
        _("Commentaire d'expert sur l'indicateur « %s »") % indicator.name,
        targets=[file, file.project], changes={"indicator": indicator.code},
    )  # fmt: skip
    return comment
