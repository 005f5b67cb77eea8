from django.urls import path

from dsar.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("authorities/", views.authority_list, name="authority_list"),
]
