from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("statistics/", views.statistics, name="statistics"),
    path("people.xlsx", views.people_export, name="people-export"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin, name="bulletin"),
    path("bulletins/<int:pk>/document.<str:fmt>", views.bulletin_document, name="bulletin-document"),
    path("bulletins/<int:pk>/publish/", views.bulletin_publish, name="bulletin-publish"),
    path("bulletins/<int:pk>/withdraw/", views.bulletin_withdraw, name="bulletin-withdraw"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/people/", views.add_person, name="add-person"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("people/<int:pk>/amend/", views.amend_person, name="amend-person"),
    path("people/<int:pk>/withdraw/", views.withdraw_person, name="withdraw-person"),
    path("people/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("appeals/<int:pk>/decide/", views.decide_appeal, name="decide-appeal"),
]
