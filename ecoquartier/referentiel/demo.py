"""Demo data hook: the demo loader calls load(); the référentiel is the same as in production."""

from ecoquartier.referentiel import loader


def load():
    return [loader.load(path) for path in loader.default_files()]
