"""The rows of the days page's table of activities, written in Python (as core/pagination.py
writes its navigation) and their describing cells cached by generation: as a template, twenty
rows took three times the rest of the page (dates, displays, translations and a form per row
resolved through the template engine). tests/followup/test_days_pages.py reads their HTML."""

from django.middleware.csrf import get_token
from django.template.defaultfilters import floatformat, truncatechars
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ecoquartier.followup import cached, permissions
from ecoquartier.followup.models import Domain, SupportActivity


def rows(request, follow_up, keys, at):
    """The <tr> of each activity of `keys` ((pk, expert pk, author pk) in the table's order),
    as safe HTML: the cells that say what it is are cached by generation (cached.py, under
    `at`), the actions are the reader's."""
    cells = cached.many("activity-cells", [pk for pk, *_rest in keys], _cells, at)
    may_change = permissions.activity_changer(request.user, follow_up)
    actions = _actions(request, follow_up)
    html = []
    for pk, expert_id, author_id in keys:
        if pk in cells:  # else deleted meanwhile
            described, day = cells[pk]
            action = actions(pk, day) if may_change(expert_id, author_id) else "—"
            html.append(f"<tr>{described}<td>{action}</td></tr>")
    return mark_safe("".join(html))


def _cells(pks):
    """{pk: (the cells describing the activity, its date as written)} for `pks`."""
    activities = (
        SupportActivity.objects.filter(pk__in=pks)
        .select_related("expert", "deliverable", "request")
        .prefetch_related("commitments")
    )
    # The choices' labels translated once, not at each row's get_FOO_display().
    labels = {
        "domain": {value: str(label) for value, label in Domain.choices},
        "kind": {value: str(label) for value, label in SupportActivity.Kind.choices},
    }
    return {activity.pk: _describe(activity, labels) for activity in activities}


def _url_maker(action, follow_up):
    """f(activity pk) → the URL of `action` on it: reversed once, not at every row."""
    url = reverse(f"followup:days_activity_{action}", args=[follow_up.pk, 0])
    head, tail = url.rsplit("/0/", 1)
    return lambda pk: f"{head}/{pk}/{tail}"


def _describe(activity, labels):
    day = date_format(activity.date, "j F Y")
    expert = activity.expert
    who = (expert.get_full_name() or expert.email) if expert else ""
    notes = (
        format_html('<br><span class="fr-text--xs">{}</span>', truncatechars(activity.notes, 200))
        if activity.notes
        else ""
    )
    html = format_html(
        "<td>{}</td><td>{}</td><td>{}&nbsp;j</td>"
        '<td>{}<br><span class="fr-text--sm">{}</span>{}</td><td>{}</td>',
        day, who, floatformat(activity.days, "-1"), labels["domain"][activity.domain],
        labels["kind"][activity.kind], notes, _links(activity),
    )  # fmt: skip
    return html, day


def _links(activity):
    numbers = [str(commitment.number) for commitment in activity.commitments.all()]
    parts = [escape(", ".join(numbers) or "—")]
    if activity.deliverable_id:
        title = escape(activity.deliverable.title)
        parts.append(_("Livrable : %(title)s") % {"title": title})
    if activity.request_id:
        parts.append(_("Demande : %(subject)s") % {"subject": escape(activity.request.subject)})
    return mark_safe("<br>".join(parts))


def _actions(request, follow_up):
    """f(activity pk, its date as written) → its « Modifier » link and « Supprimer » form; the
    URLs reversed and the words translated once for the whole table."""
    token = escape(get_token(request))
    edit, delete = (_url_maker(name, follow_up) for name in ("edit", "delete"))
    which = _("l'intervention du %(date)s")
    change, remove = escape(_("Modifier")), escape(_("Supprimer"))

    def actions(pk, day):
        hidden = f'<span class="fr-sr-only"> {escape(which % {"date": day})}</span>'
        return (
            f'<a class="fr-link fr-link--sm" href="{edit(pk)}">{change}{hidden}</a>'
            f'<form method="post" action="{delete(pk)}" novalidate>'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            '<button class="fr-btn fr-btn--tertiary-no-outline fr-btn--sm" type="submit">'
            f"{remove}{hidden}</button></form>"
        )

    return actions
