// Confirmation before destructive actions: <form data-confirm="确定……？">.
// Kept in a file (no inline script) so the Content-Security-Policy can forbid inline code.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
