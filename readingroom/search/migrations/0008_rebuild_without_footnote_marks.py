from django.db import migrations

# The indexed body text no longer holds FRUS footnote marks ("Khrushchev 0 Washington",
# search/fields.py). The entries are derived data: emptied here, they are rebuilt from
# the catalogue right after `migrate` (indexer.build_missing_index), as the tantivy
# index is in its new schema folder.


def empty(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0007_public_from")]
    operations = [migrations.RunPython(empty, migrations.RunPython.noop)]
