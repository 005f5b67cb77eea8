"""Load the shipped catalogue again, so the organisations get their law-by-addressee fields.

0002 loads the catalogue with the models as they were then (without the fields 0005 adds); this
step fills them from dsar/catalog/data/ with today's historical models, so a migrated database
holds what `load_catalog` would write. Reverse is a no-op: unloading reference data is never
wanted.
"""
from __future__ import annotations

from django.db import migrations


def load(apps, schema_editor):
    from dsar.catalog.services import catalog_load

    catalog_load(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_organisation_law_by_addressee"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
