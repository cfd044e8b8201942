"""The note form on the application page; the service decides (length, who, mentions)."""

from __future__ import annotations

from django import forms

from hiring.forms.interviews import AccessibleErrorsMixin
from hiring.services.notes import NOTE_MAX_LENGTH


class NoteForm(AccessibleErrorsMixin, forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mention a colleague with @username: they get an email if they can see "
        "this application.",
        error_messages={
            "required": "Write something in the note.",
            "max_length": f"A note is at most {NOTE_MAX_LENGTH:,} characters.",
        },
    )
