"""Cursor pagination with a caller-chosen page size, capped at EVENTSAPI_MAX_PAGE_SIZE."""

from django.conf import settings
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """Cursor pages over the view's ordering.

    Every view's ordering ends in ``id``, a unique tie-breaker, so pages never repeat or
    skip rows. A malformed ``page_size`` or ``cursor`` is a 400 naming the parameter; a
    page size above the maximum is capped to it.
    """

    page_size_query_param = "page_size"
    max_page_size = settings.EVENTSAPI_MAX_PAGE_SIZE
    ordering = ("-created_at", "id")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: ["Enter a whole number from 1 to %d." % self.max_page_size]}
            )
        return min(size, self.max_page_size)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as error:
            raise exceptions.ValidationError({self.cursor_query_param: [str(error.detail)]}) from error


class NewestFirstPagination(StableCursorPagination):
    """For sub-lists (reviews, history): newest first, whatever the parent list's ordering."""

    ordering = ("-created_at", "-id")

    def get_ordering(self, request, queryset, view):
        return self.ordering


class HistoryPagination(NewestFirstPagination):
    ordering = ("-history_date", "-history_id")
