"""The demo data as a list of steps, one module per app, run in this order by `load_demo`.

Each step is a module with a `load()` function that is idempotent (re-running it loses nothing
and duplicates nothing) and may return a short French report. An app plugs in by creating its
module: a step whose module does not exist yet is skipped.
"""

from importlib import import_module

from django.db import transaction

DEMO_STEPS = [
    # Organisations and people first: everything else refers to them.
    "ecoquartier.organisations.demo",
    "ecoquartier.demo.people",
    "ecoquartier.projects.demo",
    "ecoquartier.referentiel.demo",
    "ecoquartier.assessments.demo",
    "ecoquartier.calls.demo",
    "ecoquartier.applications.demo",
    # Later domain apps, in layer order.
    "ecoquartier.labels.demo",
    "ecoquartier.followup.demo",
    "ecoquartier.indicators.demo",
    "ecoquartier.events.demo",
    "ecoquartier.knowledge.demo",
    "ecoquartier.portal.demo",
]


def import_step(path):
    """The step's module, or None if it does not exist (yet)."""
    try:
        return import_module(path)
    except ModuleNotFoundError as error:
        # Only the step itself (or its app) may be missing; a broken import inside it must fail.
        if error.name and (path == error.name or path.startswith(error.name + ".")):
            return None
        raise


def run_steps(steps=None):
    """Run each step in its own transaction; yields (path, report) and (path, None) if skipped."""
    for path in DEMO_STEPS if steps is None else steps:
        module = import_step(path)
        if module is None:
            yield path, None
            continue
        with transaction.atomic():
            report = module.load()
        yield path, report or ""
