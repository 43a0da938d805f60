"""Imported by the fork server of `amity.parallel`: it loads the English pipeline's models
once, before the server forks the workers, so that every worker starts with them loaded and
shares their memory pages with the others (copy on write) instead of loading a copy of its
own on its first relevant article (3-4 s of CPU and ~200 MB each).

Nothing here runs in a one-process run or in `amity` itself: only the fork server imports it.
"""

import gc

from amity.pipeline import load_models

load_models()
gc.freeze()  # the collector would otherwise write to (and so copy) every loaded object's page
