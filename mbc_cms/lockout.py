"""What a locked-out sign-in is answered (django-axes calls ``lockout_response``): the API gets
its usual JSON error, people the lock-out page; both say when to try again."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, round(seconds / 60))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "detail": "Too many failed sign-in attempts for this account from your address. "
                f"Try again in {minutes} minutes."
            },
            status=429,
        )
    else:
        context = {"cooloff_minutes": minutes}
        response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
