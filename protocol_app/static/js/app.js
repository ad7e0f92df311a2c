// Progressive enhancement only: every page works without this file.
// On a phone a table is laid out as cards (app.css): each cell shows its column's name, copied
// here from the table's header (without script the table keeps its columns in a scroll region).
document.querySelectorAll("main table.table").forEach(function (table) {
  var names = Array.prototype.map.call(table.querySelectorAll(":scope > thead > tr:last-child > th"),
                                       function (th) { return th.textContent.replace(/[\u25b2\u25bc]/g, "").trim(); });
  table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr").forEach(function (row) {
    var column = 0;
    Array.prototype.forEach.call(row.children, function (cell) {
      if (names[column] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[column]);
      column += cell.colSpan || 1;
    });
  });
});
// On a phone a list's filters start folded (unless one is set): the list comes first.
if (window.matchMedia && window.matchMedia("(max-width: 767.98px)").matches) {
  document.querySelectorAll("details[data-fold-on-phone]:not([data-active])").forEach(function (panel) {
    panel.open = false;
  });
}
// Forms marked data-confirm ask before a destructive action is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  // A step button may ask on its own (a destructive step among others in one form).
  var question = (event.submitter && event.submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// Buttons marked data-busy show progress and cannot be sent twice.
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) { return; }
  var buttons = event.target.querySelectorAll("[data-busy]");
  buttons.forEach(function (button) {
    button.disabled = true;
    button.textContent = button.getAttribute("data-busy");
  });
});
// A refused form: the focus goes to the summary of what to correct, so that a screen reader
// reads it and a keyboard user can jump from it to each field (WCAG 3.3.1).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
});

// A busy day of the month view: "+ n more" fetches the day's entries into its cell (without
// script the link opens the day's page).
document.addEventListener("click", function (event) {
  var more = event.target.closest("[data-day-more]");
  if (!more) return;
  event.preventDefault();
  more.setAttribute("aria-busy", "true");
  fetch(more.href, {headers: {"X-Requested-With": "fetch"}, credentials: "same-origin"})
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    })
    .then(function (html) {
      var cell = more.closest(".calendar-day");
      cell.querySelector(".calendar-day-entries").innerHTML = html;
      cell.classList.add("calendar-day-expanded");
      var first = cell.querySelectorAll(".calendar-entry")[3];
      more.remove();
      if (first) first.focus();
    })
    .catch(function () { window.location = more.href; });
});

// Search results: arrow keys move between the hits; "/" (outside a field) goes to the search box.
document.addEventListener("keydown", function (event) {
  var hits = Array.prototype.slice.call(document.querySelectorAll("[data-search-hit]"));
  var box = document.getElementById("global-q");
  var inField = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
  if (event.key === "/" && box && !inField) {
    event.preventDefault();
    box.focus();
    return;
  }
  if (!hits.length || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
  var at = hits.indexOf(document.activeElement);
  if (at === -1 && inField && document.activeElement.type !== "search") return;
  event.preventDefault();
  var next = event.key === "ArrowDown" ? Math.min(at + 1, hits.length - 1) : Math.max(at - 1, 0);
  hits[next].focus();
});

// A print button on a printable page (the page itself carries no script).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print]") : null;
  if (button) {
    window.print();
  }
});

// A request for interpreters: the team size field says what the AIIC rule (the server's) proposes
// for the mode and times typed so far (without script it says so once the form is sent).
(function () {
  var needed = document.querySelector("[data-team-size]");
  if (!needed || !needed.form) return;
  var form = needed.form;
  var help = document.getElementById(needed.id + "-help");
  if (help) help.setAttribute("aria-live", "polite");
  var pending;
  function propose() {
    var params = new URLSearchParams();
    ["mode", "starts_at", "ends_at"].forEach(function (name) {
      if (form.elements[name]) params.set(name, form.elements[name].value);
    });
    fetch(needed.dataset.teamSize + "?" + params.toString(), {credentials: "same-origin"})
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (answer) {
        needed.placeholder = answer.needed;
        if (help) help.textContent = answer.message;
      })
      .catch(function () { /* the proposal stays as the page gave it */ });
  }
  ["mode", "starts_at", "ends_at"].forEach(function (name) {
    var field = form.elements[name];
    if (!field) return;
    field.addEventListener("change", propose);
    field.addEventListener("input", function () { clearTimeout(pending); pending = setTimeout(propose, 300); });
  });
})();
