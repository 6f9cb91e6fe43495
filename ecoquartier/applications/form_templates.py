"""Default forms as data: "note d'intention" and "dossier complet" (F-30).

A manager starts a step's form from one of these; `services.create_form_from_template` copies
the data into rows. Each field: key, label, kind, and optionally required, help, max_length,
choices, extensions, max_size_mb, condition (key, operator, value).
"""

from django.utils.translation import gettext_lazy as _

URBANITY = ["Urbain", "Périurbain", "Rural"]
# The project's stages (projects.Project.Stage), as prefill.py answers them from the project.
STAGES = [
    "Réflexion / conception",
    "Études pré-opérationnelles",
    "Opérationnel / chantier",
    "Livré",
    "Usage",
]
# What the project record already says (prefill.py fills them in; the applicant may change them).
KNOWN = [
    {
        "key": "perimeter",
        "label": _("Commune ou intercommunalité du projet"),
        "kind": "territory",
    },
    {"key": "population", "label": _("Population de la commune"), "kind": "integer"},
    {
        "key": "stage",
        "label": _("État d'avancement du projet"),
        "kind": "choice",
        "choices": STAGES,
    },
]

TEMPLATES = {
    "intention": {
        "title": _("Note d'intention"),
        "intro": _("Présentez votre démarche en quelques lignes : le jury en discutera avec vous."),
        "sections": [
            {
                "title": _("Le projet"),
                "fields": [
                    {"key": "project", "label": _("Projet concerné"), "kind": "project"},
                    *KNOWN,
                    {
                        "key": "summary",
                        "label": _("Présentation du projet"),
                        "kind": "long_text",
                        "required": True,
                        "max_length": 3000,
                        "help": _("3 000 caractères au plus."),
                    },
                    {
                        "key": "urbanity",
                        "label": _("Caractère du territoire"),
                        "kind": "choice",
                        "required": True,
                        "choices": URBANITY,
                    },
                    {
                        "key": "motivation",
                        "label": _("Motivations et attentes"),
                        "kind": "long_text",
                        "required": True,
                        "max_length": 2000,
                    },
                ],
            },
            {
                "title": _("Démarches engagées"),
                "fields": [
                    {"key": "agenda21", "label": _("Agenda 21 local"), "kind": "yes_no"},
                    {
                        "key": "agenda21_year",
                        "label": _("Année d'adoption de l'Agenda 21"),
                        "kind": "integer",
                        "condition": ["agenda21", "equals", "yes"],
                    },
                    {"key": "hqe", "label": _("Démarche HQE Aménagement"), "kind": "yes_no"},
                ],
            },
        ],
    },
    "application": {
        "title": _("Dossier complet"),
        "intro": _("Le dossier complet détaille le projet, son calendrier et son financement."),
        "sections": [
            {
                "title": _("Le projet"),
                "fields": [
                    {"key": "project", "label": _("Projet concerné"), "kind": "project"},
                    {
                        "key": "summary",
                        "label": _("Présentation détaillée"),
                        "kind": "long_text",
                        "required": True,
                        "max_length": 8000,
                    },
                    {
                        "key": "urbanity",
                        "label": _("Caractère du territoire"),
                        "kind": "choice",
                        "required": True,
                        "choices": URBANITY,
                    },
                    *KNOWN,
                    {"key": "area_ha", "label": _("Surface du périmètre (ha)"), "kind": "decimal"},
                    {"key": "dwellings", "label": _("Nombre de logements"), "kind": "integer"},
                ],
            },
            {
                "title": _("Démarches et calendrier"),
                "fields": [
                    {"key": "agenda21", "label": _("Agenda 21 local"), "kind": "yes_no"},
                    {"key": "hqe", "label": _("Démarche HQE Aménagement"), "kind": "yes_no"},
                    {
                        "key": "themes",
                        "label": _("Thèmes travaillés"),
                        "kind": "multiple",
                        "choices": [
                            "Sobriété foncière",
                            "Mobilités actives",
                            "Biodiversité",
                            "Participation citoyenne",
                            "Énergie",
                        ],
                    },
                    {
                        "key": "start_date",
                        "label": _("Date de démarrage envisagée"),
                        "kind": "date",
                    },
                ],
            },
            {
                "title": _("Pièces jointes"),
                "fields": [
                    {
                        "key": "deliberation",
                        "label": _("Délibération de la collectivité"),
                        "kind": "file",
                        "required": True,
                        "extensions": "pdf",
                        "max_size_mb": 10,
                    },
                    {
                        "key": "plan",
                        "label": _("Plan du périmètre"),
                        "kind": "file",
                        "extensions": "pdf, png, jpg",
                        "max_size_mb": 20,
                    },
                ],
            },
        ],
    },
}

TEMPLATE_CHOICES = [(key, value["title"]) for key, value in TEMPLATES.items()]

# A default evaluation grid: (label, weight, descriptors 0…5).
SCALE = [
    _("Absent"),
    _("Très insuffisant"),
    _("Insuffisant"),
    _("Correct"),
    _("Bon"),
    _("Excellent"),
]
DEFAULT_GRID = [
    (_("Qualité et ambition du projet"), 3),
    (_("Gouvernance et participation"), 2),
    (_("Capacité à faire et calendrier"), 2),
    (_("Exemplarité environnementale"), 3),
]
