"""Settings for bench/throughput.py's gunicorn: the site's own settings, plus the reference views of bench/urls.py.

BENCH_TEMPLATE_DIR names the folder holding bench/article-sized.html, the static template throughput.py writes
at the start of each run from a real article page (so the reference page weighs what the article page weighs).
"""

import copy
import os
from pathlib import Path

from newsroom.settings import *  # noqa: F403 - everything the site runs with, unchanged
from newsroom.settings import TEMPLATES as SITE_TEMPLATES

ROOT_URLCONF = "bench.urls"

TEMPLATES = copy.deepcopy(SITE_TEMPLATES)
if os.environ.get("BENCH_TEMPLATE_DIR"):
    TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(os.environ["BENCH_TEMPLATE_DIR"])]
