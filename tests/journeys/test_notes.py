"""Notes on an application: who writes, who reads, @mentions emailed once to those who see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from hiring.models import Note
from hiring.services.notes import mentioned_names, note_add

pytestmark = pytest.mark.django_db


def test_a_mention_emails_the_colleague_who_sees_the_application(
    world, recruiter, hiring_manager, as_user, django_capture_on_commit_callbacks
):
    url = reverse("hiring:application-note-create", args=[world.application.pk])

    with django_capture_on_commit_callbacks(execute=False):
        response = as_user(recruiter).post(
            url,
            {"body": "Strong on evals, @hiring_manager please look. @hiring_manager"},
            follow=True,
        )

    note = Note.objects.get()
    assert (note.author, list(note.mentioned.all())) == (recruiter, [hiring_manager])
    email = OutboundEmail.objects.get()
    assert email.to == [hiring_manager.email]
    assert email.dedupe_key == f"note:{note.pk}:mention:{hiring_manager.pk}"
    assert "Strong on evals" in email.body
    html = response.content.decode()
    assert "Note added. Emailed" in html
    assert "Strong on evals, @hiring_manager please look." in html


def test_a_mention_of_someone_who_cannot_see_it_sends_nothing_and_says_so(
    world, recruiter, other_manager
):
    result = note_add(
        application=world.application, body="Ask @other_manager and @nobody", actor=recruiter
    )

    assert result.notified == []
    assert result.not_notified == ["other_manager", "nobody"]
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("interviewer", 403), ("other_manager", 404), ("outsider", 404), ("anonymous", 302)],
)
def test_only_recruiters_and_the_manager_write_notes(world, cast, as_user, request, role, status):
    user = request.getfixturevalue(role) if role == "other_manager" else cast[role]
    url = reverse("hiring:application-note-create", args=[world.application.pk])

    response = as_user(user).post(url, {"body": "Hello"})

    assert response.status_code == status
    assert not Note.objects.exists()


def test_an_empty_note_is_refused_by_the_field(world, hiring_manager, as_user):
    url = reverse("hiring:application-note-create", args=[world.application.pk])

    response = as_user(hiring_manager).post(url, {"body": "   "})

    assert response.status_code == 400
    assert "Write something in the note." in response.content.decode()
    assert not Note.objects.exists()


def test_notes_follow_the_application_visibility(world, recruiter, interviewer, as_user):
    note_add(application=world.application, body="Visible to the panel", actor=recruiter)
    url = reverse("hiring:application-detail", args=[world.application.pk])

    page = as_user(interviewer).get(url).content.decode()

    assert "Visible to the panel" in page
    assert 'name="body"' not in page  # reads, does not write


def test_mentions_are_parsed_once_each_and_not_from_emails():
    assert mentioned_names("@Ada and @ada, mail bob@example.com, ask @c.d.") == ["Ada", "c.d"]
