"""README's nginx configuration, run for real over a DEST made by scripts/publish: precompressed
files sent as they are, the caches, the custom 404, the headers, and a switch seen without a reload."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from newsroom import publish

ROOT = Path(__file__).resolve().parent.parent
NGINX = Path("/usr/sbin/nginx")
MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")

if not (NGINX.exists() and MODULE.exists()) and not os.environ.get("CI"):  # CI installs them (.ci/run)
    pytest.skip("no nginx with brotli_static (apt-get install nginx-light libnginx-mod-http-brotli-static)", allow_module_level=True)


def config(dest: Path, folder: Path, port: int) -> Path:
    """README's two nginx blocks, with DEST, a loopback port and no TLS."""
    snippet, server = re.findall(r"```nginx\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    headers = folder / "portal-headers.conf"
    headers.write_text(snippet.replace("/srv/portal", str(dest)), encoding="utf-8")
    server = server.replace("/srv/portal", str(dest)).replace("snippets/portal-headers.conf", str(headers))
    server = re.sub(r"listen 443 ssl http2;.*\n", f"listen 127.0.0.1:{port};\n", server)
    server = re.sub(r"\n\s*ssl_certificate.*", "", server)
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read pytest's private temp folders
    conf = folder / "nginx.conf"
    conf.write_text(f"""load_module {MODULE};
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
{server}
}}
""", encoding="utf-8")
    return conf


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, encoding: str = "br, gzip"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def site(tiny_site):
    tiny_site.write_config()
    tiny_site.post("2025/01/a.md", "title: Bài một\nslug: mot\ndate: 2025-01-01\nagencies: [UBND tỉnh]")
    built = tiny_site.build()
    assert built.aborted is None
    return built.site_dir


def test_readme_nginx_serves_a_published_release_as_documented(site, tmp_path):
    dest, folder, port = tmp_path / "dest", tmp_path / "nginx", free_port()
    folder.mkdir()
    publish.publish(dest, site=site)
    conf = config(dest, folder, port)
    check = subprocess.run([str(NGINX), "-e", str(folder / "error.log"), "-t", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run([str(NGINX), "-e", str(folder / "error.log"), "-c", str(conf)], check=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(port)
        current = dest / "current"
        status, headers, body = get(base + "/")
        assert status == 200 and headers["Content-Encoding"] == "br"
        assert body == (current / "index.html.br").read_bytes()  # the file made at publish time, as it is
        assert headers["Cache-Control"] == "public, max-age=300"
        assert headers["Content-Security-Policy"] == (dest / "csp.conf").read_text().split('"')[1]
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, headers, body = get(base + "/2025/01/mot/", "gzip")
        assert headers["Content-Encoding"] == "gzip" and body == (current / "2025/01/mot/index.html.gz").read_bytes()
        bundle = next((current / "assets/javascripts").glob("bundle.*.min.js")).name
        status, headers, _ = get(f"{base}/assets/javascripts/{bundle}")
        assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "nosniff" in headers["X-Content-Type-Options"]  # the snippet reaches every location
        status, headers, _ = get(base + "/atom.xml")
        assert headers["Cache-Control"] == "public, max-age=300"
        status, headers, body = get(base + "/khong-co-trang-nay/", "identity")
        assert status == 404 and body == (current / "404.html").read_bytes()
        assert "Content-Security-Policy" in headers

        # A new release is served at once, without reloading nginx; a rollback too.
        changed = tmp_path / "changed"
        shutil.copytree(site, changed)
        page = changed / "index.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</main>", '<p id="moi">mới</p></main>'), encoding="utf-8")
        publish.publish(dest, site=changed)
        assert b'id="moi"' in get(base + "/", "identity")[2]
        publish.rollback(dest)
        assert b'id="moi"' not in get(base + "/", "identity")[2]
    finally:
        subprocess.run([str(NGINX), "-e", str(folder / "error.log"), "-c", str(conf), "-s", "quit"], capture_output=True)
