import django.db.models.functions.text
from django.db import migrations, models


def lower_case_addresses(apps, schema_editor):
    # Addresses were lower-cased on save already; this catches any that came in otherwise.
    # Unique regardless of case (user_email_unique_ci), so no two rows can collide.
    User = apps.get_model("accounts", "User")
    User.objects.exclude(email=django.db.models.functions.text.Lower("email")).update(
        email=django.db.models.functions.text.Lower("email")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_email_change_event"),
    ]

    operations = [
        migrations.RunPython(lower_case_addresses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("email", django.db.models.functions.text.Lower("email"))),
                name="user_email_lower_case",
            ),
        ),
    ]
