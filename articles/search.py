"""Arabic-aware search: one normalisation for indexing and querying, keeping the index (its models are in
models.py) current, and the public search.

Readers spell the same word many ways («الأسد», «الاسد», «الأَسَد»), so text is folded to one form before it is
stored and before it is looked for. PostgreSQL ranks the folded text with its own full-text search (the
`arabic` or `english` configuration); SQLite looks for every word as a substring. Both find the same stories.
"""

import datetime
import functools
import re
import unicodedata
from html.parser import HTMLParser

from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Case, F, Func, IntegerField, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Article, Person, Photo, PhotoSearchDocument, SearchDocument, Section, newsroom_midnight

# Longer queries are refused with a message: no reader types 200 characters, and each word costs the database.
MAX_QUERY_LENGTH = 200
# And so are more words than that, counted once each after folding (one character, «ﷺ», folds into four words):
# each word nests the query one level deeper, and near a hundred neither SQLite's parser nor Python's recursion
# limit can hold it. Where nothing refuses them (the admin's search box) the words past this are left out.
MAX_QUERY_WORDS = 20

# PostgreSQL's text-search configuration for each edition's language; "simple" (no stemming) for any other.
TEXT_SEARCH_CONFIGS = {"ar": "arabic", "en": "english"}

# Letters readers write interchangeably, and marks that change nothing for search.
_ARABIC_FOLDS = {
    **{chr(c): "" for c in range(0x064B, 0x0660)},  # tashkeel: harakat, tanwin, shadda, sukun, hamza marks
    **{chr(c): "" for c in range(0x0610, 0x061B)},  # Quranic honorific marks
    **{chr(c): "" for c in range(0x06D6, 0x06EE)},  # Quranic annotation marks
    "\u0670": "",  # superscript alef
    "\u0640": "",  # tatweel (kashida): stretches a word, means nothing
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "\u0672": "ا", "\u0673": "ا",
    "ى": "ي", "ی": "ي",  # alef maqsura, and the Persian yeh some keyboards type
    "ة": "ه",
    # Hamza on a waw or yeh seat becomes the hamza alone: «مسؤول» and «مسئول», «شؤون» and «شئون» are both in
    # use (Levantine and Egyptian style), so only the hamza itself is kept. The lone hamza «ء» stays a letter:
    # «ماء» (water) is not «ما» (what).
    "ؤ": "ء", "ئ": "ء",
    "ک": "ك",  # Persian keheh
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
}


@functools.lru_cache(maxsize=8192)
def _fold(char):
    """What one character of text becomes for search: letters folded, marks gone, punctuation a space."""
    folded = []
    for c in unicodedata.normalize("NFKC", char):  # presentation forms and ligatures (ﻻ) become plain letters
        if c in _ARABIC_FOLDS:
            folded.append(_ARABIC_FOLDS[c])
            continue
        category = unicodedata.category(c)
        if category == "Cf":  # zero-width joiners and direction marks sit inside words
            continue
        # Punctuation, symbols, spaces and control characters separate words; they are never searched for.
        folded.append(" " if category[0] in "PSZC" else c.casefold())
    return "".join(folded)


def fold_with_positions(text):
    """The normalised text, and for each of its characters the index of the original character it came from.

    Folding one character at a time keeps that map exact, so a match found in the normalised text can be
    marked in the text the reader sees.
    """
    chars, positions = [], []
    for index, char in enumerate(text or ""):
        for c in _fold(char):
            if c == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(c)
            positions.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        positions.pop()
    return "".join(chars), positions


def normalise(text):
    """«الأَسَـد، ٢٠٢٤» -> «الاسد 2024»: the form both the index and every query are folded to."""
    return fold_with_positions(text)[0]


def query_words(text):
    """The query's distinct words, folded; at most MAX_QUERY_WORDS of them."""
    return all_query_words(text)[:MAX_QUERY_WORDS]


def all_query_words(text):
    return list(dict.fromkeys(normalise(text).split()))


# The definite article, alone or behind a letter joined to it («و» and, «ف» so, «ب» with, «ك» like, «ل» for, which
# makes «لل»), with the letters that must remain: «والدين» (parents) must not become «دين» (religion), so behind a
# joined letter four.
_ARTICLE_PREFIXES = (("وال", 4), ("فال", 4), ("بال", 4), ("كال", 4), ("لل", 3), ("ال", 3))
# «والد» (a parent) is a word of its own, not «و» + «ال» + «د…»: «والدتها» (her mother) would become «دتها», which
# «عودتها» (her return) holds too. Its forms with the endings of person are kept whole.
_PARENT = re.compile("والد(?:ه|ي|ا|ك|نا|ها|هم|هما|ين|يه|يها|يهم|يهما|يك|يكم|ان|ته|تي|تها|تهم|تك|تنا)?")


