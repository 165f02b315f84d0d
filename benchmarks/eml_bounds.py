"""Print how long the worst .eml inside the bounds takes, and how fast the rest is refused.

    python benchmarks/eml_bounds.py

The standard library parses a long header in quadratic time and nested parts
recursively (issue #12, item 10), so parse_eml refuses a header over 64 KB
and more than 100 multipart/message parts before parsing. This prints the
time for the largest header and the deepest nesting that are still read, and
for the refusal of twice and ten times more.
"""

from __future__ import annotations

import time

from composer.model import MAX_EML_CONTAINERS, MAX_EML_HEADER_BYTES, InputError, parse_eml


def eml(headers: bytes, body: bytes = b"Hi Ana,\r\n\r\nWould you share your notes?\r\n") -> bytes:
    return b"From: a@example.com\r\nTo: b@example.com\r\n" + headers + b"\r\n" + body


def long_subject(size: int) -> bytes:
    return eml(b"Subject: " + b"word " * (size // 5) + b"\r\n")


def nested(levels: int) -> bytes:
    message = eml(b'Content-Type: multipart/mixed; boundary="b0"\r\n', b"")
    for level in range(1, levels):
        message += b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (
            level - 1,
            level,
        )
    message += b"--b%d\r\nContent-Type: text/plain\r\n\r\nHi Ana\r\n" % (levels - 1)
    return message + b"".join(b"--b%d--\r\n" % level for level in range(levels - 1, -1, -1))


def timed(name: str, data: bytes) -> None:
    start = time.perf_counter()
    try:
        parse_eml(data, "bench.eml")
        outcome = "read"
    except InputError as exc:
        outcome = f"refused ({exc.message})"
    print(
        f"{name:<34} {len(data) / 1024:>8.0f} KB {time.perf_counter() - start:>8.3f} s  {outcome}"
    )


def main() -> None:
    limit = MAX_EML_HEADER_BYTES - 64
    timed("Subject just under the limit", long_subject(limit))
    timed("Subject at twice the limit", long_subject(2 * MAX_EML_HEADER_BYTES))
    timed("Subject of 3 MB", long_subject(3 * 1024 * 1024))
    timed(f"{MAX_EML_CONTAINERS} nested multiparts", nested(MAX_EML_CONTAINERS))
    timed(f"{10 * MAX_EML_CONTAINERS} nested multiparts", nested(10 * MAX_EML_CONTAINERS))
    timed("3000 nested multiparts", nested(3000))


if __name__ == "__main__":
    main()
