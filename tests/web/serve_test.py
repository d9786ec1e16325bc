#!/usr/bin/python3
"""`brankas serve` before and around the pages: the address rule (no plain HTTP beyond
loopback), a TLS listener with a certificate made here by openssl, one-line errors for a port
in use (by another program, or by another `brankas serve`) and for unreadable or mismatched TLS files, the security headers of every response, and
a clean stop on SIGTERM. Under TLS every answer carries Strict-Transport-Security; with an ECDSA or an
RSA certificate, TLS 1.2 agrees only on ECDHE with an AEAD, and TLS 1.0 and 1.1 are refused.

usage: serve_test.py BRANKAS_BINARY
"""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import urllib.parse
import warnings

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def serve(b, args):
    """Runs serve expecting it to refuse at once; returns (exit code, stderr)."""
    done = subprocess.run([b.binary, "--vault", b.vault, "serve"] + args, env=b.env, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stderr


def one_line_error(code, err, expected_code, fragment):
    lines = err.splitlines()
    assert code == expected_code, (code, err)
    assert lines and lines[0].startswith("brankas: error: ") and fragment in lines[0], err
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("brankas: hint: ")), err


def check_headers(response, page):
    h = {k.lower(): v for k, v in response.getheaders()}
    csp = h.get("content-security-policy", "")
    for part in ("default-src 'none'", "script-src 'self'", "form-action 'self'", "frame-ancestors 'none'"):
        assert part in csp, (page, csp)
    assert "unsafe-inline" not in csp, csp
    assert h.get("x-content-type-options") == "nosniff", (page, h)
    assert h.get("referrer-policy") == "no-referrer", (page, h)
    return h


