"""A minimal W3C WebDriver client for WebKitWebDriver, shared by the scripts
that drive a Twofold window (scripts/bench-window, scripts/test-package).
Tauri enables WebKit automation only with TAURI_WEBVIEW_AUTOMATION=true."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request


class Session:
    """WebKitWebDriver (in its own process group) and a session running `binary`."""

    def __init__(self, binary, env):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.driver = subprocess.Popen(["WebKitWebDriver", f"--port={port}"],
                                       env=dict(env, TAURI_WEBVIEW_AUTOMATION="true"),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(400):
            try:
                self._request("GET", "/status")
                break
            except OSError:
                time.sleep(0.05)
        caps = {"capabilities": {"alwaysMatch": {"webkitgtk:browserOptions": {"binary": binary, "args": []}}}}
        self.id = self._request("POST", "/session", caps)["sessionId"]
        # Measurements in the page may run for a minute (the default is 30 s).
        self._request("POST", f"/session/{self.id}/timeouts", {"script": 120000})

    def _request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.load(r)["value"]

    def execute(self, script, *args):
        return self._request("POST", f"/session/{self.id}/execute/sync", {"script": script, "args": list(args)})

    def execute_async(self, script, *args):
        return self._request("POST", f"/session/{self.id}/execute/async", {"script": script, "args": list(args)})

    def wait_for(self, script, seconds=20):
        """Runs `script` until it returns something truthy; returns that."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            value = self.execute(script)
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(f"waited {seconds} s for: {script}")

    def close(self):
        try:
            os.killpg(self.driver.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.driver.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
