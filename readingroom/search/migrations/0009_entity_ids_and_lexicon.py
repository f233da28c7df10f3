"""Entities are indexed by id, each kind a facet of its own (people, organizations,
places, subjects, repositories), and titles, summaries, names and places feed a lexicon
that near spellings are looked up in. The entries are emptied so that `migrate`
rebuilds them (search.indexer.build_missing_index) with the new facet values."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0008_rebuild_without_footnote_marks"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("term", models.CharField(max_length=100, primary_key=True, serialize=False)),
            ],
        ),
        migrations.RunSQL(
            ["DELETE FROM search_searchfacet", "DELETE FROM search_searchentry"],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
