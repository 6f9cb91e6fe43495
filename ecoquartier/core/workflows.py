"""The one workflow engine (ADR 20): a workflow is data, `fire()` is its only way to move.

An app declares its workflow in its own `workflow.py` —

    APPLICATION = workflows.register(Workflow(
        "application", Application, states=State, transitions=(Transition(...), ...),
        version_field="version", targets=..., summary=..., stale_message=...,
    ))

— and every state change, whoever asks for it (a view, a service, a command, the demo), goes
through `fire(obj, "submit", user, comment=..., **data)`, which in one transaction:

1. locks the row (SELECT … FOR UPDATE) and compares the version the actor saw, if the model has
   one, so that of two people firing conflicting transitions exactly one wins;
2. checks the permission (`PermissionDenied`, a 403: someone who may not act is not told the
   state), then that the transition starts from the current state, then the guards and checks
   (`TransitionRefused` with every French reason);
3. writes the state, runs the effects, saves the row;
4. records the activity event (`core.activity.record`) and a `TransitionLog` row,
5. and nothing else: who is told is each app's `notifying.py`, rules subscribed to the
   transition's activity verb (ADR 21), delivered once the transaction commits.

`available(obj, user)` lists what a page may offer: each transition starting from the current
state, whether the user may fire it now, and the reason when they may not.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ecoquartier.core.activity import record
from ecoquartier.core.models import TransitionLog


class TransitionRefused(ValidationError):
    """The transition may not happen now; `.messages` say why, in French."""

    def __init__(self, *messages):
        super().__init__([str(m) for m in messages])


@dataclass(frozen=True)
class Transition:
    """One move. `permission(user, obj)` says who may fire it; each guard `(obj, data)` returns
    None or the French reason(s) it must not happen now — pages run guards to decide what they
    offer —; each check `(obj, data)` does the same for what the actor typed (run only when
    fired, like `needs_comment`); each effect `(obj, actor, data)` changes what else moves with
    the state (before the row is saved). `summary(obj, data)` is the activity
    summary (the workflow's default when None). Who is told is not here: the app's
    `notifying.py` subscribes to `verb` (ADR 21). `needs_comment` and `style` are for the page
    offering it."""

    name: str
    label: object
    sources: tuple
    target: str
    permission: Callable
    verb: str
    guards: tuple = ()
    checks: tuple = ()
    effects: tuple = ()
    summary: Callable | None = None
    needs_comment: bool = False
    style: str = "secondary"


@dataclass(frozen=True)
class Workflow:
    """States and transitions of one model, and what the engine needs to know about it:
    `targets(obj, data)` the objects whose timelines show the event, `summary(obj, data)` the
    default activity summary, `stale_message(obj, transition)` the French refusal when the
    object moved since the actor saw it, `related` what the locked row loads with it,
    `comment_required` the French refusal of a transition that `needs_comment` fired without."""

    name: str
    model: type
    states: object
    transitions: tuple
    state_field: str = "state"
    version_field: str | None = None
    targets: Callable = lambda obj, data: [obj]
    summary: Callable | None = None
    stale_message: Callable | None = None
    related: tuple = ()
    comment_required: object = None
    by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {t.name: t for t in self.transitions})

    def __getitem__(self, name):
        return self.by_name[name]

    def state_of(self, obj):
        return getattr(obj, self.state_field)


REGISTRY = {}


def register(workflow):
    """Declare `workflow` as the one of its model; returns it (for a module-level name)."""
    REGISTRY[workflow.model] = workflow
    return workflow


def workflow_of(obj_or_model):
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        if klass in REGISTRY:
            return REGISTRY[klass]
    raise LookupError(f"No workflow registered for {model.__name__}.")


def fire(obj, transition_name, actor, *, comment="", expected_version=None, **data):
    """Apply `transition_name` to `obj` as `actor`; returns the saved row (and brings `obj` up
    to date). Raises PermissionDenied or TransitionRefused, and then nothing has changed.
    `data` reaches guards, checks, effects and the summary, with `comment`, `actor` and `now`
    added (`now` may be given)."""
    workflow = workflow_of(obj)
    transition = workflow.by_name.get(transition_name)
    if transition is None:
        raise TransitionRefused(gettext("Action inconnue."))
    data = {"now": timezone.now(), **data, "comment": comment, "actor": actor}
    with transaction.atomic():
        locked = _lock(workflow, obj)
        # Permission first: someone who may not act is not even told the object's state.
        if not transition.permission(actor, locked):
            raise PermissionDenied
        _check_current(workflow, transition, locked, expected_version)
        reasons = _reasons(transition.guards, locked, data)
        if transition.needs_comment and not comment.strip():
            reasons.append(str(workflow.comment_required or gettext("Précisez le motif.")))
        reasons += _reasons(transition.checks, locked, data)
        if reasons:
            raise TransitionRefused(*reasons)
        source = workflow.state_of(locked)
        setattr(locked, workflow.state_field, transition.target)
        if workflow.version_field:
            setattr(locked, workflow.version_field, getattr(locked, workflow.version_field) + 1)
        data["source"] = source
        for effect in transition.effects:
            effect(locked, actor, data)
        locked.save()
        summary = transition.summary or workflow.summary
        event = record(
            actor,
            transition.verb,
            str(summary(locked, data)),
            targets=[t for t in workflow.targets(locked, data) if t is not None],
            changes={workflow.state_field: [source, transition.target]},
            reason=comment,
        )
        TransitionLog.objects.create(
            content_type=ContentType.objects.get_for_model(locked),
            object_id=str(locked.pk),
            workflow=workflow.name,
            transition=transition.name,
            from_state=source,
            to_state=transition.target,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            comment=comment,
            event=event,
        )
    if obj is not locked:
        _refresh(obj, locked)
    return locked


def available(obj, user):
    """[(transition, allowed, reason)] for each transition starting from `obj`'s state: allowed
    when `user` may fire it and its guards pass now; `reason` (French) says why not otherwise.
    The comment a transition needs is typed on the page: it is checked when it is fired."""
    workflow = workflow_of(obj)
    state = workflow.state_of(obj)
    data = {"now": timezone.now(), "comment": "", "actor": user}
    rows = []
    for transition in workflow.transitions:
        if state not in transition.sources:
            continue
        if not transition.permission(user, obj):
            rows.append((transition, False, NOT_YOURS))
            continue
        reasons = _reasons(transition.guards, obj, data)
        rows.append((transition, not reasons, " ".join(reasons) or None))
    return rows


NOT_YOURS = gettext_lazy("Cette action ne vous revient pas.")  # compared by identity


def actions(obj, user):
    """What a page offers: (the transitions `user` may fire now — the buttons —, and
    [(transition, reason)] for those that are theirs but refused now — said as text)."""
    rows = available(obj, user)
    theirs = [
        (transition, ok, reason) for transition, ok, reason in rows if reason is not NOT_YOURS
    ]
    return (
        [transition for transition, ok, _reason in theirs if ok],
        [(transition, reason) for transition, ok, reason in theirs if not ok],
    )


def log_of(obj):
    """The transitions `obj` went through, newest first."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def _reasons(guards, obj, data):
    """The French reasons the guards give (a guard may give one, several or None)."""
    reasons = []
    for guard in guards:
        found = guard(obj, data)
        if found:
            reasons += [str(r) for r in found] if isinstance(found, list | tuple) else [str(found)]
    return reasons


def _lock(workflow, obj):
    rows = workflow.model.objects.select_for_update(of=("self",))
    if workflow.related:
        rows = rows.select_related(*workflow.related)
    return rows.get(pk=obj.pk)


def _check_current(workflow, transition, obj, expected_version):
    stale = (
        workflow.version_field is not None
        and expected_version is not None
        and int(expected_version) != getattr(obj, workflow.version_field)
    )
    if workflow.state_of(obj) in transition.sources and not stale:
        return
    if workflow.stale_message is not None:
        raise TransitionRefused(workflow.stale_message(obj, transition))
    raise TransitionRefused(gettext("Cette action n'est plus possible : l'objet a changé."))


def _refresh(obj, locked):
    """Bring the caller's instance up to date with the saved row (like refresh_from_db)."""
    for model_field in type(locked)._meta.concrete_fields:
        setattr(obj, model_field.attname, getattr(locked, model_field.attname))
