from django import forms
from django.test.html import parse_html

from core.widgets import LongSelect

CHOICES = [("", "---------"), ("1", "Data <Engineer>"), ("2", "ML & AI")]


class Plain(forms.Form):
    pick = forms.ChoiceField(choices=CHOICES, required=False)


class Long(forms.Form):
    pick = forms.ChoiceField(choices=CHOICES, required=False, widget=LongSelect)


class LongRequired(forms.Form):
    pick = forms.ChoiceField(choices=CHOICES, widget=LongSelect)


def test_long_select_writes_the_same_markup_as_djangos_select():
    for data in (None, {"pick": "2"}):
        assert parse_html(str(Long(data)["pick"])) == parse_html(str(Plain(data)["pick"]))


def test_long_select_escapes_labels_and_marks_the_chosen_option():
    html = str(Long({"pick": "1"})["pick"])

    assert '<option value="1" selected>Data &lt;Engineer&gt;</option>' in html
    assert '<option value="2">ML &amp; AI</option>' in html


def test_long_select_keeps_the_required_attribute():
    assert parse_html(str(LongRequired()["pick"])) == parse_html(
        '<select name="pick" id="id_pick" required><option value="" selected>---------</option>'
        '<option value="1">Data &lt;Engineer&gt;</option><option value="2">ML &amp; AI</option>'
        "</select>"
    )


def test_long_select_with_groups_falls_back_to_djangos_rendering():
    grouped = [("Data", [("1", "Analyst"), ("2", "Engineer")])]
    html = LongSelect(choices=grouped).render("pick", "2")

    assert parse_html(html) == parse_html(forms.Select(choices=grouped).render("pick", "2"))
