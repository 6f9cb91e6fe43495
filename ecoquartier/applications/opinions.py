"""Opinions ("avis") and private annotations on applications, and each programme's usual
experts (issue 13). Services: atomic, permission-checked (permissions.py), logged.

An instructor asks one or more addresses a question. An address with an account is asked at
once (`Opinion.expert`); any other is an outside expert, e-mailed a signed link: following it
with the account of that address — created on the spot if there is none — binds the opinion to
it (as co-applicant invitations do). The expert answers once, with text and files.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoquartier.applications import permissions
from ecoquartier.applications.models import Annotation, Opinion, OpinionFile, UsualExpert
from ecoquartier.core import uploads
from ecoquartier.core.activity import record
from ecoquartier.core.files import download_name
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.territories.models import TerritoryAncestor

OPINION_SALT = "applications.opinion"
OPINION_MAX_AGE = 60 * 60 * 24 * 60
MAX_ASKED = 20  # addresses per request
UPLOAD_PROFILE = "message"


def _normalised(emails):
    seen = []
    for email in emails:
        email = email.strip().lower()
        if email and email not in seen:
            seen.append(email)
    return seen


# --- Who to ask ----------------------------------------------------------------------------------


def application_departement_ids(application):
    """The départements of the application's project (its communes), else of the applicant."""
    commune_ids = []
    if application.project_id:
        commune_ids = list(application.project.communes.values_list("pk", flat=True))
    if not commune_ids and application.territory_id:
        commune_ids = [application.territory_id]
    return TerritoryAncestor.objects.filter(
        descendant_id__in=commune_ids, ancestor__kind="departement"
    ).values("ancestor_id")


