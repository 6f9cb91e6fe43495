"""Help texts and descriptions written by people are escaped on every page that shows them
(finding 5 of issue 10: a builder's help text and a criterion's description ran as HTML, only
the Content-Security-Policy stopped the script)."""

import pytest
from django.urls import reverse

from ecoquartier.applications import services
from ecoquartier.applications.models import Criterion, FormField, Review
from tests.applications.factories import review_for, submitted_application

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def assert_escaped(html):
    assert "<script>alert" not in html and "<img src=x" not in html
    assert ESCAPED in html


@pytest.mark.parametrize("kind", ["text", "long_text", "choice", "multiple", "yes_no", "date"])
def test_a_builders_help_text_is_escaped_on_the_applicants_form(client, world, kind):
    application = services.start_application(world.holder, world.call, world.commune)
    field = FormField.objects.filter(section__form__step=world.intention).first()
    FormField.objects.filter(pk=field.pk).update(
        help_text=PAYLOAD, kind=kind, choices=["Oui", "Non"]
    )
    client.force_login(world.holder)
    assert_escaped(client.get(reverse("applications:edit", args=[application.pk])).content.decode())


def test_a_builders_help_text_is_escaped_in_the_builder(client, world):
    field = FormField.objects.filter(section__form__step=world.intention).first()
    FormField.objects.filter(pk=field.pk).update(help_text=PAYLOAD)
    client.force_login(world.manager)
    page = client.get(reverse("applications:form_edit", args=[field.section.form_id]))
    html = page.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_a_criterion_description_is_escaped_on_the_review_grid(client, world):
    application = submitted_application(world)
    review = review_for(application, world.reviewers[0])
    Review.objects.filter(pk=review.pk).update(conflict=Review.Conflict.NONE)
    Criterion.objects.filter(call=world.call).update(description=PAYLOAD)
    client.force_login(world.reviewers[0])
    assert_escaped(client.get(reverse("applications:review", args=[review.pk])).content.decode())


def test_a_criterion_description_is_escaped_in_the_grid_builder(client, world):
    Criterion.objects.filter(call=world.call).update(description=PAYLOAD)
    client.force_login(world.manager)
    html = client.get(reverse("applications:grid", args=[world.call.slug])).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
