"""Reading an article: quoted passages, reported speech, speakers, dates, channels, stances.

Deterministic and offline: rules over the text, dateparser for dates and lingua for
languages, no model downloads. ``read_article`` is the entry point; each step lives in
its own module and can be read (and tested) alone.
"""