def without_article(word):
    """«الحكومه» -> «حكومه», «بالمياه» -> «مياه», «للمياه» -> «مياه»: the word without its definite article and
    what is joined before it, when enough letters remain; otherwise the word as it is."""
    if _PARENT.fullmatch(word):
        return word
    for prefix, remaining in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= remaining:
            return word[len(prefix):]
    return word


def substring_terms(text):
    """The words of a query as substrings to look for: without «ال» (and a letter joined before it), the bare word
    matches every form, «المياه», «بالمياه», «للمياه»."""
    return [without_article(word) for word in query_words(text)]


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "br", "h2", "h3", "li", "blockquote", "hr", "figure", "ul", "ol", "div"}
    # Their content is code, not text a reader sees (an imported title may carry a script).
    SILENT = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.silent = None

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)
        if tag in self.SILENT:
            self.silent = tag

    def handle_endtag(self, tag):
        if tag == self.silent:
            self.silent = None
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if self.silent is None:
            self.parts.append(data)


def plain_text(body_html):
    """An article body as plain text, paragraphs kept apart by a space (so their words never run together)."""
    extractor = _TextExtractor()
    extractor.feed(body_html or "")
    extractor.close()
    return " ".join("".join(extractor.parts).split())


# Only these fields feed the index: a save that touches none of them (status, renditions) leaves it alone.
ARTICLE_TEXT_FIELDS = ("headline", "summary", "body")
PHOTO_TEXT_FIELDS = ("caption", "credit", "credit_person", "alt_text", "creator")


def touches(update_fields, names):
    """Whether a save with these update_fields (None: every field) may have changed any of ``names``, in any
    language (headline_en is headline)."""
    if update_fields is None:
        return True
    return any(field in names or field.rsplit("_", 1)[0] in names for field in update_fields)


def _editions(article):
    """(language, headline, summary, body) for each edition the article exists in; read from fields alone,
    so the migration's historical models can use it too."""
    for code, _name in settings.LANGUAGES:
        headline = getattr(article, f"headline_{code}", "") or ""
        body = getattr(article, f"body_{code}", "") or ""
        if code == settings.LANGUAGE_CODE or (headline and body):
            yield code, headline, getattr(article, f"summary_{code}", "") or "", body


def index_articles(articles, *, document_model=None, using="default"):
    """Write the search documents of these articles, replacing what they had: two queries (three on PostgreSQL)."""
    document_model = document_model or SearchDocument
    articles = list(articles)
    documents = [
        document_model(
            article_id=article.pk, language=code, config=TEXT_SEARCH_CONFIGS.get(code, "simple"),
            headline=normalise(headline), summary=normalise(summary), body=normalise(plain_text(body)),
        )
        for article in articles
        for code, headline, summary, body in _editions(article)
    ]
    ids = [article.pk for article in articles]
    document_model.objects.using(using).filter(article_id__in=ids).delete()
    document_model.objects.using(using).bulk_create(documents)
    if connections[using].vendor == "postgresql":
        update_vectors(document_model.objects.using(using).filter(article_id__in=ids))


# PostgreSQL's arabic stemmer takes «بال», «كال» and «لل» off a word, but not «وال» or «فال»: «والحكومه» is indexed
# as والحكوم, which a search for «الحكومه» (stemmed حكومه) never finds, and «و» begins countless words of Arabic
# prose. An Arabic document's vector also holds its words with that letter set aside (without_article()'s rule:
# four letters left), beside the words as printed, so «والدتها» is still found as itself.
_STEMMER_KEEPS = "وف"
JOINED_BEFORE_ARTICLE = rf"(^|\s)[{_STEMMER_KEEPS}](ال\S{{{dict(_ARTICLE_PREFIXES)['وال']},}})"


def _weighted_vector(*, arabic=False):
    config = F("config")

    def text(column):
        return Func(
            F(column), Value(JOINED_BEFORE_ARTICLE), Value(r"\1\2"), Value("g"),
            function="regexp_replace", output_field=TextField(),
        )

    vector = None
    for column, weight in (("headline", "A"), ("summary", "B"), ("body", "C")):
        part = SearchVector(column, weight=weight, config=config)
        if arabic:
            part += SearchVector(text(column), weight=weight, config=config)
        vector = part if vector is None else vector + part
    return vector


