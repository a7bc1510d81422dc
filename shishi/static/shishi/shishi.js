// Confirmation before destructive actions: <form data-confirm="确定……？">.
// Kept in a file (no inline script) so the Content-Security-Policy can forbid inline code.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A form that came back with errors: bring its error summary (includes/form.html) into
// view and give it the focus, so the first thing seen and read out is what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }
});

// A refused htmx request (429: too many attempts) still shows its message where the
// answer would have gone, instead of nothing happening.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 429) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
