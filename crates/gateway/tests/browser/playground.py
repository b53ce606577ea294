#!/usr/bin/env python3
"""Drives headless Chromium through the playground served at --url, cut off from every other
network, and prints what it saw as one JSON object on stdout.

Called by crates/gateway/tests/playground.rs, which starts the server and asserts on the JSON;
this script only acts and observes. It speaks WebDriver to chromedriver over HTTP with the
standard library alone. Steps:

  1. open the page and wait for GraphiQL, with its example query, to render; with --check-docs,
     open the documentation explorer and wait for it to show the schema (or an error);
  2. click the run button and wait for the answer to show in the result pane;
  3. if --token is given: type it into the token box, put --mutation in the editor, run it and
     wait for --mutation-expect to show in the result pane;
  4. collect every URL the browser requested (Chrome's network log and the page's resource
     timing), the Content-Security-Policy violations the page saw, and the console.

Chromium runs with a fresh profile, no background networking, every host name resolving to
nothing but 127.0.0.1, and a dead proxy for everything but 127.0.0.1, so any request off the
machine fails. Exits 0 with the report, or 1 with a message on stderr (and, with --artifacts,
a screenshot, the page's HTML and the logs there) when a step fails or times out.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
STEP_TIMEOUT = 60.0


def log(message):
    print(f"playground.py: {message}", file=sys.stderr, flush=True)


class StepFailed(Exception):
    """A step of the scenario did not happen in time."""


class WebDriver:
    """The few WebDriver commands the scenario needs."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None, timeout=90):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                payload = json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as error:
            text = error.read().decode("utf-8", "replace")
            raise RuntimeError(f"WebDriver {method} {path} failed ({error.code}): {text[:2000]}") from None
        return payload.get("value")

    def wait_ready(self, process, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"chromedriver exited with status {process.returncode}")
            try:
                if (self.call("GET", "/status", timeout=2) or {}).get("ready"):
                    return
            except (OSError, RuntimeError):
                pass
            time.sleep(0.1)
        raise RuntimeError("chromedriver did not become ready within 30 s")

    def start(self, capabilities):
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = value["sessionId"]

    def cmd(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def script(self, source, *args):
        return self.cmd("POST", "/execute/sync", {"script": source, "args": list(args)})

    def find(self, css):
        return self.cmd("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css):
        self.cmd("POST", f"/element/{self.find(css)}/click", {})

    def type_into(self, css, text):
        self.cmd("POST", f"/element/{self.find(css)}/value", {"text": text})

    def wait_for(self, what, source, *args, timeout=STEP_TIMEOUT):
        """Polls `source` (a function body) until it returns something truthy."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                value = self.script(source, *args)
                if value:
                    return value
            except RuntimeError as error:  # e.g. a script error while the page is loading
                last_error = error
            time.sleep(0.2)
        detail = f" (last error: {last_error})" if last_error else ""
        raise StepFailed(f"timed out after {timeout:.0f} s waiting for {what}{detail}")

    def logs(self, kind):
        try:
            return self.cmd("POST", "/se/log", {"type": kind}) or []
        except RuntimeError as error:
            log(f"cannot read the {kind} log: {error}")
            return None

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", f"/session/{self.session}", timeout=30)
            except (OSError, RuntimeError) as error:
                log(f"closing the session failed: {error}")
            self.session = None


# The text of GraphiQL's editors, through CodeMirror 5's API (falls back to the visible text).
EDITOR_TEXT = """
const pane = document.querySelector(arguments[0]);
if (!pane) return null;
const editor = pane.querySelector('.CodeMirror');
if (editor && editor.CodeMirror) return editor.CodeMirror.getValue();
return pane.innerText;
"""

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_arguments(profile):
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--window-size=1400,900",
        f"--user-data-dir={profile}",
        # Nothing but 127.0.0.1 resolves, and everything but 127.0.0.1 goes to a dead proxy.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
    ]


def requested_urls(performance_log):
    """Every URL in Chrome's network log (requests, redirects, WebSockets)."""
    urls = []
    for entry in performance_log or []:
        try:
            message = json.loads(entry["message"])["message"]
        except (KeyError, TypeError, ValueError):
            continue
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(params.get("request", {}).get("url"))
            redirect = params.get("redirectResponse")
            if redirect:
                urls.append(redirect.get("url"))
        elif message.get("method") == "Network.webSocketCreated":
            urls.append(params.get("url"))
    # data: URLs (GraphiQL's fonts) never leave the browser; keep just their start.
    return [url[:40] + "…" if url.startswith("data:") and len(url) > 40 else url for url in urls if url]


def scenario(driver, args, report):
    driver.cmd("POST", "/timeouts", {"pageLoad": 60000, "script": 30000, "implicit": 0})
    log(f"opening {args.url}")
    driver.cmd("POST", "/url", {"url": args.url})

    report["title"] = driver.script("return document.title;")
    report["query_editor"] = driver.wait_for(
        "GraphiQL to render with its example query",
        EDITOR_TEXT,
        ".graphiql-query-editor",
    )
    driver.wait_for("the run button", "return !!document.querySelector('.graphiql-execute-button');")
    report["token_box_placeholder"] = driver.script(
        "const box = document.getElementById('gazette-token'); return box ? box.placeholder : null;"
    )

    if args.check_docs:
        log("opening the documentation explorer")
        driver.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]')
        report["docs"] = driver.wait_for(
            "the documentation explorer to show the schema (or an error)",
            "const docs = document.querySelector('.graphiql-doc-explorer');"
            "if (!docs) return null;"
            "if (docs.querySelector('.graphiql-doc-explorer-error')) return 'ERROR: ' + docs.innerText;"
            "return docs.querySelector('.graphiql-doc-explorer-root-type') ? docs.innerText : null;",
        )
        report["response_before_running"] = driver.script(EDITOR_TEXT, ".result-window")

    log("running the example query")
    driver.click(".graphiql-execute-button")
    report["query_result"] = wait_for_text(driver, args.expect)
    report["query_result_json"] = driver.script(EDITOR_TEXT, ".result-window")

    if args.token:
        log("typing the token into the token box and running a mutation")
        driver.type_into("#gazette-token", args.token + "\ue007")  # Enter
        report["token_state"] = driver.wait_for(
            "the token box to say a token is set",
            "const s = document.getElementById('gazette-token-state');"
            "return s && s.classList.contains('gazette-has-token') ? s.textContent : null;",
        )
        driver.script(
            "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(arguments[0]);",
            args.mutation,
        )
        # GraphiQL reads the operation name from the editor 100 ms after a change.
        time.sleep(0.5)
        driver.click(".graphiql-execute-button")
        report["mutation_result"] = wait_for_text(driver, args.mutation_expect)
        report["mutation_result_json"] = driver.script(EDITOR_TEXT, ".result-window")


def wait_for_text(driver, expected):
    """Waits until the result pane's visible text contains `expected`; returns that text."""
    return driver.wait_for(
        f"the result pane to show {expected!r}",
        "const pane = document.querySelector('.graphiql-response');"
        "const text = pane ? pane.innerText : '';"
        "return text.includes(arguments[0]) ? text : null;",
        expected,
    )


def observe(driver, report):
    report["resources"] = driver.script(
        "return performance.getEntriesByType('navigation').concat("
        "performance.getEntriesByType('resource')).map(e => e.name);"
    )
    report["csp_violations"] = driver.script(
        "return window.gazettePlayground ? window.gazettePlayground.cspViolations : null;"
    )
    performance_log = driver.logs("performance")
    report["network_log_available"] = performance_log is not None
    report["requests"] = requested_urls(performance_log)
    browser_log = driver.logs("browser") or []
    report["console"] = [f"{e.get('level')}: {e.get('message')}" for e in browser_log]


def save_artifacts(driver, directory, report):
    os.makedirs(directory, exist_ok=True)
    try:
        png = driver.cmd("GET", "/screenshot")
        with open(os.path.join(directory, "playground.png"), "wb") as file:
            file.write(base64.b64decode(png))
        html = driver.script("return document.documentElement.outerHTML;")
        with open(os.path.join(directory, "playground.html"), "w", encoding="utf-8") as file:
            file.write(html or "")
        log(f"screenshot and HTML saved in {directory}")
    except (OSError, RuntimeError, ValueError) as error:
        log(f"could not save the screenshot: {error}")
    with open(os.path.join(directory, "playground-report.json"), "w", encoding="utf-8") as file:
        json.dump(report, file, indent=2, ensure_ascii=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the playground, e.g. http://127.0.0.1:PORT/")
    parser.add_argument("--expect", required=True, help="text the example query's result must show")
    parser.add_argument("--token", help="a token to type into the token box")
    parser.add_argument("--mutation", help="a mutation to run with the token")
    parser.add_argument("--mutation-expect", help="text the mutation's result must show")
    parser.add_argument(
        "--check-docs", action="store_true", help="open the documentation explorer and report what it shows"
    )
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--artifacts", help="a directory for the screenshot, HTML and logs")
    args = parser.parse_args()
    if args.token and not (args.mutation and args.mutation_expect):
        parser.error("--token needs --mutation and --mutation-expect")

    for program in (args.chromium, args.chromedriver):
        if not (os.path.isfile(program) and os.access(program, os.X_OK)):
            log(f"{program} is missing; run scripts/ensure-chromium to install chromium and chromium-driver")
            return 2

    scratch = tempfile.mkdtemp(prefix="gazette-playground-")
    profile = os.path.join(scratch, "profile")
    driver_log = os.path.join(args.artifacts or scratch, "chromedriver.log")
    if args.artifacts:
        os.makedirs(args.artifacts, exist_ok=True)
    port = free_port()
    chromedriver = subprocess.Popen(
        [args.chromedriver, f"--port={port}", f"--log-path={driver_log}"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    driver = WebDriver(port)
    report = {}
    failure = None
    try:
        driver.wait_ready(chromedriver)
        driver.start(
            {
                "browserName": "chrome",
                "pageLoadStrategy": "normal",
                "goog:chromeOptions": {"binary": args.chromium, "args": chromium_arguments(profile)},
                "goog:loggingPrefs": {"performance": "ALL", "browser": "ALL"},
            }
        )
        try:
            scenario(driver, args, report)
        except (StepFailed, RuntimeError, KeyError, TypeError) as error:
            failure = str(error)
        try:
            observe(driver, report)
        except (RuntimeError, KeyError, TypeError) as error:
            failure = failure or f"collecting what the browser requested failed: {error}"
        if failure and args.artifacts:
            save_artifacts(driver, args.artifacts, report)
    except (OSError, RuntimeError, KeyError, TypeError) as error:
        failure = f"{error} (chromedriver log: {driver_log})"
    finally:
        driver.quit()
        chromedriver.terminate()
        try:
            chromedriver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            chromedriver.kill()
            chromedriver.wait()
        shutil.rmtree(scratch, ignore_errors=True)

    if failure:
        log(f"FAILED: {failure}")
        for line in report.get("console", []):
            log(f"console {line}")
        print(json.dumps(report, ensure_ascii=False))
        return 1
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
