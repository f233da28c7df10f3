from django.db import migrations, models

# A title's limit is the model's (ingest/validation.py enforces it on import, the admin
# form on edit); the column stays `text`, so the database is not touched (on SQLite an
# AlterField would copy the whole document table for nothing).


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0010_harvesting_times")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=name, name="title", field=models.TextField(max_length=1000)
                )
                for name in ("collection", "document")
            ]
        )
    ]
