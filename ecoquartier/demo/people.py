"""Demo step: organisations and one account per role (data/demo/people.yaml)."""

from pathlib import Path

import yaml
from django.conf import settings

from ecoquartier.accounts.models import User
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.territories.services import imported

PEOPLE_FILE = Path(settings.BASE_DIR) / "data" / "demo" / "people.yaml"


def read(path=PEOPLE_FILE):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def territory(ref):
    """ "commune:93070" → the Territory; a clear error when the geography is not loaded."""
    kind, code = ref.split(":", 1)
    return imported(kind, code)


def organisation(spec):
    """Found by (kind, territory) as seed_state_services does, else by (kind, acronym) or
    (kind, name); never overwritten, so that edits made in the platform survive a re-run."""
    place = territory(spec["territory"]) if spec.get("territory") else None
    lookup = {"kind": spec["kind"]}
    if place:
        lookup["territory"] = place
    elif spec.get("acronym"):  # Survives a rename of the organisation in the data file.
        lookup["acronym"] = spec["acronym"]
    else:
        lookup["name"] = spec["name"]
    defaults = {
        "name": spec["name"],
        "acronym": spec.get("acronym", ""),
        "website": spec.get("website", ""),
        "has_planning_competence": spec.get("planning", False),
        "siren": place.siren if place and place.kind in ("commune", "epci") else "",
    }
    return Organisation.objects.get_or_create(**lookup, defaults=defaults)[0]


def account(spec, organisations, password):
    user, created = User.objects.get_or_create(
        email=spec["email"],
        defaults={
            "first_name": spec["first_name"],
            "last_name": spec["last_name"],
            "job_title": spec.get("job_title", ""),
            "is_staff": spec.get("superuser", False),
            "is_superuser": spec.get("superuser", False),
        },
    )
    if created:  # A password changed since is the person's own: keep it.
        user.set_password(password)
        user.save(update_fields=["password"])
    if spec.get("organisation"):
        Membership.objects.get_or_create(
            user=user,
            organisation=organisations[spec["organisation"]],
            defaults={"role": spec["role"], "is_admin": spec.get("admin", False)},
        )
    return user


def load(path=PEOPLE_FILE):
    data = read(path)
    organisations = {spec["key"]: organisation(spec) for spec in data["organisations"]}
    for spec in data["accounts"]:
        account(spec, organisations, data["password"])
    return f"{len(organisations)} organisations, {len(data['accounts'])} comptes de démonstration."
