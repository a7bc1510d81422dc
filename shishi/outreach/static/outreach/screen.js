// 党史上的今天 screen: cycles the day's entries, asks the feed again every few minutes (and when
// the day changes), and keeps showing what it has when the server cannot be reached.
(function () {
  "use strict";
  var root = document.getElementById("screen");
  if (!root) return;
  var seconds = Math.max(parseInt(root.dataset.seconds, 10) || 12, 2);
  var refresh = Math.max(parseInt(root.dataset.refresh, 10) || 300, 10);
  var fixed = root.dataset.fixed === "1";
  var feedUrl = root.dataset.feed;
  var entryBox = root.querySelector(".screen-entry");
  var dateBox = root.querySelector(".screen-date");
  var dots = root.querySelector(".screen-dots");
  var status = root.querySelector(".screen-status");
  var feed = JSON.parse(document.getElementById("screen-feed").textContent);
  var index = 0;
  // A screen runs for weeks: reload the page now and then (new styles, no leaks), but only
  // right after the server answered, so an outage never leaves it blank.
  var RELOAD_AFTER = 6 * 3600 * 1000;
  var started = Date.now();

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Shrink the type until the entry fits the screen (long texts on a portrait screen).
  function fit() {
    var size = 100;
    entryBox.style.setProperty("--scale", "1");
    while (entryBox.scrollHeight > entryBox.clientHeight + 2 && size > 45) {
      size -= 5;
      entryBox.style.setProperty("--scale", String(size / 100));
    }
  }

  // A day without entries shows the next day that has some, marked 近日.
  function shown() {
    if ((feed.entries || []).length || !feed.next) return { entries: feed.entries || [], label: feed.label, note: "" };
    return { entries: feed.next.entries || [], label: feed.next.label, note: "（近日）" };
  }

  function show() {
    var day = shown();
    var entries = day.entries;
    dateBox.textContent = feed.label;
    entryBox.replaceChildren();
    if (!entries.length) {
      entryBox.appendChild(el("h1", "screen-title", "今日暂无条目"));
      dots.replaceChildren();
      return;
    }
    index = index % entries.length;
    var entry = entries[index];
    entryBox.dataset.entry = String(entry.id);
    entryBox.appendChild(el("div", "screen-year", entry.year + "年" + day.label + day.note));
    entryBox.appendChild(el("h1", "screen-title", entry.title));
    var layout = el("div", "screen-layout");
    if (entry.image) {
      var img = el("img", "screen-image");
      img.src = entry.image;
      img.alt = "";
      layout.appendChild(img);
    }
    layout.appendChild(el("p", "screen-text", entry.text));
    entryBox.appendChild(layout);
    entryBox.appendChild(el("div", "screen-source", "资料来源：" + entry.source));
    dots.replaceChildren();
    entries.forEach(function (_, i) { dots.appendChild(el("i", i === index ? "on" : "")); });
    entryBox.classList.remove("fade");
    void entryBox.offsetWidth; // restart the fade-in
    entryBox.classList.add("fade");
    fit();
  }

  function todayKey() {
    var now = new Date();
    return String(now.getMonth() + 1).padStart(2, "0") + "-" + String(now.getDate()).padStart(2, "0");
  }

  function load() {
    var url = feedUrl;
    if (!fixed) url += (url.indexOf("?") < 0 ? "?" : "&") + "date=" + todayKey();
    return fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        var changed = data.date !== feed.date;
        feed = data;
        status.textContent = "";
        root.classList.remove("offline");
        if (Date.now() - started > RELOAD_AFTER) { window.location.reload(); return; }
        if (changed) { index = 0; show(); }
      })
      .catch(function () {
        // Keep showing what we have; say so quietly in the corner.
        status.textContent = "网络连接中断，显示已有内容";
        root.classList.add("offline");
      });
  }

  show();
  window.setInterval(function () { index += 1; show(); }, seconds * 1000);
  window.setInterval(load, refresh * 1000);
  if (!fixed) {
    var day = todayKey();
    window.setInterval(function () {
      if (todayKey() !== day) { day = todayKey(); load(); }
    }, 30000);
  }
  window.addEventListener("online", load);
})();
