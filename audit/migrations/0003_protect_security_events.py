from django.db import migrations

from audit.protection import protect_in_migration

# Who set up, removed or reset a second factor is append-only like the rest of the audit
# trail (PostgreSQL only; the ORM guard covers every database, see audit.protection).
TABLES = ["accounts_securityevent"]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_erasure_and_append_only_audit_trail"),
        ("accounts", "0002_security_event"),
    ]

    operations = [protect_in_migration(TABLES)]
