from django.urls import path

from workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.draft_list, name="list"),
    path("drafts/<uuid:pk>/", views.draft_detail, name="draft"),
    path("drafts/<uuid:pk>/propose/", views.statement_propose, name="propose"),
    path("drafts/<uuid:pk>/commit/", views.draft_commit, name="commit"),
    path("drafts/<uuid:pk>/discard/", views.draft_discard_view, name="discard"),
    path("drafts/<uuid:pk>/summary/", views.draft_summary, name="summary"),
    path("drafts/<uuid:pk>/<str:section>/<str:key>/", views.item_save, name="item"),
]
