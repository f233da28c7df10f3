from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("files", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="ocr_languages",
            field=models.CharField(
                blank=True, max_length=100,
                help_text="Tesseract's models the page was read with (rus+eng); empty for a text layer.",
            ),
        ),
        migrations.AddField(
            model_name="page",
            name="confidence",
            field=models.FloatField(
                blank=True, null=True,
                help_text="Tesseract's mean word confidence on the page (0-100); empty for a text layer.",
            ),
        ),
        migrations.AlterField(
            model_name="page",
            name="pdf_sha256",
            field=models.CharField(
                db_index=True, max_length=64, help_text="The scan's sha256 (a PDF or a page image)."
            ),
        ),
        migrations.AlterField(
            model_name="page",
            name="number",
            field=models.PositiveIntegerField(help_text="1-based page number in the scan."),
        ),
    ]
