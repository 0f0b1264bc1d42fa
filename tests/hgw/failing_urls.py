"""hgw's URLs plus two views that write and then fail, for the atomic-request tests."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from schools.models import Board


@csrf_exempt
@login_not_required
def write_then_fail(request):
    Board.objects.create(name=f"Written by a {request.method}")
    raise RuntimeError("a later step fails")


@csrf_exempt
@login_not_required
def write_then_answer(request):
    Board.objects.create(name=f"Written by a {request.method}")
    return HttpResponse("saved")


urlpatterns = [
    path("test-write-then-fail/", write_then_fail),
    path("test-write-then-answer/", write_then_answer),
    path("", include("hgw.urls")),
]
