"""钉钉 custom robots and 企业微信 group robots: signed, split to fit, and at most 20 messages a minute.

* 钉钉 (``dingtalk``): with 加签, the webhook gets ``timestamp`` (milliseconds) and ``sign``: the
  HMAC-SHA256 of ``timestamp + "\\n" + secret`` keyed with the secret, in base64, URL-encoded.
  Body ``{"msgtype": "text", "text": {"content": ...}}``.
* 企业微信 (``wecom``): body ``{"msgtype": "markdown", "markdown": {"content": ...}}``, the content at
  most 4,096 bytes of UTF-8, so a long message goes as several.
* Either answers ``{"errcode": 0, "errmsg": "ok"}``; anything else is a failed send.

A webhook address carries its robot's credential (``access_token``, ``key``): it is shown only as
``robot_label`` gives it, never in full, in a message, an error or output.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

from gwgk.errors import GwgkError

WECOM_LIMIT = 4096  # bytes of a markdown message's content
DINGTALK_LIMIT = 18000  # bytes of a text message's content (the service takes 20,000)
PER_MINUTE = 20  # messages a robot takes a minute; more and it stops taking any for 10 minutes


class SendError(GwgkError):
    """A message that did not go out; its text names what went wrong, never a secret."""


def sign(secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签 ``sign`` parameter for ``timestamp_ms`` (URL-encoded)."""
    from urllib.parse import quote_plus

    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """The 钉钉 webhook ``url`` with its ``timestamp`` and ``sign``."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign(secret, timestamp_ms)}"


def robot_label(via: str, url: str, owner: str) -> str:
    """How a robot is named to a user: the channel, whose robot, and the host (never the token)."""
    from urllib.parse import urlsplit

    name = "钉钉群机器人" if via == "dingtalk" else "企业微信群机器人"
    return f"{name}（{owner}，{urlsplit(url).hostname or '?'}）"


def split_bytes(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` bytes of UTF-8, cut between lines where it can (and
    between characters where a line alone is too long); several parts each begin "（n/m）"."""
    text = text.rstrip("\n")
    if len(text.encode("utf-8")) <= limit:
        return [text]
    room = limit - len("（999/999）\n".encode())
    pieces: list[str] = []  # lines, and the slices of a line too long for a part
    for line in text.split("\n"):
        while len(line.encode("utf-8")) > room:
            size = cut = 0
            while size + len(line[cut].encode("utf-8")) <= room:
                size += len(line[cut].encode("utf-8"))
                cut += 1
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    parts: list[str] = []
    current: str | None = None
    for piece in pieces:
        joined = piece if current is None else f"{current}\n{piece}"
        if current is not None and len(joined.encode("utf-8")) > room:
            parts.append(current)
            current = piece
        else:
            current = joined
    if current is not None:
        parts.append(current)
    return [f"（{n}/{len(parts)}）\n{p}" for n, p in enumerate(parts, start=1)]


class RateLimit:
    """At most ``per_minute`` messages a minute to each robot: ``wait(robot)`` before each one sleeps
    until the oldest of the last ``per_minute`` is a minute old. The clock and the sleep are
    parameters, so tests pass their own and never sleep."""

    def __init__(self, per_minute: int = PER_MINUTE, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.per_minute = per_minute
        self.clock = clock
        self.sleep = sleep
        self._sent: dict[str, collections.deque[float]] = {}

    def wait(self, robot: str) -> None:
        """Wait, if needed, until one more message may go to ``robot``, and count it."""
        sent = self._sent.setdefault(robot, collections.deque())
        now = self.clock()
        while sent and now - sent[0] >= 60.0:
            sent.popleft()
        if len(sent) >= self.per_minute:
            self.sleep(60.0 - (now - sent[0]))
            now = self.clock()
            while sent and now - sent[0] >= 60.0:
                sent.popleft()
        sent.append(now)


def post_json(url: str, body: dict[str, Any], label: str, timeout: float = 15.0) -> None:
    """POST ``body`` to a robot's webhook and check its answer; ``SendError`` naming ``label``."""
    import http.client
    import urllib.error
    import urllib.request

    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendError(f"{label}拒绝了消息（HTTP {exc.code}）") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise SendError(f"无法连接{label}：{getattr(reason, 'strerror', None) or type(reason).__name__}") from None
    except ValueError:
        raise SendError(f"{label}的网址无效，请检查 data/contacts.yaml") from None
    try:
        result = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SendError(f"{label}的回答不是 JSON，消息可能没有发出") from None
    if not isinstance(result, dict) or result.get("errcode") != 0:
        code = result.get("errcode") if isinstance(result, dict) else None
        message = str(result.get("errmsg", ""))[:200] if isinstance(result, dict) else ""
        raise SendError(f"{label}拒绝了消息（错误码 {code}：{message}）")


def send_dingtalk(url: str, secret: str | None, text: str, label: str, limiter: RateLimit,
                  now_ms: Callable[[], int] = lambda: int(time.time() * 1000)) -> int:
    """Send ``text`` to a 钉钉 robot, signed when it has a ``secret``; returns how many messages it took."""
    parts = split_bytes(text, DINGTALK_LIMIT)
    for part in parts:
        limiter.wait(url)
        target = signed_url(url, secret, now_ms()) if secret else url
        post_json(target, {"msgtype": "text", "text": {"content": part}}, label)
    return len(parts)


def send_wecom(url: str, text: str, label: str, limiter: RateLimit) -> int:
    """Send ``text`` to a 企业微信 group robot as markdown; returns how many messages it took."""
    parts = split_bytes(text, WECOM_LIMIT)
    for part in parts:
        limiter.wait(url)
        post_json(url, {"msgtype": "markdown", "markdown": {"content": part}}, label)
    return len(parts)
