/* The sites on a Leaflet map (public /sites/ pages). Progressive: the list in the page is the
   source (data-site items with data-lat/-lng/-name/-url) and always works; without Leaflet
   or without tiles (no internet) the map says so and the list stays. No inline script (CSP). */
(function () {
  "use strict";
  var el = document.getElementById("sites-map");
  var note = document.getElementById("sites-map-note");
  if (!el) return;
  function offline(text) {
    el.classList.add("is-offline");
    if (note) {
      note.textContent = text + (note.dataset.fallback || "");
      note.classList.add("text-danger");
    }
  }
  if (typeof window.L === "undefined") {
    offline("地图组件未能加载。");
    return;
  }
  var items = document.querySelectorAll("[data-site]");
  var points = [];
  var map = window.L.map(el, { scrollWheelZoom: false });
  var tiles = window.L.tileLayer(el.dataset.tiles, {
    maxZoom: 18,
    attribution: "&copy; OpenStreetMap contributors",
  });
  var loaded = 0;
  var failed = 0;
  tiles.on("tileload", function () {
    loaded += 1;
  });
  tiles.on("tileerror", function () {
    failed += 1;
    if (!loaded && failed === 3) {
      offline("地图底图无法加载（需要连接互联网），点位仍按位置显示。");
      map.invalidateSize();
      fit();
    }
  });
  tiles.addTo(map);
  items.forEach(function (item) {
    var lat = parseFloat(item.dataset.lat);
    var lng = parseFloat(item.dataset.lng);
    if (isNaN(lat) || isNaN(lng)) return;
    var marker = window.L.circleMarker([lat, lng], {
      radius: 7,
      color: "#fff",
      weight: 2,
      fillColor: "#c8161d",
      fillOpacity: 0.9,
    }).addTo(map);
    var box = document.createElement("div");
    var title = document.createElement(item.dataset.url ? "a" : "strong");
    title.textContent = item.dataset.name;
    if (item.dataset.url) title.href = item.dataset.url;
    box.appendChild(title);
    if (item.dataset.free !== undefined) {
      var free = document.createElement("div");
      free.textContent = "近7天余 " + item.dataset.free + " 个名额";
      box.appendChild(free);
    }
    marker.bindPopup(box);
    points.push([lat, lng]);
  });
  if (el.dataset.route !== undefined && points.length > 1) {
    window.L.polyline(points, { color: "#c8161d", weight: 3, opacity: 0.6, dashArray: "6 6" }).addTo(map);
  }
  function fit() {
    if (points.length === 1) {
      map.setView(points[0], parseInt(el.dataset.zoom || "13", 10));
    } else if (points.length) {
      map.fitBounds(points, { padding: [20, 20] });
    } else {
      map.setView([24.51, 117.65], 9);
    }
  }
  fit();
  // Without a network a tile request may hang rather than fail: give up waiting after 8 s.
  window.setTimeout(function () {
    if (!loaded && failed < 3) {
      failed = 3;
      offline("地图底图加载超时（需要连接互联网），点位仍按位置显示。");
    }
  }, 8000);
})();
