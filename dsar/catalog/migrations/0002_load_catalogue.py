"""Load the shipped catalogue (dsar/catalog/data/*.json) into a new database.

Uses the historical models, so later field additions do not break this step; a database that
already has datasets is left alone. Reverse is a no-op: unloading reference data is never wanted.
"""
from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):
    from dsar.catalog.services import catalog_load

    catalog_load(if_empty=True, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_catalogue_models"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
