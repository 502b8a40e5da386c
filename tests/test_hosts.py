"""Host header: only configured hosts are answered, and no request header ever
reaches a shared cache entry (issue 13, hole 3)."""

from __future__ import annotations

import logging

import pytest
from selectolax.lexbor import LexborHTMLParser

from editorial import config, create_app
from tests.conftest import base_config

EVIL = "evil.example"


def _links(html: str) -> dict[str, str]:
    tree = LexborHTMLParser(html)
    return {
        "canonical": tree.css_first('link[rel="canonical"]').attributes["href"],
        "og:url": tree.css_first('meta[property="og:url"]').attributes["content"],
    }


@pytest.mark.parametrize("app_config", [{"SITE_URL": ""}])
def test_a_poisoned_host_is_refused_and_never_reaches_later_readers(
    client, publish, app_config
):
    article = publish()
    path = f"/articles/{article.slug}"
    # Before anything is cached, and again after: the evil host gets 400.
    for _ in range(2):
        refused = client.get(path, headers={"Host": EVIL})
        assert refused.status_code == 400
        assert EVIL not in refused.get_data(as_text=True)
        page = client.get(path)
        assert page.status_code == 200
        assert _links(page.get_data(as_text=True)) == {
            "canonical": f"http://localhost{path}",
            "og:url": f"http://localhost{path}",
        }
    for other in ("/", "/robots.txt", "/feed.xml", "/sitemap.xml"):
        assert client.get(other, headers={"Host": EVIL}).status_code == 400
        assert EVIL not in client.get(other).get_data(as_text=True)
    # Forwarded host headers are not believed either.
    forwarded = client.get(path, headers={"X-Forwarded-Host": EVIL})
    assert EVIL not in forwarded.get_data(as_text=True)


@pytest.mark.parametrize(
    "app_config", [{"SITE_URL": "", "TRUSTED_HOSTS": ["a.example", "b.example"]}]
)
def test_each_trusted_host_gets_its_own_cache_entry(client, publish, app_config):
    article = publish()
    path = f"/articles/{article.slug}"
    first = client.get(path, base_url="http://a.example")
    second = client.get(path, base_url="http://b.example")
    assert _links(first.get_data(as_text=True))["canonical"] == (
        f"http://a.example{path}"
    )
    assert _links(second.get_data(as_text=True))["canonical"] == (
        f"http://b.example{path}"
    )


@pytest.mark.parametrize("app_config", [{"SITE_URL": "https://news.example"}])
def test_with_site_url_links_never_come_from_the_request(client, publish, app_config):
    article = publish()
    path = f"/articles/{article.slug}"
    page = client.get(path)  # localhost: trusted in development
    assert _links(page.get_data(as_text=True))["canonical"] == (
        f"https://news.example{path}"
    )
    assert client.get(path, base_url="https://news.example").status_code == 200


def test_trusted_hosts_default_to_the_site_and_loopback_in_development():
    dev = {"ENV_NAME": "development", "SITE_URL": "https://news.example"}
    config.finish(dev)
    assert dev["TRUSTED_HOSTS"] == ["news.example", "localhost", "127.0.0.1", "::1"]
    prod = {"ENV_NAME": "production", "SITE_URL": "https://news.example/"}
    config.finish(prod)
    assert prod["TRUSTED_HOSTS"] == ["news.example"]
    chosen = {
        "ENV_NAME": "production",
        "SITE_URL": "https://news.example",
        "TRUSTED_HOSTS": ["news.example", "www.news.example"],
    }
    config.finish(chosen)
    assert chosen["TRUSTED_HOSTS"] == ["news.example", "www.news.example"]


def test_trusted_hosts_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TRUSTED_HOSTS", "news.example, .news.example")
    assert config.load(tmp_path)["TRUSTED_HOSTS"] == ["news.example", ".news.example"]


def test_production_refuses_to_start_without_site_url(database_url):
    settings = {**base_config(database_url), "ENV_NAME": "production", "SITE_URL": ""}
    with pytest.raises(RuntimeError, match="SITE_URL is required in production"):
        create_app(settings)


def test_production_answers_only_its_own_host(database_url):
    app = create_app(
        {
            **base_config(database_url),
            "ENV_NAME": "production",
            "SITE_URL": "https://news.example",
        }
    )
    client = app.test_client()
    assert client.get("/healthz", base_url="https://news.example").status_code == 200
    assert client.get("/healthz").status_code == 400  # localhost: not in production
    assert client.get("/healthz", headers={"Host": EVIL}).status_code == 400


# --- TRUSTED_PROXIES=0 behind a proxy (hole 8) ---------------------------------


def test_forwarded_requests_without_trusted_proxies_are_reported_once(client, caplog):
    with caplog.at_level(logging.WARNING, logger="editorial"):
        client.get("/healthz")
        assert not [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
        for _ in range(3):
            client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.5"})
    warnings = [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warnings) == 1
    assert "TRUSTED_PROXIES=0" in warnings[0].getMessage()
    assert warnings[0].levelno == logging.WARNING


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXIES": 1}])
def test_no_warning_when_the_proxy_is_trusted(client, caplog, app_config):
    with caplog.at_level(logging.WARNING, logger="editorial"):
        client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.5"})
    assert not [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
