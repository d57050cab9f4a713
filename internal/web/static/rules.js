// The policy editor's condition builder: it edits the rule held as JSON in #eligibility (the
// same JSON the API takes, which stays editable without script) as nested groups and
// comparisons, and asks the server to say the rule in Chinese and English after each change.
(function () {
  "use strict";
  var root = document.getElementById("rule-builder");
  var source = document.getElementById("eligibility");
  var island = document.getElementById("rule-builder-data");
  if (!root || !source || !island) { return; }
  var cfg = JSON.parse(island.textContent);
  var L = cfg.labels;
  var facts = {};
  cfg.facts.forEach(function (f) { facts[f.key] = f; });
  var ops = { number: ["gte", "gt", "lte", "lt", "eq"], list: ["in"], kinds: ["has"], flag: ["is"] };
  var rule;
  try { rule = JSON.parse(source.value); } catch (e) { rule = { op: "and", of: [] }; }
  if (!rule || !rule.op) { rule = { op: "and", of: [] }; }
  if (!isGroup(rule)) { rule = { op: "and", of: [rule] }; }

  function isGroup(c) { return c.op === "and" || c.op === "or" || c.op === "not"; }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (k) { e.appendChild(typeof k === "string" ? document.createTextNode(k) : k); });
    return e;
  }
  var seq = 0;
  function select(label, values, current, onChange) {
    var id = "rb-" + (++seq);
    var s = el("select", { id: id });
    values.forEach(function (v) {
      var o = el("option", { value: v[0] }, [v[1]]);
      if (v[0] === current) { o.selected = true; }
      s.appendChild(o);
    });
    s.addEventListener("change", function () { onChange(s.value); });
    return [el("label", { "for": id, "class": "sr-only" }, [label]), s];
  }
  function defaultValue(f) {
    if (f.type === "number") { return "0"; }
    if (f.type === "flag") { return true; }
    var choices = cfg.choices[f.key];
    return choices && choices.length ? [choices[0].value] : [""];
  }
  function valueInput(c, f) {
    var id = "rb-" + (++seq);
    var label = el("label", { "for": id, "class": "sr-only" }, [L["fact_" + f.key]]);
    if (f.type === "flag") {
      return select(L["fact_" + f.key], [["true", L.yes], ["false", L.no]], String(c.value), function (v) { c.value = v === "true"; changed(); });
    }
    var choices = cfg.choices[f.key];
    if (f.type !== "number" && choices && choices.length) {
      var s = el("select", { id: id, multiple: "multiple", size: String(Math.min(choices.length, 4)) });
      var chosen = Array.isArray(c.value) ? c.value : [];
      choices.forEach(function (o) {
        var opt = el("option", { value: o.value }, [o.label]);
        opt.selected = chosen.indexOf(o.value) >= 0;
        s.appendChild(opt);
      });
      s.addEventListener("change", function () {
        c.value = Array.prototype.filter.call(s.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
        changed();
      });
      return [label, s];
    }
    var text = f.type === "number" ? String(c.value === undefined ? "" : c.value) : (Array.isArray(c.value) ? c.value.join(",") : "");
    var input = el("input", { id: id, value: text, size: "14", title: f.type === "number" ? "" : L.codes_help });
    if (f.type === "number") { input.setAttribute("inputmode", "decimal"); }
    input.addEventListener("change", function () {
      c.value = f.type === "number" ? input.value.trim() : input.value.split(",").map(function (x) { return x.trim(); }).filter(Boolean);
      changed();
    });
    return [label, input];
  }
  function leaf(c, parent, i) {
    var f = facts[c.fact] || cfg.facts[0];
    var row = el("div", { "class": "rb-leaf" });
    var factChoices = cfg.facts.map(function (x) { return [x.key, L["fact_" + x.key]]; });
    select(L.add_condition, factChoices, f.key, function (v) {
      c.fact = v; c.op = ops[facts[v].type][0]; c.value = defaultValue(facts[v]); changed(true);
    }).forEach(function (n) { row.appendChild(n); });
    select(L["fact_" + f.key], ops[f.type].map(function (o) { return [o, L[o]]; }), c.op, function (v) { c.op = v; changed(); })
      .forEach(function (n) { row.appendChild(n); });
    valueInput(c, f).forEach(function (n) { row.appendChild(n); });
    row.appendChild(removeButton(parent, i));
    return row;
  }
  function removeButton(parent, i) {
    var b = el("button", { type: "button", "class": "secondary small" }, [L.remove]);
    b.addEventListener("click", function () { parent.of.splice(i, 1); changed(true); });
    return b;
  }
  function group(g, parent, i) {
    var box = el("div", { "class": "rb-group" });
    var head = el("div", { "class": "rb-head" });
    select(L.and, [["and", L.and], ["or", L.or], ["not", L.not]], g.op, function (v) {
      g.op = v;
      if (v === "not") { g.of = g.of.slice(0, 1); }
      changed(true);
    }).forEach(function (n) { head.appendChild(n); });
    if (g.op !== "not" || g.of.length === 0) {
      var addLeaf = el("button", { type: "button", "class": "secondary small" }, [L.add_condition]);
      addLeaf.addEventListener("click", function () {
        var f = cfg.facts[0];
        g.of.push({ fact: f.key, op: ops[f.type][0], value: defaultValue(f) });
        changed(true);
      });
      var addGroup = el("button", { type: "button", "class": "secondary small" }, [L.add_group]);
      addGroup.addEventListener("click", function () { g.of.push({ op: "or", of: [] }); changed(true); });
      head.appendChild(addLeaf);
      head.appendChild(addGroup);
    }
    if (parent) { head.appendChild(removeButton(parent, i)); }
    box.appendChild(head);
    g.of.forEach(function (c, j) { box.appendChild(isGroup(c) ? group(c, g, j) : leaf(c, g, j)); });
    return box;
  }
  function draw() {
    root.textContent = "";
    root.appendChild(group(rule, null, 0));
  }
  var pending;
  function changed(redraw) {
    source.value = JSON.stringify(rule, null, 2);
    if (redraw) { draw(); }
    clearTimeout(pending);
    pending = setTimeout(describe, 150);
  }
  function describe() {
    var body = new URLSearchParams();
    body.set("eligibility", source.value);
    var year = document.getElementById("facts_year");
    if (year) { body.set("facts_year", year.value); }
    fetch(root.getAttribute("data-describe"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        document.getElementById("rule-zh").textContent = d.zh || "";
        document.getElementById("rule-en").textContent = d.en || "";
        document.getElementById("rule-error").textContent = d.error || "";
      });
  }
  source.addEventListener("change", function () {
    try { rule = JSON.parse(source.value); if (!isGroup(rule)) { rule = { op: "and", of: [rule] }; } draw(); } catch (e) { /* the server names the problem */ }
    describe();
  });
  draw();
})();
