/* ATS builder: members edited in place, rules checked live, one-click fixes, team proposals.
 * The form still posts normally to save: this script only keeps its inputs in step.
 * All text comes from the page (#ats-i18n); user data is written with textContent only. */
(function () {
  "use strict";

  var form = document.getElementById("ats-form");
  var dataNode = document.getElementById("ats-data");
  if (!form || !dataNode) { return; }
  var boot = JSON.parse(dataNode.textContent);
  var texts = {};
  var tpl = document.getElementById("ats-i18n");
  if (tpl) {
    Array.prototype.forEach.call(tpl.content.querySelectorAll("[data-k]"), function (n) {
      texts[n.getAttribute("data-k")] = n.textContent.trim();
    });
  }
  function t(key, values) {
    var s = texts[key] || key;
    Object.keys(values || {}).forEach(function (k) { s = s.split("{" + k + "}").join(values[k]); });
    return s;
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  var csrf = (form.querySelector("input[name=csrf_token]") || {}).value || "";
  var editable = !!boot.editable;
  var members = boot.members.slice();           // [{tax_code, name, kind, kind_label, role}]
  var names = {};                                // tax code -> {name, kind_label}
  members.forEach(function (m) { names[m.tax_code] = m; });
  var districtNames = boot.districts || {};
  var body = document.getElementById("ats-members-body");
  var checkBox = document.getElementById("ats-check");
  var dirtyNote = document.getElementById("ats-dirty");
  var status = document.createElement("p");     // announcements for screen readers
  status.className = "sr-only";
  status.setAttribute("role", "status");
  form.appendChild(status);

  document.documentElement.classList.add("js");
  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (n) { n.hidden = false; });
  Array.prototype.forEach.call(document.querySelectorAll(".no-js-only"), function (n) { n.hidden = true; });

  // --- members table -----------------------------------------------------------------------

  function renderMembers() {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    members.forEach(function (m) {
      var tr = el("tr", { "data-tax-code": m.tax_code });
      var th = el("th", { scope: "row" });
      th.appendChild(el("a", { href: boot.urls.profile + encodeURIComponent(m.tax_code) }, m.name));
      th.appendChild(el("span", { "class": "ats-org-meta" }, (m.kind_label || "") + " · " + m.tax_code));
      th.appendChild(el("input", { type: "hidden", name: "member", value: m.tax_code }));
      tr.appendChild(th);
      var td = el("td");
      var id = "role-" + m.tax_code;
      td.appendChild(el("label", { "class": "sr-only", "for": id }, t("role_of", { name: m.name })));
      var select = el("select", { id: id, name: "role_" + m.tax_code });
      ["capofila", "mandante"].forEach(function (r) {
        var opt = el("option", { value: r }, t(r));
        if (m.role === r) { opt.selected = true; }
        select.appendChild(opt);
      });
      select.disabled = !editable;
      select.addEventListener("change", function () { setRole(m.tax_code, select.value); });
      td.appendChild(select);
      tr.appendChild(td);
      var actions = el("td");
      if (editable) {
        var button = el("button", { type: "button", "class": "button-remove" }, t("remove_btn"));
        button.appendChild(el("span", { "class": "sr-only" }, " " + m.name));
        button.addEventListener("click", function () { removeMember(m.tax_code); });
        actions.appendChild(button);
      }
      tr.appendChild(actions);
      body.appendChild(tr);
    });
    var count = document.getElementById("ats-member-count");
    if (count) { count.textContent = "(" + members.length + ")"; }
    var empty = document.getElementById("ats-members-empty");
    if (empty) { empty.hidden = members.length > 0; }
  }

  function find(code) {
    for (var i = 0; i < members.length; i++) { if (members[i].tax_code === code) { return members[i]; } }
    return null;
  }

  function addMember(code, info, quiet) {
    if (find(code)) { return false; }
    info = info || names[code] || { name: code, kind_label: "" };
    names[code] = info;
    members.push({ tax_code: code, name: info.name, kind: info.kind, kind_label: info.kind_label, role: "mandante" });
    if (!quiet) { say(t("added", { name: info.name })); }
    return true;
  }

  function removeMember(code) {
    var m = find(code);
    members = members.filter(function (x) { return x.tax_code !== code; });
    renderMembers();
    if (m) { say(t("removed", { name: m.name })); }
    changed();
  }

  function setRole(code, role) {
    members.forEach(function (m) {
      if (m.tax_code === code) { m.role = role; }
      else if (role === "capofila" && m.role === "capofila") { m.role = "mandante"; }  // one capofila
    });
    renderMembers();
    var select = document.getElementById("role-" + code);
    if (select) { select.focus(); }
    changed();
  }

  function say(message) { status.textContent = message; }

  // --- districts ---------------------------------------------------------------------------

  function districtBoxes() { return form.querySelectorAll("input[name=districts]"); }
  function districts() {
    var out = [];
    Array.prototype.forEach.call(districtBoxes(), function (b) { if (b.checked) { out.push(b.value); } });
    return out;
  }
  function setDistrict(code, on) {
    Array.prototype.forEach.call(districtBoxes(), function (b) { if (b.value === code) { b.checked = on; } });
    showDistricts();
  }
  function showDistricts() {
    var chosen = document.querySelector("#ats-districts-chosen span");
    if (!chosen) { return; }
    var list = districts().map(districtOf);
    chosen.textContent = list.length ? list.join(", ") : t("none");
  }

  // --- live check --------------------------------------------------------------------------

  function composition() {
    var comp = {
      measure: parseInt(form.elements.measure.value, 10) || 1,
      round: parseInt(form.elements.call_round.value, 10) || 1,
      districts: districts(),
      members: members.map(function (m) { return { tax_code: m.tax_code, role: m.role }; }),
      need: (form.elements.title.value + ". " + form.elements.description.value).trim()
    };
    if (boot.code) { comp.code = boot.code; }
    return comp;
  }

  var timer = null;
  var refocus = false;  // a fix button was used: its panel is redrawn, focus goes to its title
  var sequence = 0;
  function scheduleCheck(delay) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(runCheck, delay === undefined ? 300 : delay);
  }

  function post(url, payload) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(payload),
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { throw new Error(data.error || data.detail || ("HTTP " + r.status)); }
        return data;
      });
    });
  }

  function runCheck() {
    var mine = ++sequence;
    checkBox.setAttribute("aria-busy", "true");
    checkBox.classList.add("checking");
    post(boot.urls.check, composition()).then(function (data) {
      if (mine !== sequence) { return; }
      renderCheck(data);
    }).catch(function (err) {
      if (mine !== sequence) { return; }
      while (checkBox.firstChild) { checkBox.removeChild(checkBox.firstChild); }
      checkBox.appendChild(el("p", { "class": "field-msg" }, t("check_failed", { msg: err.message })));
    }).then(function () {
      if (mine === sequence) {
        checkBox.removeAttribute("aria-busy");
        checkBox.classList.remove("checking");
      }
    });
  }

  function nameOf(code) { return (names[code] && names[code].name) || code; }
  function districtOf(code) { return districtNames[code] || code; }

  function fixButton(label, onClick) {
    var b = el("button", { type: "button", "class": "button button-small ats-fix" }, label);
    b.addEventListener("click", function () { onClick(); refocus = true; changed(0); });
    return b;
  }

  function fixButtons(fix) {
    var out = [];
    if (!editable) { return out; }
    var codes = fix.tax_codes || [];
    var dists = fix.districts || [];
    if (fix.action === "add" && codes.length) {
      out.push(fixButton(codes.length > 1 ? t("add_all") : t("add", { name: nameOf(codes[0]) }), function () {
        codes.forEach(function (c) { addMember(c, names[c], true); });
        renderMembers();
        say(codes.map(nameOf).join("; "));
      }));
    } else if (fix.action === "add_one") {
      codes.forEach(function (c) {
        out.push(fixButton(t("add", { name: nameOf(c) }), function () { addMember(c, names[c]); renderMembers(); }));
      });
    } else if (fix.action === "replace") {
      codes.forEach(function (c) {
        out.push(fixButton(t("replace", { name: nameOf(c) }), function () {
          members = members.filter(function (m) { return m.tax_code !== fix.replaces; });
          addMember(c, names[c]);
          renderMembers();
        }));
      });
    } else if (fix.action === "remove") {
      codes.forEach(function (c) {
        if (find(c)) {
          out.push(fixButton(t("remove", { name: nameOf(c) }), function () {
            members = members.filter(function (m) { return m.tax_code !== c; });
            renderMembers();
          }));
        }
      });
    } else if (fix.action === "set_capofila") {
      codes.forEach(function (c) {
        out.push(fixButton(t("set_capofila", { name: nameOf(c) }), function () {
          members.forEach(function (m) { m.role = m.tax_code === c ? "capofila" : "mandante"; });
          renderMembers();
        }));
      });
    } else if (fix.action === "add_district" && dists.length) {
      dists.forEach(function (d) {
        out.push(fixButton(t("add_district", { name: districtOf(d) }), function () { setDistrict(d, true); }));
      });
    } else if (fix.action === "remove_district") {
      dists.forEach(function (d) {
        out.push(fixButton(t("remove_district", { name: districtOf(d) }), function () { setDistrict(d, false); }));
      });
    }
    return out;
  }

  function renderCheck(data) {
    Object.keys(data.names || {}).forEach(function (c) { names[c] = data.names[c]; });
    Object.keys(data.district_names || {}).forEach(function (d) { districtNames[d] = data.district_names[d]; });
    while (checkBox.firstChild) { checkBox.removeChild(checkBox.firstChild); }
    var verdict = el("div", { "class": "ats-verdict " + (data.admissible ? "ok" : "ko") });
    verdict.appendChild(el("p", { "class": "ats-verdict-title" }, data.admissible ? t("ok") : t("ko")));
    verdict.appendChild(el("p", { "class": "ats-verdict-sub" },
      t("summary", { n: data.rules_checked, e: data.errors, w: data.warnings })));
    checkBox.appendChild(verdict);
    var mini = document.getElementById("ats-mini-verdict");
    if (mini) {
      while (mini.firstChild) { mini.removeChild(mini.firstChild); }
      mini.className = "ats-mini " + (data.admissible ? "ok" : "ko");
      mini.appendChild(document.createTextNode(data.admissible ? "✓ " + t("ok") : "✗ " + t("ko_n", { n: data.errors })));
      mini.appendChild(document.createTextNode(" · "));
      mini.appendChild(el("a", { href: "#verifica-titolo" }, t("see_check")));
      mini.hidden = false;
    }
    if (refocus) {
      refocus = false;
      var title = document.getElementById("verifica-titolo");
      if (title) { title.focus(); }
    }
    if (!data.findings.length) { return; }
    var list = el("ul", { "class": "ats-findings" });
    data.findings.forEach(function (f) {
      var li = el("li", { "class": "ats-finding " + f.severity, "data-rule": f.rule_id });
      var head = el("p", { "class": "ats-rule" });
      head.appendChild(el("span", { "class": "ats-sev" }, f.severity === "error" ? t("error") : t("warning")));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("code", {}, f.rule_id));
      li.appendChild(head);
      if (f.rule_text) { li.appendChild(el("p", { "class": "ats-rule-text" }, f.rule_text)); }
      li.appendChild(el("p", { "class": "ats-finding-msg" }, f.message));
      if (f.fixes.length) {
        var fixes = el("div", { "class": "ats-fixes" });
        fixes.appendChild(el("p", { "class": "ats-fix-title" }, t("fix")));
        f.fixes.forEach(function (fix) {
          var box = el("div", { "class": "ats-fix-item" });
          box.appendChild(el("p", { "class": "ats-fix-msg" }, fix.message));
          var buttons = fixButtons(fix);
          if (buttons.length) {
            var row = el("div", { "class": "ats-fix-buttons" });
            buttons.forEach(function (b) { row.appendChild(b); });
            box.appendChild(row);
          }
          fixes.appendChild(box);
        });
        li.appendChild(fixes);
      }
      list.appendChild(li);
    });
    checkBox.appendChild(list);
  }

  function changed(delay) {
    if (dirtyNote) { dirtyNote.hidden = false; }
    Array.prototype.forEach.call(document.querySelectorAll(".ats-transition button[value=preliminare_presentato], .ats-transition button[value=definitivo_presentato]"), function (b) {
      b.disabled = true;
      b.title = t("submit_blocked");
    });
    scheduleCheck(delay);
  }

  // --- search ------------------------------------------------------------------------------

  var search = document.getElementById("ats-search");
  var results = document.getElementById("ats-search-results");
  var searchTimer = null;
  var lastQuery = "";
  function clearResults() {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    results.hidden = true;
  }
  function runSearch() {
    var q = search.value.trim();
    if (q.length < 2) { clearResults(); lastQuery = q; return; }
    if (q === lastQuery && !results.hidden) { return; }
    lastQuery = q;
    fetch(boot.urls.search + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (q !== search.value.trim()) { return; }
        clearResults();
        if (!data.items || !data.items.length) {
          results.appendChild(el("li", { "class": "hint" }, t("no_results")));
        }
        (data.items || []).forEach(function (o) {
          var li = el("li");
          var present = !!find(o.tax_code);
          var b = el("button", { type: "button", "class": "ats-result" });
          b.appendChild(el("span", { "class": "ats-result-name" }, o.name));
          var meta = o.kind_label + " · " + o.tax_code + (o.districts.length ? " · " + o.districts.join(", ") : "");
          b.appendChild(el("span", { "class": "ats-org-meta" }, meta + (present ? " · " + t("already") : "")));
          b.disabled = present;
          b.addEventListener("click", function () {
            addMember(o.tax_code, { name: o.name, kind: o.kind, kind_label: o.kind_label });
            renderMembers();
            search.value = "";
            clearResults();
            search.focus();
            changed(0);
          });
          b.addEventListener("keydown", function (ev) {
            var items = results.querySelectorAll("button.ats-result");
            var idx = Array.prototype.indexOf.call(items, b);
            if (ev.key === "ArrowDown" && idx < items.length - 1) { ev.preventDefault(); items[idx + 1].focus(); }
            if (ev.key === "ArrowUp") { ev.preventDefault(); if (idx > 0) { items[idx - 1].focus(); } else { search.focus(); } }
            if (ev.key === "Escape") { clearResults(); search.focus(); }
          });
          li.appendChild(b);
          results.appendChild(li);
        });
        results.hidden = false;
      });
  }
  if (search) {
    search.addEventListener("input", function () {
      if (searchTimer) { clearTimeout(searchTimer); }
      searchTimer = setTimeout(runSearch, 250);
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {  // never submit the form from the search box
        ev.preventDefault();
        var first = results.querySelector("button.ats-result:not([disabled])");
        if (first) { first.click(); }
      } else if (ev.key === "ArrowDown") {
        var item = results.querySelector("button.ats-result");
        if (item) { ev.preventDefault(); item.focus(); }
      } else if (ev.key === "Escape") {
        clearResults();
      }
    });
  }

  // --- team proposal -----------------------------------------------------------------------

  var proposeButton = document.getElementById("ats-propose");
  var proposals = document.getElementById("ats-proposals");
  if (proposeButton && proposals) {
    proposeButton.addEventListener("click", function () {
      var lead = members.filter(function (m) { return m.role === "capofila" && m.kind === "ente_gestore"; })[0];
      var payload = {
        text: (form.elements.title.value + ". " + form.elements.description.value).trim().replace(/^\.\s*/, ""),
        round: parseInt(form.elements.call_round.value, 10) || 1
      };
      if (!form.elements.description.value.trim()) { payload.text = ""; }
      if (lead) { payload.for_tax_code = lead.tax_code; } else if (districts().length) { payload.district = districts()[0]; }
      while (proposals.firstChild) { proposals.removeChild(proposals.firstChild); }
      proposals.appendChild(el("p", { "class": "hint" }, t("proposing")));
      proposeButton.disabled = true;
      post(boot.urls.propose, payload).then(function (data) {
        while (proposals.firstChild) { proposals.removeChild(proposals.firstChild); }
        data.proposals.forEach(function (p, i) {
          var card = el("div", { "class": "ats-proposal" });
          card.appendChild(el("h3", {}, p.label));
          card.appendChild(el("p", { "class": "hint" }, p.explanation));
          var ul = el("ul", { "class": "ats-proposal-members" });
          p.members.forEach(function (m) {
            var li = el("li");
            li.appendChild(el("strong", {}, m.name));
            li.appendChild(document.createTextNode(" – " + t(m.role) + " · " + m.kind_label));
            ul.appendChild(li);
          });
          card.appendChild(ul);
          var use = el("button", { type: "button", "class": "button button-small", "data-proposal": String(i) }, t("use_team"));
          use.addEventListener("click", function () {
            members = [];
            p.members.forEach(function (m) {
              names[m.tax_code] = m;
              members.push({ tax_code: m.tax_code, name: m.name, kind: m.kind, kind_label: m.kind_label, role: m.role });
            });
            Array.prototype.forEach.call(districtBoxes(), function (b) { b.checked = p.districts.indexOf(b.value) >= 0; });
            showDistricts();
            renderMembers();
            while (proposals.firstChild) { proposals.removeChild(proposals.firstChild); }
            proposals.appendChild(el("p", { "class": "flash flash-ok" }, t("team_used")));
            changed(0);
          });
          card.appendChild(use);
          proposals.appendChild(card);
        });
        var close = el("button", { type: "button", "class": "link-button" }, t("close"));
        close.addEventListener("click", function () {
          while (proposals.firstChild) { proposals.removeChild(proposals.firstChild); }
          proposeButton.focus();
        });
        proposals.appendChild(close);
      }).catch(function (err) {
        while (proposals.firstChild) { proposals.removeChild(proposals.firstChild); }
        proposals.appendChild(el("p", { "class": "field-msg", role: "alert" }, err.message));
      }).then(function () { proposeButton.disabled = false; });
    });
  }

  // --- wiring ------------------------------------------------------------------------------

  Array.prototype.forEach.call(districtBoxes(), function (b) {
    b.addEventListener("change", function () { showDistricts(); changed(); });
  });
  ["measure", "call_round"].forEach(function (name) {
    form.elements[name].addEventListener("change", function () { changed(); });
  });
  ["title", "description"].forEach(function (name) {
    form.elements[name].addEventListener("input", function () { if (dirtyNote) { dirtyNote.hidden = false; } });
  });
  renderMembers();
  scheduleCheck(0);
})();
