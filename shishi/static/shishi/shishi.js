// Confirmation before destructive actions: <form data-confirm="确定……？">.
// Kept in a file (no inline script) so the Content-Security-Policy can forbid inline code.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Long pickers (units, categories): <select data-searchable="placeholder"> gets a filter box
// above it; typing keeps only the options whose text contains what was typed (chosen ones
// always stay). Options are taken out and put back rather than hidden, which every browser
// honours, phones included. Also runs on content htmx loads.
(function () {
  function snapshot(select) {
    return Array.prototype.map.call(select.children, function (node) {
      if (node.tagName === "OPTGROUP") {
        return { group: node, options: Array.prototype.slice.call(node.children) };
      }
      return { option: node };
    });
  }

  function apply(select, items, text) {
    var words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    // Read the choice first: taking a chosen option out makes the browser choose another.
    var chosen = {};
    Array.prototype.forEach.call(select.selectedOptions, function (option) {
      chosen[option.value] = true;
    });
    // An option matches by its own text and its group's (分类: "城乡建设" finds its children).
    function keep(option, group) {
      if (chosen[option.value] || option.value === "") return true;
      var label = ((group ? group.label + " " : "") + option.textContent).toLowerCase();
      return words.every(function (word) { return label.indexOf(word) !== -1; });
    }
    function put(parent, option) {
      parent.appendChild(option);
      option.selected = Boolean(chosen[option.value]);
      if (option.value !== "") shown += 1;
    }
    while (select.firstChild) select.removeChild(select.firstChild);
    items.forEach(function (item) {
      if (item.option) {
        if (keep(item.option)) put(select, item.option);
        return;
      }
      while (item.group.firstChild) item.group.removeChild(item.group.firstChild);
      item.options.forEach(function (option) {
        if (keep(option, item.group)) put(item.group, option);
      });
      if (item.group.children.length) select.appendChild(item.group);
    });
    return shown;
  }

  function enhance(root) {
    var selects = (root.querySelectorAll ? root : document).querySelectorAll("select[data-searchable]");
    Array.prototype.forEach.call(selects, function (select) {
      if (select.dataset.searchableReady) return;
      select.dataset.searchableReady = "1";
      var items = snapshot(select);
      var box = document.createElement("input");
      box.type = "search";
      box.className = "form-control form-control-sm mb-1";
      box.placeholder = select.getAttribute("data-searchable") || "输入文字筛选";
      box.setAttribute("aria-label", box.placeholder);
      box.setAttribute("aria-controls", select.id);
      box.autocomplete = "off";
      select.parentNode.insertBefore(box, select);
      box.addEventListener("input", function () {
        var shown = apply(select, items, box.value);
        select.classList.toggle("is-invalid", shown === 0 && box.value.trim() !== "");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();

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
