"""How fast the checklist judges an email, and how fast `outreach check` starts.

    python benchmarks/checklist_speed.py

Targets (issue 2): full checklist on a 150-word email well under 1 ms median;
under 50 ms on a 50 KB pasted job description. Start-up is printed beside bare
`python -c pass` so the ratio holds on a noisy machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from composer.checklist import run_checklist

EMAIL_150 = """Subject: Your ERE talk on blogs

Hi Heather,

I was in the second row for your ERE session in October on finding passive candidates
through industry blogs. We tried your comment-trail approach for our embedded firmware
roles, and it produced 14 first conversations in six weeks, versus 3 from InMail over
the same stretch.

I wrote up what worked and what didn't in a two-page summary, attached and also here:
https://example.com/notes/blog-sourcing-pilot.pdf. You're welcome to quote any of it.

One question, if you have a minute: when you find a strong candidate through their
blog, do you reach out on the blog itself or move straight to email? We've seen both
work, and I'm curious which you default to and why. If it helps your next talk, I'm
happy to share the reply-rate data by channel, and the
script we used to find the blogs in the first place. It took us about
six weeks.

Best,
Sam Ortiz
Senior Recruiter, Acme Robotics
"""

JD_PARAGRAPH = """Responsibilities:
- Design, build and operate microservices in Java 17 and Spring Boot for our payments platform
- Partner with product managers and designers to ship features our customers love
- Own CI/CD pipelines, observability and on-call for your services
Requirements:
- 7+ years of experience with Java, Kotlin or Scala in production
- Bachelor's degree in Computer Science or equivalent experience
- Strong communication skills and experience mentoring engineers
Compensation: $150k-$170k base, equity, 401(k), full-time, hybrid in Chicago.
"""


def _median_ms(text: str, runs: int) -> float:
    run_checklist(text)  # compile the cue patterns once, as any real process does
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run_checklist(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _startup_ms(command: list[str], runs: int = 15, env: dict[str, str] | None = None) -> float:
    """Median wall time; one run first, unmeasured, so caches are as they usually are."""
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:]) * 1000


def main() -> None:
    words = run_checklist(EMAIL_150).stats.words
    job = "Subject: Open role\n\nHello,\n\n" + JD_PARAGRAPH * (50_000 // len(JD_PARAGRAPH) + 1)
    job += "\nAny help would be greatly appreciated.\n"
    small = _median_ms(EMAIL_150, 2000)
    large = _median_ms(job, 30)
    verdict = run_checklist(job).finding("job-dump").status
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(EMAIL_150)
    bare = _startup_ms([sys.executable, "-c", "pass"])
    # The installed command, as users run it (not `python -m composer` from
    # this folder, which would import the source tree), with a home of its own.
    outreach = str(Path(sys.executable).with_name("outreach"))
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "OUTREACH_HOME": home}
        check = _startup_ms([outreach, "check", handle.name], env=env)
    Path(handle.name).unlink()
    print(f"{'measure':<44}{'median':>12}{'target':>12}")
    print(f"{f'checklist, {words}-word email':<44}{small:>10.3f} ms{'< 1 ms':>12}")
    print(
        f"{f'checklist, {len(job) // 1024} KB job description (job-dump: {verdict})':<44}{large:>10.1f} ms{'< 50 ms':>12}"
    )
    print(f"{'python -c pass':<44}{bare:>10.1f} ms")
    print(f"{'outreach check email.txt':<44}{check:>10.1f} ms{f'{check / bare:.1f}x bare':>12}")


if __name__ == "__main__":
    main()
