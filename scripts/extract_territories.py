#!/usr/bin/env python3
"""Regenerate data/territories/ from Etalab's npm package @etalab/decoupage-administratif.

    python scripts/extract_territories.py                 # runs `npm pack` for the pinned version
    python scripts/extract_territories.py --version 6.1.0 # another version
    python scripts/extract_territories.py --tarball path/to/etalab-decoupage-administratif-6.0.0.tgz

Writes data/territories/territories.json.gz (compact, reproducible bytes) and README.md (licence,
version, date, filtering rule, counts). Standard library only, so it runs without the venv.
"""

import argparse
import datetime
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
DEFAULT_VERSION = "6.0.0"
ZONES = ("metro", "drom")  # collectivités d'outre-mer (COM) are outside the programmes' scope
OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "territories"
EXTRACT_NAME = "territories.json.gz"


def npm_pack(version, workdir):
    """Download the package tarball with npm's own client and return its path."""
    result = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--silent", "--pack-destination", workdir],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(workdir) / result.stdout.strip().splitlines()[-1]


def read_package(tarball):
    """The package's JSON data files, package.json and LICENSE, read straight from the tarball."""
    wanted = {"package.json", "LICENSE", "data/regions.json", "data/departements.json"}
    wanted |= {"data/communes.json", "data/epci.json"}
    files = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if name in wanted:
                files[name] = archive.extractfile(member).read().decode("utf-8")
    missing = wanted - files.keys()
    if missing:
        sys.exit(f"{tarball}: missing {sorted(missing)}")
    return files


def extract(files):
    """Keep current communes, départements and régions of metro and drom, and every EPCI's
    members among them. Returns the compact structure written to the extract."""
    communes = [
        {
            "code": c["code"],
            "name": c["nom"],
            "siren": c["siren"],
            "population": c.get("population"),
            "postal_codes": sorted(c.get("codesPostaux", [])),
            "departement": c["departement"],
            "region": c["region"],
            "zone": c["zone"],
        }
        for c in json.loads(files["data/communes.json"])
        if c["type"] == "commune-actuelle" and c["zone"] in ZONES
    ]
    kept = {c["code"] for c in communes}
    epci = []
    for e in json.loads(files["data/epci.json"]):
        members = sorted(m["code"] for m in e["membres"] if m["code"] in kept)
        if members:
            epci.append(
                {
                    "code": e["code"],
                    "name": e["nom"],
                    "type": e["type"],
                    "population": e.get("populationMunicipale"),
                    "members": members,
                }
            )
    return {
        "regions": [
            {"code": r["code"], "name": r["nom"], "zone": r["zone"]}
            for r in json.loads(files["data/regions.json"])
            if r["zone"] in ZONES
        ],
        "departements": [
            {"code": d["code"], "name": d["nom"], "region": d["region"], "zone": d["zone"]}
            for d in json.loads(files["data/departements.json"])
            if d["zone"] in ZONES
        ],
        "epci": sorted(epci, key=lambda e: e["code"]),
        "communes": sorted(communes, key=lambda c: c["code"]),
    }


def write_extract(data, version, path):
    payload = {"source": {"package": PACKAGE, "version": version, "zones": list(ZONES)}, **data}
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    buffer = io.BytesIO()
    # mtime=0 and no file name: the same source always gives the same bytes (clean git diffs).
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(raw.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


README = """# Territories extract (F-01)

`{extract}` is a compact extract of the official French administrative geography, loaded by
`python manage.py import_territories`. Regenerate it with `python scripts/extract_territories.py`
(it runs `npm pack {package}@{version}`; `--tarball` reuses a downloaded tarball).

- **Source**: npm package [`{package}`](https://www.npmjs.com/package/{package}) version
  **{version}** (Etalab, from INSEE's Code officiel géographique, La Poste's postal codes and the
  DGCL's EPCI list), MIT licence (below).
- **Extracted on**: {date}.
- **Filtering rule**: zones `metro` and `drom` only (collectivités d'outre-mer excluded); communes
  of type `commune-actuelle` only (no communes déléguées or associées, no arrondissements
  municipaux); every EPCI with its member communes among those kept.
- **Fields**: communes — INSEE code, name, SIREN, population (municipale), postal codes,
  département, région, zone; EPCI — SIREN code, name, type (CC/CA/CU/METRO/MET69), population
  (municipale), member commune codes; départements — code, name, région, zone; régions — code,
  name, zone.

| Level | Count |
|---|---:|
| Régions | {regions} |
| Départements | {departements} |
| EPCI | {epci} |
| Communes | {communes} |

Size: {size_kb} kB gzipped.

## How the import uses it

`import_territories` upserts every row by (level, code), writes only what differs (a second run
writes nothing), marks territories that left the source inactive instead of deleting them, and
rebuilds the flattened containment table (`TerritoryAncestor`): a commune lies in itself, its
EPCI, département, région and France. An EPCI can straddle départements; the source does not give
its seat, so it is attached to the département (and région) of its most populous member commune.
Régions, départements and France get the summed population of their communes.

## Licence of the source data ({package} {version})

```
{license}```
"""


def write_readme(data, version, license_text, path, extract_path):
    counts = {level: len(rows) for level, rows in data.items()}
    path.write_text(
        README.format(
            extract=EXTRACT_NAME,
            package=PACKAGE,
            version=version,
            date=datetime.date.today().isoformat(),
            size_kb=round(extract_path.stat().st_size / 1024),
            license=license_text if license_text.endswith("\n") else license_text + "\n",
            **counts,
        ),
        encoding="utf-8",
    )
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--tarball", type=Path, help="use this npm tarball instead of npm pack")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as workdir:
        tarball = args.tarball or npm_pack(args.version, workdir)
        files = read_package(tarball)
    version = json.loads(files["package.json"])["version"]
    data = extract(files)
    args.out.mkdir(parents=True, exist_ok=True)
    extract_path = args.out / EXTRACT_NAME
    write_extract(data, version, extract_path)
    counts = write_readme(data, version, files["LICENSE"], args.out / "README.md", extract_path)
    print(f"{PACKAGE} {version} -> {extract_path}: {counts}")


if __name__ == "__main__":
    main()
