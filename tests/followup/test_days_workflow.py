"""The expertise requests' workflow on the engine: each transition fired by someone allowed
(logged, recorded, mailed), refused to a wrong role, refused by its guard with a French reason.

`EXPERTISE_REQUEST_CASES` has the shape of tests/core/test_workflows.py's `CASES` entries, so
that the engine's table can list it: `CASES["expertise_request"] = EXPERTISE_REQUEST_CASES`.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from ecoquartier.core import workflows
from ecoquartier.core.models import ActivityEvent, TransitionLog
from ecoquartier.followup import days, services
from ecoquartier.followup.days import REQUEST
from ecoquartier.followup.models import Domain, SupportActivity
from tests.calls.factories import build_geography
from tests.followup.factories import build_support

pytestmark = pytest.mark.django_db


class Case:
    def __init__(self, obj, allowed, wrong_role, failing=None, mails=True):
        self.obj, self.allowed, self.wrong_role = obj, allowed, wrong_role
        self.failing, self.mails = failing, mails


def _filed(_worlds=None):
    support = build_support(build_geography())
    request = days.file_request(
        support.holder, support.follow_up, subject="Étude de stationnement",
        domain=Domain.MOBILITY,
    )  # fmt: skip
    return support, request


def _closed_then(support, fire):
    def failing():
        services.close_follow_up(support.manager, support.follow_up)
        fire()

    return failing


def accept_case(w=None):
    support, request = _filed()

    def accept(user):
        return lambda: days.accept_request(user, request, "Nous venons en juin.")

    return Case(request, accept(support.expert), accept(support.holder),
                _closed_then(support, accept(support.expert)))  # fmt: skip


def decline_case(w=None):
    support, request = _filed()

    def decline(user, answer="Hors convention."):
        return lambda: days.decline_request(user, request, answer)

    return Case(request, decline(support.manager), decline(support.holder),
                decline(support.manager, answer=""))  # fmt: skip


def plan_case(w=None):
    support, request = _filed()
    days.accept_request(support.expert, request)

    def log(user):
        return lambda: days.log_activity(
            user, support.follow_up, date=date(2025, 6, 3), half_days=2, domain=Domain.MOBILITY,
            kind=SupportActivity.Kind.SITE_VISIT, expert=support.expert, request=request,
        )  # fmt: skip

    return Case(
        request, log(support.expert),
        lambda: workflows.fire(request, "plan", support.holder),
        _closed_then(support, lambda: workflows.fire(request, "plan", support.expert)),
    )  # fmt: skip


EXPERTISE_REQUEST_CASES = {"accept": accept_case, "decline": decline_case, "plan": plan_case}
NAMES = sorted(EXPERTISE_REQUEST_CASES)


def test_every_transition_has_its_cases():
    assert {t.name for t in REQUEST.transitions} == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_an_allowed_transition_is_logged_recorded_and_mailed(
    name, mailoutbox, django_capture_on_commit_callbacks
):
    case = EXPERTISE_REQUEST_CASES[name]()
    transition = REQUEST[name]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case.allowed()
    case.obj.refresh_from_db()
    assert case.obj.state == transition.target
    log = TransitionLog.objects.get(workflow="expertise_request", transition=name)
    assert log.from_state in transition.sources and log.event.verb == transition.verb
    assert bool(mailoutbox) == case.mails
    assert [m.to for m in mailoutbox] == [[case.obj.requested_by.email]]


@pytest.mark.parametrize("name", NAMES)
def test_a_wrong_role_is_refused_and_nothing_is_written(name, mailoutbox):
    case = EXPERTISE_REQUEST_CASES[name]()
    before = case.obj.state
    logs, events = TransitionLog.objects.count(), ActivityEvent.objects.count()
    with pytest.raises(PermissionDenied):
        case.wrong_role()
    case.obj.refresh_from_db()
    assert case.obj.state == before
    assert (TransitionLog.objects.count(), ActivityEvent.objects.count()) == (logs, events)


@pytest.mark.parametrize("name", NAMES)
def test_a_failing_guard_is_refused_with_its_french_reason(name):
    case = EXPERTISE_REQUEST_CASES[name]()
    with pytest.raises(workflows.TransitionRefused) as refused:
        case.failing()
    assert refused.value.messages and all(m.strip() for m in refused.value.messages)
    assert not TransitionLog.objects.filter(workflow="expertise_request", transition=name).exists()
