import factory

from ecoquartier.projects.models import Project


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"ÉcoQuartier {n}")
    slug = factory.Sequence(lambda n: f"ecoquartier-{n}")
    summary = "Un quartier durable en renouvellement urbain."
    stage = Project.Stage.STUDIES
    is_public = True

    @factory.post_generation
    def holders(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            from tests.organisations.factories import OrganisationFactory

            extracted = [OrganisationFactory()]
        obj.holders.set(extracted)

    @factory.post_generation
    def communes(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = [h.territory for h in obj.holders.all() if h.territory_id]
        obj.communes.set(extracted)