def update_vectors(documents):
    """Build the vectors of these search documents (PostgreSQL): two queries, Arabic and the rest."""
    documents.filter(config="arabic").update(vector=_weighted_vector(arabic=True))
    documents.exclude(config="arabic").update(vector=_weighted_vector())


def photo_text(photo):
    """Everything the library is searched by, for one photo; read from fields alone (historical models too)."""
    parts = [photo.creator]
    for code, _name in settings.LANGUAGES:
        parts += [getattr(photo, f"{name}_{code}", "") for name in ("caption", "credit", "alt_text")]
    if photo.credit_person_id:
        parts += [getattr(photo.credit_person, f"name_{code}", "") for code, _name in settings.LANGUAGES]
    return normalise(" ".join(part for part in parts if part))


def index_photos(photos, *, document_model=None, using="default"):
    document_model = document_model or PhotoSearchDocument
    photos = list(photos)
    document_model.objects.using(using).filter(photo_id__in=[photo.pk for photo in photos]).delete()
    document_model.objects.using(using).bulk_create(
        [document_model(photo_id=photo.pk, text=photo_text(photo)) for photo in photos]
    )


def rebuild_index(*, article_model=Article, photo_model=Photo, document_model=SearchDocument,
                  photo_document_model=PhotoSearchDocument, using="default", batch=200):
    """Index every article (drafts and the trash too: the admin searches them) and every photo, in batches.

    Returns how many of each. The migration that creates the index calls it with its historical models.
    """
    articles = article_model.objects.using(using).order_by("pk")
    for chunk in _batches(articles, batch):
        with transaction.atomic(using=using):
            index_articles(chunk, document_model=document_model, using=using)
    photos = photo_model.objects.using(using).select_related("credit_person").order_by("pk")
    for chunk in _batches(photos, batch):
        with transaction.atomic(using=using):
            index_photos(chunk, document_model=photo_document_model, using=using)
    return articles.count(), photos.count()


def _batches(queryset, size):
    last = 0
    while chunk := list(queryset.filter(pk__gt=last)[:size]):
        yield chunk
        last = chunk[-1].pk


# Searching


# Ranking a match reads its whole search document, so ranking every match grows with the archive: a common word
# is in one story of eight, 13,000 documents to rank at 100,000 stories (88 ms, against 20 ms at 1,000). Only the
# newest RANKED_MATCHES matches are ranked: the database walks the archive newest first and stops once it has them
# (a rare word it finds through the index instead), so a search costs the same at any size. Readers of news want
# the recent stories first anyway; the page links the next, older window when there are more.
RANKED_MATCHES = 100


def search_articles(queryset, text, language=None):
    """``(results, oldest)``: the articles of ``queryset`` whose edition in ``language`` holds every word of
    ``text``, the newest RANKED_MATCHES of them, best first; and, when older ones match too, the oldest article
    ranked (where the next window starts, see older_than()), else None.

    The results are annotated with ``search_rank``; the document condition sits in one filter() and the annotation
    reuses its join, so each article is ranked against its one document in that language.
    """
    language = language or get_language()
    if not query_words(text):
        return queryset.none(), None
    in_edition = Q(search_documents__language=language)
    if connections[queryset.db].vendor == "postgresql":
        query = _text_search_query(query_words(text), TEXT_SEARCH_CONFIGS.get(language, "simple"))
        holding = Q(search_documents__vector=query)
        rank = SearchRank(F("search_documents__vector"), query)
    else:
        # SQLite: every word somewhere in the edition, as a substring without its «ال» (so «رئيس» finds «الرئيس»
        # and «الحكومة» finds «حكومة»); a word weighs 3 in the headline, 2 in the summary, 1 in the body, as
        # PostgreSQL's A, B and C weights rank them.
        words = substring_terms(text)
        holding = _holding_every(words, using=queryset.db, walk_archive=_common(words, queryset.db))
        rank = sum(
            (
                Case(
                    When(search_documents__headline__contains=word, then=Value(3)),
                    When(search_documents__summary__contains=word, then=Value(2)),
                    default=Value(1), output_field=IntegerField(),
                )
                for word in words
            ),
            start=Value(0),
        )
    # One more than a window, to know whether older stories match too.
    newest = list(
        queryset.filter(in_edition & holding).order_by("-published_at", "-pk")
        .values_list("pk", "published_at")[:RANKED_MATCHES + 1]
    )
    oldest = newest[RANKED_MATCHES - 1] if len(newest) > RANKED_MATCHES else None
    ranked = [pk for pk, _published in newest[:RANKED_MATCHES]]
    results = queryset.filter(in_edition, pk__in=ranked).annotate(search_rank=rank)
    return results.order_by("-search_rank", "-published_at", "-pk"), oldest


