"""What the guided form asks, step by step, in the blog's order: the fields,
the tip above each step, and which field fixes which rule. Data only, apart
from the widgets that show it (form.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One input of the form and the draft attribute it edits."""

    id: str
    label: str
    placeholder: str
    multiline: bool = False


@dataclass(frozen=True)
class Step:
    """A group of fields with the tip that says why they matter."""

    title: str
    prompt: str
    fields: tuple[Field, ...]


STEPS = (
    Step(
        "1 · Recipient",
        "Who are you writing to? Trust comes from knowing them.",
        (
            Field("recipient-name", "Name", "Heather Hamilton"),
            Field("recipient-email", "Email", "heather@example.com"),
            Field("recipient-company", "Company", "Microsoft"),
            Field("recipient-role", "Role", "Staffing Director"),
        ),
    ),
    Step(
        "2 · How you know them",
        "Who you are, and how you know or found them.",
        (
            Field(
                "context", "Context", "I'm a recruiter at Northwind; I was at your ERE talk.", True
            ),
        ),
    ),
    Step(
        "3 · Your research",
        "Name their talk, post or project. Never ask what a quick search answers.",
        (
            Field(
                "research",
                "Research",
                "Your ERE talk on sourcing through blogs changed how we work.",
                True,
            ),
        ),
    ),
    Step(
        "4 · The point",
        "Have a point: the one specific thing you ask. Not “let's synch up”.",
        (
            Field(
                "point",
                "Point",
                "Would you tell me how you pick which blogs are worth reading?",
                True,
            ),
        ),
    ),
    Step(
        "5 · What's in it for them",
        "Know what's in it for them, but don't force it: frame it as sharing.",
        (
            Field(
                "wiift", "For them", "If it's useful, I'm happy to share our reply-rate data.", True
            ),
        ),
    ),
    Step(
        "6 · Be a giver",
        "Hand over something concrete now: a link, data, notes, an intro.",
        (
            Field(
                "offer", "Offer", "Here are my notes from six months of trying it: https://…", True
            ),
        ),
    ),
    Step(
        "7 · Subject",
        "Two to six words that name your point.",
        (Field("subject", "Subject", "Your ERE talk: our numbers"),),
    ),
    Step(
        "8 · Signature",
        "Who you are, under the email: trust comes from knowing you too.",
        (
            Field("sender-name", "Your name", "Sam Ortiz"),
            Field("sender-role", "Your role", "Senior Recruiter"),
            Field("sender-company", "Company", "Northwind"),
            Field("sender-bio", "About you", "I run sourcing at Northwind"),
        ),
    ),
)

FIELD_IDS = frozenset(field.id for step in STEPS for field in step.fields)
FIELD_LABELS = {
    field.id: (
        step.title.split("· ")[-1]
        if len(step.fields) == 1
        else f"{step.title.split('· ')[-1]}: {field.label}"
    )
    for step in STEPS
    for field in step.fields
}
"""How a notification names a field: "The point", "Recipient: Name"."""

RULE_FIELDS = {
    "point": "point",
    "wiift": "wiift",
    "giver": "offer",
    "research": "research",
    "job-dump": "point",
    "flattery": "research",
    "google-it": "point",
    "collector": "point",
    "placeholders": "subject",
    "subject": "subject",
    "length": "context",
    "questions": "point",
    "readability": "context",
    "greeting": "recipient-name",
    "you-focus": "context",
    "grammar": "context",
}
"""The field a user edits to fix each rule."""
