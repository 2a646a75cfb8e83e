import django_filters

from drafts.models import Draft, DraftStatus


class DraftFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=DraftStatus.choices, help_text="open, committed or discarded."
    )

    class Meta:
        model = Draft
        fields = ["status"]
