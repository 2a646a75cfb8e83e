"""Content negotiation whose unknown ``?format=`` is a 400 naming the parameter.

DRF answers an unknown format with 404, which reads as "no such resource" (and which the
schema cannot declare on a list); DESIGN.md wants an unparsable parameter to be a 400.
"""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class StrictContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            choices = ", ".join(sorted({renderer.format for renderer in renderers if renderer.format}))
            raise exceptions.ValidationError(
                {"format": [f"Unknown format {format!r}; use one of: {choices}."]}
            )
        return matching
