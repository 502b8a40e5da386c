"""Where media files live: one small interface, two backends. No Flask import.

- `DiskStorage`: a directory (by default `instance/media`), written atomically.
- `S3Storage`: an S3-compatible bucket through boto3, so several hosts share
  the same files. Configured by one URL, `MEDIA_S3_URL`:

      s3://ACCESS_KEY:SECRET_KEY@HOST:PORT/BUCKET[/PREFIX]        (http)
      s3+https://ACCESS_KEY:SECRET_KEY@HOST[:PORT]/BUCKET[/PREFIX] (https)
      s3+https://ACCESS_KEY:SECRET_KEY@/BUCKET                     (AWS itself)

  Keys are percent-decoded (a secret may hold `/`); `?region=eu-central-1`
  sets the region (default us-east-1). The bucket must exist.

Names are content hashes (see domain.media), so a file never changes once
written and writing the same name twice is harmless.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

NAME_RE = re.compile(r"[0-9a-f]{32}\.(?:webp|jpg)")


class MediaStorage(Protocol):
    """What the app needs from a place that keeps files."""

    def put(self, name: str, data: bytes, content_type: str) -> None: ...

    def get(self, name: str) -> bytes | None: ...

    def delete(self, name: str) -> None: ...


def _checked(name: str) -> str:
    # Only names we make reach a backend: no path, no traversal, no surprises.
    if not NAME_RE.fullmatch(name):
        raise ValueError(f"not a media file name: {name!r}")
    return name


class DiskStorage:
    """Files in one directory on the local disk."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def put(self, name: str, data: bytes, content_type: str) -> None:
        path = self.root / _checked(name)
        if path.exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        # Written beside its final place and renamed: a reader never sees half.
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, name: str) -> bytes | None:
        try:
            return (self.root / _checked(name)).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, name: str) -> None:
        (self.root / _checked(name)).unlink(missing_ok=True)


class S3Storage:
    """Files as objects in an S3-compatible bucket (boto3)."""

    def __init__(
        self,
        *,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None,
        access_key: str,
        secret_key: str,
        region: str = "us-east-1",
    ) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    @classmethod
    def from_url(cls, url: str) -> S3Storage:
        """Build from a MEDIA_S3_URL (see the module docstring)."""
        parts = urlsplit(url)
        if parts.scheme not in ("s3", "s3+https"):
            raise ValueError("MEDIA_S3_URL must start with s3:// or s3+https://")
        bucket, _, prefix = parts.path.lstrip("/").partition("/")
        if not bucket:
            raise ValueError("MEDIA_S3_URL names no bucket")
        endpoint = None
        if parts.hostname:
            scheme = "https" if parts.scheme == "s3+https" else "http"
            port = f":{parts.port}" if parts.port else ""
            endpoint = f"{scheme}://{parts.hostname}{port}"
        region = parse_qs(parts.query).get("region", ["us-east-1"])[0]
        return cls(
            bucket=bucket,
            prefix=prefix,
            endpoint_url=endpoint,
            access_key=unquote(parts.username or ""),
            secret_key=unquote(parts.password or ""),
            region=region,
        )

    def _key(self, name: str) -> str:
        return self.prefix + _checked(name)

    def put(self, name: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._key(name),
            Body=data,
            ContentType=content_type,
            CacheControl="public, max-age=31536000, immutable",
        )

    def get(self, name: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(name))
        except self.client.exceptions.NoSuchKey:
            return None
        return answer["Body"].read()

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))


def storage_for(s3_url: str | None, root: Path | str) -> MediaStorage:
    """S3 when a URL is configured, otherwise the local directory."""
    if s3_url:
        return S3Storage.from_url(s3_url)
    return DiskStorage(root)
