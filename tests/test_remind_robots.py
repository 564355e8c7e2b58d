"""``gwgk remind --via dingtalk|wecom`` against a local HTTP server on 127.0.0.1 that checks what the
real services check: the body's shape, 钉钉's 加签 signature (HMAC-SHA256 of timestamp + "\\n" +
secret, base64, URL-encoded; a timestamp within an hour), 企业微信's 4,096-byte markdown limit."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk.send.robots import RateLimit, send_wecom, split_bytes

from .conftest import run_cli

F, J, H, X = "市财政局", "敬南镇", "黄草街道", "兴泰街道"
SECRET = "SECdingtalk-secret-29-abcdef"  # noqa: S105 - a test's own
TOKEN = "access-token-29-xyz"  # noqa: S105
KEY = "wecom-key-29-uvw"
DAY = "2021-10-08"


class Robots(BaseHTTPRequestHandler):
    """钉钉 at /robot/send, 企业微信 at /cgi-bin/webhook/send; what each accepted is kept on the server."""

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _answer(self, code: int, message: str = "ok") -> None:
        body = json.dumps({"errcode": code, "errmsg": message}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        assert self.headers["Content-Type"].startswith("application/json")
        body = json.loads(raw.decode("utf-8"))
        server: RobotServer = self.server  # type: ignore[assignment]
        if url.path == "/robot/send":
            if query.get("access_token") != [TOKEN]:
                return self._answer(300001, "token is not exist")
            stamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
            if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3600_000:
                return self._answer(310000, "timestamp invalid")
            expected = base64.b64encode(hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()).decode()
            if sign != expected:  # parse_qs has URL-decoded it, as the service does
                return self._answer(310000, "sign not match")
            if set(body) != {"msgtype", "text"} or body["msgtype"] != "text" or not body["text"]["content"].strip():
                return self._answer(40035, "缺少参数 json")
            server.dingtalk.append(body["text"]["content"])
            return self._answer(0)
        if url.path == "/cgi-bin/webhook/send":
            if query.get("key") != [KEY]:
                return self._answer(93000, "invalid webhook url")
            if body.get("msgtype") != "markdown" or not isinstance(body.get("markdown", {}).get("content"), str):
                return self._answer(40008, "invalid message type")
            if len(body["markdown"]["content"].encode("utf-8")) > 4096:
                return self._answer(40058, "markdown.content exceed max length 4096")
            server.wecom.append(body["markdown"]["content"])
            return self._answer(0)
        return self._answer(404, "not found")


class RobotServer(ThreadingHTTPServer):
    dingtalk: list[str]
    wecom: list[str]


@pytest.fixture
def robots() -> Iterator[RobotServer]:
    server = RobotServer(("127.0.0.1", 0), Robots)
    server.dingtalk, server.wecom = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def contacts(ws: Path, port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    (ws / "data" / "contacts.yaml").write_text(
        "units:\n"
        f"  {F}: {{dingtalk: {{url: '{base}/robot/send?access_token={TOKEN}', secret_env: DING_CZJ}}}}\n"
        f"  {J}: {{dingtalk: {{url: '{base}/robot/send?access_token={TOKEN}', secret_env: DING_JNZ}}}}\n"
        "groups:\n"
        f"  各乡镇(街道): {{wecom: {{url: '{base}/cgi-bin/webhook/send?key={KEY}'}}}}\n", encoding="utf-8")


def every_file(ws: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(ws.rglob("*")) if p.is_file())


def test_dingtalk_signed_messages_arrive_and_the_secret_is_nowhere(demo: Path, robots: RobotServer):
    contacts(demo, robots.server_port)
    env = {"DING_CZJ": SECRET, "DING_JNZ": SECRET}
    r = run_cli("remind", "--as-of", DAY, "-u", F, "-u", J, "--via", "dingtalk", "-f", "json", workspace=demo, env=env)
    assert r.code == 0, r.out
    data = json.loads(r.out)
    assert [m["unit"] for m in data["messages"]] == [J, F] and all(m["sent"] for m in data["messages"])
    assert robots.dingtalk == [m["text"].rstrip("\n") for m in data["messages"]]
    assert data["messages"][1]["to"] == f"钉钉群机器人（{F}，127.0.0.1）"
    for secret in (SECRET, TOKEN):
        assert secret not in r.out + r.err
        assert secret.encode() not in (demo / "log" / "reminders.jsonl").read_bytes()
    assert SECRET.encode() not in every_file(demo)


def test_a_wrong_or_missing_secret_fails_that_unit_and_it_alone_is_retried(demo: Path, robots: RobotServer):
    contacts(demo, robots.server_port)
    r = run_cli("remind", "--as-of", DAY, "-u", F, "-u", J, "--via", "dingtalk", "-f", "json", workspace=demo,
                env={"DING_CZJ": "SECwrong-one", "DING_JNZ": SECRET})
    assert r.code == 1
    data = json.loads(r.out)
    assert data["failed"] == [{"unit": F, "error": f"钉钉群机器人（{F}，127.0.0.1）拒绝了消息（错误码 310000：sign not match）"}]
    assert "SECwrong-one" not in r.out + r.err and len(robots.dingtalk) == 1
    missing = run_cli("remind", "--as-of", DAY, "-u", F, "-u", J, "--via", "dingtalk", "-f", "json", workspace=demo, env={})
    assert missing.code == 1 and "环境变量 DING_CZJ 没有设置" in json.loads(missing.out)["failed"][0]["error"]
    assert [m["unit"] for m in json.loads(missing.out)["messages"]] == [F]  # 敬南镇 went out already today
    fixed = run_cli("remind", "--as-of", DAY, "-u", F, "-u", J, "--via", "dingtalk", "-f", "json", workspace=demo,
                    env={"DING_CZJ": SECRET, "DING_JNZ": SECRET})
    assert fixed.code == 0 and [m["unit"] for m in json.loads(fixed.out)["messages"]] == [F] and len(robots.dingtalk) == 2


def test_a_group_robot_gets_one_message_for_its_members_split_at_4096_bytes(demo: Path, robots: RobotServer):
    contacts(demo, robots.server_port)
    r = run_cli("remind", "--as-of", DAY, "-u", J, "-u", H, "-u", X, "--via", "wecom", "-f", "json", workspace=demo)
    assert r.code == 0, r.out
    data = json.loads(r.out)
    assert sorted(m["unit"] for m in data["messages"]) == sorted([J, H, X])
    assert {m["to"] for m in data["messages"]} == {"企业微信群机器人（各乡镇(街道)，127.0.0.1）（单位组，一条消息）"}
    parts = robots.wecom
    assert len(parts) >= 2 and all(len(p.encode("utf-8")) <= 4096 for p in parts)
    assert [p.split("\n", 1)[0] for p in parts] == [f"（{n}/{len(parts)}）" for n in range(1, len(parts) + 1)]
    whole = "\n".join(p.split("\n", 1)[1] for p in parts)
    assert whole.startswith("各乡镇(街道)各单位：")
    for m in data["messages"]:
        assert m["text"].rstrip("\n") in whole


def test_at_most_20_messages_a_minute_to_one_robot(robots: RobotServer):
    now = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimit(clock=lambda: now[0], sleep=sleep)
    url = f"http://127.0.0.1:{robots.server_port}/cgi-bin/webhook/send?key={KEY}"
    text = "\n".join(f"第{i}行" + "字" * 400 for i in range(90))  # 90 lines of about 1.2 KB: 30 messages
    sent = send_wecom(url, text, "企业微信群机器人", limiter)
    assert sent == len(robots.wecom) == 30
    assert slept == [60.0]  # the 21st waited for the first to be a minute old
    times = limiter._sent[url]
    assert len(times) == 10


def test_the_limiter_never_lets_21_into_one_minute():
    now = [0.0]
    stamps: list[float] = []

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimit(clock=lambda: now[0], sleep=sleep)
    for i in range(70):
        now[0] += (i % 7) * 0.9
        limiter.wait("robot")
        stamps.append(now[0])
    assert all(sum(1 for t in stamps if s <= t < s + 60) <= 20 for s in stamps)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(["字", "a", "\n", "“", "😀", " "]), min_size=0, max_size=6000),
       st.sampled_from([64, 200, 4096]))
def test_split_keeps_every_character_and_each_part_fits(text: str, limit: int):
    parts = split_bytes(text, limit)
    assert all(len(p.encode("utf-8")) <= limit for p in parts)
    if len(parts) == 1:
        assert parts[0] == text.rstrip("\n")
        return
    bodies = [p.split("\n", 1)[1] for p in parts]
    if all(len(line.encode("utf-8")) <= limit - 16 for line in text.split("\n")):
        assert "\n".join(bodies) == text.rstrip("\n")  # cut between lines only
    else:  # a line too long for a part is cut between characters
        assert "".join(bodies).replace("\n", "") == text.rstrip("\n").replace("\n", "")


def test_a_line_longer_than_a_part_is_cut_between_characters():
    parts = split_bytes("字" * 3000, 4096)
    assert [len(p.encode("utf-8")) for p in parts] == [len("（1/3）\n".encode()) + 4080, len("（2/3）\n".encode()) + 4080,
                                                       len("（3/3）\n".encode()) + 840]
