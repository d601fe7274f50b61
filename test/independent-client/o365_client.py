#!/usr/bin/env python3
"""A client of the Office 365 Management Activity API written from Microsoft's documentation alone.

It shares no code with o365-elk, so that it can show the emulator behaves as documented rather than as
o365-elk expects. Only the Python standard library and the openssl command are used, the way the
seed blog post does it:

  certificate  make a self-signed certificate with openssl and print its base64 SHA-1 thumbprint
  collect      sign in (client secret or certificate, v1 or v2 token endpoint), start the
               subscriptions, list every content blob of the last 7 days across NextPageUri pages,
               fetch every blob, and print the records and distinct record Ids as JSON
"""
import argparse
import base64
import datetime
import json
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

CONTENT_TYPES = ["Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint", "Audit.General", "DLP.All"]
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
# "startTime ... no more than 7 days in the past": a minute's margin keeps the first window inside it.
RETENTION = datetime.timedelta(days=7) - datetime.timedelta(minutes=1)
WINDOW = datetime.timedelta(hours=24)


class ClientError(Exception):
    """A failure worth one line on stderr."""


def openssl(*args, stdin=None):
    try:
        result = subprocess.run(["openssl", *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise ClientError("openssl is not installed: install it (e.g. apt-get install openssl) and retry")
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise ClientError(f"openssl {args[0]} failed: {message[-1] if message else 'no message'}")
    return result.stdout


def make_certificate(key_path, cert_path, common_name):
    # The seed's recipe; -subj only answers the questions openssl would otherwise ask on the terminal.
    openssl("req", "-x509", "-sha256", "-nodes", "-days", "730", "-newkey", "rsa:2048",
            "-keyout", key_path, "-out", cert_path, "-subj", f"/CN={common_name}")
    return thumbprint(cert_path)


def thumbprint(cert_path):
    """openssl x509 -outform der -in CERT | openssl dgst -binary -sha1 | openssl base64"""
    der = openssl("x509", "-outform", "der", "-in", cert_path)
    digest = openssl("dgst", "-binary", "-sha1", stdin=der)
    return openssl("base64", stdin=digest).decode().strip()


def base64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def client_assertion(key_path, cert_path, client_id, audience):
    """The certificate credential JWT: RS256, x5t = base64url of the SHA-1 thumbprint, claims per the docs."""
    x5t = thumbprint(cert_path).replace("+", "-").replace("/", "_").rstrip("=")
    now = int(time.time())
    header = {"alg": "RS256", "typ": "JWT", "x5t": x5t}
    claims = {"aud": audience, "iss": client_id, "sub": client_id, "jti": str(uuid.uuid4()),
              "nbf": now, "iat": now, "exp": now + 600}
    signing_input = f"{base64url(json.dumps(header).encode())}.{base64url(json.dumps(claims).encode())}"
    signature = openssl("dgst", "-sha256", "-sign", key_path, stdin=signing_input.encode())
    return f"{signing_input}.{base64url(signature)}"


class Http:
    def __init__(self, ca_path):
        self.context = ssl.create_default_context(cafile=ca_path) if ca_path else None

    def call(self, method, url, headers=None, body=None):
        """(status, headers, parsed JSON body or None); HTTP errors are answers too, not exceptions."""
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=60) as response:
                return response.status, response.headers, parse_json(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.headers, parse_json(error.read())
        except urllib.error.URLError as error:
            raise ClientError(f"{method} {url} failed: {error.reason}")


def parse_json(data):
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        raise ClientError(f"the answer is not JSON: {data[:80]!r}")


def request_token(http, args):
    """Client credentials grant; v1 names the resource, v2 asks for the resource's /.default scope."""
    login = args.login_url.rstrip("/")
    if args.token_version == "v1":
        endpoint = f"{login}/{args.tenant_id}/oauth2/token"
        form = {"grant_type": "client_credentials", "client_id": args.client_id, "resource": args.resource}
        url = endpoint + "?api-version=1.0"
    else:
        endpoint = f"{login}/{args.tenant_id}/oauth2/v2.0/token"
        form = {"grant_type": "client_credentials", "client_id": args.client_id, "scope": args.resource + "/.default"}
        url = endpoint
    if args.client_secret_file:
        with open(args.client_secret_file, encoding="utf-8") as secret:
            form["client_secret"] = secret.read().strip()
    else:
        form["client_assertion_type"] = ASSERTION_TYPE
        form["client_assertion"] = client_assertion(args.key, args.cert, args.client_id, endpoint)
    status, _, body = http.call("POST", url, {"Content-Type": "application/x-www-form-urlencoded"},
                                urllib.parse.urlencode(form).encode())
    if status != 200 or not isinstance(body, dict) or "access_token" not in body:
        description = body.get("error_description", "").splitlines()[0] if isinstance(body, dict) else ""
        raise ClientError(f"token request to {endpoint} answered {status}: {description}")
    return body["access_token"]


def af_code(body):
    return body.get("error", {}).get("code") if isinstance(body, dict) and isinstance(body.get("error"), dict) else None


class Feed:
    def __init__(self, http, args, token):
        self.http = http
        self.root = f"{args.api_url.rstrip('/')}/api/v1.0/{args.tenant_id}/activity/feed"
        self.publisher = args.tenant_id
        self.headers = {"Authorization": f"Bearer {token}"}
        self.pages = 0

    def get(self, url):
        status, headers, body = self.http.call("GET", url, self.headers)
        if status != 200:
            raise ClientError(f"GET {url} answered {status} {af_code(body) or ''}".rstrip())
        return headers, body

    def start(self, content_type):
        query = urllib.parse.urlencode({"contentType": content_type, "PublisherIdentifier": self.publisher})
        status, _, body = self.http.call("POST", f"{self.root}/subscriptions/start?{query}", self.headers, b"")
        # AF20024 "already enabled, no property change" is how the service says the subscription is on.
        if status != 200 and af_code(body) != "AF20024":
            raise ClientError(f"starting {content_type} answered {status} {af_code(body) or ''}".rstrip())

    def list_content(self, content_type, start, end):
        query = urllib.parse.urlencode({"contentType": content_type, "startTime": api_time(start),
                                        "endTime": api_time(end), "PublisherIdentifier": self.publisher})
        url = f"{self.root}/subscriptions/content?{query}"
        while url:
            headers, entries = self.get(url)
            self.pages += 1
            yield from entries
            # The next page's address is a response header; it is used as given, never rebuilt.
            url = headers.get("NextPageUri")

    def fetch(self, content_uri):
        separator = "&" if "?" in content_uri else "?"
        _, records = self.get(f"{content_uri}{separator}PublisherIdentifier={self.publisher}")
        if not isinstance(records, list):
            raise ClientError(f"blob {content_uri} is not a JSON array")
        return records


def api_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def windows(now):
    """24-hour windows from the oldest allowed start to a minute past now; startTime inclusive, endTime exclusive."""
    start = (now - RETENTION).replace(microsecond=0)
    last = now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    while start < last:
        end = min(start + WINDOW, last)
        yield start, end
        start = end


def collect(args):
    http = Http(args.ca)
    feed = Feed(http, args, request_token(http, args))
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    blobs = set()
    records = 0
    ids = set()
    for content_type in CONTENT_TYPES:
        feed.start(content_type)
        for start, end in windows(now):
            for entry in feed.list_content(content_type, start, end):
                if entry["contentId"] in blobs:
                    continue
                blobs.add(entry["contentId"])
                for record in feed.fetch(entry["contentUri"]):
                    records += 1
                    ids.add(record["Id"])
    return {"tenant_id": args.tenant_id, "token_version": args.token_version, "pages": feed.pages,
            "blobs": len(blobs), "records": records, "distinct_ids": len(ids), "ids": sorted(ids)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    certificate = commands.add_parser("certificate", help="make a key and self-signed certificate with openssl")
    certificate.add_argument("--key", required=True, help="private key file to write (PEM)")
    certificate.add_argument("--cert", required=True, help="certificate file to write (PEM)")
    certificate.add_argument("--cn", default="independent o365 client", help="subject common name")

    run = commands.add_parser("collect", help="collect every record of the last 7 days")
    run.add_argument("--login-url", required=True, help="Entra ID authority host, e.g. https://login.microsoftonline.com")
    run.add_argument("--api-url", required=True, help="Management Activity API root, e.g. https://manage.office.com")
    run.add_argument("--resource", default="https://manage.office.com", help="resource the token is for")
    run.add_argument("--ca", help="CA certificates (PEM) to trust instead of the system's")
    run.add_argument("--tenant-id", required=True)
    run.add_argument("--client-id", required=True)
    run.add_argument("--token-version", choices=["v1", "v2"], default="v2")
    credential = run.add_mutually_exclusive_group(required=True)
    credential.add_argument("--client-secret-file", help="file holding the client secret")
    credential.add_argument("--key", help="private key (PEM) of the registered certificate; needs --cert")
    run.add_argument("--cert", help="the registered certificate (PEM), for its thumbprint")

    args = parser.parse_args()
    try:
        if args.command == "certificate":
            print(json.dumps({"thumbprint": make_certificate(args.key, args.cert, args.cn)}))
        else:
            if args.key and not args.cert:
                raise ClientError("--key needs --cert: the assertion names the certificate by its thumbprint")
            print(json.dumps(collect(args)))
    except ClientError as error:
        print(f"o365_client: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
