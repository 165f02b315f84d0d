"""Outreach Composer: write cold networking outreach that busy professionals answer.

Kept tiny on purpose: `outreach check` must start as fast as plain Python, so
nothing heavy is imported at package import time.
"""

__version__ = "0.1.0"
