"""Vocabularies shared by both apps."""

from django.db import models


class VerificationStatus(models.TextChoices):
    """What reviewers have concluded about an event, a statement or a source."""

    UNVERIFIED = "unverified", "Unverified"
    IN_REVIEW = "in_review", "In review"
    VERIFIED = "verified", "Verified"
    FALSE = "false", "False"
    MISLEADING = "misleading", "Misleading"
    UNVERIFIABLE = "unverifiable", "Unverifiable"
