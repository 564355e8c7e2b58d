"""Process machinery, apart from what the program knows or stores: pausing Python's cyclic garbage
collector while plain data is built in bulk (``collector``), and sharing work among forked child
processes (``forked``, Linux only).

May import: nothing of gwgk (it sits beside ``gwgk.errors`` at the bottom of the layers).
"""
