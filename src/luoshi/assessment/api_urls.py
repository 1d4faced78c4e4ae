from django.urls import path

from . import api

urlpatterns = [
    path("plans/", api.PlansView.as_view(), name="api-assessment-plans"),
    path("plans/<str:code>/score/", api.ScoreView.as_view(), name="api-assessment-score"),
    path("runs/<int:pk>/", api.RunView.as_view(), name="api-assessment-run"),
    path("figures/", api.FiguresView.as_view(), name="api-assessment-figures"),
    path("appeals/", api.AppealsView.as_view(), name="api-assessment-appeals"),
    path("sheets/", api.SheetsView.as_view(), name="api-assessment-sheets"),
    path("sheets/<int:pk>/", api.SheetView.as_view(), name="api-assessment-sheet"),
    path("appeals/<int:pk>/decide/", api.AppealDecideView.as_view(), name="api-assessment-appeal-decide"),
]
