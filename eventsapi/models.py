"""The abstract base every API resource inherits: UUID key, version and timestamps."""

import uuid

from django.db import models


class Resource(models.Model):
    """A record exposed by the API.

    ``version`` starts at 1 and grows by one on every save of an existing row; it backs
    the ETag of the detail response.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)
