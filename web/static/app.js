// Small progressive enhancements; every feature also works without JavaScript.
(function () {
  "use strict";

  // Sort and page-size menus apply at once (the 应用 button does the same without JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Viewer: bring the target line to the middle of the screen and keep it marked.
  function showTarget() {
    var match = /^#L(\d+)$/.exec(window.location.hash);
    if (!match) { return; }
    var line = document.getElementById("L" + match[1]);
    var paged = document.querySelector("[data-part-lines]");
    if (!line && paged) {
      // A long document is shown in parts: open the part that holds the line.
      var size = parseInt(paged.getAttribute("data-part-lines"), 10);
      var params = new URLSearchParams(window.location.search);
      params.set("part", String(Math.floor((parseInt(match[1], 10) - 1) / size) + 1));
      window.location.replace("?" + params.toString() + window.location.hash);
      return;
    }
    if (!line) { return; }
    document.querySelectorAll(".line.target").forEach(function (el) { el.classList.remove("target"); });
    line.classList.add("target");
    line.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", showTarget);
  if (document.body.classList.contains("viewer")) { showTarget(); }

  // Phone: the facets start folded behind their button (wide screens show them always).
  var facets = document.getElementById("facets");
  if (facets && window.matchMedia("(max-width: 700px)").matches) { facets.open = false; }

  // "/" focuses the search box, as on most search sites.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) { return; }
    var box = document.querySelector("input[type=search]");
    if (box) { event.preventDefault(); box.focus(); }
  });
})();
