"""Media storage: the same tests on the local disk and on a real S3-compatible
server (moto's standalone server, over HTTP)."""

from __future__ import annotations

import pytest

from editorial.domain import storage as storage_module
from editorial.domain.storage import DiskStorage, S3Storage, storage_for

NAME = "0123456789abcdef0123456789abcdef.webp"
OTHER = "fedcba9876543210fedcba9876543210.jpg"


@pytest.fixture(params=["disk", "s3"])
def storage(request, tmp_path):
    if request.param == "disk":
        return storage_for(None, tmp_path / "media")
    return storage_for(request.getfixturevalue("s3_url"), tmp_path / "unused")


def test_the_backend_is_the_configured_one(tmp_path, s3_url):
    assert isinstance(storage_for(None, tmp_path), DiskStorage)
    assert isinstance(storage_for(s3_url, tmp_path), S3Storage)


def test_put_then_get_returns_the_same_bytes(storage):
    storage.put(NAME, b"RIFF....WEBPdata", "image/webp")
    storage.put(OTHER, b"\xff\xd8\xff jpeg bytes", "image/jpeg")
    assert storage.get(NAME) == b"RIFF....WEBPdata"
    assert storage.get(OTHER) == b"\xff\xd8\xff jpeg bytes"


def test_a_missing_file_is_none(storage):
    assert storage.get(NAME) is None


def test_writing_a_name_twice_is_harmless(storage):
    storage.put(NAME, b"first", "image/webp")
    storage.put(NAME, b"first", "image/webp")
    assert storage.get(NAME) == b"first"


def test_delete_removes_only_that_file(storage):
    storage.put(NAME, b"one", "image/webp")
    storage.put(OTHER, b"two", "image/jpeg")
    storage.delete(NAME)
    storage.delete(NAME)  # deleting again is no error
    assert storage.get(NAME) is None
    assert storage.get(OTHER) == b"two"


@pytest.mark.parametrize(
    "name",
    ["../secret_key", "a/b.webp", "0123456789ABCDEF0123456789ABCDEF.webp", "x.svg"],
)
def test_only_media_names_reach_the_backend(storage, name):
    with pytest.raises(ValueError):
        storage.put(name, b"x", "image/webp")
    with pytest.raises(ValueError):
        storage.get(name)


def test_disk_writes_leave_no_temporary_files(tmp_path):
    disk = DiskStorage(tmp_path / "media")
    disk.put(NAME, b"bytes", "image/webp")
    assert sorted(p.name for p in (tmp_path / "media").iterdir()) == [NAME]


def test_s3_objects_carry_type_and_immutable_caching(s3_url, tmp_path):
    s3 = storage_for(s3_url, tmp_path)
    s3.put(NAME, b"bytes", "image/webp")
    head = s3.client.head_object(Bucket=s3.bucket, Key="uploads/" + NAME)
    assert head["ContentType"] == "image/webp"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"


def test_s3_url_forms():
    plain = S3Storage.from_url("s3://key:s%2Fcret@minio.local:9000/bucket/a/b")
    assert plain.bucket == "bucket"
    assert plain.prefix == "a/b/"
    assert plain.client.meta.endpoint_url == "http://minio.local:9000"
    creds = plain.client._request_signer._credentials
    assert (creds.access_key, creds.secret_key) == ("key", "s/cret")
    secure = S3Storage.from_url("s3+https://k:s@files.example/media?region=eu-west-1")
    assert secure.client.meta.endpoint_url == "https://files.example"
    assert secure.client.meta.region_name == "eu-west-1"
    assert secure.prefix == ""


@pytest.mark.parametrize(
    "url", ["http://k:s@host/bucket", "s3://k:s@host/", "s3://k:s@host"]
)
def test_bad_s3_urls_are_refused(url):
    with pytest.raises(ValueError):
        S3Storage.from_url(url)


def test_name_pattern_is_the_one_media_makes():
    assert storage_module.NAME_RE.fullmatch(NAME)
    assert not storage_module.NAME_RE.fullmatch(NAME + "x")
