"""The newsroom's roles (writer, photographer, editor, administrator) and what each may do in the admin."""


class ArticlePermissionsMixin:
    """ArticleAdmin's permission checks: the server-side enforcement of the role table."""
