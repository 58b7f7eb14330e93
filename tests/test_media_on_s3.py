"""Media in S3-compatible object storage (MEDIA_BUCKET), against a real S3 server over HTTP: moto's, started on
127.0.0.1 once for this module. Not AWS itself: what is checked is the protocol django-storages and boto3 speak,
and what an editor and a reader notice: uploads and renditions land in the bucket, pages point at it, photos load
from it, deleted photos leave it, and the media commands work on it.

moto is a pinned development dependency (requirements-dev.txt): if it is missing this module fails to import,
it does not skip."""

import ast
import io
import json
import re
import socket
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import boto3
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from articles.backup import restore_backup, write_backup
from articles.intake import MESSAGES, create_photo
from articles.models import Photo
from articles.renditions import _names, ensure_renditions
from tests import imagefiles
from tests.factories import make_article, make_editor, make_photo
from tests.test_backup_restore import empty_database
from tests.test_settings import setting_from_environment

PHOTO_ADD = "/admin/articles/photo/add/"
KEYS = {"MEDIA_ACCESS_KEY": "moto-access-key", "MEDIA_SECRET_KEY": "moto-secret-key", "MEDIA_REGION": "us-east-1"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def storage_from_environment(s3_endpoint):
    """STORAGES["default"] exactly as newsroom/settings.py builds it from the environment, for this server."""
    environment = {"MEDIA_BUCKET": "placeholder", "MEDIA_ENDPOINT_URL": s3_endpoint} | KEYS
    return ast.literal_eval(setting_from_environment(environment, "settings.STORAGES['default']"))


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1",
        aws_access_key_id=KEYS["MEDIA_ACCESS_KEY"], aws_secret_access_key=KEYS["MEDIA_SECRET_KEY"],
    )


@pytest.fixture
def bucket(s3_client):
    """A fresh bucket for each test, so no test sees another's objects."""
    name = f"newsroom-media-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    return name


def s3_storages(settings, storage_from_environment, bucket, **options):
    storage = storage_from_environment | {"OPTIONS": storage_from_environment["OPTIONS"] | {"bucket_name": bucket}}
    storage["OPTIONS"] |= options
    return settings.STORAGES | {"default": storage}


@pytest.fixture
def media_on_s3(settings, storage_from_environment, bucket, media_in_tmp):
    # pytest-django's settings fixture sends setting_changed, which empties the lazy default_storage (and the
    # cache of storages), so Photo.image, renditions and the commands all reach the bucket from here on.
    settings.STORAGES = s3_storages(settings, storage_from_environment, bucket)
    assert isinstance(default_storage, S3Storage) and default_storage.bucket_name == bucket
    yield bucket
    # Nothing leaked onto the disk the site would otherwise use.
    assert not media_in_tmp.exists() or not any(media_in_tmp.rglob("*"))


def keys_in(s3_client, bucket):
    pages = s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_editor())
    return client


def test_default_storage_follows_an_override_of_storages_and_comes_back(
    settings, storage_from_environment, bucket
):
    assert isinstance(default_storage, FileSystemStorage)
    with override_settings(STORAGES=s3_storages(settings, storage_from_environment, bucket)):
        assert isinstance(default_storage, S3Storage)
        assert default_storage.bucket_name == bucket
        # The photo field's storage is the same lazy object, not a copy taken at import.
        assert Photo._meta.get_field("image").storage is default_storage
    assert isinstance(default_storage, FileSystemStorage)


@pytest.mark.django_db
def test_a_photo_uploaded_in_the_admin_lands_in_the_bucket_with_its_renditions(
    editor_client, media_on_s3, s3_client, django_capture_on_commit_callbacks
):
    upload = imagefiles.upload("protest.jpg", imagefiles.jpeg_bytes(1600, 1000), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(PHOTO_ADD, {"image": upload, "caption_ar": "مظاهرة", "credit_ar": "عدسة"})

    assert response.status_code == 302
    photo = Photo.objects.get()
    renditions = _names(photo.renditions)
    assert len(renditions) > 10
    assert keys_in(s3_client, media_on_s3) == sorted({photo.image.name} | renditions)
    assert photo.image.name.startswith("photos/")
    # Readers' browsers and a CDN may keep each file a week; its type is what it is.
    jpeg = next(name for name in renditions if name.endswith(".jpg"))
    webp = next(name for name in renditions if name.endswith(".webp"))
    for name, content_type in ((jpeg, "image/jpeg"), (webp, "image/webp")):
        head = s3_client.head_object(Bucket=media_on_s3, Key=name)
        assert head["CacheControl"] == "public, max-age=604800"
        assert head["ContentType"] == content_type


def public_read(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "ReadersLoadPhotos", "Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*",
        }],
    }


