"""The ÉcoQuartier charter signed online and acknowledged by the State (F-41)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.core import uploads
from ecoquartier.core.activity import record
from ecoquartier.core.files import download_name
from ecoquartier.labels import permissions
from ecoquartier.labels.models import (
    Charter,
    LabelScheme,
)
from ecoquartier.labels.services.history import record_step, region_of


@transaction.atomic
def sign_charter(user, project, *, organisation, text_version, signatory_name, signatory_office,
                 deliberation_date, document):  # fmt: skip
    """The holder authority signs the charter online; the State referent is asked to
    acknowledge it."""
    if not permissions.can_sign_charter(user, project):
        raise PermissionDenied
    if organisation not in permissions.applicant_organisations(user, project):
        raise PermissionDenied
    if Charter.objects.filter(project=project).exists():
        raise ValidationError(_("La charte de ce projet est déjà signée."))
    if deliberation_date > timezone.localdate():
        raise ValidationError(_("La date de la délibération ne peut pas être dans le futur."))
    uploads.validate(document, "charter")
    scheme = LabelScheme.objects.current()
    if scheme is None:
        raise ValidationError(_("Les parcours du label ne sont pas chargés."))
    charter = Charter(
        project=project,
        scheme=scheme,
        organisation=organisation,
        text_version=text_version,
        signatory_name=signatory_name,
        signatory_office=signatory_office,
        deliberation_date=deliberation_date,
        document_name=download_name(document.name)[:255],
        signed_by=user,
        signed_at=timezone.now(),
        region=region_of(project),
    )
    charter.document.save(document.name, document, save=False)
    charter.save()
    record(
        user,
        "label.charter_signed",
        _("Charte ÉcoQuartier signée par %(name)s, %(office)s")
        % {"name": signatory_name, "office": signatory_office},
        targets=[charter, project],
    )
    return charter


@transaction.atomic
def acknowledge_charter(user, charter):
    """The State referent acknowledges the charter: the project enters the first stage."""
    charter = (
        Charter.objects.select_for_update().select_related("project", "scheme").get(pk=charter.pk)
    )
    if not permissions.can_acknowledge_charter(user, charter):
        raise PermissionDenied
    if charter.is_acknowledged:
        raise ValidationError(_("Cette charte a déjà été prise en compte."))
    charter.acknowledged_by, charter.acknowledged_at = user, timezone.now()
    charter.save(update_fields=["acknowledged_by", "acknowledged_at"])
    stage = charter.scheme.first_stage()
    service = next(
        (m.organisation for m in user.memberships.select_related("organisation")
         if m.organisation.is_state_service), None,
    )  # fmt: skip
    step = record_step(
        user,
        charter.project,
        stage,
        decided_on=timezone.localdate(),
        deciding_body=str(service or _("Services de l'État")),
        reference=_("Charte signée, délibération du %s")
        % charter.deliberation_date.strftime("%d/%m/%Y"),
        charter=charter,
    )
    record(
        user, "label.charter_acknowledged", _("Charte ÉcoQuartier prise en compte par l'État"),
        targets=[charter, charter.project],
    )  # fmt: skip
    return step
