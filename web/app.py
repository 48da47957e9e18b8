"""Flask app factory: thin routes over web/backend.py (reading) and web/pages.py (showing).

Every page is a GET URL; the search page, its JSON and its CSV read the same parameters.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlencode
from itertools import chain
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup
from flask import Flask, Response, abort, jsonify, render_template, request, send_file
from flask import stream_with_context, url_for
from werkzeug.exceptions import HTTPException

from budgetsearch.web.backend import Backend, DocumentReader, IndexBackend, InvalidQuery, NotInCorpus
from budgetsearch.web.backend import AllHits, iter_all_hits
from budgetsearch.web.batch import MAX_BATCH_BYTES, MAX_TERMS, BatchError, batch_csv_lines, batch_rows, read_terms
from budgetsearch.web.chart import bar_chart, compare_rows
from budgetsearch.web.export import CSV_MAX_ROWS, csv_lines
from budgetsearch.web.pages import home_context, search_context, viewer_context
from budgetsearch.web.views import (
    FACET_PARAMS, ParamError, clean_params, error_in_chinese, first, format_amount,
    query_string, region_label, region_parents, source_url,
)
from budgetsearch.search.render import printable

# The compare page sums at most this many projects and says so when it stops there (the
# CSV has every row).
COMPARE_MAX_ROWS = 100_000
# Index ids are generated (slugs or hashes); anything else in the URL is not one of ours.
DOC_ID = re.compile(r"^[\w.\-]{1,200}$")
# No inline script or style anywhere: a document's text can never become code.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _default_segmenter() -> Callable[[str], Iterable[str]]:
    def segment(text: str) -> Iterable[str]:
        import jieba

        return jieba.cut_for_search(text)
    return segment


def create_app(index_dir: Path, corpus_dir: Path, backend: Backend | None = None,
               reader: DocumentReader | None = None,
               segment: Callable[[str], Iterable[str]] | None = None,
               index_errors: Sequence[str] = ()) -> Flask:
    """The web app over one index and the corpus it was built from.

    `backend`, `reader` and `segment` replace the index, the file parser and the Chinese
    segmenter (tests pass fakes); by default they are the real ones. `index_errors` are the
    files the last index run could not read ("path: cause"), listed on the home page.
    """
    app = Flask(__name__)
    # Every value printed into a page goes through here: control bytes of a document (NUL,
    # ESC) are shown as escapes, never written raw.
    app.jinja_env.finalize = _visible
    app.config["INDEX_ERRORS"] = list(index_errors)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config["BACKEND"] = backend or IndexBackend(Path(index_dir))
    app.config["READER"] = reader or DocumentReader(Path(corpus_dir))
    app.config["SEGMENT"] = segment if segment is not None else _default_segmenter()
    _register_pages(app)
    _register_api(app)
    _register_errors(app)
    app.after_request(_security_headers)
    return app


def _visible(value: Any) -> Any:
    if isinstance(value, Markup):
        return Markup(printable(str(value)))
    if isinstance(value, str):
        return printable(value)
    return value


def _backend() -> Backend:
    from flask import current_app

    return current_app.config["BACKEND"]


def _reader() -> DocumentReader:
    from flask import current_app

    return current_app.config["READER"]


def _params() -> dict[str, list[str]]:
    return clean_params(request.args.to_dict(flat=False))


def _document(doc_id: str) -> dict[str, Any]:
    if not DOC_ID.match(doc_id):
        abort(404, description="没有这个文档")
    doc = _backend().document(doc_id)
    if not doc:
        abort(404, description="没有这个文档")
    return doc


def _indexed_path(doc_id: str) -> str | None:
    """Where the index read the document from (None from a backend that does not know:
    the file is then looked up in the corpus folder)."""
    source = getattr(_backend(), "source", None)
    return source(doc_id) if callable(source) else None


def _parents() -> dict[str, str]:
    try:
        return region_parents(_backend().documents())
    except Exception:  # the region tree degrades to flat lists; the search still answers
        return {}


def _register_pages(app: Flask) -> None:
    @app.get("/")
    def home() -> str:
        try:
            documents = _backend().documents()
        except Exception:
            documents = []
        return render_template("home.html", **home_context(documents),
                               index_errors=app.config["INDEX_ERRORS"])

    @app.get("/search")
    def search_page() -> Any:
        params = _params()
        if not first(params, "q") and not any(k in params for k in FACET_PARAMS):
            return app.redirect(url_for("home"))
        result = _backend().search(params)
        context = search_context(params, result, _parents(), request.script_root)
        return render_template("search.html", **context)

    @app.get("/doc/<doc_id>")
    def doc_page(doc_id: str) -> str:
        doc = _document(doc_id)
        lines = _reader().lines(str(doc.get("path") or ""), _indexed_path(doc_id))
        q = request.args.get("q", "")[:200]
        context = viewer_context(doc, lines, q, request.args.get("lines", "")[:40],
                                 app.config["SEGMENT"], request.args.get("part", "")[:8])
        return render_template("doc.html", **context)

    @app.get("/doc/<doc_id>/raw")
    def doc_raw(doc_id: str) -> Response:
        doc = _document(doc_id)
        path = _reader().resolve(str(doc.get("path") or ""), _indexed_path(doc_id))
        is_pdf = path.suffix.lower() == ".pdf"
        # Only PDFs open in the browser (so #page=N works); any other file is downloaded,
        # never rendered as a page of this site.
        response = send_file(path, mimetype="application/pdf" if is_pdf else
                             "application/octet-stream",
                             as_attachment=not is_pdf or "download" in request.args,
                             download_name=path.name)
        response.headers["Content-Security-Policy"] = "sandbox"
        return response

    @app.get("/compare")
    def compare_page() -> Any:
        params = _params()
        if not first(params, "q") and not any(k in params for k in FACET_PARAMS):
            return app.redirect(url_for("home"))
        params = {**params, "type": ["project"]}
        all_hits = AllHits(_backend(), params, limit=COMPARE_MAX_ROWS)
        hits = list(all_hits)
        rows = compare_rows(hits)
        prefix = request.script_root
        return render_template(
            "compare.html", q=first(params, "q"), params=params, rows=rows,
            chart=bar_chart(rows), hits=hits, total=len(hits), cut_note=all_hits.cut_note(),
            amount_sum=sum(float(h.get("amount") or 0) for h in hits),
            query=query_string(params, page=None, per_page=None),
            search_query=query_string(params, page=None),
            min_amount=first(params, "min_amount"), max_amount=first(params, "max_amount"),
            hidden=[(k, v) for k in FACET_PARAMS for v in params.get(k, [])],
            source_url=lambda h: source_url(h, first(params, "q"), prefix),
            region_label=region_label,
        )


    @app.route("/batch", methods=["GET", "POST"])
    def batch_page() -> Any:
        # A posted form carries its filters in the body, a shared link in the URL.
        params = clean_params({**request.args.to_dict(flat=False),
                               **request.form.to_dict(flat=False)})
        filters = {k: v for k, v in params.items() if k in FACET_PARAMS or k.endswith("_amount")}
        text = request.form.get("terms", "") if request.method == "POST" else \
            request.args.get("terms", "")
        upload = request.files.get("file") if request.method == "POST" else None
        rows, error, terms = [], "", []
        try:
            data = upload.read(MAX_BATCH_BYTES + 1) if upload and upload.filename else None
            if data is not None or text.strip():
                terms = read_terms(data if data is not None else text)
                rows = batch_rows(_backend(), terms, filters)
        except BatchError as exc:
            error = str(exc)
        for row in rows:
            row.error = error_in_chinese(row.error) if row.error else ""
        return render_template(
            "batch.html", rows=rows, error=error, max_terms=MAX_TERMS,
            terms_text="\n".join(terms) if terms else text[:MAX_BATCH_BYTES],
            hidden=[(k, v) for k in FACET_PARAMS for v in params.get(k, [])],
            csv_query=query_string(filters) + ("&" if filters else "") +
            urlencode({"terms": "\n".join(terms)}),
            format_amount=format_amount)


def _register_api(app: Flask) -> None:
    @app.get("/api/search")
    def api_search() -> Response:
        params = _params()
        result = _backend().search(params)
        prefix = request.url_root.rstrip("/")
        q = first(params, "q")
        for hit in result.get("hits") or []:
            hit.setdefault("source", {})["url"] = source_url(hit, q, prefix)
        return jsonify(result)

    @app.get("/api/search.csv")
    def api_search_csv() -> Response:
        params = _params()
        result_type = first(params, "type", "project")
        hits = AllHits(_backend(), params, limit=CSV_MAX_ROWS)
        it = iter(hits)
        head = next(it, None)  # a bad query fails here, before the 200 is sent
        rows: Iterator[dict[str, Any]] = chain([head] if head else [], it)
        body = csv_lines(rows, result_type, first(params, "q"), request.url_root.rstrip("/"),
                         ending=hits.cut_note)
        response = Response(stream_with_context(body), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = \
            f'attachment; filename="budgetsearch-{result_type}.csv"'
        return response

    @app.get("/api/batch.csv")
    def api_batch_csv() -> Response:
        params = _params()
        filters = {k: v for k, v in params.items() if k in FACET_PARAMS or k.endswith("_amount")}
        terms = read_terms(request.args.get("terms", ""))
        body = batch_csv_lines(batch_rows(_backend(), terms, filters),
                               request.url_root.rstrip("/"))
        response = Response(body, mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = 'attachment; filename="budgetsearch-batch.csv"'
        return response

    @app.get("/api/doc/<doc_id>")
    def api_doc(doc_id: str) -> Response:
        return jsonify(_document(doc_id))

    @app.get("/api/documents")
    def api_documents() -> Response:
        return jsonify(_backend().documents())

    @app.get("/api/compare")
    def api_compare() -> Response:
        params = {**_params(), "type": ["project"]}
        rows = compare_rows(iter_all_hits(_backend(), params, limit=COMPARE_MAX_ROWS))
        return jsonify([{"region": r.region, "region_full": r.region_full, "year": r.year,
                         "projects": r.count, "amount": round(r.amount, 2),
                         "unknown_amounts": r.unknown_amounts} for r in rows])


def _register_errors(app: Flask) -> None:
    def error(status: int, message: str) -> tuple[Any, int]:
        if request.path.startswith("/api/"):
            return jsonify({"error": message, "status": status}), status
        return render_template("error.html", status=status, message=message), status

    @app.errorhandler(ParamError)
    @app.errorhandler(InvalidQuery)
    @app.errorhandler(BatchError)
    def bad_request(exc: Exception) -> tuple[Any, int]:
        message = str(exc)
        return error(400, message if request.path.startswith("/api/")
                     else error_in_chinese(message))

    @app.errorhandler(NotInCorpus)
    def not_in_corpus(exc: Exception) -> tuple[Any, int]:
        return error(404, "该文档的文件不在语料目录中")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Any, int]:
        messages = {404: "页面不存在", 405: "不支持该请求方法", 400: "请求参数有误"}
        code = exc.code or 500
        description = exc.description if exc.description and \
            not exc.description.startswith(("The requested URL", "The method", "The browser")) \
            else messages.get(code, "请求出错")
        return error(code, description)

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> tuple[Any, int]:
        app.logger.exception("unhandled error on %s", request.path)
        return error(500, "服务器内部错误：已记录，请稍后再试")


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response