def picture_addresses(html):
    addresses = re.findall(r'<img[^>]* src="([^"]+)"', html)
    for srcset in re.findall(r' srcset="([^"]+)"', html):
        addresses += [candidate.strip().split(" ")[0] for candidate in srcset.split(",")]
    return addresses


@pytest.mark.django_db
@pytest.mark.parametrize("domain", [None, "media.example.org"], ids=["endpoint", "media-domain"])
def test_the_article_page_shows_photos_from_the_bucket_and_they_load(
    client, settings, storage_from_environment, bucket, s3_endpoint, s3_client, domain,
    django_capture_on_commit_callbacks,
):
    settings.STORAGES = s3_storages(settings, storage_from_environment, bucket, custom_domain=domain)
    with django_capture_on_commit_callbacks(execute=True):
        photo = create_photo(
            file=imagefiles.upload("square.jpg", imagefiles.jpeg_bytes(1600, 1000), "image/jpeg"),
            caption_ar="ساحة المدينة", credit_ar="عدسة سامر العلي", alt_text_ar="حشد في ساحة",
        )
    photo.refresh_from_db()
    article = make_article(published=True, lead_photo=photo)

    html = client.get(article.get_absolute_url()).text

    addresses = picture_addresses(html)
    assert {address.rsplit(".", 1)[1] for address in addresses} == {"webp", "jpg"} and len(set(addresses)) >= 4
    base = f"https://{domain}/" if domain else f"{s3_endpoint}/{bucket}/"
    assert all(address.startswith(base) for address in addresses), addresses
    # Every address names a rendition the row lists, stored in the bucket under the same key.
    assert {address.removeprefix(base) for address in addresses} <= _names(photo.renditions)
    assert _names(photo.renditions) <= set(keys_in(s3_client, bucket))
    # A reader's browser (or the CDN at MEDIA_DOMAIN, which fetches from the bucket) gets the image itself, once
    # the bucket lets anyone read, as docs/deploy.md tells the operator to set up: the site sets no ACLs.
    key = re.search(r'<img[^>]* src="([^"]+)"', html).group(1).removeprefix(base)
    with pytest.raises(urllib.error.HTTPError, match="403"):
        urllib.request.urlopen(f"{s3_endpoint}/{bucket}/{key}", timeout=10)
    s3_client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read(bucket)))
    with urllib.request.urlopen(f"{s3_endpoint}/{bucket}/{key}", timeout=10) as answer:
        body = answer.read()
        assert answer.headers["Content-Type"] == "image/jpeg"
        assert answer.headers["Cache-Control"] == "public, max-age=604800"
    assert body[:3] == b"\xff\xd8\xff"
    assert body == s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()
    # And the page's Content-Security-Policy, as the same environment builds it, lets the browser load it.
    environment = {"MEDIA_BUCKET": bucket, "MEDIA_ENDPOINT_URL": s3_endpoint, "MEDIA_DOMAIN": domain or ""} | KEYS
    img_src = setting_from_environment(environment, "settings.SECURE_CSP['img-src']")
    assert base.rstrip("/").removesuffix(f"/{bucket}") in img_src


