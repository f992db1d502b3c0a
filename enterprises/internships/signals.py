"""Signals the internships send for apps above enterprises (which it never imports).

`post_closed(sender=Post, post=...)` is sent inside the transaction that closes an
internship post whose dates ended; the evaluations app opens the post's evaluation round."""

from django.dispatch import Signal

post_closed = Signal()
