from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )
