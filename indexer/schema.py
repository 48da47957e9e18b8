"""The index's fields: what each record holds and how tantivy keeps it.

Text is analysed by indexer.analysis, never by tantivy: fields hold our units separated by
spaces and tantivy's whitespace tokenizer gives them sequential positions, so phrases work.
A `GAP` token between paragraphs keeps a phrase from matching across them.
"""
from __future__ import annotations

import hashlib

import tantivy

RECORD_TYPES = ("project", "document", "passage")

# Field weights: a match in a project name or a document title says more about the record
# than one in its body text (the score of a field's match is multiplied by its weight).
TEXT_FIELDS = {"name": 4.0, "title": 3.0, "heading": 1.5, "body": 1.0}
# Where a multi-unit word is found whole (12345热线 as one word, not 12345 ... 热线): a
# bonus only, in the short fields where units rarely meet by chance.
WORD_FIELDS = {"name": "name_words", "title": "title_words", "heading": "heading_words"}
# The boilerplate glossary (名词解释), the same in every document, is body text scored at
# this fraction so it never outranks a passage about the query's real subject.
GLOSSARY_FIELD = "glossary"
GLOSSARY_WEIGHT = 0.15
# Body text (the bulk of the index) keeps no positions: a phrase in it is matched by the
# pairs of adjacent units it is made of, each indexed as one term (市长 热线 -> 市长~热线).
# A pair is one lookup where a phrase decodes the positions of both words in every record
# holding them, and the pairs cost less disk than positions. Pairs never span a gap
# token, so a phrase still never matches across paragraphs. A phrase of three or more
# units matches a record holding all its pairs (in practice, the phrase itself).
PAIRED_FIELDS = {"body": "body_pairs", GLOSSARY_FIELD: "glossary_pairs"}
PAIR_MARK = "~"  # never inside a unit: jieba keeps `~` out of words

# The text fields each record type has (indexer.records; a passage's glossary is body
# text): a query run on one type is compiled to these alone.
TEXT_FIELDS_OF = {"project": ("name", "name_words", "body"),
                  "document": ("title", "title_words", "body"),
                  "passage": ("heading", "heading_words", "body")}
# The record types that carry an amount (indexer.records: a passage has none).
AMOUNT_TYPES = ("project", "document")
# Facets on every record, in the order the CLI and the web page show them.
FACET_FIELDS = ("province", "city", "county", "department", "year", "kind", "project_type",
                "func_class", "amount_band", "checks")
# Facets a record type never has (indexer.records): not counted for it.
NOT_CARRIED = {"passage": ("project_type", "amount_band"), "document": ("project_type",)}
KEYWORD_FIELDS = ("rid", "rtype", "doc_id", "path_key",
                  *(f for f in FACET_FIELDS if f != "year"))
# Keywords only looked up, never counted or sorted on: no fast column (a column of 1.9
# million distinct record ids at 10,000 documents).
LOOKUP_FIELDS = ("rid", "doc_id", "path_key")
STORED_FIELDS = ("hit", "facts", "file")
# Stored compressed by us: a document's facts are read one document at a time.
COMPRESSED_FIELDS = ("facts",)
COMPRESS_LEVEL = 6

TOKENIZER = "units"
GAP = "|"  # never a unit: analysis keeps only words with a letter, digit or ideograph
MAX_TOKEN_BYTES = 4000


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, fast=name not in LOOKUP_FIELDS, tokenizer_name="raw",
                               index_option="basic")
    for name in (*TEXT_FIELDS, GLOSSARY_FIELD):
        builder.add_text_field(name, tokenizer_name=TOKENIZER,
                               index_option="freq" if name in PAIRED_FIELDS else "position")
    for name in (*WORD_FIELDS.values(), *PAIRED_FIELDS.values()):
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="freq")
    builder.add_integer_field("year", indexed=True, fast=True)
    # The record's place among its document's records: breaks ties between equal scores
    # the same way whichever segments the records landed in.
    builder.add_integer_field("seq", fast=True)
    # The document's id as a number (doc_number), readable as a fast field per hit.
    builder.add_integer_field("doc_no", fast=True)
    builder.add_float_field("amount", indexed=True, fast=True)
    for name in STORED_FIELDS:
        builder.add_bytes_field(name, stored=True)
    return builder.build()


SCHEMA = build_schema()


def pairs(units: list[str]) -> list[str]:
    """The pair terms of a run of units (see PAIRED_FIELDS); none across a gap token."""
    if GAP in units:
        return [f"{a}{PAIR_MARK}{b}" for a, b in zip(units, units[1:]) if GAP not in (a, b)]
    return list(map(PAIR_MARK.join, zip(units, units[1:])))


def doc_number(doc_id: str) -> int:
    """A stable 63-bit number for a document id."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(),
                          "big") >> 1
