"""The tests' HTTP session: one retry of an idempotent request whose pooled keep-alive connection the
gateway closed just as it was reused (``RemoteDisconnected``), as a browser does. gunicorn closes an idle
connection after its ``--keep-alive`` seconds; a client that sends on it in that instant gets no answer
although the server never read the request. Non-idempotent requests are never retried here: a test that
posts sees every failure."""
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

STALE_CONNECTION_RETRY = Retry(total=1, connect=1, read=1, status=0, other=0, redirect=0,
                               allowed_methods=Retry.DEFAULT_ALLOWED_METHODS, raise_on_status=False)


def session() -> requests.Session:
    http = requests.Session()
    adapter = HTTPAdapter(max_retries=STALE_CONNECTION_RETRY)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    return http
