"""Demo data hook: the national indicator set, the same as in production (data/indicators/)."""

from ecoquartier.indicators import loader


def load():
    results = [loader.load(path) for path in loader.default_files()]
    return (
        ", ".join(
            f"{r.indicator_set.title} ({r.indicators} indicateurs, "
            f"{r.label_base} au socle du label)"
            for r in results
        )
        + " chargé(s)."
    )
