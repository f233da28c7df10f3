"""People, organizations and places, and their links to documents with a role."""

from __future__ import annotations

from django.db import models

from readingroom.catalogue.models.documents import Document


class AgentKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"


class Role(models.TextChoices):
    ORIGINATOR = "originator", "Originating agency"
    AUTHOR = "author", "Author"
    SIGNER = "signer", "Signed by"
    SENDER = "sender", "Sender"
    RECIPIENT = "recipient", "Recipient"
    PARTICIPANT = "participant", "Participant"
    OBTAINED_BY = "obtained-by", "Obtained by"
    TRANSLATED_BY = "translated-by", "Translated by"
    MENTIONED = "mentioned", "Mentioned"


class Agent(models.Model):
    kind = models.CharField(max_length=12, choices=AgentKind.choices)
    name = models.CharField(max_length=300, help_text="Preferred form of the name.")
    sort_name = models.CharField(max_length=300, blank=True, help_text='e.g. "Goldberg, Gary"')
    identification = models.TextField(blank=True, help_text="Who this is, in one line.")

    class Meta:
        ordering = ["sort_name", "name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reader:agent", args=[self.pk])


class AgentName(models.Model):
    """Another name for an agent: a spelling, a transliteration, an abbreviation."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "name"], name="unique_agent_name")]

    def __str__(self) -> str:
        return self.name


class AgentIdentification(models.Model):
    """How one source (a FRUS volume's persons list) identifies an agent, kept with it:
    "President" in one volume, "President of the United States" in another."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="identifications")
    collection = models.ForeignKey(
        "catalogue.Collection", on_delete=models.CASCADE, related_name="agent_identifications"
    )
    key = models.CharField(max_length=100, help_text='The source\'s own id, e.g. "p_KNS1".')
    name_as_listed = models.CharField(max_length=300)
    identification = models.TextField(blank=True)

    class Meta:
        ordering = ["collection__identifier"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "key"], name="unique_entity_key")
        ]

    def __str__(self) -> str:
        return f"{self.name_as_listed} ({self.collection.identifier})"


class DocumentAgent(models.Model):
    """An agent in a role on a document. Sources also write, where a name belongs, a
    name they withheld, an office without a name, or a note (`ingest/names.py`): the
    link then keeps its role and what the source says, with no agent."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="agent_links")
    # No index of its own: the (agent, role) index below serves lookups by agent too.
    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="document_links",
                              db_index=False, null=True, blank=True,
                              help_text="Empty when the source names no one here.")  # fmt: skip
    role = models.CharField(max_length=20, choices=Role.choices)
    name_as_written = models.TextField(blank=True)
    office = models.TextField(
        blank=True, help_text='The office or position the source gives: "Chief", "S/P".'
    )
    note = models.TextField(
        blank=True, help_text='What the source says beside the name: "interpreting".'
    )
    name_withheld = models.BooleanField(
        default=False, help_text="The releasing agency withheld the name (a redaction)."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["agent", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agent__isnull=False)
                | models.Q(name_withheld=True)
                | ~models.Q(office="")
                | ~models.Q(note=""),
                name="agent_link_says_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.shown_name}"

    @property
    def shown_name(self) -> str:
        """The agent's name, or what stands in its place."""
        if self.agent is not None:
            return self.agent.name
        if self.name_withheld:
            return WITHHELD_NAME
        return self.office or self.note


# How a withheld name is shown, everywhere.
WITHHELD_NAME = "[name withheld]"


class Place(models.Model):
    name = models.CharField(max_length=300)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlaceName(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.name


class PlaceRole(models.TextChoices):
    WRITTEN_AT = "written-at", "Written at"
    MENTIONED = "mentioned", "Mentioned"


class DocumentPlace(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="place_links")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="document_links")
    role = models.CharField(max_length=20, choices=PlaceRole.choices)
    name_as_written = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.place}"
