#!/usr/bin/python3
"""The browser face in a real browser: Debian's Chromium, headless, driven by Selenium.

A custodian signs in (after a wrong passphrase is refused), sees the accounts of their
sub-district only, checks one out with a reason, reads the password the CLI stored (and the TOTP
code), copies it, checks it in: at a desktop size, then again at 390x844 with a reason as long as
the vault takes (it reaches the log whole), with a screenshot of every page at each size. Another sub-district's account page is 403 and an access.denied event;
a form posted without its CSRF token (or with another session's) is 403; the page that shows the
password carries Cache-Control: no-store; after the idle timeout the password page is gone and
the person must sign in again; an admin's re-key ends the session cleanly. At 390x844, one
break-glass check-out under dual control is walked: the admin's request, a second admin's approval,
the request used once; and the auditor's pages, the enrollment page and the rotation page are shot
and checked for sideways scrolling too, and for a table heading broken inside a word. Then the CLI's audit log shows the check-outs and
check-ins signed by the custodian, and audit verify passes.

usage: browser_test.py BRANKAS_BINARY SCREENSHOT_DIR
"""

import json
import os
import shutil
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.dont_write_bytecode = True  # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

OP1_PASSPHRASE = "kebun-teh-gunung-wilis-2029"
ADMIN2_PASSPHRASE = "pengawas-kedua-di-kantor-kabupaten-31"
AUDITOR_PASSPHRASE = "catatan-pengawas-yang-teliti-2029"
JETIS = "tiktok/panwascam.jetis"
JETIS_PASSWORD = "sandi-jetis-darurat-4410"
DESKTOP = (1280, 900)
PHONE = (390, 844)


def browser(profile_dir):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    # Without the background-networking flags Chromium reaches for the internet, which this
    # machine's closed network refuses; a fresh profile keeps runs apart.
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--lang=id", f"--user-data-dir={profile_dir}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "id,en"})
    # The performance log carries the response headers the browser saw.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver


def left(old):
    """A wait's condition: the page that held `old` (its <html>) is gone. Chromium's driver says
    so with a stale-element error, or, when the new page arrives while it looks, with "does not
    belong to the document"; any other error is an error."""
    def gone(_driver):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in (e.msg or ""):
                return True
            raise
    return gone


# The table headings of the page whose text runs over more lines than it has words.
SPLIT_HEADINGS = """
return Array.from(document.querySelectorAll("th")).filter(th => {
    const words = th.textContent.trim().split(/\\s+/).filter(w => w).length;
    const range = document.createRange();
    range.selectNodeContents(th);
    const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
    return words > 0 && lines > words;
}).map(th => th.textContent.trim());
"""

# The words of the page's <h1> (an account's "panwascam.ponorogo" among them; "/" ends a word) that
# run over two lines although each would fit on one.
SPLIT_TITLE_WORDS = """
const h1 = document.querySelector("h1");
if (!h1) return [];
const split = [];
const walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/[^\\s\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = Array.from(range.getClientRects());
        const tops = new Set(rects.map(r => Math.round(r.top))).size;
        const width = rects.reduce((sum, r) => sum + r.width, 0);
        if (tops > 1 && width < h1.clientWidth) split.push(m[0]);
    }
}
return split;
"""


