"""PostgreSQL text search configurations that fold accents (unaccent) before stemming,
as tantivy's analyzers do: "Khrushchëv" and "Khrushchev", "démarche" and "demarche"
match each other. Entries indexed with the old configurations are cleared; `migrate`
rebuilds them (search.indexer.build_missing_index)."""

from django.db import migrations

CONFIGS = ("english", "russian", "spanish", "german", "french")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for config in CONFIGS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS rr_{config}")
        schema_editor.execute(
            f"CREATE TEXT SEARCH CONFIGURATION rr_{config} (COPY = pg_catalog.{config})"
        )
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION rr_{config} ALTER MAPPING FOR "
            f"hword, hword_part, word WITH unaccent, {config}_stem"
        )
    schema_editor.execute("DELETE FROM search_searchfacet")
    schema_editor.execute("DELETE FROM search_searchentry")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS rr_{config}")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_machine_read_text")]
    operations = [migrations.RunPython(create, drop)]
