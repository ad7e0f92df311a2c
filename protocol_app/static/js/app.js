// Progressive enhancement only: every page works without this file.
// Forms marked data-confirm ask before a destructive action is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
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
