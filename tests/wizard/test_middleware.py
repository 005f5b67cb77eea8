from __future__ import annotations

import re

from django.http import HttpResponse

from dsar.wizard.middleware import ServerTimingMiddleware


def test_it_reports_wall_and_cpu_time_in_server_timing(rf):
    middleware = ServerTimingMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(rf.get("/start/"))
    assert re.fullmatch(r"app;dur=\d+\.\d\d, cpu;dur=\d+\.\d\d", response["Server-Timing"])
    assert response.content == b"ok"
