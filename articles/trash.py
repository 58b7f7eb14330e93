"""The article trash: deleting moves an article here; editors restore, administrators empty."""


class TrashMixin:
    """ArticleAdmin's trash: delete moves to the trash, restore, empty."""
