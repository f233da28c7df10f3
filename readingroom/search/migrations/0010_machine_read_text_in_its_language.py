"""Machine-read text is also indexed in the language it was read in (Russian OCR with
Russian stemming, Latin look-alikes folded: search/fields.py). The entries are emptied
so that `migrate` rebuilds them with it (search.indexer.build_missing_index)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0009_entity_ids_and_lexicon"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name="searchentry", name=f"ocr_{code}", field=models.TextField(blank=True)
            )
            for code in ("ru", "es", "de", "fr")
        ),
        migrations.RunSQL(
            ["DELETE FROM search_searchfacet", "DELETE FROM search_searchentry"],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
