from pathlib import Path

from ecoquartier.referentiel import loader

OLD_VERSION_FILE = Path(__file__).parent / "data" / "ancien.yaml"


def load_current():
    """The real current référentiel from data/referentiel/ (20 commitments)."""
    [result] = [loader.load(path) for path in loader.default_files()]
    return result.version


def load_old():
    return loader.load(OLD_VERSION_FILE).version
