"""scripts/extract_territories.py, on a tiny fake npm tarball."""

import gzip
import importlib.util
import io
import json
import tarfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "extract_territories.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("extract_territories", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def commune(code, name, zone="metro", kind="commune-actuelle", departement="93"):
    return {
        "code": code,
        "nom": name,
        "type": kind,
        "zone": zone,
        "siren": "2" + code.zfill(8),
        "population": 100,
        "codesPostaux": ["93400"],
        "departement": departement,
        "region": "11",
    }


def package_files():
    return {
        "package.json": {"name": "@etalab/decoupage-administratif", "version": "6.0.0"},
        "data/regions.json": [
            {"code": "11", "nom": "Île-de-France", "zone": "metro"},
            {"code": "01", "nom": "Guadeloupe", "zone": "drom"},
            {"code": "COM", "nom": "Polynésie", "zone": "com"},
        ],
        "data/departements.json": [
            {"code": "93", "nom": "Seine-Saint-Denis", "region": "11", "zone": "metro"},
            {"code": "987", "nom": "Polynésie française", "region": "COM", "zone": "com"},
        ],
        "data/communes.json": [
            commune("93070", "Saint-Ouen-sur-Seine"),
            commune("97105", "Basse-Terre", zone="drom", departement="971"),
            commune("98735", "Papeete", zone="com", departement="987"),
            commune("93999", "Ancienne", kind="commune-deleguee"),
        ],
        "data/epci.json": [
            {
                "code": "200054781",
                "nom": "Métropole du Grand Paris",
                "type": "METRO",
                "populationMunicipale": 7000000,
                "membres": [{"code": "93070"}, {"code": "93999"}],
            }
        ],
    }


@pytest.fixture
def tarball(tmp_path):
    path = tmp_path / "package.tgz"
    with tarfile.open(path, "w:gz") as archive:
        files = {name: json.dumps(content) for name, content in package_files().items()}
        files["LICENSE"] = "MIT License\n"
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_only_current_communes_of_metro_and_drom_are_kept(script, tarball, tmp_path):
    script.main(["--tarball", str(tarball), "--out", str(tmp_path / "out")])
    with gzip.open(tmp_path / "out" / "territories.json.gz", "rt") as handle:
        data = json.load(handle)
    assert [c["code"] for c in data["communes"]] == ["93070", "97105"]
    assert [r["code"] for r in data["regions"]] == ["11", "01"]
    assert [d["code"] for d in data["departements"]] == ["93"]
    assert data["epci"][0]["members"] == ["93070"]
    assert data["source"]["version"] == "6.0.0"


def test_the_readme_carries_licence_version_and_counts(script, tarball, tmp_path):
    script.main(["--tarball", str(tarball), "--out", str(tmp_path / "out")])
    readme = (tmp_path / "out" / "README.md").read_text()
    assert "**6.0.0**" in readme
    assert "MIT License" in readme
    assert "| Communes | 2 |" in readme


def test_the_output_is_reproducible(script, tarball, tmp_path):
    for name in ("a", "b"):
        script.main(["--tarball", str(tarball), "--out", str(tmp_path / name)])
    first = (tmp_path / "a" / "territories.json.gz").read_bytes()
    assert first == (tmp_path / "b" / "territories.json.gz").read_bytes()
