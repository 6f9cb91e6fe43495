"""The « Jalons et livrables » pages: the timeline, a deliverable's page (upload, review, files),
the programme's « what is due » table, the phase plan, the iCal feed — and their queries."""

import datetime

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecoquartier.core.models import ActivityEvent
from ecoquartier.followup import deliverables, services
from ecoquartier.followup.models import Deliverable, DeliverableState, MilestoneTemplate

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def note(support):
    return Deliverable.objects.get(follow_up=support.follow_up, title="Note de cadrage")


def pdf(name="note.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def section_url(support):
    return reverse("followup:deliverables", args=[support.follow_up.pk])


def page_url(item):
    return reverse("followup:deliverable", args=[item.follow_up_id, item.pk])


def more_deliverables(support, n):
    Deliverable.objects.bulk_create(
        Deliverable(follow_up=support.follow_up, milestone=support.follow_up.milestones.first(),
                    title=f"Compte rendu {i}", due_on=datetime.date(2025, 5, 1),
                    owner_id=support.follow_up.beneficiary_id)
        for i in range(n)
    )  # fmt: skip


def test_the_timeline_shows_milestones_deliverables_late_flags_and_the_calendar_link(
    client, support
):
    client.force_login(support.holder)
    html = client.get(section_url(support)).content.decode()
    for text in ("Cadrage", "Diagnostic", "Note de cadrage", "En retard", "abonner au calendrier"):
        assert text in html, text
    assert "Ajouter un jalon" not in html  # the holder does not plan
    client.force_login(support.expert)
    assert "Ajouter un jalon" in client.get(section_url(support)).content.decode()


def test_the_timeline_is_bounded_in_queries(client, support, django_assert_max_num_queries):
    client.force_login(support.holder)
    with django_assert_max_num_queries(20) as few:
        client.get(section_url(support))
    more_deliverables(support, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(section_url(support)).status_code == 200


def test_upload_review_and_download_through_the_pages(client, support):
    item = note(support)
    client.force_login(support.holder)
    upload = reverse("followup:deliverable_upload", args=[item.follow_up_id, item.pk])
    response = client.post(
        upload, {"depot-file": pdf(), "depot-comment": "Voici", "depot-version": item.version}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == DeliverableState.SUBMITTED
    version = item.files.get()
    download = reverse(
        "followup:deliverable_version", args=[item.follow_up_id, item.pk, version.pk]
    )
    got = client.get(download)
    assert got.status_code == 200 and "attachment" in got["Content-Disposition"]
    review = reverse("followup:deliverable_review", args=[item.follow_up_id, item.pk])
    assert (
        client.post(review, {"avis-decision": "accept", "avis-version": item.version}).status_code
        == 403
    )
    client.force_login(support.expert)
    page = client.get(page_url(item)).content.decode()
    assert "Relire le livrable" in page and "Voici" in page
    refused = client.post(
        review, {"avis-decision": "request_changes", "avis-comment": "", "avis-version": 0}
    )
    assert refused.status_code == 400
    done = client.post(
        review,
        {
            "avis-decision": "request_changes",
            "avis-comment": "Précisez",
            "avis-version": item.version,
        },
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.state == DeliverableState.CHANGES_REQUESTED
    assert "Précisez" in client.get(page_url(item)).content.decode()
    client.force_login(support.outsider)
    assert client.get(download).status_code == 404


def test_a_deliverable_page_is_bounded_in_queries(client, support, django_assert_max_num_queries):
    item = note(support)
    deliverables.upload(support.holder, item, pdf())
    client.force_login(support.expert)
    with django_assert_max_num_queries(25) as few:
        client.get(page_url(item))
    for _ in range(5):
        deliverables.review(support.expert, item, "request_changes", "Encore")
        deliverables.upload(support.holder, item, pdf())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(page_url(item)).status_code == 200


def test_the_team_adds_a_milestone_and_a_deliverable_from_the_section(client, support):
    client.force_login(support.expert)
    url = reverse("followup:milestone_add", args=[support.follow_up.pk])
    assert client.post(url, {"title": "Restitution", "due_on": "2026-06-01"}).status_code == 302
    milestone = support.follow_up.milestones.get(title="Restitution")
    url = reverse("followup:deliverable_add", args=[support.follow_up.pk])
    data = {"title": "Synthèse", "due_on": "2026-05-20", "milestone": milestone.pk}
    assert client.post(url, data).status_code == 302
    assert Deliverable.objects.get(title="Synthèse").owner_id == support.follow_up.beneficiary_id
    client.force_login(support.holder)
    assert client.get(url).status_code == 403


# --- What is due in a programme -----------------------------------------------------------------


def due_url(support, query=""):
    return reverse("followup:programme_due", args=[support.follow_up.programme.slug]) + query


def test_what_is_due_lists_unaccepted_deliverables_late_first(client, support):
    item = note(support)
    deliverables.upload(support.holder, item, pdf())
    deliverables.review(support.expert, item, "accept")
    client.force_login(support.manager)
    html = client.get(due_url(support)).content.decode()
    assert "Note de cadrage" not in html  # accepted
    assert html.index("Diagnostic partagé") < html.index("Plan d&#x27;actions")
    client.force_login(support.expert)  # on this follow-up's team
    assert "Diagnostic partagé" in client.get(due_url(support)).content.decode()


def test_what_is_due_filters_late_ones_and_by_region(client, support):
    client.force_login(support.manager)
    more = Deliverable.objects.filter(title="Plan d'actions").update(
        due_on=datetime.date(2099, 1, 1)
    )
    assert more == 1
    late = client.get(due_url(support, "?late=on")).content.decode()
    assert "Diagnostic partagé" in late and "Plan d&#x27;actions" not in late
    region = support.follow_up.region
    if region is not None:
        html = client.get(due_url(support, f"?region={region.pk}")).content.decode()
        assert "Diagnostic partagé" in html


def test_what_is_due_is_refused_to_holders_and_strangers(client, support):
    for who in ("holder", "referent", "outsider"):
        client.force_login(getattr(support, who))
        assert client.get(due_url(support)).status_code == 403, who


def test_what_is_due_is_bounded_whatever_the_number_of_follow_ups(
    client, support, django_assert_max_num_queries
):
    client.force_login(support.manager)
    with django_assert_max_num_queries(20) as few:
        client.get(due_url(support))
    for _ in range(6):
        services.open_follow_up(
            support.manager, programme=support.follow_up.programme,
            project=support.world.project, beneficiary=support.world.commune,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(due_url(support, "?late=on")).status_code == 200


# --- The phase plan -----------------------------------------------------------------------------


def test_the_managers_edit_the_phase_plan_from_a_page(client, support):
    programme = support.follow_up.programme
    url = reverse("followup:phase_plan", args=[programme.slug])
    client.force_login(support.expert)
    assert client.get(url).status_code == 403
    client.force_login(support.manager)
    assert "Diagnostic partagé" in client.get(url).content.decode()
    data = {
        "phases-TOTAL_FORMS": "1", "phases-INITIAL_FORMS": "0",
        "phases-0-title": "Atelier", "phases-0-offset_months": "2",
        "phases-0-deliverables": "Compte rendu\nCarte",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    plan = list(MilestoneTemplate.objects.filter(programme=programme))
    assert [(t.title, t.deliverables) for t in plan] == [("Atelier", ["Compte rendu", "Carte"])]


# --- The iCal feed ------------------------------------------------------------------------------


def feed(client, user):
    response = client.get(reverse("followup:calendar", args=[deliverables.calendar_token(user)]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content.decode()


def unfold(text):
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_the_feed_is_rfc_5545_text_with_the_user_s_due_dates(client, support):
    more_deliverables(support, 1)
    Deliverable.objects.filter(title="Compte rendu 0").update(
        title="Compte rendu, réunion; suite " + "très longue " * 10
    )
    text = feed(client, support.holder)  # anonymous: calendar apps have no session
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events = lines.count("BEGIN:VEVENT")
    assert events == lines.count("END:VEVENT") == 4 + 4  # milestones + deliverables
    assert any(line.startswith("SUMMARY:Livrable : Note de cadrage") for line in lines)
    assert "DTSTART;VALUE=DATE:20250401" in lines
    assert all(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines
               if line.startswith("DTSTAMP"))  # fmt: skip
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == events
    assert any("Compte rendu\\, réunion\\; suite" in line for line in lines)


def test_the_feed_holds_only_what_its_user_may_see(client, support):
    assert "BEGIN:VEVENT" not in feed(client, support.outsider)
    assert "Note de cadrage" in feed(client, support.referent)


def test_a_token_opens_its_user_s_feed_only(client, support):
    holder, outsider = support.holder, support.outsider
    assert deliverables.calendar_token(holder) != deliverables.calendar_token(outsider)
    assert deliverables.calendar_user(deliverables.calendar_token(outsider)) == outsider
    # The holder's payload under the outsider's signature.
    payload = deliverables.calendar_token(holder).split(":")[0]
    signature = deliverables.calendar_token(outsider).split(":", 1)[1]
    forged = f"{payload}:{signature}"
    assert deliverables.calendar_user(forged) is None
    url = reverse("followup:calendar", args=[deliverables.calendar_token(holder) + "x"])
    assert client.get(url).status_code == 404


def test_a_renewed_address_closes_the_earlier_ones(client, support):
    holder = support.holder
    first = deliverables.calendar_token(holder)
    # An address given before they had versions signs the pk alone: it opens version 1.
    unversioned = signing.dumps(holder.pk, salt=deliverables.CALENDAR_SALT)
    assert deliverables.calendar_user(unversioned) == holder
    client.force_login(holder)
    response = client.post(reverse("followup:calendar_renew", args=[support.follow_up.pk]))
    assert response.status_code == 302 and response.url.endswith("#agenda")
    client.logout()  # calendar apps have no session
    for earlier in (first, unversioned):
        assert client.get(reverse("followup:calendar", args=[earlier])).status_code == 404
    second = deliverables.calendar_token(holder)
    assert second != first and "BEGIN:VCALENDAR" in feed(client, holder)
    deliverables.renew_calendar(holder)
    assert client.get(reverse("followup:calendar", args=[second])).status_code == 404
    assert ActivityEvent.objects.filter(verb="followup.calendar_renewed").count() == 2
    # The others' addresses are untouched.
    assert deliverables.calendar_user(deliverables.calendar_token(support.manager)) == (
        support.manager
    )


def test_the_feed_is_bounded_in_queries(client, support, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as few:
        feed(client, support.manager)
    more_deliverables(support, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        feed(client, support.manager)
