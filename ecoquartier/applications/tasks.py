"""Background work (django-tasks): large exports."""

from django_tasks import task

from ecoquartier.applications import exports


@task()
def build_export(export_id):
    exports.build(export_id)
    return export_id
