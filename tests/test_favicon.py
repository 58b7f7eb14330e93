"""/favicon.ico, which every browser asks for by itself: it must lead to the site's icon, never to a 404."""

from django.contrib.staticfiles import finders


def test_favicon_address_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO header
