/* kg views: draw the graph held in #kg-data with vis-network.
 *
 * Text from documents (names, task text, quotes) reaches the page only through textContent, Option
 * and canvas labels, never as markup: tooltips are elements built here, not HTML strings. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function tooltip(tip) {
    var box = el("div", "kg-tip");
    if (tip.head) box.appendChild(el("div", "kg-tip-head", tip.head));
    if (tip.text) box.appendChild(el("div", "kg-tip-text", tip.text));
    (tip.meta || []).forEach(function (line) { box.appendChild(el("div", "kg-tip-meta", line)); });
    return box;
  }

  [data.nodes, data.edges].forEach(function (items) {
    items.forEach(function (item) { if (item.tip) item.title = tooltip(item.tip); });
  });

  var notes = document.getElementById("kg-notes");
  data.notes.forEach(function (text) { notes.appendChild(el("p", null, text)); });
  document.getElementById("kg-size").textContent =
    data.nodes.length + " nodes · " + data.edges.length + " edges";

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"), {nodes: nodes, edges: edges},
                                data.options);
  window.kg = {network: network, nodes: nodes, edges: edges};

  // Tests and scripts wait for data-ready; the counts are what vis-network holds, not what was sent.
  function ready() {
    document.body.setAttribute("data-node-count", String(nodes.length));
    document.body.setAttribute("data-edge-count", String(edges.length));
    document.body.setAttribute("data-ready", "true");
  }
  if (data.options.physics && data.options.physics.enabled) {
    // Lay out once, then hold still: nodes that keep drifting are hard to hover and to read.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
    network.redraw();
  }

  // Legend: every category with a checkbox that shows or hides its nodes or edges.
  var legend = document.getElementById("kg-legend");
  data.legend.forEach(function (entry) {
    var item = el("label", "kg-legend-item");
    if (entry.cat) {
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.addEventListener("change", function () { setHidden(entry.target, entry.cat, !box.checked); });
      item.appendChild(box);
    }
    var swatch = el("span", "kg-swatch", entry.symbol || "");
    if (entry.color) swatch.style.color = entry.color;
    item.appendChild(swatch);
    item.appendChild(el("span", null, entry.count === undefined ? entry.label
                                                                : entry.label + " (" + entry.count + ")"));
    legend.appendChild(item);
  });

  function setHidden(target, cat, hidden) {
    var set = target === "edge" ? edges : nodes;
    set.update(set.get({filter: function (item) { return item.cat === cat; }}).map(function (item) {
      return {id: item.id, hidden: hidden};
    }));
  }

  // Search: labels, tooltip text and quotes; matches are selected and listed, the first is shown.
  var search = document.getElementById("kg-search");
  var hits = document.getElementById("kg-hits");
  var count = document.getElementById("kg-count");
  var haystack = data.nodes.map(function (n) {
    var tip = n.tip || {};
    return [n.id, [n.label || "", tip.head || "", tip.text || ""].concat(tip.meta || []).join("\n").toLowerCase()];
  });
  var pending = null;

  function show(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
  }

  function find() {
    var query = search.value.trim().toLowerCase();
    while (hits.firstChild) hits.removeChild(hits.firstChild);
    if (!query) {
      count.textContent = "";
      network.unselectAll();
      return;
    }
    var found = haystack.filter(function (h) { return h[1].indexOf(query) >= 0; })
                        .map(function (h) { return h[0]; });
    count.textContent = found.length + " found";
    found.slice(0, 200).forEach(function (id) { hits.appendChild(new Option(nodes.get(id).label, id)); });
    if (found.length) {
      show(found[0]);
      network.selectNodes(found);
    }
  }

  search.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(find, 200);
  });
  hits.addEventListener("change", function () { show(hits.value); });
})();
