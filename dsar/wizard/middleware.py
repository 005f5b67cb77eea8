"""Server-Timing for benchmarks: how long Django took for a request, as a response header.

Off unless DSAR_SERVER_TIMING is set (bench/wizard.py sets it): it tells clients how long the
server worked, which a production site need not publish. Placed first in MIDDLEWARE so that the
time covers every other middleware as well as the view.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start, cpu = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        # app: wall time; cpu: this thread's CPU time (tells work from waiting on a busy machine).
        response["Server-Timing"] = (
            f"app;dur={(time.perf_counter() - start) * 1000:.2f}, "
            f"cpu;dur={(time.thread_time() - cpu) * 1000:.2f}"
        )
        return response
