"""The instruments every Dutch primary school uses, shared by all schools.

Cito's LVS reports ability scores with levels I-V (five bands of 20 %, I best); schools that
still use A-E add their own instrument. DMT counts words per minute; AVI gives a level.
"""

from django.db import migrations

DEFAULTS = [
    # name, subject, score kind, level scale, higher score is better
    ("Cito Rekenen-Wiskunde", "maths", "ability_score", "I-V", True),
    ("Cito Spelling", "spelling", "ability_score", "I-V", True),
    ("Cito Begrijpend lezen", "reading_comprehension", "ability_score", "I-V", True),
    ("Cito Taal voor kleuters", "emergent_literacy", "ability_score", "I-V", True),
    ("Cito Rekenen voor kleuters", "emergent_numeracy", "ability_score", "I-V", True),
    ("Cito DMT", "technical_reading", "words_per_minute", "I-V", True),
    ("AVI", "technical_reading", "level_only", "AVI", True),
]


def add_defaults(apps, schema_editor):
    Instrument = apps.get_model("pupils", "Instrument")
    for name, subject, score_kind, level_scale, higher in DEFAULTS:
        Instrument.objects.get_or_create(
            school=None,
            name=name,
            defaults={
                "subject": subject,
                "score_kind": score_kind,
                "level_scale": level_scale,
                "higher_score_is_better": higher,
            },
        )


def remove_unused_defaults(apps, schema_editor):
    Instrument = apps.get_model("pupils", "Instrument")
    Instrument.objects.filter(
        school=None, name__in=[d[0] for d in DEFAULTS], results__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("pupils", "0002_results_instruments_imports")]

    operations = [migrations.RunPython(add_defaults, remove_unused_defaults)]