@pytest.mark.django_db
def test_deleting_an_unused_photo_in_the_admin_removes_its_objects_from_the_bucket(
    editor_client, media_on_s3, s3_client, django_capture_on_commit_callbacks
):
    photo, kept = make_photo(), make_photo()
    ensure_renditions(photo)
    assert any(key.startswith(f"renditions/{photo.pk}/") for key in keys_in(s3_client, media_on_s3))

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/photo/{photo.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert keys_in(s3_client, media_on_s3) == [kept.image.name]


@pytest.mark.django_db
def test_cleanup_media_finds_and_removes_orphans_in_the_bucket(media_on_s3, s3_client, capsys):
    photo = make_photo()
    ensure_renditions(photo)
    s3_client.put_object(Bucket=media_on_s3, Key="photos/never-committed.jpg", Body=imagefiles.jpeg_bytes())
    s3_client.put_object(Bucket=media_on_s3, Key="renditions/999999/old/card-400.jpg", Body=b"x")
    referenced = sorted({photo.image.name} | _names(photo.renditions))

    call_command("cleanup_media", min_age=0)
    assert capsys.readouterr().out.split() == ["photos/never-committed.jpg", "renditions/999999/old/card-400.jpg"]
    # The bucket's modification times count: a file just written is left alone by default.
    call_command("cleanup_media", delete=True)
    assert "left 2 younger than 60 minutes alone" in capsys.readouterr().err
    assert default_storage.get_modified_time(photo.image.name) > timezone.now() - timedelta(minutes=5)

    call_command("cleanup_media", delete=True, min_age=0)
    assert keys_in(s3_client, media_on_s3) == referenced


@pytest.mark.django_db
def test_regenerate_renditions_cleans_old_originals_and_writes_renditions_in_the_bucket(
    media_on_s3, s3_client, django_capture_on_commit_callbacks
):
    # Stored without the intake, as photos before it were: the original is re-encoded, then rendered.
    photo = make_photo()
    old_original = photo.image.name
    assert keys_in(s3_client, media_on_s3) == [old_original]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_renditions", stdout=io.StringIO(), stderr=io.StringIO())

    photo.refresh_from_db()
    assert photo.source_digest and photo.image.name != old_original
    assert _names(photo.renditions)
    assert keys_in(s3_client, media_on_s3) == sorted({photo.image.name} | _names(photo.renditions))


@pytest.fixture
def content_types_as_the_database_has_them():
    """The restore below flushes the database, which recreates the content types under new ids (see
    tests/test_backup_restore.py); the rollback brings the old ones back, so the per-process cache must go."""
    yield
    ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_backup_reads_every_file_from_the_bucket_and_restore_writes_them_into_an_empty_one(
    settings, storage_from_environment, media_on_s3, s3_client, tmp_path, content_types_as_the_database_has_them
):
    photo = make_photo()
    ensure_renditions(photo)
    keys = keys_in(s3_client, media_on_s3)
    contents = {key: s3_client.get_object(Bucket=media_on_s3, Key=key)["Body"].read() for key in keys}
    archive = tmp_path / "newsroom.tar.gz"

    manifest = write_backup(archive)

    assert sorted(manifest["media"]) == keys and manifest["missing_media"] == []
    empty_database()
    fresh = f"newsroom-restored-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=fresh)
    settings.STORAGES = s3_storages(settings, storage_from_environment, fresh)

    restore_backup(archive, confirm=lambda staff_accounts: None)

    assert keys_in(s3_client, fresh) == keys
    assert {key: s3_client.get_object(Bucket=fresh, Key=key)["Body"].read() for key in keys} == contents
    assert Photo.objects.get(pk=photo.pk).image.name == photo.image.name


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["missing bucket", "server down"])
def test_a_bucket_that_refuses_the_upload_gets_the_editor_a_reason_and_stores_nothing(
    editor_client, settings, storage_from_environment, bucket, s3_client, fault
):
    # A bucket never created, or an endpoint where nothing listens.
    if fault == "missing bucket":
        options = {"bucket_name": "no-such-bucket"}
    else:
        options = {"endpoint_url": f"http://127.0.0.1:{free_port()}"}
    settings.STORAGES = s3_storages(settings, storage_from_environment, bucket, **options)

    upload = imagefiles.upload("street.jpg", imagefiles.jpeg_bytes(), "image/jpeg")
    response = editor_client.post(PHOTO_ADD, {"image": upload, "caption_ar": "شارع"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"] == [str(MESSAGES["storage"])]
    assert not Photo.objects.exists()
    assert keys_in(s3_client, bucket) == []


@pytest.mark.django_db
def test_a_bucket_that_refuses_a_deletion_still_lets_the_editor_delete_the_photo(
    editor_client, settings, storage_from_environment, media_on_s3, s3_client, django_capture_on_commit_callbacks
):
    photo = make_photo()
    ensure_renditions(photo)
    stored = keys_in(s3_client, media_on_s3)
    # The bucket goes away between the upload and the deletion (renamed, its permissions changed).
    settings.STORAGES = s3_storages(settings, storage_from_environment, media_on_s3, bucket_name="no-such-bucket")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/articles/photo/{photo.pk}/delete/", {"post": "yes"})

    # The row is gone and the editor told so; the files left behind are orphans cleanup_media will find.
    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert keys_in(s3_client, media_on_s3) == stored
