"""What other apps' pages read of the label, through `core.extensions` (registered in apps.py):

- a label campaign's laureates are the files its national commission awarded: the calls' and
  projects' lists of selected applications go through `awarded_only`, so that a file the local
  commission did not propose never shows as a laureate, whatever its application's state;
- a project's public page shows the label steps it reached (`public_steps`).
"""

from django.db.models import Q

from ecoquartier.calls.models import Call
from ecoquartier.labels.models import Campaign, FileState, LabelStep


def awarded_only(applications, obj=None):
    """`applications` (selected ones) minus the label files the national commission did not
    award. `obj` is the call listed, if any: another kind of call is left as it is."""
    if isinstance(obj, Call) and obj.kind and obj.kind != Call.Kind.LABELLING:
        return applications
    return applications.filter(
        ~Q(call__kind=Call.Kind.LABELLING) | Q(label_file__state=FileState.AWARDED)
    )


def public_steps(project):
    """The project's label steps, for its public page (the label history is public)."""
    steps = list(
        LabelStep.objects.filter(project=project)
        .select_related("stage__scheme")
        .order_by("decided_on", "pk")
    )
    return {"label_project": project, "label_steps": steps}


def call_campaign(call):
    """The campaign of a labelling call, for the jury page's pointer to its commissions."""
    return {"label_campaign": Campaign.objects.filter(call=call).first()}
