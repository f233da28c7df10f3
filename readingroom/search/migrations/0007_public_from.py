"""The index applies the embargo itself: each entry says when it becomes public (and,
for "recently added", since when it is). The
entries are emptied so that `migrate` rebuilds them (search.indexer.build_missing_index)
with the published-but-embargoed documents the old index left out."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0006_field_vector_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="public_from",
            field=models.BigIntegerField(
                default=0, help_text="epoch seconds it becomes public (embargo end); 0: it is"
            ),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="public_since",
            field=models.BigIntegerField(
                default=0,
                help_text="epoch seconds it was first public (catalogue.gate.public_since)",
            ),
        ),
        migrations.RunSQL(
            ["DELETE FROM search_searchfacet", "DELETE FROM search_searchentry"],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