def older_than(queryset, oldest):
    """The stories of ``queryset`` that come after ``oldest`` (pk, publication time) in the newest-first order.

    The bound on the time alone lets the database start its walk there; the same instant is settled by the id.
    It is a BETWEEN for the reason published_on_days() gives: beside "up to now", SQLite walked from now.
    """
    pk, published_at = oldest
    return queryset.filter(published_at__range=(newsroom_midnight(datetime.date.min), published_at)).exclude(
        published_at=published_at, pk__gte=pk
    )


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _text_search_query(words, config):
    """Every word, stemmed by PostgreSQL. In Arabic each word also matches as its bare form and its form with «ال»:
    the arabic stemmer often stems them differently («انتخابات» gives انتخابا, «الانتخابات» انتخاب; «مياه» ميا,
    «المياه» مياه) and leaves a letter joined before the article («والمياه» والمي), while readers type any of
    them for what stories print in another."""
    query = None
    for word in words:
        term = SearchQuery(word, config=config, search_type="plain")
        if config == "arabic":
            bare = without_article(word)
            for other in sorted({bare, f"ال{bare}"} - {word}):
                term |= SearchQuery(other, config=config, search_type="plain")
        query = term if query is None else query & term
    return query


def _anywhere(word, prefix="search_documents__"):
    return (
        Q(**{f"{prefix}headline__contains": word})
        | Q(**{f"{prefix}summary__contains": word})
        | Q(**{f"{prefix}body__contains": word})
    )


# SQLite: a trigram full-text index (FTS5) mirrors the search documents (migration 0015, kept in step by triggers),
# so a substring is found from the index rather than by reading every document: at 100,000 articles one search
# read 300 MB of text, twice per admin page. A trigram index finds words of three letters or more; shorter ones,
# and databases whose SQLite lacks FTS5 (the migration then makes no index), still read the documents.
TRIGRAM_INDEX = "articles_searchdocument_fts"
TRIGRAM_MATCH = "SELECT rowid FROM articles_searchdocument_fts WHERE articles_searchdocument_fts MATCH %s"
_trigram_index_in = {}


def _holding_every(words, prefix="search_documents__", using="default", walk_archive=False):
    """A condition: the search document (through ``prefix``) holds every word, each anywhere, as a substring.

    ``walk_archive``: the words are common (see _common()), so SQLite should walk the stories in the query's order
    and check each against the index's matches, rather than start from the matches.
    """
    indexed = _indexed(words, using)
    condition = Q()
    if indexed:
        documents = RawSQL(TRIGRAM_MATCH, [_trigram_match(indexed)])  # noqa: S611 (fixed SQL; words as a parameter)
        if walk_archive:
            # The unary + keeps SQLite from looking documents up by the matches' ids: it tests each one instead.
            document = Func(F(f"{prefix}id"), template="+%(expressions)s", output_field=IntegerField())
            condition &= Q(In(document, documents))
        else:
            condition &= Q(**{f"{prefix}id__in": documents})
    for word in words:
        if word not in indexed:
            condition &= _anywhere(word, prefix)
    return condition


def _indexed(words, using):
    """The words the trigram index can find (three letters or more), if the database has the index."""
    return [word for word in words if len(word) >= 3] if _has_trigram_index(using) else []


def _trigram_match(words):
    # Each word a quoted FTS5 phrase ("" escapes a quote): with the trigram tokenizer, a substring match.
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


# SQLite cannot tell a common word from a rare one: it always started from the index's matches, looked each story up
# and sorted them, 13,000 for «الحكومة» at 100,000 stories (45 ms, growing with the archive). For words in this
# many documents or more it walks the archive newest first instead, checking each story against the matches, and
# stops at the newest RANKED_MATCHES (7 ms); for rarer words starting from the matches stays cheaper (a word in no
# story would have the walk read the whole archive). PostgreSQL makes this choice itself, from its statistics.
COMMON_MATCHES = 2000