def main():
    binary = sys.argv[1]
    work = tempfile.mkdtemp(prefix="brankas-serve-")
    b = harness.Brankas(binary, work)
    b.run(["init", "--institution", "Bawaslu Kabupaten Ponorogo", "--kdf", "test"])

    # Beyond loopback, plain HTTP is refused in one sentence, before anything listens.
    for address in ("0.0.0.0:8420", "192.0.2.10:8420", "[::]:8420"):
        code, err = serve(b, ["--listen", address])
        one_line_error(code, err, 2, "refusing to serve " + (address if not address.startswith("[") else "[::]:8420") + " without TLS")
    one_line_error(*serve(b, ["--listen", "intranet:8420"]), 2, "does not name an IP address")
    one_line_error(*serve(b, ["--tls-cert", "/nonexistent"]), 2, "--tls-cert and --tls-key go together")
    one_line_error(*serve(b, ["--listen", "0.0.0.0:8420", "--behind-proxy", "--tls-cert", "c", "--tls-key", "k"]), 2,
                   "--behind-proxy needs a loopback address")
    code, err = subprocess.run([binary, "--vault", os.path.join(work, "none"), "serve"], env=b.env, capture_output=True, text=True).returncode, None
    assert code == 3, code
    helped = subprocess.run([binary, "serve", "--help"], env=b.env, capture_output=True, text=True)
    assert helped.returncode == 0 and "--listen" in helped.stdout and "--tls-cert" in helped.stdout, helped.stdout

    # A port in use: one line that says so.
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    one_line_error(*serve(b, ["--listen", f"127.0.0.1:{taken.getsockname()[1]}"]), 13, "the port is in use")
    taken.close()

    # Plain HTTP on loopback: every response carries the security headers.
    server = harness.Server(b)
    try:
        host, port = server.url[len("http://"):].split(":")
        # A second server on the same address is refused too: it must not share the port (the
        # kernel would hand each browser's connections to either, each with its own sessions).
        one_line_error(*serve(b, ["--listen", f"{host}:{port}"]), 13, "the port is in use")
        c = http.client.HTTPConnection(host, int(port), timeout=30)
        c.request("GET", "/sign-in", headers={"Accept-Language": "en"})
        r = c.getresponse()
        page = r.read().decode()
        h = check_headers(r, "/sign-in")
        assert r.status == 200 and h.get("cache-control") == "no-store", (r.status, h)
        assert "strict-transport-security" not in h, h  # plain HTTP: no HSTS (a proxy in front adds its own)
        assert "Sign in to the vault" in page and "<script>" not in page, page
        cookie = h.get("set-cookie", "")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie, cookie
        for path, status in (("/accounts", 303), ("/static/copy.js", 200), ("/no-such-page", 404)):
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            check_headers(r, path)
            assert r.status == status, (path, r.status)
        # A form from another site is refused, whatever it carries.
        c.request("POST", "/sign-in", body="name=x&passphrase=y&csrf=" + "ab" * 32,
                  headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example",
                           "Cookie": "brankas_form=" + "ab" * 32})
        r = c.getresponse()
        r.read()
        assert r.status == 403, r.status
        # A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own
        # name as Host, and its Origin agrees: it gets no page and no sign-in, only a 421.
        c.request("GET", "/sign-in", headers={"Host": f"attacker.example:{port}"})
        r = c.getresponse()
        page = r.read().decode()
        h = check_headers(r, "foreign Host")
        assert r.status == 421 and "set-cookie" not in h and 'name="csrf"' not in page, (r.status, h, page)
        assert "menjawab lewat alamat mesin ini sendiri" in page, page  # Indonesian first
        form = "ab" * 32
        c.request("POST", "/sign-in", body=urllib.parse.urlencode({"name": "admin", "passphrase": harness.ADMIN_PASSPHRASE, "csrf": form}),
                  headers={"Content-Type": "application/x-www-form-urlencoded", "Host": f"attacker.example:{port}",
                           "Origin": f"http://attacker.example:{port}", "Cookie": "brankas_form=" + form})
        r = c.getresponse()
        r.read()
        assert r.status == 421 and "set-cookie" not in {k.lower() for k, _ in r.getheaders()}, (r.status, r.getheaders())
        c.close()
        # The names of this machine are served.
        for name in (f"localhost:{port}", f"127.0.0.1:{port}"):
            c = http.client.HTTPConnection(host, int(port), timeout=30)
            c.request("GET", "/sign-in", headers={"Host": name})
            r = c.getresponse()
            r.read()
            assert r.status == 200, (name, r.status)
            c.close()
    finally:
        log = server.stop()
    assert "stopped; 0 session(s) ended" in log, log

    # TLS with a certificate made here; then unreadable and mismatched files.
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    server = harness.Server(b, ["--tls-cert", cert, "--tls-key", key])
    try:
        assert server.url.startswith("https://127.0.0.1:"), server.url
        port = int(server.url.rsplit(":", 1)[1])
        context = ssl.create_default_context(cafile=cert)
        c = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
        c.request("GET", "/sign-in")
        r = c.getresponse()
        page = r.read().decode()
        h = check_headers(r, "https /sign-in")
        assert r.status == 200 and "Masuk ke brankas" in page, r.status
        assert "Secure" in h.get("set-cookie", ""), h
        # The sign-in form's token cookie is __Host- prefixed as the session's is: only this
        # origin over TLS may set it.
        assert h.get("set-cookie", "").startswith("__Host-brankas_form="), h
        # Served over TLS directly: browsers are told to use nothing else, on every answer.
        for path in ("/sign-in", "/static/brankas.css", "/no-such-page", "/accounts"):
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            hsts = {k.lower(): v for k, v in r.getheaders()}.get("strict-transport-security")
            assert hsts == "max-age=31536000", (path, r.status, hsts)
        assert c.sock.version() in ("TLSv1.2", "TLSv1.3"), c.sock.version()
        # Under TLS 1.2, AEAD suites with an ECDHE key exchange only: a CBC suite (a SHA-1 or
        # SHA-384 MAC, padding oracles) is refused at the handshake.
        for suite, taken in (("ECDHE-ECDSA-AES128-SHA", False), ("ECDHE-ECDSA-AES256-SHA384", False),
                             ("ECDHE-ECDSA-AES128-GCM-SHA256", True), ("ECDHE-ECDSA-CHACHA20-POLY1305", True)):
            old = ssl.create_default_context(cafile=cert)
            old.maximum_version = ssl.TLSVersion.TLSv1_2
            old.set_ciphers(suite + ":@SECLEVEL=0")
            tried = http.client.HTTPSConnection("127.0.0.1", port, context=old, timeout=10)
            try:
                tried.request("GET", "/sign-in")
                tried.getresponse().read()
                assert taken, ("the server agreed on", suite, tried.sock.cipher())
            except ssl.SSLError:
                assert not taken, ("the server refused", suite)
            tried.close()
        # No TLS 1.2 session ticket (sealed under one key for the process's life).
        twelve = ssl.create_default_context()
        twelve.check_hostname = False
        twelve.verify_mode = ssl.CERT_NONE
        twelve.maximum_version = ssl.TLSVersion.TLSv1_2
        resumed = http.client.HTTPSConnection("127.0.0.1", port, context=twelve, timeout=10)
        resumed.request("GET", "/sign-in")
        resumed.getresponse().read()
        assert resumed.sock.version() == "TLSv1.2" and not resumed.sock.session.has_ticket, resumed.sock.session
        resumed.close()
        # Plain HTTP to the TLS port gets no page.
        plain = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            plain.request("GET", "/sign-in")
            assert plain.getresponse().status != 200
        except (http.client.HTTPException, ConnectionError, OSError):
            pass
        plain.close()
        # The HTTPS connection stays open: the stop below waits for the server's keep-alive
        # time (5 s) and must still end cleanly.
    finally:
        server.stop()

    # An RSA certificate, as most certificate authorities still issue: its key could also serve
    # a static RSA key exchange (the browser sends the session's secret encrypted to the
    # certificate's key, so whoever takes that key later reads every recorded session). Under
    # TLS 1.2 the server agrees only on ECDHE with an AEAD, and not on TLS 1.0 or 1.1 at all.
    rsa_cert, rsa_key = os.path.join(work, "rsa-cert.pem"), os.path.join(work, "rsa-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rsa_key, "-out", rsa_cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], check=True,
                   capture_output=True)
    server = harness.Server(b, ["--tls-cert", rsa_cert, "--tls-key", rsa_key])
    try:
        port = int(server.url.rsplit(":", 1)[1])
        for suite, version, taken in (("AES128-GCM-SHA256", "TLSv1.2", False), ("AES256-GCM-SHA384", "TLSv1.2", False),
                                       ("AES128-GCM-SHA256:AES256-GCM-SHA384", "TLSv1.2", False),
                                       ("ECDHE-RSA-AES128-SHA", "TLSv1.2", False), ("ECDHE-RSA-AES256-SHA384", "TLSv1.2", False),
                                       ("ECDHE-RSA-AES128-SHA", "TLSv1.1", False), ("ECDHE-RSA-AES128-SHA", "TLSv1", False),
                                       ("ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2", True)):
            old = ssl.create_default_context(cafile=rsa_cert)
            with warnings.catch_warnings():  # TLSv1 and TLSv1_1 are deprecated names: here on purpose
                warnings.simplefilter("ignore", DeprecationWarning)
                old.minimum_version = old.maximum_version = getattr(ssl.TLSVersion, version.replace(".", "_"))
            old.set_ciphers(suite + ":@SECLEVEL=0")
            tried = http.client.HTTPSConnection("127.0.0.1", port, context=old, timeout=10)
            try:
                tried.request("GET", "/sign-in")
                r = tried.getresponse()
                r.read()
                assert taken, ("the server agreed on", suite, "under", tried.sock.version(), tried.sock.cipher())
                assert r.status == 200 and tried.sock.version() == version and tried.sock.cipher()[0] == suite, (
                    r.status, tried.sock.version(), tried.sock.cipher())
            except ssl.SSLError:
                assert not taken, ("the server refused", suite, "under", version)
            tried.close()
    finally:
        server.stop()

    one_line_error(*serve(b, ["--tls-cert", cert, "--tls-key", os.path.join(work, "missing.pem")]), 13, "cannot read the TLS key")
    other_key = os.path.join(work, "other-key.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", other_key], check=True,
                   capture_output=True)
    one_line_error(*serve(b, ["--tls-cert", cert, "--tls-key", other_key]), 2, "does not belong to the certificate")
    one_line_error(*serve(b, ["--tls-cert", key, "--tls-key", key]), 2, "the TLS certificate")
    shutil.rmtree(work)
    print("serve test: 1 passed, 0 failed")


if __name__ == "__main__":
    main()
