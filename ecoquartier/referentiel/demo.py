"""Demo data hook: the demo loader calls load(); the référentiel is the same as in production."""

from ecoquartier.referentiel import loader


def load():
    results = [loader.load(path) for path in loader.default_files()]
    return (
        ", ".join(f"{r.version.title} ({r.commitments} engagements)" for r in results)
        + " chargé(s)."
    )