def _common(words, using):
    """Whether the trigram index holds COMMON_MATCHES documents or more with all these words: one short count."""
    indexed = _indexed(words, using)
    if not indexed:
        return False
    counted = f"SELECT count(*) FROM ({TRIGRAM_MATCH} LIMIT %s)"  # noqa: S608 (fixed SQL, parameters apart)
    with connections[using].cursor() as cursor:
        cursor.execute(counted, [_trigram_match(indexed), COMMON_MATCHES])
        return cursor.fetchone()[0] >= COMMON_MATCHES


def _has_trigram_index(using):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    key = (using, str(connection.settings_dict["NAME"]))
    if key not in _trigram_index_in:
        _trigram_index_in[key] = TRIGRAM_INDEX in connection.introspection.table_names()
    return _trigram_index_in[key]


def matching_pks(model, text):
    """The admin's search: ids of the articles (any edition, any status) or photos holding every word."""
    words = substring_terms(text)
    if model is Photo:
        documents = PhotoSearchDocument.objects.all()
        for word in words:
            documents = documents.filter(text__contains=word)
        return documents.values("photo_id")
    return SearchDocument.objects.filter(_holding_every(words, prefix="")).values("article_id")


class NormalisedSearchMixin:
    """The admin's search box (and the autocompletes built on it) finds every spelling of a word.

    Substring matching over the normalised index, on both backends: editors look for a headline they half
    remember, not for ranked results.
    """

    def get_search_results(self, request, queryset, search_term):
        if not query_words(search_term):
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(pk__in=matching_pks(self.model, search_term)), False


# Highlighting


