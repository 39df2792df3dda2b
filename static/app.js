// versus: progressive enhancement only. Every page works without this file.
"use strict";

// Error summary links move focus to the field they name (GOV.UK pattern), and the summary
// itself takes focus when the page loads, so screen readers announce the problem first.
(function () {
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    var fieldset = input.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    (legend || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();
