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

// Long text fields (core.forms.LongTextField): a live count under <textarea data-maxchars>,
// in characters as the server counts them (code points: an emoji is one), turning red with
// what to cut once past the limit. The browser's maxlength is not used: it counts emoji
// twice and cuts a pasted text short without a word.
(function () {
  function count(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length;
  }

  function enhance(root) {
    var areas = (root.querySelectorAll ? root : document).querySelectorAll("textarea[data-maxchars]");
    Array.prototype.forEach.call(areas, function (area) {
      if (area.dataset.counterReady) return;
      area.dataset.counterReady = "1";
      var most = parseInt(area.getAttribute("data-maxchars"), 10);
      var line = document.createElement("div");
      line.className = "form-text text-end";
      line.id = area.id + "_counter";
      line.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", line);
      var described = area.getAttribute("aria-describedby");
      area.setAttribute("aria-describedby", (described ? described + " " : "") + line.id);
      function update() {
        var used = count(area.value);
        var over = used - most;
        line.textContent = over > 0
          ? "已输入 " + used + " 字，超出 " + over + " 字，请精简"
          : "已输入 " + used + " / " + most + " 字";
        line.classList.toggle("text-danger", over > 0);
        line.classList.toggle("fw-semibold", over > 0);
      }
      area.addEventListener("input", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();

// Long text shown on a page (includes/long_text.html): folded to a few lines with 展开全文
// when it is long, so a 4,000-character complaint does not push the rest of the page away.
// Without JavaScript the whole text shows.
(function () {
  function enhance(root) {
    var blocks = (root.querySelectorAll ? root : document).querySelectorAll("[data-fold]");
    Array.prototype.forEach.call(blocks, function (block) {
      if (block.dataset.foldReady) return;
      block.dataset.foldReady = "1";
      block.classList.add("long-text-folded");
      if (block.scrollHeight <= block.clientHeight + 4) {
        block.classList.remove("long-text-folded");
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 long-text-toggle";
      button.textContent = "展开全文";
      button.setAttribute("aria-expanded", "false");
      if (block.id) button.setAttribute("aria-controls", block.id);
      button.addEventListener("click", function () {
        var folded = block.classList.toggle("long-text-folded");
        button.textContent = folded ? "展开全文" : "收起";
        button.setAttribute("aria-expanded", folded ? "false" : "true");
      });
      block.insertAdjacentElement("afterend", button);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();

// A table wider than the screen (.table-responsive on a phone) scrolls sideways: it takes
// the keyboard focus so arrow keys scroll it, and says what it is (WCAG 2.1.1).
(function () {
  function enhance(root) {
    var boxes = (root.querySelectorAll ? root : document).querySelectorAll(".table-responsive");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "表格（可左右滑动查看）");
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
