from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/indicators/add/", views.indicator_save, name="indicator-add"),
    path("plans/<int:pk>/indicators/<int:ind_pk>/", views.indicator_save, name="indicator-edit"),
    path("plans/<int:pk>/indicators/move/", views.indicator_move, name="indicator-move"),
    path("plans/<int:pk>/indicators/active/", views.indicator_active, name="indicator-active"),
    path("plans/<int:pk>/do/<slug:action>/", views.plan_action, name="plan-action"),
    path("surveys/<int:pk>/links/", views.survey_links, name="survey-links"),
    path("sheets/", views.sheets, name="sheets"),
    path("sheets/<int:pk>/", views.sheet, name="sheet"),
    path("sheets/<int:pk>/save/", views.sheet_save, name="sheet-save"),
    path("sheets/<int:pk>/reopen/", views.sheet_reopen, name="sheet-reopen"),
    path("report/", views.report, name="report"),
    path("report/<int:ind_pk>/", views.report_submit, name="report-submit"),
    path("review/", views.review, name="review"),
    path("figures/<int:pk>/", views.figure, name="figure"),
    path("figures/<int:pk>/review/", views.review_figure, name="figure-review"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run-publish"),
    path("runs/<int:pk>/units/<int:unit_id>/", views.card, name="card"),
    path("runs/<int:pk>/items/<int:item_pk>/rows/", views.item_rows, name="rows"),
    path("runs/<int:pk>/bulletin.<str:fmt>", views.bulletin, name="bulletin"),
    path("items/<int:item_pk>/appeal/", views.appeal_submit, name="appeal"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal-decide"),
    path("appeals/<int:pk>/evidence/", views.appeal_evidence, name="appeal-evidence"),
    path("letters/", views.letters, name="letters"),
    path("letters/new/", views.letter_new, name="letter-new"),
    path("letters/<int:pk>/", views.letter_detail, name="letter"),
    path("letters/<int:pk>/do/<slug:action>/", views.letter_action, name="letter-action"),
    path("govservice/", views.govservice, name="govservice"),
    path("govservice/import/", views.govservice_import, name="govservice-import"),
]
