"""Demo data for `make run`: `manage.py load_demo` and `manage.py demo_accounts`.

The data reproduces the seeds (SPEC §5) and lives in data/demo/*.yaml, not in code. load_demo
runs the steps of `ecoquartier.demo.steps.DEMO_STEPS` in order (organisations and people, then
projects, référentiel, assessments, calls, later apps); an app plugs in by creating
`ecoquartier/<app>/demo.py` with an idempotent `load()` that may return a short report.

load_demo needs the geography (`import_territories`) and reuses the State services of
`seed_state_services` when they exist. Tests do not import the national geography: they build
the few territories the demo refers to from tests/demo/territories.yaml.
"""
