"""T4 Panel's secret bootstrap: the first thing a Vertex AI job runs when its keys live in Secret Manager.

The job's container command is `python3 -c <this file> <operator's command...>`, with T4PANEL_SECRETS naming
which environment variable comes from which secret version, never a value:
    T4PANEL_SECRETS=SUPABASE_KEY=projects/P/secrets/t4panel-supabase-key/versions/latest,SUPABASE_URL=...
It asks the metadata server for the job's service-account token, reads each secret through Secret Manager's
REST API, puts the values in the environment and replaces itself with the operator's command (os.execvp),
so the values exist only inside the running container, never in the job's spec that project viewers read.

Standard library only: it runs inside the operator's image, whatever else that image has. Tests point it
at local servers with GCE_METADATA_HOST (as Google's own libraries honour it) and
T4PANEL_SECRETMANAGER_ENDPOINT (loopback only, so a token never goes anywhere else but Google).
"""

import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SECRETS_ENV = "T4PANEL_SECRETS"
ENDPOINT_ENV = "T4PANEL_SECRETMANAGER_ENDPOINT"
METADATA_HOST_ENV = "GCE_METADATA_HOST"
GOOGLE_ENDPOINT = "https://secretmanager.googleapis.com"
TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token"
EXIT_BOOTSTRAP = 78  # EX_CONFIG: the job's setup, not the operator's program, stopped it
TRIES = 4


class Stop(Exception):
    """A sentence for the job's log (stderr); the job then ends before the operator's command runs."""


def say(text):
    sys.stderr.write("T4 Panel bootstrap: " + text + "\n")
    sys.stderr.flush()


def wanted(spec):
    """[(ENV_NAME, projects/P/secrets/S/versions/V), ...] from T4PANEL_SECRETS."""
    pairs = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, sep, resource = item.partition("=")
        parts = resource.split("/")
        if (not sep or not name.isidentifier() or len(parts) != 6 or parts[0] != "projects"
                or parts[2] != "secrets" or parts[4] != "versions"):
            raise Stop(SECRETS_ENV + " has an entry T4 Panel cannot read (" + item[:80] + "); expected "
                       "NAME=projects/PROJECT/secrets/SECRET/versions/VERSION. Launch the run again from T4 Panel.")
        pairs.append((name, resource))
    return pairs


def is_loopback(url):
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return host == "localhost" or host == "::1" or host.startswith("127.")


def endpoint():
    override = os.environ.get(ENDPOINT_ENV, "").strip().rstrip("/")
    if not override:
        return GOOGLE_ENDPOINT
    if "://" not in override:
        override = "http://" + override
    if not is_loopback(override):  # a token is never sent anywhere but Google or this machine
        raise Stop(ENDPOINT_ENV + " may only name this machine (127.0.0.1 or localhost), not " + override + ".")
    return override


def fetch(request, what):
    """urlopen with a few tries on a busy or unreachable server; (status, body bytes)."""
    last = ""
    for attempt in range(TRIES):
        if attempt:
            time.sleep(min(8.0, 0.5 * 2 ** attempt))
        try:
            with urllib.request.urlopen(request, timeout=20) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()
            if exc.code < 500 and exc.code != 429:
                return exc.code, body
            last = "HTTP " + str(exc.code)
        except (urllib.error.URLError, OSError) as exc:
            last = str(getattr(exc, "reason", exc))
    raise Stop(what + " did not answer (" + last + ") after " + str(TRIES) + " tries.")


def token():
    host = os.environ.get(METADATA_HOST_ENV, "").strip() or "metadata.google.internal"
    url = "http://" + host + TOKEN_PATH
    request = urllib.request.Request(url, headers={"Metadata-Flavor": "Google"})
    status, body = fetch(request, "The metadata server (" + host + ")")
    if status != 200:
        raise Stop("the metadata server refused an access token (HTTP " + str(status) + "). The job needs a "
                   "service account: set one on T4 Panel's Job page (the cloud schedule's t4panel-runner account "
                   "works), or turn off \"keep keys in Secret Manager\" in Settings.")
    try:
        value = json.loads(body)["access_token"]
    except (ValueError, KeyError, TypeError):
        raise Stop("the metadata server's token answer could not be read.") from None
    return str(value)


def access(base, bearer, resource):
    """The secret version's value, as text."""
    url = base + "/v1/" + urllib.parse.quote(resource, safe="/") + ":access"
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + bearer})
    status, body = fetch(request, "Secret Manager")
    secret = resource.split("/")[3]
    if status == 403:
        raise Stop("Secret Manager refused to read the secret " + secret + " (HTTP 403). Give the job's service "
                   "account the role Secret Manager Secret Accessor (roles/secretmanager.secretAccessor) on that "
                   "secret: T4 Panel's Cloud schedule > Set up does it, or an admin in the Cloud console.")
    if status == 404:
        raise Stop("the secret " + resource + " does not exist or has no enabled version (HTTP 404). Copy the keys "
                   "into Secret Manager again from T4 Panel (Cloud schedule > Set up), or turn off \"keep keys in "
                   "Secret Manager\" in Settings.")
    if status == 401:
        raise Stop("Secret Manager did not accept the job's access token (HTTP 401). Check the job's service "
                   "account on the Job page.")
    if status != 200:
        raise Stop("Secret Manager answered HTTP " + str(status) + " for the secret " + secret + ".")
    try:
        data = json.loads(body)["payload"]["data"]
        return base64.b64decode(data, validate=True).decode("utf-8")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise Stop("the value of the secret " + secret + " could not be read (it must be UTF-8 text).") from None


def main(argv):
    command = argv[1:]
    if not command:
        say("no command to run after the keys were read. Fill in Command on T4 Panel's Job page (the image's own "
            "entrypoint cannot be wrapped).")
        return EXIT_BOOTSTRAP
    try:
        pairs = wanted(os.environ.get(SECRETS_ENV, ""))
        if pairs:
            base = endpoint()
            bearer = token()
            for name, resource in pairs:
                os.environ[name] = access(base, bearer, resource)
            say("read " + ", ".join(name for name, _ in pairs) + " from Secret Manager.")
    except Stop as stop:
        say(str(stop))
        return EXIT_BOOTSTRAP
    try:
        os.execvp(command[0], command)
    except OSError as exc:
        say("could not start " + command[0] + ": " + (exc.strerror or str(exc)) + ". Check Command on the Job page.")
        return 127
    return 0  # not reached: execvp replaced this process


if __name__ == "__main__":
    sys.exit(main(sys.argv))
