"""Self-check follow-up questions name the questions they follow up (`follows`).

The data step copies `follows` from the shipped eligibility.json onto the questions already in
the database (0002 loaded them with a model that had no such field); other fields are left as
they are. Reverse: the field goes, nothing else to undo.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def copy_follows(apps, schema_editor):
    path = Path(settings.DSAR_CATALOG_PATH) / "eligibility.json"
    if not path.exists():
        return
    questions = json.loads(path.read_text(encoding="utf-8")).get("questions", [])
    model = apps.get_model("catalog", "EligibilityQuestion")
    for record in questions:
        if record.get("follows"):
            model.objects.filter(slug=record["slug"]).update(follows=record["follows"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_load_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="eligibilityquestion",
            name="follows",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Slugs of the questions this one follows up; it is asked only if one of them was not answered “no”.",
                verbose_name="follows up",
            ),
        ),
        migrations.RunPython(copy_follows, migrations.RunPython.noop),
    ]
