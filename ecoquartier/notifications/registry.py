"""Who hears about what: rules subscribed to activity verbs.

Each app declares its rules in its `notifying.py`, imported from `AppConfig.ready()`:

    register(
        "assessment.submitted",
        recipients=lambda event, targets: [...],        # users, or Address for a bare e-mail
        template="assessments/notifications/transition",  # _subject.txt, .txt, optional .html
        context=lambda event, targets: {...},             # what the templates need
    )

When `core.activity.record` writes an event whose verb has rules, `delivery` takes over once the
transaction commits: one `Notification` per (event, recipient, rule), one e-mail each.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Address:
    """A recipient without an account (an invited co-applicant, an alert's subscriber): e-mail
    only, never in an in-app list. `context` is merged into the templates' context for them."""

    email: str
    context: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Rule:
    verb: str
    template: str  # also the rule's name in Notification.rule: one rule per (verb, template)
    recipients: Callable
    context: Callable | None = None
    condition: Callable | None = None
    attachments: Callable | None = None  # (event, targets) -> [(name, content, mimetype)]
    url: Callable | None = None  # (event, targets) -> path the in-app notification links to
    exclude_actor: bool = True  # nobody is told about what they did themselves

    def applies(self, event, targets):
        return self.condition is None or bool(self.condition(event, targets))


RULES: dict[str, dict[str, Rule]] = {}


DEFAULT_TEMPLATE = "notifications/emails/event"  # the event's summary, reason and link


def register(verb, *, recipients, template=DEFAULT_TEMPLATE, context=None, condition=None,
             attachments=None, url=None, exclude_actor=True):  # fmt: skip
    """Subscribe a rule to `verb` (several verbs: call it once per verb). Registering the same
    (verb, template) again replaces the rule."""
    RULES.setdefault(verb, {})[template] = Rule(
        verb, template, recipients, context, condition, attachments, url, exclude_actor
    )


def rules_for(verb):
    return list(RULES.get(verb, {}).values())


HANDLERS: dict[str, dict[str, Callable]] = {}


def on_event(verb, handler):
    """For mail that is not one notification per person — a call e-mailed to the saved searches
    it matches: `handler(event, targets)` runs in the delivery task, after the rules, and must be
    idempotent itself (calls.alerts keeps one AlertDelivery per alert and call)."""
    HANDLERS.setdefault(verb, {})[f"{handler.__module__}.{handler.__qualname__}"] = handler


def handlers_for(verb):
    return list(HANDLERS.get(verb, {}).values())


def subscribed(verb):
    return verb in RULES or verb in HANDLERS


def rule(verb, template):
    return RULES.get(verb, {}).get(template)


class Targets:
    """An event's targets, fetched on demand by model: `targets.get(Application)`."""

    def __init__(self, event):
        self.event = event
        self._ids = {}
        for content_type_id, object_id in event.targets.values_list("content_type", "object_id"):
            self._ids.setdefault(content_type_id, []).append(object_id)
        self._cache = {}

    def pk(self, model):
        ids = self._ids.get(ContentType.objects.get_for_model(model).pk)
        return ids[0] if ids else None

    def get(self, model, queryset=None):
        """The first target of `model` (from `queryset` when given), or None."""
        if model not in self._cache:
            pk = self.pk(model)
            source = queryset if queryset is not None else model.objects
            self._cache[model] = source.filter(pk=pk).first() if pk is not None else None
        return self._cache[model]
