"""No asset is loaded from a third-party host: not on the public site, not in the admin."""

import re

import pytest

from tests.factories import make_article, make_editor

ASSET = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"')


def external_assets(html):
    """Asset addresses that leave the site (its own absolute addresses, like the canonical link, are fine)."""
    return [
        url for url in ASSET.findall(html)
        if url.startswith(("//", "http:", "https:")) and not url.startswith("http://testserver/")
    ]


@pytest.mark.django_db
def test_public_pages_load_assets_only_from_the_site(client):
    article = make_article(published=True, tags=["سوريا"])
    for url in ["/", "/en/", article.get_absolute_url(), article.section.get_absolute_url(), "/tag/سوريا/"]:
        assert external_assets(client.get(url).text) == [], url


@pytest.mark.django_db
def test_admin_screens_load_assets_only_from_the_site(client):
    client.force_login(make_editor())
    article = make_article()
    for url in [
        "/admin/", "/admin/articles/article/", "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/", "/admin/articles/photo/add/",
        "/admin/articles/person/add/", "/admin/articles/section/add/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert external_assets(response.text) == [], url
