"""Benchmark: processing one upload (domain.media.process), and what it does to
other requests meanwhile. Prints medians in ms.

Run from the repository root: python bench/bench_media.py [--runs N]

1. `process` on a 1600x900 JPEG, a 12-megapixel camera JPEG (4000x3000) and a
   24-megapixel one (6000x4000): the work done once per upload.
2. While 24 MP uploads are processed in a background thread, how long a cheap
   request (`GET /healthz` through the app) takes, against the same request on
   an idle process. Pillow releases the GIL while it decodes, resizes and
   encodes, so a threaded worker keeps answering; the semaphore in
   domain.media caps concurrent decodes at two per process.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw

from editorial.domain import media


def photo(width: int, height: int) -> bytes:
    """A noisy picture (noise defeats compression, like a real photo)."""
    image = Image.effect_noise((width, height), 60).convert("RGB")
    ImageDraw.Draw(image).rectangle((0, 0, width // 2, height // 2), fill=(200, 40, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def timed(func, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    big = photo(6000, 4000)
    for label, data in (
        ("1600x900", photo(1600, 900)),
        ("4000x3000 (12 MP)", photo(4000, 3000)),
        ("6000x4000 (24 MP)", big),
    ):
        samples = timed(lambda d=data: media.process(d), args.runs)
        print(
            f"process {label:18} {len(data) / 1e6:5.1f} MB  "
            f"median {statistics.median(samples):7.0f} ms  max {max(samples):7.0f} ms"
        )

    from editorial import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": tmp,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
            }
        )
        client = app.test_client()
        idle = timed(lambda: client.get("/healthz"), 200)
        busy_until = threading.Event()

        def uploads() -> None:
            while not busy_until.is_set():
                media.process(big)

        worker = threading.Thread(target=uploads)
        worker.start()
        time.sleep(0.2)
        busy = timed(lambda: client.get("/healthz"), 200)
        busy_until.set()
        worker.join()
    print(
        f"GET /healthz idle   median {statistics.median(idle):6.2f} ms  "
        f"p95 {sorted(idle)[189]:6.2f} ms"
    )
    print(
        f"GET /healthz during 24 MP processing  median "
        f"{statistics.median(busy):6.2f} ms  p95 {sorted(busy)[189]:6.2f} ms"
    )


if __name__ == "__main__":
    main()
