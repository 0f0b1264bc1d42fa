from django.db import migrations

from audit.protection import protect_in_migration

# The school's change history is append-only like every history table (PostgreSQL only).
TABLES = ["schools_historicalschool"]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_protect_security_events"),
        ("schools", "0003_school_history"),
    ]

    operations = [protect_in_migration(TABLES)]
