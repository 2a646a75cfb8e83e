"""The new-draft form: an article's address, date, publisher and its text or HTML."""

from django import forms
from django.conf import settings


class DraftForm(forms.Form):
    url = forms.URLField(
        max_length=2000,
        assume_scheme="https",
        label="Article address (URL)",
        error_messages={
            "required": "Give the article's address.",
            "invalid": "Give a full web address, e.g. https://example.org/news/1.",
        },
    )
    published_at = forms.DateField(
        required=False,
        label="Publication date",
        help_text="Relative dates in the text (“on Monday”) are read from it. "
        "With HTML, the page's own date is used when this is empty.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Give the date as YYYY-MM-DD, e.g. 2021-09-06."},
    )
    title = forms.CharField(max_length=500, required=False, label="Headline")
    publisher = forms.CharField(
        max_length=200,
        required=False,
        label="Publisher",
        help_text="Start typing to choose a recorded actor; a new name is proposed as a new actor.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "list": "actor-options-publisher",
                "data-actor-autocomplete": "id_publisher_actor",
            }
        ),
    )
    publisher_actor = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        choices=[("text", "Plain text"), ("html", "HTML of the web page")],
        initial="text",
        label="What you paste",
        widget=forms.RadioSelect,
    )
    article = forms.CharField(
        strip=False,
        label="Article text or HTML",
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "Paste the article's text or its page's HTML."},
    )

    def clean(self):
        data = super().clean()
        # Browsers send a textarea's line ends as CRLF; spans' offsets count characters as pasted.
        article = (data.get("article") or "").replace("\r\n", "\n").replace("\r", "\n")
        if "article" in data:
            data["article"] = article
        limit = settings.EVENTSAPI_DRAFT_MAX_CHARS * (10 if data.get("kind") == "html" else 1)
        if len(article) > limit:
            self.add_error("article", f"The article is longer than {limit} characters; paste it in parts.")
        elif "article" in data and not article.strip():
            self.add_error("article", "The text is empty.")
        if data.get("kind") == "text" and not data.get("published_at") and "published_at" not in self.errors:
            self.add_error("published_at", "Give the publication date: the text's dates are read from it.")
        return data