def suggested_referents(application):
    """State referents of the DDT(M) or DREAL unit whose territory is the département of the
    application's project: who is suggested first when asking for an opinion."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Membership.Role.STATE_REFERENT,
            memberships__organisation__kind__in=(Organisation.Kind.DDT, Organisation.Kind.DREAL),
            memberships__organisation__territory_id__in=application_departement_ids(application),
        )
        .distinct()
        .order_by("email")
    )


def expert_choices(application):
    """(email, label) to pick from: the suggested State referents, then the programme's usual
    experts. Two queries."""
    choices = {}
    for user in suggested_referents(application).prefetch_related("memberships__organisation"):
        services = ", ".join(
            str(m.organisation)
            for m in user.memberships.all()
            if m.role == Membership.Role.STATE_REFERENT
        )
        name = user.get_full_name() or user.email
        choices[user.email.lower()] = _("%(name)s — référent État, %(service)s (suggéré)") % {
            "name": name,
            "service": services,
        }
    for usual in UsualExpert.objects.filter(programme_id=application.call.programme_id):
        choices.setdefault(usual.email, str(usual))
    return list(choices.items())


# --- Asking and answering ------------------------------------------------------------------------


def opinion_token(opinion):
    return signing.dumps({"opinion": opinion.pk, "email": opinion.email}, salt=OPINION_SALT)


@transaction.atomic
def ask_opinion(user, application, question, emails):
    """Ask each address `question`; returns the new opinions. An address already asked and not
    answered yet is refused (and nothing is asked)."""
    if not permissions.can_ask_opinion(user, application):
        raise PermissionDenied
    emails = _normalised(emails)
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Posez votre question.")})
    if not emails:
        raise ValidationError({"emails": _("Choisissez au moins une personne à qui demander.")})
    if len(emails) > MAX_ASKED:
        raise ValidationError(
            {"emails": _("Au plus %(n)s personnes à la fois.") % {"n": MAX_ASKED}}
        )
    pending = set(
        Opinion.objects.pending()
        .filter(application=application, email__in=emails)
        .values_list("email", flat=True)
    )
    if pending:
        raise ValidationError(
            {"emails": _("Un avis est déjà demandé à : %s.") % ", ".join(sorted(pending))}
        )
    accounts = {
        u.email.lower(): u
        for u in get_user_model().objects.filter(is_active=True, email__in=emails)
    }
    opinions = []
    for email in emails:
        opinion = Opinion.objects.create(
            application=application,
            question=question,
            email=email,
            expert=accounts.get(email),
            asked_by=user,
        )
        # One event per person: each is told (notifying.py reads the opinion).
        record(
            user,
            "application.opinion_requested",
            _("Avis demandé à %s") % email,
            targets=[application, opinion],
        )
        opinions.append(opinion)
    return opinions


def _opinion_from_token(token):
    try:
        data = signing.loads(token, salt=OPINION_SALT, max_age=OPINION_MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError(
            _("Ce lien de demande d’avis n’est pas valide ou a expiré.")
        ) from error
    opinion = (
        Opinion.objects.select_for_update()
        .select_related("application")
        .filter(pk=data["opinion"], email=data["email"])
        .first()
    )
    if opinion is None:
        raise ValidationError(_("Cette demande d’avis a été retirée."))
    return opinion


def invited_address(token):
    """The address a valid link was sent to, or None."""
    try:
        return signing.loads(token, salt=OPINION_SALT, max_age=OPINION_MAX_AGE)["email"]
    except signing.BadSignature:
        return None


@transaction.atomic
def accept_opinion(user, token):
    """The signed link proves the e-mail was received; only the account of the address asked
    takes the request (whoever else holds the link is refused, and nothing changes)."""
    opinion = _opinion_from_token(token)
    if not permissions.may_accept_opinion(user, opinion):
        raise ValidationError(
            _(
                "Cette demande d’avis a été adressée à une autre adresse électronique que celle "
                "de votre compte : connectez-vous avec le compte de cette adresse."
            )
        )
    if opinion.expert_id is None:
        opinion.expert = user
        opinion.save(update_fields=["expert"])
        record(
            user,
            "application.opinion_accepted",
            _("Demande d’avis acceptée par %s") % opinion.email,
            targets=[opinion.application],
        )
    return opinion


@transaction.atomic
def create_expert_account(token, password, first_name="", last_name=""):
    """An outside expert without an account creates one for the address asked (and only that
    one), then takes the request. Returns the opinion."""
    opinion = _opinion_from_token(token)
    users = get_user_model().objects
    if users.filter(email__iexact=opinion.email).exists():
        raise ValidationError(_("Un compte existe déjà pour cette adresse : connectez-vous."))
    user = users.create_user(
        email=opinion.email, password=password, first_name=first_name, last_name=last_name
    )
    record(
        user,
        "account.created",
        _("Compte créé pour donner un avis : %s") % opinion.email,
        targets=[user],
    )
    return accept_opinion(user, token)


@transaction.atomic
def answer_opinion(user, opinion, answer, files=()):
    """The expert's answer, with files (checked as message attachments); given once."""
    opinion = Opinion.objects.select_for_update().select_related("application").get(pk=opinion.pk)
    if opinion.expert_id != user.pk:
        raise PermissionDenied
    if opinion.is_answered:
        raise ValidationError(_("Cet avis est déjà donné."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Rédigez votre avis.")})
    for upload in files:
        uploads.validate(upload, UPLOAD_PROFILE)
    opinion.answer, opinion.answered_at = answer, timezone.now()
    opinion.save(update_fields=["answer", "answered_at"])
    for upload in files:
        OpinionFile.objects.create(
            opinion=opinion, file=upload, name=download_name(upload.name)[:255], size=upload.size
        )
    record(
        user,
        "application.opinion_given",
        _("Avis donné par %s") % (user.get_full_name() or user.email),
        targets=[opinion.application, opinion],
    )
    return opinion


def pending(user):
    """(number, oldest request date) of the opinions asked of `user` and not given yet, in one
    query (cached on the user for the request)."""
    if not user.is_authenticated:
        return 0, None
    if not hasattr(user, "_eq_pending_opinions"):
        found = (
            Opinion.objects.pending()
            .filter(expert=user)
            .aggregate(n=Count("pk"), oldest=Min("asked_at"))
        )
        user._eq_pending_opinions, user._eq_oldest_opinion = found["n"], found["oldest"]
    return user._eq_pending_opinions, getattr(user, "_eq_oldest_opinion", None)


def pending_count(user):
    return pending(user)[0]


def counts(application_ids):
    """{application id: "avis 1/2"} for the applications with opinions asked (one query)."""
    return {
        pk: _("avis %(answered)s/%(asked)s") % {"answered": answered, "asked": asked}
        for pk, (answered, asked) in Opinion.objects.counts(application_ids).items()
    }


# --- Private annotations -------------------------------------------------------------------------


@transaction.atomic
def annotate(user, application, body):
    if not permissions.can_annotate(user, application):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Écrivez l’annotation.")})
    annotation = Annotation.objects.create(application=application, author=user, body=body)
    # The body stays out of the log: the timeline shows that a note was added, to instructors.
    record(user, "application.annotated", _("Annotation privée ajoutée"), targets=[application])
    return annotation


# --- Usual experts of a programme ----------------------------------------------------------------


@transaction.atomic
def add_usual_expert(user, programme, email, label=""):
    if not permissions.can_manage_usual_experts(user, programme):
        raise PermissionDenied
    email = email.strip().lower()
    if UsualExpert.objects.filter(programme=programme, email=email).exists():
        raise ValidationError({"email": _("Cette adresse est déjà dans la liste.")})
    usual = UsualExpert.objects.create(programme=programme, email=email, label=label.strip())
    record(
        user, "programme.usual_expert_added", _("Expert habituel ajouté : %s") % usual,
        targets=[programme],
    )  # fmt: skip
    return usual


@transaction.atomic
def remove_usual_expert(user, usual):
    if not permissions.can_manage_usual_experts(user, usual.programme):
        raise PermissionDenied
    record(
        user, "programme.usual_expert_removed", _("Expert habituel retiré : %s") % usual,
        targets=[usual.programme],
    )  # fmt: skip
    usual.delete()
