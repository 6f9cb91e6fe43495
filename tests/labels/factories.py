"""The cast of a label campaign: Saint-Ouen and its Docks project, the State services of the
Seine-Saint-Denis and Île-de-France, the DGALN running the campaign, Cerema experts."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ecoquartier.calls.models import Programme
from ecoquartier.indicators import loader
from ecoquartier.indicators import services as indicator_services
from ecoquartier.indicators.models import IndicatorSet
from ecoquartier.labels import performance, services
from ecoquartier.labels.models import LabelStage
from ecoquartier.labels.schemes import load_schemes
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.territories.services import france
from tests.accounts.factories import UserFactory
from tests.calls.factories import ProgrammeFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory
from tests.projects.factories import ProjectFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def stage(code):
    return LabelStage.objects.get(code=code)


def member(organisation, role, **user):
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user)).user


def signed_pdf(name="charte-signee.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def calendar(now=None):
    """A campaign calendar whose file deadline is still ahead."""
    now = now or timezone.now()
    days = {"pre_application": 10, "file_deadline": 30, "expertise_end": 60,
            "local_commissions": 90, "national_commission": 120, "ceremony": 150}  # fmt: skip
    return {key: now + timedelta(days=n) for key, n in days.items()}


@dataclass
class World:
    idf: object
    seine_saint_denis: object
    saint_ouen_commune: object
    saint_ouen: Organisation
    holder: object
    project: object
    ud93: Organisation
    referent: object
    drieat: Organisation
    dgaln: Organisation
    manager: object
    cerema: Organisation
    experts: list
    programme: Programme
    campaign: object = None


def national_set():
    """The national indicator set (data/indicators/2023.yaml), current; needs the référentiel."""
    if IndicatorSet.objects.filter(code="2023").exists():
        return IndicatorSet.objects.get(code="2023")
    return loader.load(loader.DATA_DIR / "2023.yaml").indicator_set


def base_indicator(code="CC-04"):
    return national_set().indicators.get(code=code)


def record_base_values(world, project=None, code="CC-04", target="35", achieved="32"):
    """The holder's target (2030) and a measurement of a national-base indicator."""
    project = project or world.project
    indicator = base_indicator(code)
    indicator_services.record_value(
        world.holder, project, indicator, kind="target", value=target, year=2030
    )
    indicator_services.record_value(
        world.holder, project, indicator, kind="measurement", value=achieved,
        date=timezone.localdate() - timedelta(days=30),
    )  # fmt: skip
    return indicator


def build_world(*, with_campaign=True, public=True):
    load_schemes()
    national_set()
    idf = RegionFactory(code="11", name="Île-de-France")
    seine_saint_denis = DepartementFactory(code="93", name="Seine-Saint-Denis", region=idf)
    commune = CommuneFactory(
        code="93070", name="Saint-Ouen-sur-Seine", population=52000, departement=seine_saint_denis
    )
    saint_ouen = OrganisationFactory(territory=commune, name="Ville de Saint-Ouen-sur-Seine")
    project = ProjectFactory(
        holders=[saint_ouen], name="Écoquartier des Docks", slug="ecoquartier-des-docks",
        is_public=public, dwellings=4000, social_dwellings=1400,
    )  # fmt: skip
    ud93 = OrganisationFactory(
        kind=Organisation.Kind.DREAL, territory=seine_saint_denis,
        name="Unité départementale de la Seine-Saint-Denis de la DRIEAT",
    )  # fmt: skip
    drieat = OrganisationFactory(
        kind=Organisation.Kind.DREAL, territory=idf, name="DRIEAT Île-de-France"
    )
    dgaln = OrganisationFactory(kind=Organisation.Kind.DGALN, territory=france(), name="DGALN")
    cerema = OrganisationFactory(
        kind=Organisation.Kind.PUBLIC_OPERATOR, territory=None, name="Cerema", acronym="Cerema"
    )
    programme = ProgrammeFactory(
        kind=Programme.Kind.LABEL, name="Label ÉcoQuartier", slug="label-ecoquartier", owner=dgaln
    )
    world = World(
        idf, seine_saint_denis, commune, saint_ouen,
        member(saint_ouen, Membership.Role.PROJECT_HOLDER, first_name="Camille",
               last_name="Durand"),
        project, ud93,
        member(ud93, Membership.Role.STATE_REFERENT, first_name="Karim", last_name="Benali"),
        drieat, dgaln,
        member(dgaln, Membership.Role.PROGRAMME_MANAGER, first_name="Sophie", last_name="Garnier"),
        cerema,
        [member(cerema, Membership.Role.EXPERT, first_name=f, last_name=n)
         for f, n in (("Julien", "Lefèvre"), ("Anne", "Martin"), ("Paul", "Bernard"))],
        programme,
    )  # fmt: skip
    if with_campaign:
        world.campaign = services.create_campaign(
            world.manager, programme, timezone.localdate().year, calendar(), perimeter=france()
        )
    return world


def sign_and_acknowledge(world, project=None, holder=None, organisation=None):
    project = project or world.project
    charter = services.sign_charter(
        holder or world.holder, project, organisation=organisation or world.saint_ouen,
        text_version="Charte ÉcoQuartier 2023", signatory_name="Karim Bouamrane",
        signatory_office="Maire", deliberation_date=date(2024, 3, 12), document=signed_pdf(),
    )  # fmt: skip
    services.acknowledge_charter(world.referent, charter)
    return charter


def commitments(text="Notre démarche pour cet engagement."):
    return dict.fromkeys(range(1, 21), text)


def apply(world, stage_code="livre", *, with_values=True, **kwargs):
    """Apply for the stage; for one that requires indicators, the holder first records a target
    and a measurement of a national-base indicator (unless `with_values=False`)."""
    project = kwargs.get("project", world.project)
    needs_values = with_values and stage(stage_code).requires_indicators
    if needs_values and not performance.has_base_values(project):
        record_base_values(world, project)
    return services.apply(
        world.holder, world.campaign, kwargs.pop("project", world.project),
        organisation=kwargs.pop("organisation", world.saint_ouen),
        target_stage=stage(stage_code), commitments=kwargs.pop("commitments", commitments()),
        **kwargs,
    )  # fmt: skip


def expertise_done(world, file):
    """Assign the experts, write and submit the expertise, give the opinion."""
    from ecoquartier.core import workflows

    coordinator, second = world.experts[:2]
    file = services.assign_experts(world.manager, file, coordinator=coordinator, second=second)
    file.expertise.answers.update(level=3, narrative="Constat des experts.")
    workflows.fire(file.expertise, "submit", coordinator)
    file = services.schedule_visit(coordinator, file, timezone.localdate())
    return services.give_opinion(
        coordinator, file, verdict="favourable", opinion="Projet exemplaire."
    )


def local_session(world):
    return services.open_session(
        world.referent, world.campaign, level="local", organisation=world.ud93,
        held_on=date(world.campaign.year, 10, 8), members="Karim Benali (UD DRIEAT 93)\nAMF",
    )  # fmt: skip


def national_session(world):
    return services.open_session(
        world.manager, world.campaign, level="national", organisation=world.dgaln,
        held_on=date(world.campaign.year, 11, 28), members="Président de la commission nationale",
    )  # fmt: skip
