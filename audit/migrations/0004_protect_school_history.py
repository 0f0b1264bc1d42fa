from django.db import migrations

from audit.protection import protect_tables, unprotect_tables

# The school's change history is append-only like every history table (PostgreSQL only).
TABLES = ["schools_historicalschool"]


def protect(apps, schema_editor):
    protect_tables(schema_editor, TABLES)


def unprotect(apps, schema_editor):
    unprotect_tables(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_protect_security_events"),
        ("schools", "0003_school_history"),
    ]

    operations = [migrations.RunPython(protect, unprotect)]
