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

// A recommendation posted from the form has its own address, its permalink: put it in the
// address bar, so reloading does not ask to resubmit and copying the address shares the result.
// Without JavaScript the page says the address and links it.
(function () {
  var result = document.querySelector("[data-permalink]");
  if (!result || !window.history || !history.replaceState) return;
  var permalink = result.getAttribute("data-permalink");
  if (permalink && location.pathname + location.search !== permalink) {
    history.replaceState(null, "", permalink);
  }
})();

// Section links for team docs: with each heading's `#` link, a button that copies a Markdown
// link `[Page — Section](url)` to the section, using the page's canonical address. Without
// JavaScript or the Clipboard API the `#` link is still there to copy by hand. The button goes
// before the `#` link and is hidden until the heading is hovered or focused (style.css), so Tab
// stops once per heading, at the `#` link, and Shift+Tab from there reaches the button.
(function () {
  var anchors = document.querySelectorAll("main a.anchor[href^='#']");
  if (!anchors.length || !navigator.clipboard || !navigator.clipboard.writeText) return;
  var canonical = document.querySelector("link[rel='canonical']");
  var base = (canonical ? canonical.href : location.href).split("#")[0];
  var h1 = document.querySelector("main h1");
  var page = (h1 ? h1.textContent : document.title).trim();
  var status = document.createElement("p");
  status.className = "copy-status";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  var timer;
  function show(message) {
    status.textContent = message;
    clearTimeout(timer);
    timer = setTimeout(function () { status.textContent = ""; }, 8000);
  }
  function escapeLabel(text) {
    return text.replace(/[\[\]\\]/g, "\\$&");
  }
  anchors.forEach(function (anchor) {
    var heading = anchor.parentElement;
    var section = heading.textContent.slice(0, -anchor.textContent.length).trim();
    var url = base + anchor.getAttribute("href");
    var markdown = "[" + escapeLabel(page + " — " + section) + "](" + url + ")";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link heading-copy";
    button.textContent = "Copy link";
    // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
    button.setAttribute("aria-label", "Copy link to the section: " + section);
    button.title = "Copy a Markdown link to this section";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(markdown).then(
        function () { show("Copied: " + markdown); },
        function () { show("Copy this link: " + markdown); }
      );
    });
    anchor.before(button);
  });
})();

// Share links (a team decision's): a "Copy link" button beside each, using the Clipboard API.
// Without JavaScript the link itself is there to copy.
(function () {
  var links = document.querySelectorAll("a[data-copy]");
  if (!links.length || !navigator.clipboard || !navigator.clipboard.writeText) return;
  links.forEach(function (link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.textContent = "Copy link";
    button.setAttribute("aria-label", "Copy link: " + link.getAttribute("data-copy"));
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.getAttribute("data-copy")).then(
        function () { status.textContent = "Copied"; },
        function () { status.textContent = "Copy the link by hand"; }
      );
    });
    link.after(" ", button, status);
  });
})();

// A "Copy code" button for each code block, on its label line (Django, Flask) or above it;
// without JavaScript or the Clipboard API the code is there to select by hand. A block may
// name its own button (`data-copy-label`, e.g. a team page's "Copy Markdown").
(function () {
  var blocks = document.querySelectorAll("main pre.code");
  if (!blocks.length || !navigator.clipboard || !navigator.clipboard.writeText) return;
  var status = document.querySelector("body > .copy-status");
  if (!status) {
    status = document.createElement("p");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    document.body.appendChild(status);
  }
  var timer;
  function show(message) {
    status.textContent = message;
    clearTimeout(timer);
    timer = setTimeout(function () { status.textContent = ""; }, 4000);
  }
  blocks.forEach(function (pre, i) {
    var code = pre.querySelector("code") || pre;
    var name = pre.getAttribute("aria-label") || "code block " + (i + 1);
    var text = pre.getAttribute("data-copy-label") || "Copy code";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = text;
    button.setAttribute("aria-label", text + ": " + name);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(
        function () { show("Copied the code: " + name); },
        function () { show("Could not copy: select the code and copy it by hand"); }
      );
    });
    var label = pre.previousElementSibling;
    if (label && label.classList.contains("code-label")) {
      label.appendChild(button);
    } else {
      var tools = document.createElement("div");
      tools.className = "code-tools";
      tools.appendChild(button);
      pre.before(tools);
    }
  });
})();
