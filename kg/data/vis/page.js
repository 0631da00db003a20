/* geokg view: draws the graph held in #kg-data with vis-network.
 * Text from articles is only ever handled as data: labels are drawn on the
 * canvas, tooltips are plain strings (vis-network shows them with innerText),
 * search names go into option.value. Nothing here uses innerHTML.
 * The page reports its state on <body data-*> for tests and scripts:
 * data-nodes, data-edges, data-ready ("1" once drawn), data-drawn-ms, data-matches.
 */
(function () {
  "use strict";
  var body = document.body;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var hiddenClasses = Object.create(null);
  var hiddenPredicates = Object.create(null);
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return !hiddenClasses[n.group]; }
  });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return !hiddenPredicates[e.predicate]; }
  });
  var status = document.getElementById("status");
  var network = new vis.Network(document.getElementById("network"),
                                {nodes: nodeView, edges: edgeView}, data.options);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  body.dataset.nodes = String(nodes.length);
  body.dataset.edges = String(edges.length);

  network.once("afterDrawing", function () {
    body.dataset.drawnMs = String(Math.round(performance.now()));
    body.dataset.ready = "1";
  });
  network.on("stabilizationProgress", function (p) {
    status.textContent = "laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    status.textContent = data.summary;
  });

  // --- search: exact label/alias matches first, else substring matches
  function norm(s) {
    return String(s || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var names = Object.create(null);
  var datalist = document.getElementById("search-names");
  var offered = Object.create(null);
  var offeredCount = 0;
  nodes.forEach(function (n) {
    var all = [n.name || n.label].concat(n.aliases || []);
    names[n.id] = all.map(norm);
    for (var i = 0; i < all.length && offeredCount < data.maxSuggestions; i++) {
      var name = all[i];
      if (!name || offered[name]) { continue; }
      offered[name] = true;
      offeredCount += 1;
      var option = document.createElement("option");
      option.value = name;
      datalist.appendChild(option);
    }
  });
  var input = document.getElementById("search");
  var countEl = document.getElementById("search-count");
  function search() {
    var q = norm(input.value);
    if (!q) {
      network.unselectAll();
      countEl.textContent = "";
      body.dataset.matches = "0";
      return [];
    }
    var exact = [], partial = [];
    nodeView.forEach(function (n) {
      var own = names[n.id];
      if (own.indexOf(q) >= 0) { exact.push(n.id); }
      else if (own.some(function (x) { return x.indexOf(q) >= 0; })) { partial.push(n.id); }
    });
    var ids = exact.length ? exact : partial;
    network.selectNodes(ids);
    if (ids.length === 1) {
      network.focus(ids[0], {scale: 1.2, animation: false});
    } else if (ids.length > 1) {
      network.fit({nodes: ids, animation: false});
    }
    countEl.textContent = ids.length + (ids.length === 1 ? " match" : " matches");
    body.dataset.matches = String(ids.length);
    return ids;
  }
  window.kgSearch = function (text) { input.value = text; return search(); };
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { clearTimeout(timer); search(); }
  });

  // --- filters by class and by predicate
  function bind(selector, hidden, view) {
    var boxes = document.querySelectorAll(selector);
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].addEventListener("change", function (ev) {
        hidden[ev.target.value] = !ev.target.checked;
        view.refresh();
      });
    }
  }
  bind("input.kg-class", hiddenClasses, nodeView);
  bind("input.kg-predicate", hiddenPredicates, edgeView);

  // --- physics on/off
  document.getElementById("physics").addEventListener("change", function (ev) {
    network.setOptions({physics: {enabled: ev.target.checked}});
  });
})();
