"""Sending reminders: the channels (``mail`` through the office's SMTP server, ``robots`` for the
钉钉 and 企业微信 group robots, ``files`` for plain text to paste or print) and ``deliver``, which
sends each unit its reminder by the chosen channel, once a day, and records what went out.

The one package that talks to other machines. smtplib, email, ssl and urllib are imported inside
the functions that use them, so ``gwgk --help`` does not load them. Secrets come from the
environment, are passed to the channel that needs them, and never reach a message, a log or an error.

May import: every layer below the commands (``errors``, ``files``, ``catalogue``, ``entries``,
``judge``, ``ledger``, ``reports``, ``render``, ``excel``).
"""
