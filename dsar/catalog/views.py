from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html")


def dataset_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html")


def authority_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/home.html")
