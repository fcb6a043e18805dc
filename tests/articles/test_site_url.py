"""``public.site_url`` joins a page's own path to the request's origin without
``build_absolute_uri``'s splitting and quoting: the same address for every path."""

from django.test import RequestFactory, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import public

PATH_CHARACTERS = st.sampled_from("/abcXYZ019_.~-%?#é !:@+&=[]\\")


@settings(max_examples=500, deadline=None)
@given(
    st.lists(PATH_CHARACTERS, max_size=30).map(lambda chars: "/" + "".join(chars)),
    st.sampled_from(["example.org", "127.0.0.1:8000", "[::1]:8080"]),
    st.booleans(),
)
def test_site_url_is_build_absolute_uri(path, host, secure):
    request = RequestFactory().get("/", HTTP_HOST=host, secure=secure)
    with settings_hosts():
        assert answer(public.site_url, path, request) == answer(
            request.build_absolute_uri.__func__, request, path
        )


def answer(function, *args) -> str:
    """What ``function`` returns, or the kind of error it raises (Django refuses some paths:
    "//[" is an unclosed IPv6 host)."""
    try:
        return function(*args)
    except ValueError as error:
        return f"ValueError: {error}"


def test_a_page_address_is_joined_to_the_origin():
    request = RequestFactory().get("/", HTTP_HOST="example.org", secure=True)
    with settings_hosts():
        assert public.site_url("/es/articulos/dolor-oseo/", request) == (
            "https://example.org/es/articulos/dolor-oseo/"
        )
        assert public.site_url("/a b/", request) == "https://example.org/a%20b/"
        assert public.site_url("//evil.example/x", request) == request.build_absolute_uri(
            "//evil.example/x"
        )


def settings_hosts():
    return override_settings(ALLOWED_HOSTS=["example.org", "127.0.0.1", "[::1]"])
