"""The app serves the media library's files itself when they are on the local filesystem
(``make run``, ``make serve``, a single server): ``/media/images/<digest>/<name>`` only.

In production a reverse proxy may serve ``MEDIA_ROOT`` directly with the same headers (see
the README's deployment guide); with an S3 bucket the files never pass through the app.
"""

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from . import rights

#: The only names ever written (``renditions.original_name`` and ``rendition_name``): a
#: digest folder, then ``original`` or a width. Anything else, ``..`` included, is 404.
SERVED_NAME = re.compile(
    r"images/(?P<digest>[0-9a-f]{64})/(?:original|[1-9][0-9]{0,5})\.(?P<extension>jpg|png|webp)"
)
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@require_safe
def media_file(request: HttpRequest, name: str) -> FileResponse:
    """One stored image file, cacheable forever (its name changes whenever its content
    does); 404 for any other name, a missing file, or the file of an image whose rights
    have ended (``rights.files_may_be_shown``)."""
    match = SERVED_NAME.fullmatch(name)
    if match is None or not rights.files_may_be_shown(match["digest"]):
        raise Http404("No such image.")
    path = Path(settings.MEDIA_ROOT) / name
    try:
        handle = path.open("rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise Http404("No such image.") from None
    response = FileResponse(handle, content_type=CONTENT_TYPES[match["extension"]])
    response["Cache-Control"] = settings.IMMUTABLE_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