class Flow:
    def __init__(self, driver, url, shots):
        self.d = driver
        self.url = url
        self.shots = shots
        self.size = "desktop"

    def resize(self, name, size):
        self.size = name
        self.d.set_window_size(*size)

    def go(self, path):
        self.d.get(self.url + path)

    def click(self, element):
        """Clicks what leads to another page, and waits until that page is there (a click
        returns before the browser has left the page it was on)."""
        if isinstance(element, str):
            element = self.d.find_element(By.ID, element)
        old = self.d.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.d, 30).until(left(old))
        WebDriverWait(self.d, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def shot(self, page):
        """A screenshot of the page as it is now; at phone size, nothing wider than the screen."""
        self.d.save_screenshot(os.path.join(self.shots, f"{self.size}-{page}.png"))
        if self.size == "phone":
            wide = self.d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, f"{page} scrolls sideways by {wide} px at 390 px"
            # A table's column heading keeps its words whole (the table scrolls in its box
            # instead): no heading takes more lines than it has words ("Ak/un", "Kecam/atan").
            split = self.d.execute_script(SPLIT_HEADINGS)
            assert not split, f"{page}: table headings broken inside a word at 390 px: {split}"
            split = self.d.execute_script(SPLIT_TITLE_WORDS)
            assert not split, f"{page}: the page's title broken inside a word that fits a line at 390 px: {split}"

    def text(self, element_id):
        return self.d.find_element(By.ID, element_id).text

    def path(self):
        return self.d.current_url[len(self.url):]

    def sign_in(self, name, passphrase):
        self.go("/sign-in")
        self.d.find_element(By.ID, "name").send_keys(name)
        self.d.find_element(By.ID, "passphrase").send_keys(passphrase)
        self.click("sign-in")

    def headers_of(self, path):
        """The response headers of the last response for `path` that the browser received."""
        found = None
        for entry in self.d.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.responseReceived" and message["params"]["response"]["url"] == self.url + path:
                found = {k.lower(): v for k, v in message["params"]["response"]["headers"].items()}
        assert found is not None, "the browser saw no response for " + path
        return found


def check_out_and_in(f, ref, account, password, reason):
    """The daily flow, with a screenshot of each page."""
    f.sign_in("op1", OP1_PASSPHRASE)
    assert f.path() == "/accounts", f.path()
    body = f.d.find_element(By.TAG_NAME, "body").text
    assert "panwascam.ponorogo" in body and "panwascam.babadan" not in body, body
    assert "Kecamatan 35.02.01" in body and "tersedia" in body, body
    f.shot("2-accounts")
    f.click(f.d.find_element(By.CSS_SELECTOR, f'a[href="/accounts/{account}"]'))
    assert f.path() == f"/accounts/{account}"
    f.shot("3-account")
    f.d.find_element(By.ID, "reason").send_keys(reason)
    Select(f.d.find_element(By.ID, "duration")).select_by_value("1h")
    f.d.get_log("performance")  # only what follows
    f.click("checkout")
    assert f.path() == f"/accounts/{account}/password", f.path()
    # The password the CLI stored, exactly (its <, &, quotes escaped in the HTML, not altered).
    assert f.text("password") == password, f.text("password")
    assert f.text("username") == ref.split("/")[1]
    code = f.text("totp")
    assert len(code) == 6 and code.isdigit(), code
    headers = f.headers_of(f"/accounts/{account}/password")
    assert headers.get("cache-control") == "no-store", headers
    assert "default-src 'none'" in headers.get("content-security-policy", ""), headers
    assert headers.get("x-content-type-options") == "nosniff" and headers.get("referrer-policy") == "no-referrer", headers
    assert "content-encoding" not in headers, headers
    f.d.find_element(By.CSS_SELECTOR, 'button[data-copy="password"]').click()
    time.sleep(0.3)
    f.shot("4-password")
    f.click("checkin")
    assert f.path() == f"/accounts/{account}?done=checkin", f.path()
    assert "dikembalikan" in f.text("notice"), f.text("notice")
    f.shot("5-checked-in")
    # Shown once: the password page now leads back to the account.
    f.go(f"/accounts/{account}/password")
    assert f.path() == f"/accounts/{account}" and password not in f.d.page_source
    f.click("sign-out")
    assert f.path() == "/sign-in?bye=1", f.path()
    f.shot("6-signed-out")


def walk_one_approval(f, b, mine):
    """Under dual control, at phone size: the admin breaks the glass on an account outside every
    term and gets a request, not a password; a second admin approves it with a reason; the admin
    uses it once and sees the password."""
    b.write("dual.toml", '[term]\ngrace_period = "0s"\n[dual_control]\nactions = ["break_glass"]\napprovers = ["admin"]\nwindow = "30m"\n')
    b.run(["policy", "set", os.path.join(b.dir, "dual.toml")])
    jetis = harness.account_id(b, JETIS)
    f.sign_in("admin", harness.ADMIN_PASSPHRASE)
    f.go(f"/accounts/{jetis}")
    f.d.find_element(By.CSS_SELECTOR, "#break-glass summary").click()
    f.d.find_element(By.ID, "break-glass-reason").send_keys("akun diretas")
    f.shot("12-break-glass")
    f.click("break-glass-submit")
    assert "?done=requested" in f.path(), f.path()
    request = f.path().split("/")[2].split("?")[0]
    assert JETIS_PASSWORD not in f.d.page_source
    assert f.text("standing") == "menunggu persetujuan", f.text("standing")
    f.shot("13-request-recorded")
    f.click("sign-out")

    f.sign_in("admin2", ADMIN2_PASSPHRASE)
    f.go("/approvals")
    row = f.d.find_element(By.ID, f"request-{request}").text
    assert "admin" in row and JETIS in row and "akun diretas" in row, row
    f.shot("14-approvals")
    f.click(f.d.find_element(By.CSS_SELECTOR, f'a[href="/approvals/{request}"]'))
    f.d.find_element(By.ID, "approve-reason").send_keys("dikonfirmasi lewat telepon")
    f.shot("15-request")
    f.click("approve")
    assert f.path() == f"/approvals/{request}?done=approved", f.path()
    f.shot("16-approved")
    f.click("sign-out")

    f.sign_in("admin", harness.ADMIN_PASSPHRASE)
    f.go(f"/approvals/{request}")
    f.click("use-request")
    assert f.path() == f"/accounts/{jetis}/password", f.path()
    assert f.text("password") == JETIS_PASSWORD
    f.shot("17-approved-password")
    f.click("checkin")
    f.go(f"/approvals/{request}")
    assert f.text("standing") == "digunakan", f.text("standing")
    f.click("sign-out")
    return request


def shoot_other_pages(f, mine):
    """The pages the daily flow does not pass through, at phone size: nothing wider than the
    screen (shot() checks it)."""
    f.go("/enroll")
    f.shot("20-enroll")
    f.sign_in("audra", AUDITOR_PASSPHRASE)
    for name, path in (("21-audit", "/audit"), ("22-report-access", "/reports/access"), ("23-report-exposure", "/reports/exposure"),
                       ("24-report-status", "/reports/status"), ("25-report-handovers", "/reports/handovers"),
                       ("26-verify", "/audit/verify")):
        f.go(path)
        assert f.d.find_element(By.TAG_NAME, "h1").text, path
        f.shot(name)
    f.click("sign-out")
    f.sign_in("op1", OP1_PASSPHRASE)
    f.go(f"/accounts/{mine}/rotation")
    f.shot("27-rotation")
    f.go(f"/accounts/{mine}/checklist")
    f.shot("28-checklist")
    f.click("sign-out")


def main():
    binary, shots = sys.argv[1], sys.argv[2]
    shutil.rmtree(shots, ignore_errors=True)
    os.makedirs(shots)
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="brankas-browser-")
    b = harness.Brankas(binary, work)
    passwords = harness.make_district(b)
    ponorogo, babadan = "instagram/panwascam.ponorogo", "facebook/panwascam.babadan"
    mine, theirs = harness.account_id(b, ponorogo), harness.account_id(b, babadan)
    # A sub-district whose term ended (its accounts only by break-glass, once the policy gives no
    # grace period), a second admin, an auditor.
    b.run(["unit", "add", "35.02.03", "Jetis"])
    b.run(["term", "end", "Pemilu 2029", "--unit", "35.02.03"])
    b.run(["account", "add", "--unit", "35.02.03", "--platform", "tiktok", "--handle", "panwascam.jetis"])
    b.run(["secret", "set", JETIS, "--from-file", b.write("jetis.pw", JETIS_PASSWORD + "\n")])
    b.enroll("admin2", ADMIN2_PASSPHRASE, ["--role", "admin"])
    b.enroll("audra", AUDITOR_PASSPHRASE, ["--role", "auditor"])
    server = harness.Server(b)
    driver = browser(os.path.join(work, "profile"))
    try:
        f = Flow(driver, server.url, shots)

        # A wrong passphrase is refused, in Indonesian, and nobody is signed in.
        f.resize("desktop", DESKTOP)
        f.sign_in("op1", "bukan-frasa-sandi-yang-benar")
        assert f.text("problem") == "Nama atau frasa sandi salah.", f.text("problem")
        f.shot("1-sign-in-refused")
        f.go("/accounts")
        assert f.path().startswith("/sign-in"), f.path()
        f.shot("1-sign-in")

        check_out_and_in(f, ponorogo, mine, passwords[ponorogo], "unggah laporan pengawasan")
        f.resize("phone", PHONE)
        f.go("/sign-in")
        f.shot("1-sign-in")
        # A reason as long as the vault takes (500 bytes; one pasted from a message is often
        # longer than a line) reaches the log whole: the field does not cut it short.
        long_reason = ("balas pesan warga tentang unggahan jadwal kampanye di kecamatan, diminta ketua panwascam; " * 6)[:480]
        check_out_and_in(f, ponorogo, mine, passwords[ponorogo], long_reason)
        taken = [e for e in b.audit_log() if e["action"] == "checkout"][-1]
        assert taken["reason"] == long_reason, taken["reason"]

        # Another sub-district's account page: 403, and the engine records access.denied.
        f.sign_in("op1", OP1_PASSPHRASE)
        f.go(f"/accounts/{theirs}")
        assert f.text("heading") == "Tidak diizinkan", f.text("heading")
        assert passwords[babadan] not in f.d.page_source
        f.shot("7-forbidden")

        # A form posted without its CSRF token, or with another session's, is refused.
        for token in (None, "ab" * 32):
            f.go(f"/accounts/{mine}")
            f.d.execute_script(
                "const t = document.querySelector('#checkout-form input[name=csrf]');"
                "if (arguments[0] === null) t.remove(); else t.value = arguments[0];", token)
            f.d.find_element(By.ID, "reason").send_keys("tanpa token")
            f.click("checkout")
            assert f.text("heading") == "Tidak diizinkan", f.text("heading")
            assert passwords[ponorogo] not in f.d.page_source
        f.shot("8-csrf-refused")

        # English on request: the switch comes back to the same page.
        f.go("/accounts")
        f.click("language")
        assert f.path() == "/accounts" and f.d.find_element(By.TAG_NAME, "h1").text == "Accounts"
        f.shot("9-accounts-english")
        f.click("language")
        assert f.d.find_element(By.TAG_NAME, "h1").text == "Akun"
        f.click("sign-out")

        # After the idle timeout (the policy's, set small here) the password page is gone. Small,
        # but with room for a loaded machine's slow steps between the sign-in and the page.
        b.write("web.toml", '[web]\nidle_timeout = "10s"\n')
        b.run(["policy", "set", os.path.join(work, "web.toml")])
        f.sign_in("op1", OP1_PASSPHRASE)
        f.go(f"/accounts/{mine}")
        f.d.find_element(By.ID, "reason").send_keys("cek idle")
        f.click("checkout")
        assert f.text("password") == passwords[ponorogo]
        time.sleep(11.5)
        f.go(f"/accounts/{mine}/password")
        assert f.path().startswith("/sign-in?ended=1"), f.path()
        assert passwords[ponorogo] not in f.d.page_source
        f.shot("10-idle-ended")
        # The next sessions have the usual timeout again.
        b.write("web.toml", '[web]\nidle_timeout = "10m"\n')
        b.run(["policy", "set", os.path.join(work, "web.toml")])
        f.sign_in("op1", OP1_PASSPHRASE)
        f.go(f"/accounts/{mine}")
        f.click("checkin")

        # An admin's re-key: the open session cannot read the store any more, and ends cleanly.
        f.sign_in("op1", OP1_PASSPHRASE)
        assert f.path() == "/accounts"
        b.run(["user", "disable", "op2", "--rekey"])
        f.go(f"/accounts/{mine}")
        assert f.path() == "/sign-in?ended=store", f.path()
        f.shot("11-rekeyed")
        f.sign_in("op1", OP1_PASSPHRASE)
        assert f.path() == "/accounts", f.path()
        f.click("sign-out")

        request = walk_one_approval(f, b, mine)
        shoot_other_pages(f, mine)
    finally:
        driver.quit()
        log = server.stop()
    assert "sign-in refused for 'op1' from 127.0.0.1: wrong passphrase" in log, log
    for secret in list(passwords.values()) + [OP1_PASSPHRASE, "bukan-frasa-sandi-yang-benar"]:
        assert secret not in log, "the server's log holds a secret"

    # The CLI sees the same history: each check-out and check-in by op1, the refusal, and a
    # log that verifies (every signature, and the replay).
    events = b.audit_log()
    by_op1 = [(e["action"], e["target"]) for e in events if e["actor"] == "op1"]
    target = f"account/{mine}"
    assert by_op1.count(("checkout", target)) == 3 and by_op1.count(("checkin", target)) == 3, by_op1
    assert ("access.denied", f"account/{theirs}") in by_op1, by_op1
    # The approval walked in the browser: requested by admin, granted by admin2, used once.
    steps = [(e["action"], e["actor"]) for e in events if e["target"] == f"approval/{request}" or str(e["seq"]) == request]
    assert steps == [("approval.request", "admin"), ("approval.grant", "admin2")], steps
    used = [e for e in events if e["action"] == "checkout" and str(e["details"].get("request")) == request]
    assert len(used) == 1 and used[0]["actor"] == "admin", used
    verified = b.run(["audit", "verify"])
    assert verified.returncode == 0, verified.stderr
    shutil.rmtree(work)
    print(f"browser test: 1 passed, 0 failed ({time.monotonic() - started:.1f} s; screenshots in {shots})")


if __name__ == "__main__":
    main()
