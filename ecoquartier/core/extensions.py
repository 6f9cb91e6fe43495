"""Extension points that keep dependencies one-way.

A lower layer (projects) renders sections that higher layers (assessments, calls, labels…)
register from their AppConfig.ready(), so the project page links to everything attached to it
without importing those apps.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class ProjectSection:
    label: str
    url_name: str  # reversed with kwargs={"slug": project.slug}
    order: int = 100
    icon: str = "fr-icon-file-line"

    def url(self, project):
        return reverse(self.url_name, kwargs={"slug": project.slug})


_project_sections: dict[str, ProjectSection] = {}


def register_project_section(label, url_name, order=100, icon="fr-icon-file-line"):
    _project_sections[url_name] = ProjectSection(label, url_name, order, icon)


def project_sections():
    return sorted(_project_sections.values(), key=lambda s: s.order)
