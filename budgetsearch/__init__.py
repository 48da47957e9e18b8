"""budgetsearch: full-text and structured search over Chinese budget disclosures.

The stages live in the repository's top-level folders (indexer/, search/, web/) and are
installed as budgetsearch.indexer, budgetsearch.search and budgetsearch.web.
"""
