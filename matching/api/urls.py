"""Matching's addresses, beside the resources they search (before the resources' detail routes)."""

from django.urls import path

from matching.api.views import ActorDuplicatesView, ActorMatchView, StatementMatchView, StatementSimilarView

urlpatterns = [
    path("actors/match/", ActorMatchView.as_view(), name="actor-match"),
    path("actors/duplicates/", ActorDuplicatesView.as_view(), name="actor-duplicates"),
    path("statements/match/", StatementMatchView.as_view(), name="statement-match"),
    path("statements/<uuid:pk>/similar/", StatementSimilarView.as_view(), name="statement-similar"),
]
