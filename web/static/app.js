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
    if (!line) { return; }
    document.querySelectorAll(".line.target").forEach(function (el) { el.classList.remove("target"); });
    line.classList.add("target");
    line.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", showTarget);
  if (document.body.classList.contains("viewer")) { showTarget(); }

  // "/" focuses the search box, as on most search sites.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) { return; }
    var box = document.querySelector("input[type=search]");
    if (box) { event.preventDefault(); box.focus(); }
  });
})();
