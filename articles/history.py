"""Revisions, comparisons, restores, edit conflicts, presence and autosave for articles and photos."""


class ArticleHistoryMixin:
    """ArticleAdmin's history: revisions, compare, restore, autosave and presence."""


class VersionCheckedFormMixin:
    """ArticleAdminForm's edit-conflict check."""
