// The paged status page (reporters/html.py, above ALL_ROWS_UP_TO subjects): draws the matrix a
// page at a time, filtered by verdict and by name, and a subject's section when its link is
// followed, from the data island (reporters/html_island.py says its shapes). Every text goes in
// as text (textContent, setAttribute), never as markup.
(function () {
  "use strict";
  var island = document.getElementById("status-data");
  var form = document.getElementById("filters");
  if (!island || !form) { return; }
  var data = JSON.parse(island.textContent);
  var table = data.table;
  var SVG = "http://www.w3.org/2000/svg";

  // A value of the table, its lists resolved; -1 (EVIDENCE) is the subject's evidence file.
  function get(index, evidence) {
    if (index < 0) { return evidence; }
    var value = table[index];
    if (Array.isArray(value)) {
      return value.map(function (item) { return get(item, evidence); });
    }
    return value;
  }
  function text(value) { return Array.isArray(value) ? value.join("") : String(value); }

  function el(name, attributes, children, namespace) {
    var node = namespace ? document.createElementNS(namespace, name) : document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function verdictSpan(verdict) {
    return el("span", {"class": "v v-" + verdict}, [data.marks[verdict] + " " + verdict]);
  }

  var rows = data.rows;
  var names = rows.map(function (row) { return String(table[row[0]]).toLowerCase(); });
  var verdicts = rows.map(function (row) { return table[row[2]]; });
  var bySid = {};
  rows.forEach(function (row, index) { bySid[table[row[1]]] = index; });

  // -- the matrix, a page at a time ---------------------------------------------------------------

  function rowNode(row) {
    var name = table[row[0]], sid = table[row[1]], verdict = table[row[2]];
    var cells = [el("th", {"scope": "row"}, [el("a", {"href": "#" + sid}, [name])])];
    get(row[3]).forEach(function (said) { cells.push(el("td", {"class": "declared"}, [text(said)])); });
    cells.push(el("td", {"class": "v v-" + verdict}, [data.marks[verdict] + " " + data.labels[verdict]]));
    var evidence = table[table[row[5]][1]];
    get(row[4], evidence).forEach(function (cell, column) {
      if (cell === null) {
        cells.push(el("td", {"class": "v v-none", "title": "not a rule of its policy"}, ["— n/a"]));
        return;
      }
      var status = cell[0], message = text(cell[1]);
      cells.push(el("td", {"class": "v v-" + status, "title": message}, [
        el("a", {"href": "#" + sid + "--" + data.anchors[column]}, [
          el("span", {"aria-hidden": "true"}, [data.marks[status]]),
          " " + data.labels[status],
          el("span", {"class": "why"}, [message])
        ])
      ]));
    });
    return el("tr", {"id": "row-" + sid, "class": "subject-row", "data-verdict": verdict}, cells);
  }

  var boxes = form.querySelectorAll("input[name=verdict]");
  var nameFilter = document.getElementById("name-filter");
  var body = document.getElementById("rows");
  var shown = document.getElementById("shown");
  var pageNumber = document.getElementById("page-number");
  var size = data.page_rows;
  var matching = [];
  var page = 0;

  function filter() {
    var show = {};
    boxes.forEach(function (box) { show[box.value] = box.checked; });
    var wanted = nameFilter.value.trim().toLowerCase();
    matching = [];
    for (var index = 0; index < rows.length; index += 1) {
      if (show[verdicts[index]] === true && (!wanted || names[index].indexOf(wanted) >= 0)) {
        matching.push(index);
      }
    }
    page = 0;
    draw();
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(matching.length / size));
    page = Math.min(Math.max(page, 0), pages - 1);
    var first = page * size;
    var slice = matching.slice(first, first + size);
    body.replaceChildren.apply(body, slice.map(function (index) { return rowNode(rows[index]); }));
    pageNumber.textContent = "Page " + (page + 1) + " of " + pages;
    document.getElementById("page-first").disabled = page === 0;
    document.getElementById("page-previous").disabled = page === 0;
    document.getElementById("page-next").disabled = page >= pages - 1;
    document.getElementById("page-last").disabled = page >= pages - 1;
    shown.textContent = matching.length === 0
      ? "No subject matches (of " + rows.length + ")."
      : "Showing " + (first + 1) + "–" + (first + slice.length) + " of " + matching.length +
        " matching subjects (of " + rows.length + ").";
  }

  form.addEventListener("change", filter);
  nameFilter.addEventListener("input", filter);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("show-all").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = true; });
    nameFilter.value = "";
    filter();
  });
  [["page-first", function () { page = 0; }],
   ["page-previous", function () { page -= 1; }],
   ["page-next", function () { page += 1; }],
   ["page-last", function () { page = matching.length; }]].forEach(function (pair) {
    document.getElementById(pair[0]).addEventListener("click", function () { pair[1](); draw(); });
  });

  // -- a subject's section, drawn when asked for ------------------------------------------------

  function stepList(heading, texts, state) {
    var list = texts.length
      ? el("ul", {}, texts.map(function (item) { return el("li", {}, [text(item)]); }))
      : el("p", {}, ["none"]);
    return el("div", {"class": "steps st-" + state}, [el("h4", {}, [data.markers[state] + " " + heading]), list]);
  }

  function graphFigure(name, sid, graph) {
    var width = graph[0], height = graph[1], boxWidth = graph[2], boxHeight = graph[3];
    var title = "Plan of " + name + " as a graph";
    var svg = el("svg", {
      "width": width, "height": height, "viewBox": "0 0 " + width + " " + height,
      "role": "img", "aria-labelledby": sid + "-graph-title"
    }, [
      el("title", {"id": sid + "-graph-title"}, [
        title + ": " + graph[5].length + " steps, arrows from a step to the steps that need it"
      ], SVG),
      el("defs", {}, [el("marker", {
        "id": sid + "-arrow", "viewBox": "0 0 10 10", "refX": "10", "refY": "5",
        "markerUnits": "userSpaceOnUse", "markerWidth": "9", "markerHeight": "9",
        "orient": "auto-start-reverse"
      }, [el("path", {"d": "M0 0L10 5L0 10z", "class": "arrowhead"}, [], SVG)], SVG)], SVG)
    ], SVG);
    graph[4].forEach(function (a) {
      svg.appendChild(el("path", {
        "class": "edge" + (a[5] ? " path" : ""),
        "d": "M" + a[0] + " " + a[1] + "C" + (a[0] + a[4]) + " " + a[1] + " " + (a[2] - a[4]) +
          " " + a[3] + " " + a[2] + " " + a[3],
        "marker-end": "url(#" + sid + "-arrow)"
      }, [], SVG));
    });
    graph[5].forEach(function (box) {
      var x = box[0], y = box[1], state = box[2], step = text(box[3]);
      svg.appendChild(el("g", {"class": "node st-" + state + (box[6] ? " path" : "")}, [
        el("title", {}, [step + " (" + state + "): " + text(box[4])], SVG),
        el("rect", {"x": x, "y": y, "width": boxWidth, "height": boxHeight, "rx": "6"}, [], SVG),
        el("text", {"x": x + 10, "y": y + 21, "class": "id"}, [data.markers[state] + " " + step], SVG),
        el("text", {"x": x + 10, "y": y + 40}, [text(box[5])], SVG)
      ], SVG));
    });
    var m = data.markers;
    return el("figure", {"class": "graph", "aria-labelledby": sid + "-graph-caption"}, [
      el("div", {"class": "graph-wrap", "tabindex": "0", "role": "group", "aria-label": title}, [svg]),
      el("figcaption", {"id": sid + "-graph-caption"}, [
        "Columns by dependency depth. " + m.done + " done (solid), " + m.ready + " ready (bold), " +
        m.blocked + " blocked (dashed); thick outlines and arrows: the path to the gate."
      ])
    ]);
  }

  function section(index) {
    var row = rows[index];
    var name = table[row[0]], sid = table[row[1]], verdict = table[row[2]];
    var evidence = table[table[row[5]][1]];
    var details = get(row[5], evidence);
    var parts = [
      el("h2", {"id": sid + "-heading"}, [verdictSpan(verdict), " " + name]),
      el("p", {}, ["Policy ", el("code", {}, [text(details[0])]), ", evidence ",
        el("code", {}, [text(details[1])]), ", " + text(details[2]) + "."])
    ];
    details[3].forEach(function (gate) {
      parts.push(el("h3", {}, ["Gate " + text(gate[0]) + ": ", verdictSpan(gate[1]), text(gate[2])]));
      parts.push(el("p", {}, [text(gate[3])]));
      parts.push(el("ol", {"class": "rules"}, gate[4].map(function (rule) {
        var entries = [];
        rule[4].forEach(function (item) {
          entries.push(el("dt", {}, [text(item[0])]), el("dd", {}, [text(item[1])]));
        });
        return el("li", {"id": sid + "--" + rule[0], "class": "rule"}, [
          el("h4", {}, [verdictSpan(rule[1]), " ", el("code", {}, [text(rule[2])]), ": " + text(rule[3])]),
          el("dl", {}, entries)
        ]);
      })));
    });
    var plan = details[4];
    if (plan !== null) {
      parts.push(el("h3", {}, ["Plan" + (plan[0] === null ? "" : " for gate " + text(plan[0]))]));
      parts.push(el("div", {"class": "plan-lists"}, [
        stepList("Ready now", plan[1], "ready"), stepList("Blocked", plan[2], "blocked"),
        stepList("Done", plan[3], "done")
      ]));
      if (plan[4] !== null) {
        parts.push(el("p", {}, [el("strong", {}, ["Left for " + text(plan[0]) + ":"]), " " + text(plan[4])]));
      }
      if (plan[5].length) {
        parts.push(el("p", {}, [el("strong", {}, ["Failing or missing rules no step covers:"])]));
        parts.push(el("ul", {}, plan[5].map(function (item) { return el("li", {}, [text(item)]); })));
      }
      if (plan[6] !== null) { parts.push(graphFigure(name, sid, plan[6])); }
    }
    parts.push(el("p", {"class": "back"}, [el("a", {"href": "#matrix"}, ["Back to the matrix"])]));
    return el("section", {
      "id": sid, "class": "subject", "data-verdict": verdict, "aria-labelledby": sid + "-heading"
    }, parts);
  }

  // The subject an anchor names: `s-<name>` or `s-<name>--<rule>` (a name may hold `--` too).
  function subjectOf(anchor) {
    if (Object.prototype.hasOwnProperty.call(bySid, anchor)) { return bySid[anchor]; }
    for (var at = anchor.lastIndexOf("--"); at > 0; at = anchor.lastIndexOf("--", at - 1)) {
      var sid = anchor.slice(0, at);
      if (Object.prototype.hasOwnProperty.call(bySid, sid)) { return bySid[sid]; }
    }
    return -1;
  }

  var details = document.getElementById("details");
  var hint = el("p", {"class": "details-hint"}, ["Follow a subject's name (or a cell) in the matrix to see its rules and plan here."]);

  // The sections written as markup (for readers without the script) give way to the one asked for.
  function open() {
    var anchor = decodeURIComponent(location.hash.slice(1));
    var index = anchor ? subjectOf(anchor) : -1;
    if (index < 0) { return; }  // #matrix, or no subject: the section shown stays
    var shownSection = details.querySelector("section.subject");
    if (!shownSection || shownSection.id !== table[rows[index][1]]) {
      details.replaceChildren(section(index));
    }
    var target = document.getElementById(anchor);
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus({preventScroll: true});
      target.scrollIntoView();
    }
  }

  window.addEventListener("hashchange", open);
  details.replaceChildren(hint);
  form.hidden = false;
  filter();
  open();
  document.documentElement.setAttribute("data-filters", "ready");
})();
