"""Browser tests: the writer's, editor's and reader's journeys in headless Chromium (issue 6)."""