def _matches(normalised, positions, text, words):
    """(start, end) ranges of the original text where any word matches, merged and in order."""
    spans = []
    for word in set(words):
        start = normalised.find(word)
        while start != -1:
            end = positions[start + len(word) - 1] + 1
            # The marks on the last letter belong inside the highlight, or the letter loses them.
            while end < len(text) and not _fold(text[end]):
                end += 1
            spans.append((positions[start], end))
            start = normalised.find(word, start + len(word))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text, spans, start=0, end=None):
    end = len(text) if end is None else end
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces += [escape(text[cursor:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    return "".join(pieces)


def highlight(text, words):
    """The whole text, HTML-escaped, with every match of ``words`` (normalised) wrapped in <mark>."""
    normalised, positions = fold_with_positions(text)
    return mark_safe(_marked(text, _matches(normalised, positions, text, words)))


def excerpt(text, words, length=220):
    """A short passage of ``text`` around its first match, matches marked, everything else escaped.

    Returns "" when no word occurs in it. Cut at spaces, with an ellipsis where the text goes on.
    """
    normalised, positions = fold_with_positions(text)
    spans = _matches(normalised, positions, text, words)
    if not spans:
        return ""
    first = spans[0][0]
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space != -1 else end
    return mark_safe(
        ("… " if start else "") + _marked(text, spans, start, end) + (" …" if end < len(text) else "")
    )


def add_snippets(articles, text):
    """Give each found article ``search_headline`` and ``search_snippet`` (from its summary or body) to show.

    Computed in Python for the page's few results, from the text readers see, so both backends print the
    same. The articles carry their body as ``search_body`` (see SearchForm.results()).
    """
    # The words as typed, and without their «ال»: overlapping matches merge, so «الأسد» is marked whole.
    words = {*query_words(text), *substring_terms(text)}
    for article in articles:
        article.search_headline = highlight(article.headline, words)
        body = plain_text(article.search_body)
        article.search_snippet = (
            excerpt(article.summary or "", words) or excerpt(body, words)
            or escape(article.summary or body[:220])
        )
    return articles


# The public search page's form


class SearchForm(forms.Form):
    """The reader's search: words, and optionally a section and a date range (GET /search/)."""

    q = forms.CharField(
        label=_("Search for"), required=False, max_length=MAX_QUERY_LENGTH, strip=True,
        error_messages={"max_length": _("The search is too long: use at most %(limit_value)d characters.")},
        widget=forms.TextInput(attrs={"type": "search", "dir": "auto", "autocomplete": "off"}),
    )
    section = forms.ModelChoiceField(
        label=_("Section"), queryset=Section.objects.all(), to_field_name="slug", required=False,
        empty_label=_("All sections"),
        error_messages={"invalid_choice": _("There is no such section.")},
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as year-month-day, for example 2024-03-15.")},
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as year-month-day, for example 2024-03-15.")},
    )

    # "from" is a Python keyword, so the date fields are named date_from/date_to here and from/to in the address.
    PARAMETER_NAMES = {"date_from": "from", "date_to": "to"}

    # The next window of results (search_articles()): "<publication time in µs since 1970>.<id>" of the last story
    # of the window before. Never typed or shown in the form: a new search starts from the newest again.
    before = forms.RegexField(
        regex=r"^-?[0-9]{1,17}\.[0-9]{1,18}$", required=False, widget=forms.HiddenInput,
        error_messages={"invalid": _("This link to older results is damaged: search again.")},
    )

    oldest = None

    def add_prefix(self, field_name):
        return self.PARAMETER_NAMES.get(field_name, field_name)

    def clean_q(self):
        text = self.cleaned_data["q"]
        if len(all_query_words(text)) > MAX_QUERY_WORDS:
            raise ValidationError(
                _("The search has too many words: use at most %(limit)d."), code="too_many_words",
                params={"limit": MAX_QUERY_WORDS},
            )
        return text

    def clean_before(self):
        value = self.cleaned_data["before"]
        if not value:
            return None
        microseconds, pk = value.split(".")
        try:
            published_at = EPOCH + datetime.timedelta(microseconds=int(microseconds))
        except OverflowError:  # past the year 9999
            raise ValidationError(self.fields["before"].error_messages["invalid"], code="invalid") from None
        return int(pk), published_at

    @property
    def older_from(self):
        """When the oldest story shown was published, if older ones match too (the next window starts there)."""
        return self.oldest[1] if self.oldest else None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        return cleaned

    def has_query(self):
        return self.is_valid() and bool(query_words(self.cleaned_data["q"]))

    def results(self, articles):
        """The reader-visible ``articles`` matching the form, best first; call only when has_query().

        Sets ``oldest`` (see search_articles()). The filters narrow the stories before the newest are taken, so a
        date range reaches back to any year.
        """
        language = get_language()
        if section := self.cleaned_data["section"]:
            articles = articles.filter(section=section)
        # Days in the newsroom's time zone, as the date archive counts them (published_on_days(); newsroom_midnight()
        # takes date.min, the open start of a range given only its last day, as the calendar's first day).
        start, end = self.cleaned_data["date_from"], self.cleaned_data["date_to"]
        if end:
            articles = articles.published_on_days(start or datetime.date.min, end)
        elif start:
            articles = articles.filter(published_at__gte=newsroom_midnight(start))
        if before := self.cleaned_data["before"]:
            articles = older_than(articles, before)
        found, self.oldest = search_articles(articles, self.cleaned_data["q"], language)
        # The body, which listings leave behind, for the snippets: in the same query.
        return found.annotate(search_body=F(f"body_{language}"))

    def older_search(self):
        """The query string of the next, older window of results, or None when there is none."""
        if self.oldest is None:
            return None
        pk, published_at = self.oldest
        cleaned = self.cleaned_data
        params = QueryDict(mutable=True)
        params["q"] = cleaned["q"]
        if cleaned["section"]:
            params["section"] = cleaned["section"].slug
        for name in ("date_from", "date_to"):
            if cleaned[name]:
                params[self.add_prefix(name)] = cleaned[name].isoformat()
        params["before"] = f"{(published_at - EPOCH) // datetime.timedelta(microseconds=1)}.{pk}"
        return params.urlencode()


# Keeping the index current. The receivers live here rather than in signals.py so the index's whole life is in
# one module; they follow every save of an article's, photo's or photographer's text, from the admin, a command,
# an importer or a restored revision (a raw save) alike, inside the save's transaction, so the index never
# disagrees with what was committed.


@receiver(post_save, sender=Article, dispatch_uid="article_search_index")
def refresh_article_search_index(sender, instance, update_fields=None, using="default", **kwargs):
    if touches(update_fields, ARTICLE_TEXT_FIELDS):
        index_articles([instance], using=using)


@receiver(post_save, sender=Photo, dispatch_uid="photo_search_index")
def refresh_photo_search_index(sender, instance, update_fields=None, using="default", **kwargs):
    if touches(update_fields, PHOTO_TEXT_FIELDS):
        index_photos([instance], using=using)


@receiver(post_save, sender=Person, dispatch_uid="photographer_search_index")
def refresh_credited_photos_search_index(sender, instance, created=False, update_fields=None, using="default",
                                         **kwargs):
    # The library is searched by the photographer's name too; a new person has no photos yet.
    if not created and touches(update_fields, ("name",)):
        index_photos(instance.credited_photos.select_related("credit_person"), using=using)
